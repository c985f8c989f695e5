// The branch server under test, in its own process, and the clients that drive it: a keep-alive HTTP client (what a
// kiosk or an agent screen does over REST) and Socket.IO clients (call boards, kiosks, agent screens).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/src/shared/contracts/events.js';
import type { CounterView, ServiceView } from '../../server/src/shared/contracts/api.js';
import type { EnrolResponse, PushResponse, SyncEvent } from '../../server/src/shared/contracts/sync.js';
import type { Child } from '../support/child.js';
import { nowMs } from './stats.js';

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';
const AGENT_PASSWORD = 'bench-agent-password';
const BRANCH_ENTRY = 'test/bench/branch-server.mjs';

/**
 * Which server the bench measures: `dist` (default) is the built server/dist, run by plain node as `npm start` runs
 * it; `src` is server/src through tsx (no build needed, but tsx's loader adds memory and start-up time).
 */
export type ServerMode = 'dist' | 'src';
let serverMode: ServerMode = 'dist';
export function setServerMode(mode: ServerMode): void {
  serverMode = mode;
}
export function getServerMode(): ServerMode {
  return serverMode;
}

/** Diagnosis only: run the branch server's SQLite with another `synchronous` than its FULL (e.g. NORMAL, OFF). */
let sqliteSynchronous: string | null = null;
export function setSqliteSynchronous(value: string | null): void {
  sqliteSynchronous = value;
}

function newestMtime(dir: string, skip: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full, skip) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Build server/dist when it is missing or older than server/src (tsc rewrites every output, so index.js's time is
 * the build's). Returns what it did, for the log.
 */
export function ensureServerBuild(): string {
  const built = path.resolve('server/dist/index.js');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const sourceAt = newestMtime(path.resolve('server/src'), (n) => n.endsWith('.test.ts'));
  if (builtAt >= sourceAt) return 'server/dist is up to date';
  const what = builtAt ? 'server/dist was older than server/src: rebuilt' : 'server/dist was missing: built';
  try {
    execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'server/tsconfig.build.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // tsc still writes its output when it finds type errors (a work in progress elsewhere in the tree): measure that.
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs <= builtAt) throw new Error(`building server/dist failed:\n${out}`);
    return `${what}, with type errors (${out.split('\n').filter((l) => l.includes('error TS')).length}): measuring the emitted code`;
  }
  return what;
}

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface BranchInfoLine { url: string; port: number; branchId: string; credentials: Array<{ login: string; password: string; role: string }>; control: string | null }

