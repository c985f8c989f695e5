// Preload of every SmartQueue window. Sandboxed, so CommonJS and no local require: only 'electron'
// (hence the .cts extension and `import = require`). Exposes window.smartqueue, nothing else; the
// main process checks which window sends each call.
// verbatimModuleSyntax forbids ESM import syntax in a CommonJS file: `import =` is the typed form.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { ExitResult, IpcChannels, ServerStatusView, SetupData, SetupForm, SetupResult, SmartQueueBridge, StationInfo } from './bridge.js';

const { contextBridge, ipcRenderer } = electron;

const IPC: IpcChannels = {
  getStationInfo: 'smartqueue:get-station-info',
  requestExit: 'smartqueue:request-exit',
  kioskCornerTap: 'smartqueue:kiosk-corner-tap',
  getServerStatus: 'smartqueue:get-server-status',
  serverStatusChanged: 'smartqueue:server-status-changed',
  getSetupData: 'smartqueue:get-setup-data',
  saveSetup: 'smartqueue:save-setup',
};

const bridge: SmartQueueBridge = {
  getStationInfo: () => ipcRenderer.invoke(IPC.getStationInfo) as Promise<StationInfo>,
  requestExit: (pin: string) => ipcRenderer.invoke(IPC.requestExit, String(pin)) as Promise<ExitResult>,
  getServerStatus: () => ipcRenderer.invoke(IPC.getServerStatus) as Promise<ServerStatusView>,
  onServerStatus: (listener: (status: ServerStatusView) => void) => {
    // Never hand the IPC event (and its sender object) to the page.
    const relay = (_event: unknown, status: ServerStatusView): void => listener(status);
    ipcRenderer.on(IPC.serverStatusChanged, relay);
    return () => {
      ipcRenderer.removeListener(IPC.serverStatusChanged, relay);
    };
  },
  getSetupData: () => ipcRenderer.invoke(IPC.getSetupData) as Promise<SetupData>,
  saveSetup: (form: SetupForm) => ipcRenderer.invoke(IPC.saveSetup, form) as Promise<SetupResult>,
};

contextBridge.exposeInMainWorld('smartqueue', bridge);

// Kiosk windows report taps to the main process, which recognises the hidden corner gesture
// (kiosk-input.ts) that opens the admin PIN prompt. Only coordinates cross, in the capture phase so
// the page cannot swallow them.
// (The node typecheck has no DOM library, so the page's window is described by the little it is used for.)
interface PageWindow {
  addEventListener(type: 'pointerdown', listener: (event: { clientX: number; clientY: number }) => void, options: { capture: boolean; passive: boolean }): void;
}
if (process.argv.includes('--smartqueue-window-role=kiosk')) {
  (globalThis as unknown as PageWindow).addEventListener(
    'pointerdown',
    (event) => {
      ipcRenderer.send(IPC.kioskCornerTap, Math.round(event.clientX), Math.round(event.clientY));
    },
    { capture: true, passive: true },
  );
}
