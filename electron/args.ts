// Command-line flags of the desktop app. Station flags (--role, --server-url, ...) are written into
// station.json, so an installer shortcut or a technician's first launch sets the role once; run
// flags (--setup, --background, --user-data-dir) only affect this launch.
import { parseArgs } from 'node:util';
import { PrinterSpec, STATION_ROLES, type StationRole, type StationSettings } from './config.js';
import { isValidPin, PIN_RULE } from './pin.js';

export interface LaunchOptions {
  /** Settings to write into station.json before starting (empty when no station flag was given). */
  settings: StationSettings;
  /** Plain PIN from --kiosk-pin, hashed by the caller before it reaches the config. */
  kioskPin: string | null;
  /** Open the setup screen even if station.json is valid. */
  setup: boolean;
  /** Started by the OS session: keep the status window hidden. */
  background: boolean;
  userDataDir: string | null;
  /** Development only: run the server process on this Node.js executable (see docs/electron.md). */
  serverNode: string | null;
  errors: string[];
}

export const USAGE = `SmartQueue desktop app
  --role=server,agent,display   roles of this PC (server, kiosk, agent, display), saved in station.json
  --server-url=http://HOST:PORT branch server (PCs that are not the server)
  --name=NAME                   station name shown on the status screen
  --port=3000 --host=0.0.0.0    branch server port and interface (server role)
  --data-dir=PATH               branch server data folder (default <userData>/data)
  --printer=SPEC                tcp://HOST:9100, os:PRINTER_NAME or simulated (server role)
  --central-url=URL             central API (server role)
  --demo                        seed the demo Dakar agency on first start (server role)
  --display-index=N --display-id=ID   monitor of the call board (display role)
  --kiosk-pin=DIGITS            admin PIN that unlocks the kiosk (stored hashed)
  --no-auto-start               do not start with the OS session
  --setup                       open the setup screen
  --background                  start without showing the status window
  --user-data-dir=PATH          keep station.json and data in PATH`;

function integer(name: string, value: string | undefined, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) {
    errors.push(`--${name}: expected a whole number, got "${value}"`);
    return undefined;
  }
  return Number(value);
}

export function parseLaunchArgs(argv: readonly string[]): LaunchOptions {
  // strict: false because Chromium and Electron add switches of their own (--no-sandbox, --inspect ...).
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      roles: { type: 'string' },
      'server-url': { type: 'string' },
      name: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      printer: { type: 'string' },
      'central-url': { type: 'string' },
      demo: { type: 'boolean' },
      'display-index': { type: 'string' },
      'display-id': { type: 'string' },
      'kiosk-pin': { type: 'string' },
      'auto-start': { type: 'boolean' },
      'no-auto-start': { type: 'boolean' },
      setup: { type: 'boolean' },
      background: { type: 'boolean' },
      'user-data-dir': { type: 'string' },
      'server-node': { type: 'string' },
    },
  });
  const errors: string[] = [];
  const text = (key: string): string | undefined => {
    const value = values[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      errors.push(`--${key}: a value is required (--${key}=...)`);
      return undefined;
    }
    return value;
  };
  const settings: StationSettings = {};

  const roleList = text('role') ?? text('roles');
  if (roleList !== undefined) {
    const roles = roleList.split(/[,+]/).map((r) => r.trim()).filter((r) => r !== '');
    const unknown = roles.filter((r) => !(STATION_ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) errors.push(`--role: unknown role ${unknown.join(', ')} (known: ${STATION_ROLES.join(', ')})`);
    else settings.roles = [...new Set(roles as StationRole[])];
  }
  const serverUrl = text('server-url');
  if (serverUrl !== undefined) settings.serverUrl = serverUrl;
  const name = text('name');
  if (name !== undefined) settings.name = name;
  const port = integer('port', text('port'), errors);
  if (port !== undefined) settings.port = port;
  const host = text('host');
  if (host !== undefined) settings.host = host;
  const dataDir = text('data-dir');
  if (dataDir !== undefined) settings.dataDir = dataDir;
  const printer = text('printer');
  if (printer !== undefined) {
    if (PrinterSpec.safeParse(printer).success) settings.printer = printer;
    else errors.push(`--printer: expected tcp://HOST:PORT, os:PRINTER_NAME or simulated, got "${printer}"`);
  }
  const centralUrl = text('central-url');
  if (centralUrl !== undefined) settings.centralUrl = centralUrl;
  if (values.demo === true) settings.demo = true;
  const displayIndex = integer('display-index', text('display-index'), errors);
  if (displayIndex !== undefined) settings.displayIndex = displayIndex;
  const displayId = integer('display-id', text('display-id'), errors);
  if (displayId !== undefined) settings.displayId = displayId;
  if (values['no-auto-start'] === true) settings.autoStart = false;
  else if (values['auto-start'] === true) settings.autoStart = true;

  const kioskPin = text('kiosk-pin') ?? null;
  if (kioskPin !== null && !isValidPin(kioskPin)) errors.push(`--kiosk-pin: ${PIN_RULE}`);

  return {
    settings,
    kioskPin: kioskPin !== null && isValidPin(kioskPin) ? kioskPin : null,
    setup: values.setup === true,
    background: values.background === true,
    userDataDir: text('user-data-dir') ?? null,
    serverNode: text('server-node') ?? null,
    errors,
  };
}

export function hasStationSettings(options: LaunchOptions): boolean {
  return Object.keys(options.settings).length > 0 || options.kioskPin !== null;
}
