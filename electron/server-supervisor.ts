// Keeps the branch server process running: starts it, restarts it with backoff when it dies,
// stops it cleanly on quit, and publishes its status for the status window. Knows nothing of
// Electron: main.ts passes a spawn function (utilityProcess.fork in the app, child_process.fork in
// development and tests).
import { fork } from 'node:child_process';
import type { Readable } from 'node:stream';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { FromServerProcess, type ToServerProcess } from './server-protocol.js';

/** A running server process, whatever started it. */
export interface ServerChild {
  send(message: ToServerProcess): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone; `code` null when it was killed by a signal. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type ServerState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';

export interface ServerStatus {
  state: ServerState;
  url: string | null;
  port: number | null;
  branchId: string | null;
  /** Restarts after a crash or a failed start, since the supervisor was created. */
  restarts: number;
  lastError: string | null;
  /** Epoch ms of the next start attempt while restarting. */
  nextRestartAt: number | null;
  /** From the first start only (random admin password, demo logins); kept so the status window can show them. */
  firstStartCredentials: Array<{ login: string; password: string; role: string }>;
}

export interface SupervisorOptions {
  spawn: () => ServerChild;
  start: Extract<ToServerProcess, { type: 'start' }>;
  backoff?: BackoffPolicy;
  /** A run this long counts as healthy: the next crash restarts after the initial delay again. */
  stableAfterMs?: number;
  /** How long a stop waits for the server to close its database before killing it. */
  stopTimeoutMs?: number;
  now?: () => number;
}

export class ServerSupervisor {
  private child: ServerChild | null = null;
  private wanted = false;
  private attempt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private stableTimer: NodeJS.Timeout | null = null;
  private exitWaiters: Array<() => void> = [];
  private readonly listeners = new Set<(status: ServerStatus) => void>();
  private current: ServerStatus = {
    state: 'stopped',
    url: null,
    port: null,
    branchId: null,
    restarts: 0,
    lastError: null,
    nextRestartAt: null,
    firstStartCredentials: [],
  };

  constructor(private readonly options: SupervisorOptions) {}

  get status(): ServerStatus {
    return this.current;
  }

  onStatus(listener: (status: ServerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt = 0;
    if (!this.child) this.launch();
  }

  /** Asks the server to close (database included) and waits for its process to end. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.clearTimers();
    const child = this.child;
    if (!child) {
      this.update({ state: 'stopped', url: null, port: null, nextRestartAt: null });
      return;
    }
    this.update({ state: 'stopping', nextRestartAt: null });
    await new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => child.kill(), this.options.stopTimeoutMs ?? 10_000);
      this.exitWaiters.push(() => {
        clearTimeout(killTimer);
        resolve();
      });
      try {
        child.send({ type: 'stop' });
      } catch {
        child.kill();
      }
    });
  }

  private launch(): void {
    this.restartTimer = null;
    let failure: string | null = null;
    let child: ServerChild;
    try {
      child = this.options.spawn();
    } catch (error) {
      this.scheduleRestart(`could not start the server process: ${(error as Error).message}`);
      return;
    }
    this.child = child;
    this.update({ state: 'starting', nextRestartAt: null });

    child.onMessage((raw) => {
      const parsed = FromServerProcess.safeParse(raw);
      if (!parsed.success || child !== this.child) return;
      const message = parsed.data;
      if (message.type === 'ready') {
        this.update({
          state: 'running',
          url: message.url,
          port: message.port,
          branchId: message.branchId,
          firstStartCredentials: message.firstStartCredentials.length > 0 ? message.firstStartCredentials : this.current.firstStartCredentials,
        });
        this.stableTimer = setTimeout(() => {
          this.attempt = 0;
        }, this.options.stableAfterMs ?? 60_000);
      } else if (message.type === 'failed') {
        failure = message.message;
      }
    });

    child.onExit((code) => {
      if (child !== this.child) return;
      this.child = null;
      if (this.stableTimer) clearTimeout(this.stableTimer);
      this.stableTimer = null;
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      if (!this.wanted) {
        this.update({ state: 'stopped', url: null, port: null, nextRestartAt: null });
        for (const resolve of waiters) resolve();
        return;
      }
      this.scheduleRestart(failure ?? `the server process exited (${code === null ? 'killed' : `code ${code}`})`);
    });

    try {
      child.send(this.options.start);
    } catch (error) {
      failure = `could not talk to the server process: ${(error as Error).message}`;
      child.kill();
    }
  }

  private scheduleRestart(reason: string): void {
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF);
    this.attempt = Math.min(this.attempt + 1, 30);
    const now = (this.options.now ?? Date.now)();
    this.update({ state: 'restarting', url: null, port: null, lastError: reason, restarts: this.current.restarts + 1, nextRestartAt: now + delay });
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }

  private clearTimers(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.restartTimer = null;
    this.stableTimer = null;
  }

  private update(patch: Partial<ServerStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }
}

/**
 * A server process on plain Node.js (child_process.fork), for development, where better-sqlite3 is
 * built for Node rather than Electron, and for tests. The packaged app uses utilityProcess.fork.
 */
export function forkNodeServerChild(
  entry: string,
  options: { nodePath?: string; execArgv?: string[]; env?: NodeJS.ProcessEnv; onOutput?: (chunk: Buffer) => void } = {},
): ServerChild {
  const child = fork(entry, [], {
    ...(options.nodePath ? { execPath: options.nodePath } : {}),
    execArgv: options.execArgv ?? [],
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const pipe = (stream: Readable | null): void => {
    stream?.on('data', (chunk: Buffer) => options.onOutput?.(chunk));
  };
  pipe(child.stdout);
  pipe(child.stderr);
  const exitListeners: Array<(code: number | null) => void> = [];
  let exited = false;
  const exit = (code: number | null): void => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code);
  };
  child.once('exit', (code) => exit(code));
  child.on('error', (error) => {
    // No pid: the executable could not be started, and no 'exit' will follow. Otherwise it is a
    // send racing the child's death (ERR_IPC_CHANNEL_CLOSED), which 'exit' covers.
    if (child.pid === undefined) {
      options.onOutput?.(Buffer.from(`${error.message}\n`));
      exit(null);
    }
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => child.kill('SIGKILL'),
  };
}
