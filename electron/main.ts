// Electron main process of SmartQueue: one app for every station of a branch. Reads the station
// config (or runs the first-run setup), starts the branch server in a utility process when this PC
// is the server, and opens one window per screen role. Business logic stays in server/ and the UIs.
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  powerMonitor,
  powerSaveBlocker,
  screen,
  Tray,
  utilityProcess,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { appPaths } from './app-paths.js';
import { hasStationSettings, parseLaunchArgs, USAGE } from './args.js';
import { AUTOSTART_ARGS, linuxAutostartEntry, linuxAutostartPath, linuxExecutable } from './autostart.js';
import { IPC, type ExitResult, type ServerStatusView, type SetupData, type SetupForm, type SetupResult, type ShellPage, type StationInfo } from './bridge.js';
import {
  applyStationSettings,
  loadStationConfig,
  saveStationConfig,
  STATION_CONFIG_FILE,
  type StationConfig,
  type StationSettings,
} from './config.js';
import { CornerTapDetector, isCornerTap } from './kiosk-input.js';
import { lanAddresses, stationUrls } from './lan.js';
import { checkPinAttempt, hashPin, PinAttemptLimiter } from './pin.js';
import { planStation, type StationPlan } from './roles.js';
import { forkNodeServerChild, ServerSupervisor, type ServerChild } from './server-supervisor.js';
import { setupFormFromConfig, settingsFromSetupForm } from './setup.js';
import { WINDOW_STATE_FILE } from './window-state.js';
import { guardWebContents, hardenDefaultSession, openAppWindow, openLocalWindow, pageOf, type AppWindow, type ShellPaths } from './windows.js';

// electron/dist/main.js → the app root (the repository in development, app.asar when packaged).
const parts = appPaths(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'));

const launch = parseLaunchArgs(process.argv.slice(1));

// Same name and folder in development (electron electron/dist/main.js) and in the installed app.
app.setName('SmartQueue');
app.setPath('userData', launch.userDataDir ? resolve(launch.userDataDir) : join(app.getPath('appData'), 'SmartQueue'));
app.enableSandbox();

const userData = app.getPath('userData');
const configFile = join(userData, STATION_CONFIG_FILE);
const logDir = join(userData, 'logs');
const paths: ShellPaths = { ...parts, windowStateFile: join(userData, WINDOW_STATE_FILE) };

const shellLog = openLog('smartqueue.log');
function log(message: string): void {
  const line = `${new Date().toISOString()} ${message}\n`;
  shellLog.write(line);
  if (!app.isPackaged) process.stdout.write(line);
}

/** Appends to <userData>/logs/<name>, keeping one previous file once it passes 10 MB. */
function openLog(name: string): WriteStream {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, name);
  try {
    if (statSync(file).size > 10 * 1024 * 1024) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  return createWriteStream(file, { flags: 'a' });
}

let station: RunningStation | null = null;
let quitting = false;
let exitAuthorized = false;

if (!app.requestSingleInstanceLock()) {
  // Another SmartQueue runs with this userData: it shows itself (second-instance below), we leave.
  app.quit();
} else {
  app.on('second-instance', () => station?.reveal());
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => {
    // The server keeps serving the branch with no window open (tray icon, or relaunch to reveal).
    if (!station?.plan.server) app.quit();
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (station?.supervisor && station.supervisor.status.state !== 'stopped') {
      event.preventDefault();
      void station.supervisor.stop().finally(() => app.quit());
    }
  });
  // The OS is shutting down: let the kiosk close (Windows reports it per window, see openAppWindow).
  app.whenReady().then(() => powerMonitor.on('shutdown', () => (quitting = true)), () => undefined);

  registerIpc();
  void app
    .whenReady()
    .then(boot)
    .catch((error: unknown) => {
      log(`fatal: ${(error as Error).stack ?? String(error)}`);
      dialog.showErrorBox('SmartQueue', `SmartQueue could not start:\n${(error as Error).message}`);
      app.exit(1);
    });
}

