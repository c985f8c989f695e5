// Electron windows of the shell: app windows (kiosk, agent, display) built from roles.ts plans,
// and the local pages (setup, PIN prompt, status, offline). Security settings live here in one place.
import { join } from 'node:path';
import { BrowserWindow, screen, session, type Session, type WebContents, type WebPreferences } from 'electron';
import type { AppPaths } from './app-paths.js';
import { backoffDelay } from './backoff.js';
import type { ShellPage } from './bridge.js';
import { appContentSecurityPolicy, withContentSecurityPolicy } from './csp.js';
import { RECONNECT_BACKOFF, waitForServer } from './health.js';
import { isAdminShortcut, isBlockedKioskShortcut } from './kiosk-input.js';
import { isNavigationAllowed } from './navigation.js';
import { pickDisplay, type AppWindowPlan } from './roles.js';
import { loadWindowStates, restoreBounds, saveWindowState } from './window-state.js';

export interface ShellPaths extends AppPaths {
  /** <userData>/window-state.json */
  windowStateFile: string;
}

/** What each webContents is, for the IPC handlers' sender checks and for the navigation guard. */
interface PageRecord {
  page: ShellPage;
  /** Origin it may navigate to (app windows); null for local pages. */
  origin: string | null;
}
const pages = new Map<number, PageRecord>();

export function pageOf(contents: WebContents): PageRecord | undefined {
  return pages.get(contents.id);
}

function register(contents: WebContents, record: PageRecord): void {
  const id = contents.id;
  pages.set(id, record);
  contents.once('destroyed', () => pages.delete(id));
}

/** For every webContents (app.on('web-contents-created')): no pop-ups, no webviews, no foreign navigation. */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const guard = (event: Electron.Event, url: string): void => {
    if (!isNavigationAllowed(url, pages.get(contents.id)?.origin ?? null)) event.preventDefault();
  };
  contents.on('will-frame-navigate', (details) => {
    // Same-document navigations (history.pushState of the React apps) never leave the page.
    if (!details.isSameDocument) guard(details, details.url);
  });
  contents.on('will-redirect', (details) => guard(details, details.url));
}

function localWebPreferences(paths: ShellPaths): WebPreferences {
  return {
    preload: paths.preload,
    contextIsolation: true,
    nodeIntegration: false,
    sandbox: true,
    webSecurity: true,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

const hardenedSessions = new WeakSet<Session>();

/** CSP on the server's responses, permissions and downloads limited to what the role needs. */
function hardenSession(plan: AppWindowPlan): Session {
  const ses = session.fromPartition(plan.webPreferences.partition);
  if (hardenedSessions.has(ses)) return ses;
  hardenedSessions.add(ses);
  const csp = appContentSecurityPolicy(plan.origin);
  const sameOrigin = (url: string): boolean => {
    try {
      return new URL(url).origin === plan.origin;
    } catch {
      return false;
    }
  };
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (sameOrigin(details.url)) callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) });
    else callback({});
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(plan.permissions.has(permission) && sameOrigin(details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => plan.permissions.has(permission) && requestingOrigin === plan.origin);
  ses.setDevicePermissionHandler(() => false);
  if (!plan.allowDownloads) ses.on('will-download', (event) => event.preventDefault());
  return ses;
}

/** Local pages use the default session: nothing to grant them. */
export function hardenDefaultSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  session.defaultSession.on('will-download', (event) => event.preventDefault());
}

export function openLocalWindow(
  paths: ShellPaths,
  page: 'setup' | 'status' | 'pin',
  options: { width: number; height: number; parent?: BrowserWindow; modal?: boolean; show?: boolean; title: string },
): BrowserWindow {
  const win = new BrowserWindow({
    width: options.width,
    height: options.height,
    title: options.title,
    icon: paths.icon,
    show: false,
    ...(options.parent ? { parent: options.parent, modal: options.modal ?? false } : {}),
    autoHideMenuBar: true,
    webPreferences: localWebPreferences(paths),
  });
  win.removeMenu();
  register(win.webContents, { page, origin: null });
  if (options.show !== false) win.once('ready-to-show', () => win.show());
  void win.loadFile(join(paths.staticDir, `${page}.html`));
  return win;
}

export interface AppWindowHooks {
  /** Ctrl+Alt+Shift+P or the corner gesture in a kiosk. */
  onAdminRequest(win: BrowserWindow): void;
  /** A kiosk may close only after the PIN (or when the OS shuts down). */
  mayClose(): boolean;
  log(message: string): void;
}

export interface AppWindow {
  plan: AppWindowPlan;
  window: BrowserWindow;
  /** Moves a full-screen window back to its monitor (after monitors change). */
  place(): void;
}

/**
 * Opens a kiosk, agent or display window: shows the offline page until the server answers, then
 * loads the app; reloads after a renderer crash or a failed load, with backoff.
 */