export interface BenchServer {
  url: string;
  branchId: string;
  pid: number;
  dataDir: string;
  /** Logins printed on the first start of this data folder (demo agents). */
  credentials: Record<string, string>;
  /** Milliseconds from spawn to the server's "listening" line. */
  startupMs: number;
  /** The bench server's control port (test/bench/branch-server.mjs): statement counts and timed periodic jobs. */
  control: string | null;
  /** Event-loop delay of the server since the previous call (ms), read over SIGUSR2. */
  eventLoopDelay(): Promise<EventLoopDelay>;
  /** SIGTERM and wait for a clean exit (a --cpu-prof profile is written then). */
  stop(): Promise<void>;
}

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sq-bench-${label}-`));
}

/** Start test/bench/branch-server.ts in a child Node process (demo branch); `cpuProfDir` runs it under --cpu-prof. */
export async function startBenchServer(opts: { dataDir: string; cpuProfDir?: string; credentials?: Record<string, string>; env?: Record<string, string> }): Promise<BenchServer> {
  const env: Record<string, string> = {
    BENCH_DATA_DIR: opts.dataDir,
    BENCH_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    BENCH_SERVER_MODULE: path.resolve(serverMode === 'dist' ? 'server/dist/index.js' : 'server/src/index.ts'),
    ...(sqliteSynchronous && { BENCH_SQLITE_SYNCHRONOUS: sqliteSynchronous }),
    ...opts.env,
  };
  const nodeArgs: string[] = [];
  if (opts.cpuProfDir) {
    fs.mkdirSync(opts.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  }
  const t0 = nowMs();
  const child = await startNodeChild<BranchInfoLine>(BRANCH_ENTRY, env, nodeArgs, { tsx: serverMode === 'src' });
  const startupMs = nowMs() - t0;
  const credentials: Record<string, string> = { ...opts.credentials };
  for (const c of child.info.credentials) credentials[c.login] = c.password;
  const pid = child.process.pid;
  if (pid === undefined) throw new Error('branch server child has no pid');
  return {
    url: child.info.url,
    branchId: child.info.branchId,
    pid,
    dataDir: opts.dataDir,
    credentials,
    startupMs,
    control: child.info.control ?? null,
    async eventLoopDelay() {
      const line = child.nextLine();
      child.process.kill('SIGUSR2');
      return (JSON.parse(await line) as { eventLoopDelay: EventLoopDelay }).eventLoopDelay;
    },
    stop: () => stopChild(child.process),
  };
}

/** SIGTERM, and SIGKILL if the child has not exited 15 s later; resolves once it has exited. */
export function stopChild(p: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    p.once('exit', () => { clearTimeout(timer); resolve(); });
    p.kill('SIGTERM');
  });
}

/** A central server in its own process (test/bench/central-server.mjs, the built server unless --server=src). */
export interface CentralChild { url: string; pid: number; stop(): Promise<void> }

export async function startCentralChild(env: Record<string, string>): Promise<CentralChild> {
  const module = path.resolve(serverMode === 'dist' ? 'server/dist/index.js' : 'server/src/index.ts');
  const child = await startNodeChild<{ url: string }>('test/bench/central-server.mjs', { BENCH_SERVER_MODULE: module, ...env }, [], { tsx: serverMode === 'src' });
  const pid = child.process.pid;
  if (pid === undefined) throw new Error('central child has no pid');
  return { url: child.info.url, pid, stop: () => stopChild(child.process) };
}

/** Enrol a branch at central with its admin token; returns the branch credential. */
export async function enrolBranch(client: HttpClient, adminToken: string, id: string): Promise<string> {
  const res = await client.post<EnrolResponse>('/api/central/branches', {
    id, name: `Agence ${id}`, region: 'Dakar', organization: { id: 'bench-org', name: 'Banque bench', type: 'bank' },
  }, adminToken);
  if (res.status !== 201) throw new Error(`enrolment failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.credential;
}

/** One push of a branch's records, as its sync worker sends it; a refused push or a rejected record fails the bench. */
export async function pushRecords(client: HttpClient, credential: string, branchId: string, events: SyncEvent[]): Promise<PushResponse> {
  const body = { protocolVersion: 1, branchId, headSeq: events[events.length - 1]?.seq ?? 0, events };
  const res = await client.post<PushResponse>('/api/sync/push', body, credential);
  if (res.status !== 200) throw new Error(`push failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  if (res.body.rejected.length) throw new Error(`records rejected: ${JSON.stringify(res.body.rejected[0])}`);
  return res.body;
}

/** Like test/support/child.ts's startChild, with Node flags (--cpu-prof is refused in NODE_OPTIONS). */
export interface NodeChild<T> extends Child<T> {
  /** The next line the child prints after its first. */
  nextLine(timeoutMs?: number): Promise<string>;
}

export async function startNodeChild<T>(
  entry: string, env: Record<string, string>, nodeArgs: string[] = [], { tsx = true, timeoutMs = 120_000 }: { tsx?: boolean; timeoutMs?: number } = {},
): Promise<NodeChild<T>> {
  const child = spawn(process.execPath, [...nodeArgs, ...(tsx ? ['--import', 'tsx'] : []), path.resolve(entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
  const lines = readline.createInterface({ input: child.stdout });
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${entry} did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    lines.once('line', (line) => { clearTimeout(timer); resolve(JSON.parse(line) as T); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`child ${entry} exited with ${code}: ${stderr}`)); });
  });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = (ms = 10_000) => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line from ${entry} within ${ms} ms`)), ms);
    waiting.push((line) => { clearTimeout(timer); resolve(line); });
  });
  return { process: child, info, stderr: () => stderr, nextLine };
}

export interface HttpResult<T> { status: number; body: T }

/** A small JSON client over node:http with keep-alive: cheaper per request than fetch, so the load generator stays light. */
export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  request<T = unknown>(method: string, urlPath: string, body?: unknown, token?: string): Promise<HttpResult<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (token) headers.authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path: urlPath, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get<T = unknown>(urlPath: string, token?: string) { return this.request<T>('GET', urlPath, undefined, token); }
  post<T = unknown>(urlPath: string, body: unknown, token?: string) { return this.request<T>('POST', urlPath, body, token); }

  close(): void {
    this.agent.destroy();
  }
}

