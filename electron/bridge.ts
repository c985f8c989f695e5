// The typed bridge between SmartQueue pages and the shell: `window.smartqueue` (exposed by
// preload.cts through contextBridge). Kept minimal: no business logic crosses it. The web apps may
// `import type { SmartQueueBridge } from '../../electron/bridge.js'` and treat `window.smartqueue`
// as optional (absent in a plain browser).
import type { StationRole } from './config.js';
import type { StationUrls } from './lan.js';
import type { WindowRole } from './roles.js';
import type { ServerStatus } from './server-supervisor.js';

/** IPC channel names; preload.cts repeats them as literals typed by IpcChannels, so a typo fails to compile. */
export const IPC = {
  getStationInfo: 'smartqueue:get-station-info',
  requestExit: 'smartqueue:request-exit',
  kioskCornerTap: 'smartqueue:kiosk-corner-tap',
  getServerStatus: 'smartqueue:get-server-status',
  serverStatusChanged: 'smartqueue:server-status-changed',
  getSetupData: 'smartqueue:get-setup-data',
  saveSetup: 'smartqueue:save-setup',
} as const;
export type IpcChannels = typeof IPC;

/** Which of the shell's windows a page runs in. */
export type ShellPage = WindowRole | 'status' | 'setup' | 'pin' | 'offline';

export interface StationInfo {
  /** Station name from station.json (e.g. "Guichet 3 - Plateau"). */
  name: string;
  roles: StationRole[];
  page: ShellPage;
  /** Branch server origin this PC uses; null before setup. */
  serverUrl: string | null;
  appVersion: string;
  platform: string;
}

export interface ExitResult {
  ok: boolean;
  /** Seconds to wait after too many wrong PINs; null when a new attempt may be made now. */
  retryAfterSeconds: number | null;
}

export interface ServerStatusView extends ServerStatus {
  /** Addresses other PCs of the branch use. */
  urls: StationUrls[];
  dataDir: string | null;
  logFile: string | null;
}

export interface PrinterChoice {
  /** Value for the server's printer setting: `os:<name>`. */
  spec: string;
  label: string;
}

export interface DisplayOption {
  id: number;
  index: number;
  label: string;
  primary: boolean;
}

/** What the setup form edits (the PIN travels in plain text once, to be hashed in the main process). */
export interface SetupForm {
  name: string;
  roles: StationRole[];
  serverUrl: string;
  port: number;
  printer: string;
  displayIndex: number | null;
  kioskPin: string;
  autoStart: boolean;
}

export interface SetupData {
  form: SetupForm;
  /** A PIN is already set: an empty PIN field keeps it. */
  hasKioskPin: boolean;
  printers: PrinterChoice[];
  displays: DisplayOption[];
  /** Why setup opened (problems of the current station.json), empty on a first run. */
  problems: string[];
}

export type SetupResult = { ok: true } | { ok: false; errors: string[] };

export interface SmartQueueBridge {
  getStationInfo(): Promise<StationInfo>;
  /** Kiosk only: checks the admin PIN in the main process and quits the app when it matches. */
  requestExit(pin: string): Promise<ExitResult>;
  /** Status window only. */
  getServerStatus(): Promise<ServerStatusView>;
  onServerStatus(listener: (status: ServerStatusView) => void): () => void;
  /** Setup window only. */
  getSetupData(): Promise<SetupData>;
  saveSetup(form: SetupForm): Promise<SetupResult>;
}
