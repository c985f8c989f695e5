// From a station config, what to run: the branch server (if this PC is the server) and one window
// per screen role, with the flags each needs. Pure: main.ts turns the plan into Electron objects.
import { join } from 'node:path';
import type { StationConfig } from './config.js';
import { allowedPermissions } from './navigation.js';
import type { ServerLaunchOptions } from './server-protocol.js';

export type WindowRole = 'kiosk' | 'agent' | 'display';
export const WINDOW_ROLES: readonly WindowRole[] = ['kiosk', 'agent', 'display'];


/** The secure subset of Electron's WebPreferences the shell sets on every app window (preload added by main). */
export interface HardenedWebPreferences {
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInSubFrames: false;
  sandbox: true;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  /** `persist:<role>`: cookies and localStorage (device token, chosen counter) survive restarts. */
  partition: string;
  autoplayPolicy: 'no-user-gesture-required' | 'user-gesture-required';
  /** Read by the preload (process.argv) to know which role its window plays. */
  additionalArguments: string[];
}

export type DisplayChoice = { kind: 'primary' } | { kind: 'id'; id: number; fallbackIndex?: number } | { kind: 'index'; index: number };

export interface AppWindowPlan {
  role: WindowRole;
  /** Page to load, e.g. http://127.0.0.1:3000/kiosk/ (the server serves each UI under /<role>/). */
  url: string;
  /** The only origin the window may navigate to. */
  origin: string;
  display: DisplayChoice;
  /** Electron kiosk mode: full screen, no way to leave it from the keyboard. */
  kiosk: boolean;
  fullscreen: boolean;
  /** Application menu and window frame shown (agent) or not (kiosk, display). */
  chrome: boolean;
  /** Leaving needs the kiosk admin PIN (close, Alt+F4 and quit are refused otherwise). */
  exitRequiresPin: boolean;
  /** Remember size and position between runs. */
  rememberBounds: boolean;
  preventDisplaySleep: boolean;
  /** Block downloads (unattended screens have no one to handle them). */
  allowDownloads: boolean;
  permissions: ReadonlySet<string>;
  webPreferences: HardenedWebPreferences;
}

export interface StationPlan {
  server: ServerLaunchOptions | null;
  /** Origin every window of this PC talks to. */
  serverOrigin: string;
  windows: AppWindowPlan[];
  /** A small status window and tray icon for the server role. */
  statusWindow: boolean;
  /** Keep the OS from suspending while this PC serves the branch. */
  preventAppSuspension: boolean;
}

export const WINDOW_ROLE_ARG = '--smartqueue-window-role=';

/** URL a browser on this PC uses to reach a server listening on `host:port`. */
export function localServerOrigin(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === 'localhost' || host === '127.0.0.1';
  if (wildcard) return `http://127.0.0.1:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function planStation(config: StationConfig, env: { userDataDir: string; printerFromEnv?: string }): StationPlan {
  const isServer = config.roles.includes('server');
  const server: ServerLaunchOptions | null = isServer
    ? {
        port: config.server.port,
        host: config.server.host,
        dataDir: config.server.dataDir ?? join(env.userDataDir, 'data'),
        ...optional('printer', config.server.printer ?? (env.printerFromEnv || undefined)),
        ...optional('centralUrl', config.server.centralUrl),
        ...optional('centralCredential', config.server.centralCredential),
        ...(config.server.demo ? { demo: true } : {}),
      }
    : null;
  // Screens on the server PC use loopback: it works before the LAN is up and the server trusts it for local pairing.
  const serverOrigin = server ? localServerOrigin(server.host, server.port) : config.serverUrl;
  if (serverOrigin === undefined) throw new Error('station config: serverUrl is required when this PC is not the branch server');

  const windows = WINDOW_ROLES.filter((role) => config.roles.includes(role)).map((role) => windowPlan(role, serverOrigin, config));
  return { server, serverOrigin, windows, statusWindow: isServer, preventAppSuspension: isServer };
}

function windowPlan(role: WindowRole, origin: string, config: StationConfig): AppWindowPlan {
  const webPreferences: HardenedWebPreferences = {
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    partition: `persist:${role}`,
    // The call board announces tickets with a chime and speech, with nobody there to click first.
    autoplayPolicy: role === 'display' ? 'no-user-gesture-required' : 'user-gesture-required',
    additionalArguments: [`${WINDOW_ROLE_ARG}${role}`],
  };
  const base = { role, url: `${origin}/${role}/`, origin, permissions: allowedPermissions(role), webPreferences };
  switch (role) {
    case 'kiosk':
      return {
        ...base,
        display: { kind: 'primary' },
        kiosk: true,
        fullscreen: true,
        chrome: false,
        exitRequiresPin: true,
        rememberBounds: false,
        preventDisplaySleep: config.kiosk.keepAwake,
        allowDownloads: false,
      };
    case 'display':
      return {
        ...base,
        display: displayChoice(config.display),
        kiosk: false,
        fullscreen: true,
        chrome: false,
        exitRequiresPin: false,
        rememberBounds: false,
        preventDisplaySleep: true,
        allowDownloads: false,
      };
    case 'agent':
      return {
        ...base,
        display: { kind: 'primary' },
        kiosk: false,
        fullscreen: false,
        chrome: true,
        exitRequiresPin: false,
        rememberBounds: true,
        preventDisplaySleep: false,
        allowDownloads: true,
      };
  }
}

function displayChoice(display: StationConfig['display']): DisplayChoice {
  if (display.displayId !== undefined) {
    return display.displayIndex === undefined ? { kind: 'id', id: display.displayId } : { kind: 'id', id: display.displayId, fallbackIndex: display.displayIndex };
  }
  if (display.displayIndex !== undefined) return { kind: 'index', index: display.displayIndex };
  return { kind: 'primary' };
}

/**
 * The monitor a window goes to. A configured monitor that is not connected (the TV is off or was
 * unplugged) falls back to the primary one rather than leaving the window nowhere.
 */
export function pickDisplay<D extends { id: number }>(displays: readonly D[], choice: DisplayChoice, primary: D): { display: D; fellBack: boolean } {
  if (choice.kind === 'id') {
    const byId = displays.find((d) => d.id === choice.id);
    if (byId) return { display: byId, fellBack: false };
    if (choice.fallbackIndex !== undefined) {
      const byIndex = displays[choice.fallbackIndex];
      if (byIndex) return { display: byIndex, fellBack: false };
    }
    return { display: primary, fellBack: true };
  }
  if (choice.kind === 'index') {
    const byIndex = displays[choice.index];
    return byIndex ? { display: byIndex, fellBack: false } : { display: primary, fellBack: true };
  }
  return { display: primary, fellBack: false };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