async function boot(): Promise<void> {
  log(`SmartQueue ${app.getVersion()} starting (userData ${userData})`);
  if (launch.errors.length > 0) {
    dialog.showErrorBox('SmartQueue', `${launch.errors.join('\n')}\n\n${USAGE}`);
    app.exit(2);
    return;
  }
  hardenDefaultSession();
  Menu.setApplicationMenu(applicationMenu());

  const loaded = loadStationConfig(configFile);
  let config = loaded.kind === 'ok' ? loaded.config : null;
  if (loaded.kind === 'ok' && loaded.migrated) {
    saveStationConfig(configFile, loaded.config);
    log('station.json migrated to the current version');
  }

  if (hasStationSettings(launch)) {
    const settings: StationSettings = { ...launch.settings };
    if (launch.kioskPin) settings.kioskPinHash = await hashPin(launch.kioskPin);
    const applied = applyStationSettings(config, settings);
    if (!applied.ok) {
      dialog.showErrorBox('SmartQueue', `Station settings refused:\n${applied.errors.join('\n')}\n\n${USAGE}`);
      app.exit(2);
      return;
    }
    config = applied.config;
    saveStationConfig(configFile, config);
    log(`station.json written from command-line flags: roles ${config.roles.join(', ')}`);
  }

  if (!config || launch.setup) {
    config = await runSetup(config, loaded.kind === 'invalid' ? loaded.errors : []);
    if (!config) {
      app.quit();
      return;
    }
  }
  station = new RunningStation(config);
  station.start();
}

// ---------------------------------------------------------------------------------------------
// First-run setup: a local form (static/setup.html) that writes station.json.

let setupSession: { window: BrowserWindow; base: StationConfig | null; problems: string[]; done: (config: StationConfig) => void } | null = null;

function runSetup(base: StationConfig | null, problems: string[]): Promise<StationConfig | null> {
  return new Promise((resolvePromise) => {
    const window = openLocalWindow(paths, 'setup', { width: 720, height: 820, title: 'SmartQueue - Configuration' });
    let saved = false;
    setupSession = {
      window,
      base,
      problems,
      done: (config) => {
        saved = true;
        setupSession = null;
        window.close();
        resolvePromise(config);
      },
    };
    window.on('closed', () => {
      if (!saved) {
        setupSession = null;
        resolvePromise(null);
      }
    });
  });
}

async function setupData(contents: WebContents): Promise<SetupData> {
  const session = setupSession;
  const printers = await contents.getPrintersAsync().catch(() => []);
  const primary = screen.getPrimaryDisplay();
  return {
    form: setupFormFromConfig(session?.base ?? null, hostname()),
    hasKioskPin: Boolean(session?.base?.kiosk.pinHash),
    printers: printers.map((p) => ({ spec: `os:${p.name}`, label: p.displayName || p.name })),
    displays: screen.getAllDisplays().map((d, index) => ({
      id: d.id,
      index,
      label: `${index + 1}: ${d.label || 'Ecran'} ${d.size.width}x${d.size.height}`,
      primary: d.id === primary.id,
    })),
    problems: session?.problems ?? [],
  };
}

