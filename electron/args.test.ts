import { describe, expect, it } from 'vitest';
import { hasStationSettings, parseLaunchArgs } from './args.js';

describe('parseLaunchArgs', () => {
  it('reads station flags into settings', () => {
    const options = parseLaunchArgs([
      '.',
      '--role=server,agent,display',
      '--port=3100',
      '--printer=tcp://192.168.1.50:9100',
      '--display-index=1',
      '--name=Agence Plateau',
      '--demo',
      '--no-auto-start',
    ]);
    expect(options.errors).toEqual([]);
    expect(options.settings).toEqual({
      roles: ['server', 'agent', 'display'],
      port: 3100,
      printer: 'tcp://192.168.1.50:9100',
      displayIndex: 1,
      name: 'Agence Plateau',
      demo: true,
      autoStart: false,
    });
    expect(hasStationSettings(options)).toBe(true);
  });

  it('accepts server+kiosk and --roles, and removes duplicates', () => {
    expect(parseLaunchArgs(['--roles=kiosk+kiosk', '--server-url=http://10.0.0.2:3000']).settings).toEqual({ roles: ['kiosk'], serverUrl: 'http://10.0.0.2:3000' });
  });

  it('keeps the PIN apart, to be hashed', () => {
    const options = parseLaunchArgs(['--role=kiosk', '--kiosk-pin=2580']);
    expect(options.kioskPin).toBe('2580');
    expect(options.settings).not.toHaveProperty('kioskPinHash');
  });

  it('reports bad values instead of guessing', () => {
    const options = parseLaunchArgs(['--role=server,cashier', '--port=abc', '--printer=usb', '--kiosk-pin=12', '--server-url']);
    expect(options.errors).toEqual([
      expect.stringContaining('unknown role cashier'),
      expect.stringContaining('--server-url'),
      expect.stringContaining('--port'),
      expect.stringContaining('--printer'),
      expect.stringContaining('--kiosk-pin'),
    ]);
    expect(options.kioskPin).toBeNull();
  });

  it('separates run flags from station flags and ignores Chromium switches', () => {
    const options = parseLaunchArgs(['--background', '--setup', '--user-data-dir=/tmp/sq', '--no-sandbox', '--enable-logging']);
    expect(options).toMatchObject({ background: true, setup: true, userDataDir: '/tmp/sq', errors: [] });
    expect(hasStationSettings(options)).toBe(false);
  });
});
