import { describe, expect, it } from 'vitest';
import type { SetupForm } from './bridge.js';
import { applyStationSettings, parseStationConfig, type StationConfig } from './config.js';
import { setupFormFromConfig, settingsFromSetupForm } from './setup.js';

const form: SetupForm = {
  name: 'Guichet 2',
  roles: ['agent'],
  serverUrl: 'http://192.168.1.10:3000',
  port: 3000,
  printer: '',
  displayIndex: null,
  kioskPin: '',
  autoStart: true,
};

describe('setup form', () => {
  it('starts empty on a first run, named after the computer', () => {
    expect(setupFormFromConfig(null, 'PC-ACCUEIL')).toEqual({ ...form, name: 'PC-ACCUEIL', roles: [], serverUrl: '' });
  });

  it('round-trips an agent PC', () => {
    const { settings, kioskPin, errors } = settingsFromSetupForm(form);
    expect(errors).toEqual([]);
    expect(kioskPin).toBeNull();
    const result = applyStationSettings(null, settings);
    expect(result.ok).toBe(true);
    expect(setupFormFromConfig((result as { config: StationConfig }).config, 'x')).toEqual(form);
  });

  it('sets printer and port only for a server, the server URL only for the others', () => {
    const server = settingsFromSetupForm({ ...form, roles: ['server', 'display'], printer: 'os:EPSON TM-T20', port: 3100, displayIndex: 1 }).settings;
    expect(server).toMatchObject({ roles: ['server', 'display'], port: 3100, printer: 'os:EPSON TM-T20', displayIndex: 1, displayId: null });
    expect(server).not.toHaveProperty('serverUrl');
    const agent = settingsFromSetupForm({ ...form, printer: 'os:EPSON' }).settings;
    expect(agent).not.toHaveProperty('printer');
    expect(agent.serverUrl).toBe('http://192.168.1.10:3000');
  });

  it('keeps the kiosk PIN when the field is left empty and checks a new one', () => {
    const base = parseStationConfig({ version: 1, name: 'Borne', roles: ['kiosk'], serverUrl: 'http://10.0.0.2:3000', kiosk: { pinHash: `scrypt$1024$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}` } });
    if (!base.ok) throw new Error(base.errors.join());
    const kept = settingsFromSetupForm({ ...form, roles: ['kiosk'], serverUrl: 'http://10.0.0.2:3000' });
    expect(kept.kioskPin).toBeNull();
    expect(applyStationSettings(base.config, kept.settings)).toMatchObject({ ok: true, config: { kiosk: { pinHash: base.config.kiosk.pinHash } } });
    expect(settingsFromSetupForm({ ...form, roles: ['kiosk'], kioskPin: '12' }).errors).toEqual([expect.stringContaining('4 to 12 digits')]);
    expect(settingsFromSetupForm({ ...form, roles: ['kiosk'], kioskPin: '2580' }).kioskPin).toBe('2580');
  });

  it('drops roles it does not know (the form is page input)', () => {
    expect(settingsFromSetupForm({ ...form, roles: ['agent', 'root' as never] }).settings.roles).toEqual(['agent']);
  });
});
