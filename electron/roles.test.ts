import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStationConfig, type StationConfig } from './config.js';
import { hashPin } from './pin.js';
import { localServerOrigin, pickDisplay, planStation, type AppWindowPlan } from './roles.js';
import { ServerLaunchOptionsSchema } from './server-protocol.js';

const userDataDir = '/home/agent/.config/SmartQueue';

function config(raw: Record<string, unknown>): StationConfig {
  const result = parseStationConfig({ version: 1, name: 'Poste', ...raw });
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.config;
}

function windowOf(windows: AppWindowPlan[], role: string): AppWindowPlan {
  const found = windows.find((w) => w.role === role);
  if (!found) throw new Error(`no ${role} window`);
  return found;
}

describe('planStation', () => {
  it('runs server, agent and display on one small-branch PC, all over loopback', () => {
    const plan = planStation(config({ roles: ['server', 'agent', 'display'], server: { port: 3100, printer: 'tcp://192.168.1.50:9100' } }), { userDataDir });
    expect(plan.server).toEqual({ port: 3100, host: '0.0.0.0', dataDir: join(userDataDir, 'data'), printer: 'tcp://192.168.1.50:9100' });
    expect(ServerLaunchOptionsSchema.parse(plan.server)).toEqual(plan.server);
    expect(plan.serverOrigin).toBe('http://127.0.0.1:3100');
    expect(plan.windows.map((w) => [w.role, w.url])).toEqual([
      ['agent', 'http://127.0.0.1:3100/agent/'],
      ['display', 'http://127.0.0.1:3100/display/'],
    ]);
    expect(plan.statusWindow).toBe(true);
    expect(plan.preventAppSuspension).toBe(true);
  });

  it('opens a locked kiosk pointed at the configured server', async () => {
    const pinHash = await hashPin('2580', { N: 1024, r: 8, p: 1 });
    const plan = planStation(config({ roles: ['kiosk'], serverUrl: 'http://192.168.1.10:3000', kiosk: { pinHash } }), { userDataDir });
    expect(plan.server).toBeNull();
    expect(plan.statusWindow).toBe(false);
    const kiosk = windowOf(plan.windows, 'kiosk');
    expect(kiosk).toMatchObject({
      url: 'http://192.168.1.10:3000/kiosk/',
      origin: 'http://192.168.1.10:3000',
      kiosk: true,
      fullscreen: true,
      chrome: false,
      exitRequiresPin: true,
      preventDisplaySleep: true,
      allowDownloads: false,
    });
    expect([...kiosk.permissions]).toEqual(['fullscreen']);
  });

  it('puts the call board full screen on the chosen monitor, sound allowed, never sleeping', () => {
    const display = windowOf(planStation(config({ roles: ['display'], serverUrl: 'http://10.0.0.5:3000', display: { displayIndex: 1 } }), { userDataDir }).windows, 'display');
    expect(display).toMatchObject({ fullscreen: true, kiosk: false, chrome: false, preventDisplaySleep: true, display: { kind: 'index', index: 1 } });
    expect(display.webPreferences.autoplayPolicy).toBe('no-user-gesture-required');
  });

  it('gives the agent a normal window that remembers its bounds, with a user-gesture autoplay policy', () => {
    const agent = windowOf(planStation(config({ roles: ['agent'], serverUrl: 'http://10.0.0.5:3000' }), { userDataDir }).windows, 'agent');
    expect(agent).toMatchObject({ kiosk: false, fullscreen: false, chrome: true, rememberBounds: true, exitRequiresPin: false, allowDownloads: true });
    expect(agent.webPreferences.autoplayPolicy).toBe('user-gesture-required');
  });

  it('hardens every window the same way, each in its own persistent session', async () => {
    const pinHash = await hashPin('2580', { N: 1024, r: 8, p: 1 });
    const plan = planStation(config({ roles: ['server', 'kiosk', 'agent', 'display'], kiosk: { pinHash } }), { userDataDir });
    expect(plan.windows.map((w) => w.webPreferences.partition)).toEqual(['persist:kiosk', 'persist:agent', 'persist:display']);
    for (const w of plan.windows) {
      expect(w.webPreferences).toMatchObject({ contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, sandbox: true, webSecurity: true, webviewTag: false });
      expect(w.webPreferences.additionalArguments).toEqual([`--smartqueue-window-role=${w.role}`]);
      expect(w.origin).toBe('http://127.0.0.1:3000');
    }
  });

  it('takes the printer from SMARTQUEUE_PRINTER when the config has none, the config winning otherwise', () => {
    const env = { userDataDir, printerFromEnv: 'os:EPSON' };
    expect(planStation(config({ roles: ['server'] }), env).server?.printer).toBe('os:EPSON');
    expect(planStation(config({ roles: ['server'], server: { printer: 'simulated' } }), env).server?.printer).toBe('simulated');
    expect(planStation(config({ roles: ['server'] }), { userDataDir }).server).not.toHaveProperty('printer');
  });

  it('passes the data folder, central settings and demo flag through', () => {
    const plan = planStation(config({ roles: ['server'], server: { dataDir: 'D:/SmartQueue', centralUrl: 'https://central.example.sn', centralCredential: 'c', demo: true } }), { userDataDir });
    expect(plan.server).toMatchObject({ dataDir: 'D:/SmartQueue', centralUrl: 'https://central.example.sn', centralCredential: 'c', demo: true });
  });
});

describe('localServerOrigin', () => {
  it('uses loopback for wildcard hosts and the address otherwise', () => {
    expect(localServerOrigin('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(localServerOrigin('::', 3000)).toBe('http://127.0.0.1:3000');
    expect(localServerOrigin('192.168.1.10', 3000)).toBe('http://192.168.1.10:3000');
    expect(localServerOrigin('fe80::1', 3000)).toBe('http://[fe80::1]:3000');
  });
});

describe('pickDisplay', () => {
  const displays = [{ id: 11 }, { id: 22 }, { id: 33 }];
  const primary = displays[0] as { id: number };

  it('finds a monitor by id, then by index', () => {
    expect(pickDisplay(displays, { kind: 'id', id: 33 }, primary)).toEqual({ display: { id: 33 }, fellBack: false });
    expect(pickDisplay(displays, { kind: 'index', index: 1 }, primary)).toEqual({ display: { id: 22 }, fellBack: false });
    expect(pickDisplay(displays, { kind: 'id', id: 99, fallbackIndex: 2 }, primary)).toEqual({ display: { id: 33 }, fellBack: false });
  });

  it('falls back to the primary monitor when the chosen one is not connected', () => {
    expect(pickDisplay(displays, { kind: 'index', index: 5 }, primary)).toEqual({ display: primary, fellBack: true });
    expect(pickDisplay(displays, { kind: 'id', id: 99 }, primary)).toEqual({ display: primary, fellBack: true });
    expect(pickDisplay(displays, { kind: 'primary' }, primary)).toEqual({ display: primary, fellBack: false });
  });
});