async function saveSetup(form: SetupForm): Promise<SetupResult> {
  const session = setupSession;
  if (!session) return { ok: false, errors: ['setup is not open'] };
  const fromForm = settingsFromSetupForm(form);
  if (fromForm.errors.length > 0) return { ok: false, errors: fromForm.errors };
  const settings: StationSettings = { ...fromForm.settings };
  if (fromForm.kioskPin) settings.kioskPinHash = await hashPin(fromForm.kioskPin);
  const applied = applyStationSettings(session.base, settings);
  if (!applied.ok) return { ok: false, errors: applied.errors };
  saveStationConfig(configFile, applied.config);
  log(`station.json written by setup: roles ${applied.config.roles.join(', ')}`);
  session.done(applied.config);
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// A configured station: server process, windows, tray, OS integration.

class RunningStation {
  readonly plan: StationPlan;
  readonly supervisor: ServerSupervisor | null;
  private readonly windows: AppWindow[] = [];
  private statusWindow: BrowserWindow | null = null;
  private pinWindow: BrowserWindow | null = null;
  private tray: Tray | null = null;
  readonly pinLimiter = new PinAttemptLimiter();
  readonly cornerTaps = new CornerTapDetector();

  constructor(readonly config: StationConfig) {
    this.plan = planStation(config, { userDataDir: userData, printerFromEnv: process.env.SMARTQUEUE_PRINTER });
    this.supervisor = this.plan.server ? new ServerSupervisor({ spawn: serverSpawner(), start: { type: 'start', serverModule: parts.serverModule, options: this.plan.server } }) : null;
  }

  start(): void {
    log(`station "${this.config.name}": roles ${this.config.roles.join(', ')}, server ${this.plan.serverOrigin}`);
    if (this.supervisor) {
      this.supervisor.onStatus((status) => {
        if (status.state === 'running' || status.state === 'restarting') log(`server ${status.state}${status.lastError ? ` (last error: ${status.lastError})` : ''}`);
        this.statusWindow?.webContents.send(IPC.serverStatusChanged, this.statusView());
        this.tray?.setToolTip(`SmartQueue - serveur ${status.state}`);
      });
      this.supervisor.start();
    }
    if (this.plan.preventAppSuspension) powerSaveBlocker.start('prevent-app-suspension');
    if (this.plan.windows.some((w) => w.preventDisplaySleep)) powerSaveBlocker.start('prevent-display-sleep');

    for (const plan of this.plan.windows) {
      this.windows.push(
        openAppWindow(paths, plan, {
          onAdminRequest: (win) => this.openPinPrompt(win),
          mayClose: () => quitting || exitAuthorized,
          log,
        }),
      );
    }
    const replace = (): void => this.windows.forEach((w) => w.place());
    screen.on('display-added', replace);
    screen.on('display-removed', replace);
    screen.on('display-metrics-changed', (_event, _display, changed) => {
      if (changed.includes('bounds')) replace();
    });
    for (const w of this.windows) w.window.on('session-end', () => (quitting = true));

    if (this.plan.statusWindow) {
      this.createTray();
      if (!launch.background) this.showStatus();
    }
    applyAutoStart(this.config.autoStart);
  }

  /** Another launch of the app, or the tray: bring SmartQueue to the front. */
  reveal(): void {
    if (this.plan.statusWindow) this.showStatus();
    else this.windows[0]?.window.show();
  }

  showStatus(): void {
    if (this.statusWindow && !this.statusWindow.isDestroyed()) {
      this.statusWindow.show();
      this.statusWindow.focus();
      return;
    }
    const win = openLocalWindow(paths, 'status', { width: 640, height: 720, title: 'SmartQueue - Serveur' });
    this.statusWindow = win;
    win.on('closed', () => (this.statusWindow = null));
  }

  statusView(): ServerStatusView {
    const status = this.supervisor?.status;
    const port = status?.port ?? this.plan.server?.port ?? null;
    return {
      state: status?.state ?? 'stopped',
      url: status?.url ?? null,
      port,
      branchId: status?.branchId ?? null,
      restarts: status?.restarts ?? 0,
      lastError: status?.lastError ?? null,
      nextRestartAt: status?.nextRestartAt ?? null,
      firstStartCredentials: status?.firstStartCredentials ?? [],
      urls: port ? stationUrls(port, lanAddresses(networkInterfaces())) : [],
      dataDir: this.plan.server?.dataDir ?? null,
      logFile: join(logDir, 'server.log'),
    };
  }

  openPinPrompt(parent: BrowserWindow): void {
    if (this.pinWindow && !this.pinWindow.isDestroyed()) {
      this.pinWindow.focus();
      return;
    }
    const win = openLocalWindow(paths, 'pin', { width: 420, height: 600, parent, modal: true, title: 'SmartQueue' });
    win.setAlwaysOnTop(true, 'screen-saver');
    win.setResizable(false);
    this.pinWindow = win;
    win.on('closed', () => (this.pinWindow = null));
  }

  isKioskContents(contents: WebContents): boolean {
    return this.windows.some((w) => w.plan.role === 'kiosk' && !w.window.isDestroyed() && w.window.webContents.id === contents.id);
  }

  private createTray(): void {
    const image = nativeImage.createFromPath(paths.icon).resize({ width: 24, height: 24 });
    try {
      this.tray = new Tray(image);
    } catch (error) {
      // Some Linux desktops have no tray: relaunching SmartQueue shows the status window instead.
      log(`no tray icon: ${(error as Error).message}`);
      return;
    }
    this.tray.setToolTip('SmartQueue');
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Etat du serveur', click: () => this.showStatus() },
        { type: 'separator' },
        { label: 'Quitter SmartQueue', click: () => void confirmQuit() },
      ]),
    );
    this.tray.on('click', () => this.showStatus());
  }
}

async function confirmQuit(): Promise<void> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    buttons: ['Annuler', 'Quitter'],
    defaultId: 0,
    cancelId: 0,
    message: 'Quitter SmartQueue ?',
    detail: 'Les bornes, les guichets et les écrans de cette agence ne pourront plus joindre le serveur.',
  });
  if (response === 1) app.quit();
}

/**
 * The packaged app runs the server in an Electron utility process (better-sqlite3 is rebuilt for
 * Electron's ABI). In development the node_modules copy is built for Node.js, so the server runs on
 * a Node.js executable instead (`--server-node=PATH`, default `node` from PATH).
 */
