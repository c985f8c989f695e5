import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyStationSettings, loadStationConfig, parseStationConfig, saveStationConfig, STATION_CONFIG_VERSION, type StationConfig } from './config.js';
import { hashPin } from './pin.js';

const FAST = { N: 1024, r: 8, p: 1 };
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sq-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function parsed(raw: unknown): StationConfig {
  const result = parseStationConfig(raw);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.config;
}

describe('station config schema', () => {
  it('fills defaults for a server PC', () => {
    const config = parsed({ version: 1, name: 'Agence Plateau', roles: ['server', 'agent', 'display'] });
    expect(config.server).toEqual({ port: 3000, host: '0.0.0.0', demo: false });
    expect(config.autoStart).toBe(true);
    expect(config.kiosk.keepAwake).toBe(true);
    expect(config.display).toEqual({});
  });

  it('names the station after the computer when no name is given', () => {
    expect(parsed({ version: 1, roles: ['server'] }).name.length).toBeGreaterThan(0);
  });

  it('requires the server URL on PCs that are not the server and keeps only its origin', () => {
    const missing = parseStationConfig({ version: 1, name: 'Guichet 1', roles: ['agent'] });
    expect(missing).toEqual({ ok: false, errors: [expect.stringContaining('serverUrl')] });
    const config = parsed({ version: 1, name: 'Guichet 1', roles: ['agent'], serverUrl: 'http://192.168.1.10:3000/agent/' });
    expect(config.serverUrl).toBe('http://192.168.1.10:3000');
  });

  it('refuses non-http server URLs', () => {
    const result = parseStationConfig({ version: 1, name: 'Guichet', roles: ['agent'], serverUrl: 'file:///etc/passwd' });
    expect(result.ok).toBe(false);
  });

  it('requires a kiosk PIN hash, and a well-formed one', async () => {
    const without = parseStationConfig({ version: 1, name: 'Borne', roles: ['kiosk'], serverUrl: 'http://10.0.0.2:3000' });
    expect(without).toEqual({ ok: false, errors: [expect.stringContaining('PIN')] });
    const bogus = parseStationConfig({ version: 1, name: 'Borne', roles: ['kiosk'], serverUrl: 'http://10.0.0.2:3000', kiosk: { pinHash: '1234' } });
    expect(bogus.ok).toBe(false);
    const pinHash = await hashPin('2580', FAST);
    expect(parsed({ version: 1, name: 'Borne', roles: ['kiosk'], serverUrl: 'http://10.0.0.2:3000', kiosk: { pinHash } }).kiosk.pinHash).toBe(pinHash);
  });

  it('rejects unknown and repeated roles, and an empty role list', () => {
    expect(parseStationConfig({ version: 1, name: 'x', roles: ['server', 'printer'] }).ok).toBe(false);
    expect(parseStationConfig({ version: 1, name: 'x', roles: ['server', 'server'] }).ok).toBe(false);
    expect(parseStationConfig({ version: 1, name: 'x', roles: [] }).ok).toBe(false);
  });

  it('accepts the three printer forms of the branch server and nothing else', () => {
    for (const printer of ['tcp://192.168.1.50:9100', 'tcp://printer.local', 'os:EPSON TM-T20III', 'simulated']) {
      expect(parsed({ version: 1, name: 's', roles: ['server'], server: { printer } }).server.printer).toBe(printer);
    }
    for (const printer of ['usb:1', 'tcp://', 'EPSON', '']) {
      expect(parseStationConfig({ version: 1, name: 's', roles: ['server'], server: { printer } }).ok).toBe(false);
    }
  });

  it('refuses out-of-range ports', () => {
    expect(parseStationConfig({ version: 1, name: 's', roles: ['server'], server: { port: 0 } }).ok).toBe(false);
    expect(parseStationConfig({ version: 1, name: 's', roles: ['server'], server: { port: 70000 } }).ok).toBe(false);
  });
});

describe('station config migration', () => {
  it('reads the flat unversioned layout (version 0)', async () => {
    const pinHash = await hashPin('2580', FAST);
    const result = parseStationConfig({
      role: 'kiosk+display',
      serverUrl: 'http://192.168.1.10:3000',
      displayIndex: 1,
      kioskPinHash: pinHash,
      port: 3100,
      printer: 'simulated',
      name: 'Borne entrée',
    });
    expect(result).toMatchObject({ ok: true, migrated: true });
    const config = (result as { config: StationConfig }).config;
    expect(config).toMatchObject({
      version: STATION_CONFIG_VERSION,
      name: 'Borne entrée',
      roles: ['kiosk', 'display'],
      serverUrl: 'http://192.168.1.10:3000',
      server: { port: 3100, printer: 'simulated' },
      kiosk: { pinHash },
      display: { displayIndex: 1 },
    });
  });

  it('does not mark a current file as migrated', () => {
    expect(parseStationConfig({ version: 1, name: 's', roles: ['server'] })).toMatchObject({ ok: true, migrated: false });
  });

  it('refuses a file written by a newer SmartQueue', () => {
    const result = parseStationConfig({ version: STATION_CONFIG_VERSION + 1, roles: ['server'] });
    expect(result).toEqual({ ok: false, errors: [expect.stringContaining('update SmartQueue')] });
  });
});

describe('station.json on disk', () => {
  it('reports a missing file, bad JSON and invalid content', () => {
    const dir = tempDir();
    const file = join(dir, 'station.json');
    expect(loadStationConfig(file)).toEqual({ kind: 'missing' });
    writeFileSync(file, '{ not json');
    expect(loadStationConfig(file)).toMatchObject({ kind: 'invalid', errors: [expect.stringContaining('not valid JSON')] });
    writeFileSync(file, JSON.stringify({ version: 1, roles: ['agent'] }));
    expect(loadStationConfig(file)).toMatchObject({ kind: 'invalid', errors: [expect.stringContaining('serverUrl')] });
  });

  it('saves and loads the same config, readable by its owner only', () => {
    const dir = tempDir();
    const file = join(dir, 'nested', 'station.json');
    const config = parsed({ version: 1, name: 'Agence Médina', roles: ['server', 'agent'], server: { port: 3200, centralCredential: 'secret' } });
    saveStationConfig(file, config);
    expect(loadStationConfig(file)).toEqual({ kind: 'ok', config, migrated: false });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(config);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('applyStationSettings', () => {
  it('builds a config from nothing', () => {
    const result = applyStationSettings(null, { roles: ['server', 'display'], port: 3100, displayIndex: 1, name: 'Agence Thiès' });
    expect(result).toMatchObject({ ok: true, config: { name: 'Agence Thiès', roles: ['server', 'display'], server: { port: 3100 }, display: { displayIndex: 1 } } });
  });

  it('keeps what the settings do not mention and clears fields set to null', () => {
    const base = parsed({ version: 1, name: 'Agence', roles: ['server'], server: { port: 3100, printer: 'simulated', dataDir: '/srv/sq' } });
    const result = applyStationSettings(base, { printer: null, roles: ['server', 'agent'] });
    expect(result).toMatchObject({ ok: true, config: { name: 'Agence', roles: ['server', 'agent'], server: { port: 3100, dataDir: '/srv/sq' } } });
    expect((result as { config: StationConfig }).config.server.printer).toBeUndefined();
  });

  it('reports what is missing', () => {
    expect(applyStationSettings(null, { roles: ['kiosk'] })).toEqual({
      ok: false,
      errors: [expect.stringContaining('serverUrl'), expect.stringContaining('PIN')],
    });
  });
});