export function openAppWindow(paths: ShellPaths, plan: AppWindowPlan, hooks: AppWindowHooks): AppWindow {
  hardenSession(plan);
  const target = (): Electron.Display => pickDisplay(screen.getAllDisplays(), plan.display, screen.getPrimaryDisplay()).display;
  const display = target();
  const saved = plan.rememberBounds ? loadWindowStates(paths.windowStateFile)[plan.role] : undefined;
  const restored = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const bounds = plan.fullscreen ? display.bounds : (restored.bounds ?? { ...centered(display.workArea, 1280, 800) });

  const win = new BrowserWindow({
    ...bounds,
    title: `SmartQueue - ${plan.role}`,
    icon: paths.icon,
    show: false,
    backgroundColor: '#0f5132',
    kiosk: plan.kiosk,
    fullscreen: plan.fullscreen,
    frame: plan.chrome,
    autoHideMenuBar: !plan.chrome,
    webPreferences: { ...plan.webPreferences, preload: paths.preload },
  });
  if (!plan.chrome) win.removeMenu();
  if (restored.maximized && !plan.fullscreen) win.maximize();
  register(win.webContents, { page: plan.role, origin: plan.origin });
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  let placing = false;
  let connecting: AbortController | null = null;
  let crashes = 0;
  let lastCrashAt = 0;

  const connect = (delayMs = 0): void => {
    connecting?.abort();
    const controller = new AbortController();
    connecting = controller;
    setTimeout(() => {
      if (controller.signal.aborted || win.isDestroyed()) return;
      void win.loadFile(join(paths.staticDir, 'offline.html')).catch(() => undefined);
      waitForServer(plan.origin, { signal: controller.signal, backoff: RECONNECT_BACKOFF })
        .then(() => {
          if (controller.signal.aborted || win.isDestroyed()) return;
          connecting = null;
          return win.loadURL(plan.url);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted || win.isDestroyed()) return;
          hooks.log(`${plan.role}: could not load ${plan.url}: ${(error as Error).message}`);
          connect(RECONNECT_BACKOFF.initialMs);
        });
    }, delayMs);
  };

  contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    // -3 is ERR_ABORTED: a newer navigation replaced this one, nothing failed.
    if (!isMainFrame || errorCode === -3 || !validatedURL.startsWith(plan.origin)) return;
    hooks.log(`${plan.role}: ${errorDescription} (${errorCode}) loading ${validatedURL}`);
    connect(RECONNECT_BACKOFF.initialMs);
  });

  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    const now = Date.now();
    crashes = now - lastCrashAt > 60_000 ? 0 : crashes + 1;
    lastCrashAt = now;
    hooks.log(`${plan.role}: renderer gone (${details.reason}), reloading`);
    connect(backoffDelay(Math.min(crashes, 10), RECONNECT_BACKOFF));
  });

  if (plan.role !== 'agent') {
    // Nobody stands at a kiosk or a call board to wait for a hung page: crash it, the handler above reloads.
    let hangTimer: NodeJS.Timeout | null = null;
    win.on('unresponsive', () => {
      hangTimer ??= setTimeout(() => {
        hangTimer = null;
        if (!win.isDestroyed()) contents.forcefullyCrashRenderer();
      }, 15_000);
    });
    win.on('responsive', () => {
      if (hangTimer) clearTimeout(hangTimer);
      hangTimer = null;
    });
  }

  if (plan.exitRequiresPin) {
    contents.on('before-input-event', (event, input) => {
      if (isAdminShortcut(input)) {
        event.preventDefault();
        hooks.onAdminRequest(win);
      } else if (isBlockedKioskShortcut(input)) {
        event.preventDefault();
      }
    });
    win.on('close', (event) => {
      if (!hooks.mayClose()) event.preventDefault();
    });
    // Keep the kiosk on top of anything a touch could open (on-screen keyboard excepted by the OS).
    win.on('leave-full-screen', () => {
      if (!placing && !hooks.mayClose()) win.setKiosk(true);
    });
  }

  if (plan.rememberBounds) {
    let saveTimer: NodeJS.Timeout | null = null;
    const save = (): void => {
      if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
      saveWindowState(paths.windowStateFile, plan.role, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    };
    const later = (): void => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 1_000);
    };
    win.on('resize', later);
    win.on('move', later);
    win.on('maximize', later);
    win.on('unmaximize', later);
    win.on('close', () => {
      if (saveTimer) clearTimeout(saveTimer);
      save();
    });
  }

  win.on('closed', () => connecting?.abort());
  connect();

  return {
    plan,
    window: win,
    place: () => {
      if (win.isDestroyed() || !plan.fullscreen) return;
      const next = target();
      const current = win.getBounds();
      // Already there: leave it (toggling full screen can itself change work areas and re-trigger this).
      if (current.x === next.bounds.x && current.y === next.bounds.y && current.width === next.bounds.width && current.height === next.bounds.height) return;
      placing = true;
      if (plan.kiosk) win.setKiosk(false);
      win.setFullScreen(false);
      win.setBounds(next.bounds);
      win.setFullScreen(true);
      if (plan.kiosk) win.setKiosk(true);
      placing = false;
    },
  };
}

function centered(area: Electron.Rectangle, width: number, height: number): Electron.Rectangle {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h };
}