async function expectOk<T>(what: string, p: Promise<HttpResult<T>>): Promise<T> {
  const res = await p;
  if (res.status < 200 || res.status >= 300) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function login(client: HttpClient, loginName: string, password: string): Promise<string> {
  const body = await expectOk('login ' + loginName, client.post<{ token: string }>('/api/auth/login', { login: loginName, password }));
  return body.token;
}

/** A device token for a kiosk or a call board (demo mode pairs loopback devices on request). */
export async function pairDevice(client: HttpClient, role: 'kiosk' | 'display', name?: string): Promise<string> {
  const body = await expectOk(`pair ${role}`, client.post<{ deviceToken: string }>('/api/devices/pair-local', { role, ...(name && { name }) }));
  return body.deviceToken;
}

export async function services(client: HttpClient): Promise<ServiceView[]> {
  return expectOk('services', client.get<ServiceView[]>('/api/services'));
}

export async function counters(client: HttpClient): Promise<CounterView[]> {
  return expectOk('counters', client.get<CounterView[]>('/api/counters'));
}

/** Run async jobs with at most `limit` at a time (password hashing on the server is costly: no stampede). */
export async function inBatches<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * How late the server's loop ran a timer (ms): the sampled interval less the sampling period (`resolution`), whose
 * interval p99 is kept beside it (runs before 3 December 2026, afternoon, reported that interval as the delay).
 */
export interface EventLoopDelay { p50: number; p99: number; max: number; intervalP99?: number; resolution?: number }

export interface BenchAgent { login: string; token: string; counterId: string; counterNumber: number }

// The demo agency's counters and their services, repeated for the counters the bench adds.
const COUNTER_PATTERN: string[][] = [['A', 'C'], ['A'], ['B', 'D'], ['C', 'A']];
const DEMO_AGENTS = ['awa', 'moussa', 'fatou'];

/**
 * `count` agents, each signed in and owning one counter (counter i+1). The demo agents are reused; the others are
 * created through the admin API, with counters 5… serving the demo pattern of services.
 */
export async function prepareAgents(client: HttpClient, server: BenchServer, count: number): Promise<BenchAgent[]> {
  const adminToken = await login(client, 'admin', BENCH_ADMIN_PASSWORD);
  const byPrefix = new Map((await services(client)).map((s) => [s.prefix, s.id]));
  const existing = new Map((await counters(client)).map((c) => [c.number, c]));
  for (let n = 1; n <= count; n++) {
    if (existing.has(n)) continue;
    const serviceIds = (COUNTER_PATTERN[(n - 1) % COUNTER_PATTERN.length] ?? []).map((p) => byPrefix.get(p)).filter((id): id is string => !!id);
    const created = await expectOk(`counter ${n}`, client.post<CounterView>('/api/admin/counters', { number: n, name: `Guichet ${n}`, serviceIds }, adminToken));
    existing.set(n, created);
  }
  return inBatches(Array.from({ length: count }, (_, i) => i), 4, async (i) => {
    const demo = DEMO_AGENTS[i];
    let loginName: string;
    let password: string;
    if (demo && server.credentials[demo]) {
      loginName = demo;
      password = server.credentials[demo] as string;
    } else {
      loginName = `bench-agent-${String(i + 1).padStart(3, '0')}`;
      password = AGENT_PASSWORD;
      const res = await client.post('/api/admin/users', { login: loginName, displayName: `Agent ${i + 1}`, role: 'agent', password }, adminToken);
      if (res.status !== 201 && res.status !== 409) throw new Error(`create agent ${loginName}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const counter = existing.get(i + 1);
    if (!counter) throw new Error(`no counter ${i + 1}`);
    return { login: loginName, token: await login(client, loginName, password), counterId: counter.id, counterNumber: counter.number };
  });
}

/** A Socket.IO client like the screens': websocket only, no automatic reconnection (a drop is a bench failure). */
export function connectSocket(url: string, token: string): Promise<BenchSocket> {
  const socket: BenchSocket = ioClient(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

export function commandId(): string {
  return randomUUID();
}

/** What the bench server has counted so far (test/bench/branch-server.mjs): SQL statements and SQLite commits; null without a control port. */
export async function serverCounters(server: BenchServer): Promise<{ statements: number; commits: number } | null> {
  if (!server.control) return null;
  const res = await fetch(`${server.control}/counters`);
  return (await res.json()) as { statements: number; commits: number };
}