function serverSpawner(): () => ServerChild {
  const output = openLog('server.log');
  const onOutput = (chunk: Buffer): void => {
    output.write(chunk);
  };
  if (!app.isPackaged) {
    const nodePath = launch.serverNode ?? 'node';
    log(`server process: Node.js (${nodePath}), development mode`);
    return () => forkNodeServerChild(parts.serverEntry, { nodePath, onOutput });
  }
  return () => {
    const child = utilityProcess.fork(parts.serverEntry, [], { serviceName: 'SmartQueue branch server', stdio: 'pipe' });
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    // Messages posted before 'spawn' wait here.
    let spawned = false;
    const queue: unknown[] = [];
    child.once('spawn', () => {
      spawned = true;
      for (const message of queue.splice(0)) child.postMessage(message);
    });
    return {
      send: (message) => (spawned ? child.postMessage(message) : queue.push(message)),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}

function applyAutoStart(enabled: boolean): void {
  // A development build would register the bare Electron binary: only installed apps start with the OS.
  if (!app.isPackaged) return;
  try {
    if (process.platform === 'linux') {
      const file = linuxAutostartPath(process.env);
      if (enabled) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, linuxAutostartEntry({ name: 'SmartQueue', executable: linuxExecutable(process.execPath, process.env), args: AUTOSTART_ARGS }));
      } else if (existsSync(file)) {
        rmSync(file);
      }
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [...AUTOSTART_ARGS] });
    }
  } catch (error) {
    log(`auto-start not changed: ${(error as Error).message}`);
  }
}

function applicationMenu(): Menu {
  // Only the agent window shows a menu; kiosk and display windows remove theirs.
  return Menu.buildFromTemplate([
    { role: 'editMenu' },
    {
      label: 'Affichage',
      submenu: [{ role: 'reload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// IPC: every handler checks which of our pages calls it (and that it is the page's main frame).

function callerPage(event: IpcMainInvokeEvent | Electron.IpcMainEvent): ShellPage | null {
  if (event.senderFrame === null || event.senderFrame !== event.sender.mainFrame) return null;
  const record = pageOf(event.sender);
  if (!record) return null;
  // An app window showing the local offline page is the offline page.
  return record.origin !== null && event.sender.getURL().startsWith('file:') ? 'offline' : record.page;
}

function registerIpc(): void {
  const deny = (): never => {
    throw new Error('not allowed from this page');
  };

  ipcMain.handle(IPC.getStationInfo, (event): StationInfo => {
    const page = callerPage(event) ?? deny();
    return {
      name: station?.config.name ?? hostname(),
      roles: station?.config.roles ?? [],
      page,
      serverUrl: station?.plan.serverOrigin ?? null,
      appVersion: app.getVersion(),
      platform: process.platform,
    };
  });

  ipcMain.handle(IPC.requestExit, async (event, pin: unknown): Promise<ExitResult> => {
    const page = callerPage(event);
    if (!station || (page !== 'pin' && page !== 'kiosk')) deny();
    const running = station as RunningStation;
    const check = await checkPinAttempt(typeof pin === 'string' ? pin : '', running.config.kiosk.pinHash, running.pinLimiter);
    if (!check.ok) {
      log('kiosk: wrong admin PIN');
      return { ok: false, retryAfterSeconds: check.retryAfterSeconds };
    }
    log('kiosk: admin PIN accepted, quitting');
    exitAuthorized = true;
    setImmediate(() => app.quit());
    return { ok: true, retryAfterSeconds: null };
  });

  ipcMain.on(IPC.kioskCornerTap, (event, x: unknown, y: unknown) => {
    if (!station || callerPage(event) !== 'kiosk' || !station.isKioskContents(event.sender)) return;
    if (typeof x !== 'number' || typeof y !== 'number' || !isCornerTap(x, y)) return;
    if (station.cornerTaps.tap()) {
      const win = BrowserWindow.fromWebContents(event.sender);
      if (win) station.openPinPrompt(win);
    }
  });

  ipcMain.handle(IPC.getServerStatus, (event): ServerStatusView => {
    if (callerPage(event) !== 'status' || !station) deny();
    return (station as RunningStation).statusView();
  });

  ipcMain.handle(IPC.getSetupData, (event): Promise<SetupData> => {
    if (callerPage(event) !== 'setup') deny();
    return setupData(event.sender);
  });

  ipcMain.handle(IPC.saveSetup, (event, form: SetupForm): Promise<SetupResult> => {
    if (callerPage(event) !== 'setup') deny();
    return saveSetup(form);
  });
}
