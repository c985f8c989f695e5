// Start a real branch server (real SQLite file in a temp folder, real HTTP + Socket.IO on port 0) for a test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createBranchServer, type BranchServer, type BranchServerOptions } from '../../server/src/index.js';
import type { ChangeBatch, ClientToServerEvents, ServerToClientEvents } from '../../server/src/shared/contracts/events.js';
import type { CounterView, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestBranch {
  server: BranchServer;
  url: string;
  dataDir: string;
  /** Demo logins (awa, moussa, fatou: agents; aminata: supervisor) and admin. */
  passwords: Record<string, string>;
  api: ApiClient;
  login(login: string): Promise<string>;
  kioskToken(): Promise<string>;
  displayToken(): Promise<string>;
  services(): Promise<ServiceView[]>;
  counters(): Promise<CounterView[]>;
  service(prefix: string): Promise<ServiceView>;
  counter(number: number): Promise<CounterView>;
  socket(token: string): Promise<TypedSocket>;
  close(): Promise<void>;
  /** Close and delete the data folder. */
  destroy(): Promise<void>;
}

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ApiResponse<T = unknown> { status: number; body: T }

export class ApiClient {
  constructor(readonly baseUrl: string) {}
  async request<T = unknown>(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) {
      body = opts.rawBody;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T };
  }
  get<T = unknown>(path: string, token?: string) { return this.request<T>('GET', path, { token }); }
  post<T = unknown>(path: string, body?: unknown, token?: string) { return this.request<T>('POST', path, { token, body: body ?? {} }); }
  issue(token: string, body: Record<string, unknown>) { return this.post<TicketView>('/api/tickets', body, token); }
}

/** `passwords`: logins of an earlier start of the same data folder (demo logins are only printed on first start). */
export async function startBranch(opts: Partial<BranchServerOptions> & { dataDir?: string; passwords?: Record<string, string> } = {}): Promise<TestBranch> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sq-branch-'));
  const server = await createBranchServer({
    port: 0,
    host: '127.0.0.1',
    demo: true,
    adminPassword: ADMIN_PASSWORD,
    printer: 'simulated',
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...opts,
    dataDir,
  });
  const passwords: Record<string, string> = { admin: ADMIN_PASSWORD, ...opts.passwords };
  for (const c of server.firstStartCredentials) passwords[c.login] = c.password;
  const api = new ApiClient(server.url);
  const sockets: TypedSocket[] = [];
  const tokens = new Map<string, string>();
  const branch: TestBranch = {
    server,
    url: server.url,
    dataDir,
    passwords,
    api,
    async login(login) {
      const cached = tokens.get(login);
      if (cached) return cached;
      const password = passwords[login];
      if (!password) throw new Error(`no password known for ${login} (demo logins exist on first start only)`);
      const res = await api.post<{ token: string }>('/api/auth/login', { login, password });
      if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(login, res.body.token);
      return res.body.token;
    },
    async kioskToken() {
      const res = await api.post<{ deviceToken: string }>('/api/devices/pair-local', { role: 'kiosk' });
      if (res.status !== 200) throw new Error(`kiosk pairing failed: ${JSON.stringify(res.body)}`);
      return res.body.deviceToken;
    },
    async displayToken() {
      const res = await api.post<{ deviceToken: string }>('/api/devices/pair-local', { role: 'display' });
      if (res.status !== 200) throw new Error(`display pairing failed: ${JSON.stringify(res.body)}`);
      return res.body.deviceToken;
    },
    async services() { return (await api.get<ServiceView[]>('/api/services')).body; },
    async counters() { return (await api.get<CounterView[]>('/api/counters')).body; },
    async service(prefix) {
      const s = (await branch.services()).find((x) => x.prefix === prefix);
      if (!s) throw new Error(`no service ${prefix}`);
      return s;
    },
    async counter(number) {
      const c = (await branch.counters()).find((x) => x.number === number);
      if (!c) throw new Error(`no counter ${number}`);
      return c;
    },
    async socket(token) {
      const socket: TypedSocket = ioClient(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (err) => reject(err));
      });
      return socket;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await server.close();
    },
    async destroy() {
      await branch.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return branch;
}

/** Resolve with the first event of this name that satisfies the predicate (bounded wait). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TypedSocket,
  event: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args);
    };
    socket.on(event, handler as never);
  });
}

/**
 * Resolve with the first thing `pick` finds in a `changes` batch (bounded wait): the gateway sends everything after
 * the snapshot as batches (docs/realtime.md), e.g. `nextChange(s, (b) => b.alerts?.find((a) => a.kind === 'printer'))`.
 */
export function nextChange<T>(socket: TypedSocket, pick: (batch: ChangeBatch) => T | undefined, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('changes', handler);
      reject(new Error(`no matching change within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (batch: ChangeBatch) => {
      const found = pick(batch);
      if (found === undefined) return;
      clearTimeout(timer);
      socket.off('changes', handler);
      resolve(found);
    };
    socket.on('changes', handler);
  });
}
