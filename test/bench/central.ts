// Central benchmark: ingest throughput (records per second) from many branches pushing at once, on SQLite and on
// PostgreSQL, and the catch-up time of a branch after a long outage (its outbox full of records it could not send).
// Central runs in its own process (test/bench/central-server.mjs, the built server), like a real head office.
// Run alone: `npx tsx test/bench/central.ts [--json]`; `runCentralBench()` returns the figures for run.ts.
// Sizes: SQ_BENCH_BRANCHES (20), SQ_BENCH_RECORDS_PER_BRANCH (2000), SQ_BENCH_CATCHUP_RECORDS (30000).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { MAX_PUSH_EVENTS, type CentralBranchView } from '../../server/src/shared/contracts/sync.js';
import type { BranchServer, BranchServerOptions } from '../../server/src/index.js';
import { createStore, migrate, openSqlite } from '../../server/src/shared/db/sqlite.js';
import type { BranchDatabase } from '../../server/src/branch/db/schema.js';
import { branchMigrations } from '../../server/src/branch/db/migrations.js';
import { appendOutbox, type OutboxFact } from '../../server/src/branch/db/outbox.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import pg from 'pg';
import { createPgDatabase, PG_ADMIN_URL, postgresProblem, type Dialect } from '../support/postgres.js';
import { servedTickets } from '../support/sync-records.js';
import { enrolBranch, ensureServerBuild, getServerMode, HttpClient, pairDevice, pushRecords, services, startCentralChild, tempDataDir } from './harness.js';
import { ProcSampler, type ProcUsage } from './proc.js';
import { nowMs, sleep, summarize, type LatencySummary } from './stats.js';

const ADMIN = 'bench-central-admin-token';
const silent = pino({ level: 'silent' });

export interface IngestFigure {
  dialect: Dialect;
  branches: number;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  /** One push request (500 records) as each branch saw it. */
  pushLatency: LatencySummary;
  /** The central process (PostgreSQL's own processes are not counted). */
  central: ProcUsage;
}
export interface CatchUpFigure {
  dialect: Dialect;
  records: number;
  batches: number;
  seconds: number;
  recordsPerSecond: number;
  /** A kiosk issuing a ticket every 100 ms during the catch-up: issuance does not wait on the sync. */
  issuanceDuringCatchUp: LatencySummary;
  central: ProcUsage;
}
export interface CentralBenchResult {
  /** `SELECT version()` of the PostgreSQL server used, when it was. */
  postgresVersion: string | null;
  ingest: IngestFigure[];
  catchUp: CatchUpFigure[];
  skipped: string[];
}

export interface CentralBenchOptions {
  branches?: number;
  recordsPerBranch?: number;
  catchUpRecords?: number;
  dialects?: Dialect[];
}

interface Central { url: string; pid: number; stop(): Promise<void> }

function serverModule(): string {
  return path.resolve(getServerMode() === 'dist' ? 'server/dist/index.js' : 'server/src/index.ts');
}

/** A central server in its own process on a fresh database (a new PostgreSQL database, dropped by stop()). */
async function startCentral(dialect: Dialect): Promise<Central> {
  const env: Record<string, string> = { BENCH_ADMIN_TOKEN: ADMIN };
  let drop: () => Promise<void>;
  if (dialect === 'postgres') {
    const db = await createPgDatabase();
    env.BENCH_CENTRAL_DATABASE_URL = db.url;
    drop = () => db.drop();
  } else {
    const dir = tempDataDir('central');
    env.BENCH_CENTRAL_DATA_DIR = dir;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const child = await startCentralChild(env);
  return { url: child.url, pid: child.pid, async stop() { await child.stop(); await drop(); } };
}

/** The highest sequence central holds of a branch (its head-office view). */
async function lastSeq(http: HttpClient, branchId: string): Promise<number> {
  const res = await http.get<CentralBranchView>(`/api/central/branches/${branchId}`, ADMIN);
  if (res.status !== 200) throw new Error(`branch view: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.sync.lastSeq;
}

/**
 * Many branches push at once, each its records in batches of 500 (central's limit), one batch at a time as the
 * branch's sync worker does. The records are built before the clock starts.
 */
export async function measureIngest(dialect: Dialect, branches: number, recordsPerBranch: number): Promise<IngestFigure> {
  const central = await startCentral(dialect);
  const http = new HttpClient(central.url);
  try {
    const fleet = [];
    for (let i = 0; i < branches; i++) {
      const id = `bench-${dialect}-${i}`;
      fleet.push({ id, credential: await enrolBranch(http, ADMIN, id), records: servedTickets(id, Math.ceil(recordsPerBranch / 4)).slice(0, recordsPerBranch) });
    }
    const latencies: number[] = [];
    const sampler = new ProcSampler(central.pid);
    sampler.start();
    const t0 = nowMs();
    await Promise.all(fleet.map(async (b) => {
      for (let i = 0; i < b.records.length; i += MAX_PUSH_EVENTS) {
        const p0 = nowMs();
        await pushRecords(http, b.credential, b.id, b.records.slice(i, i + MAX_PUSH_EVENTS));
        latencies.push(nowMs() - p0);
      }
    }));
    const seconds = (nowMs() - t0) / 1000;
    const usage = sampler.stop();
    // Every record is there, exactly: each branch's acknowledged sequence is its last record.
    for (const b of fleet) {
      const held = await lastSeq(http, b.id);
      if (held !== b.records.length) throw new Error(`central holds ${held} of ${b.records.length} records of ${b.id}`);
    }
    const records = branches * recordsPerBranch;
    return { dialect, branches, records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds), pushLatency: summarize(latencies), central: usage };
  } finally {
    http.close();
    await central.stop();
  }
}

/** Write an outage's worth of outbox records straight into a branch database (what the ticket service writes). */
function fillOutbox(dataDir: string, branchId: string, count: number): void {
  const sqlite = openSqlite(path.join(dataDir, 'branch.sqlite'));
  const store = createStore<BranchDatabase>(sqlite);
  try {
    const records = servedTickets(branchId, Math.ceil(count / 4)).slice(0, count);
    store.transaction(() => {
      for (const r of records) {
        appendOutbox(store, { eventId: r.eventId, aggregateType: 'ticket', aggregateId: r.aggregateId, eventType: r.eventType, payload: r.payload, occurredAt: r.occurredAt } as OutboxFact);
      }
    });
  } finally {
    store.close();
  }
}

/**
 * A real branch server (in this process, so that the bench can drive its sync worker) comes back after an outage
 * with `records` unsent records. The clock starts when the link returns and the worker starts a cycle (in
 * production the worker notices at its next retry: its backoff caps at 60 s) and stops when central holds them all.
 */
export async function measureCatchUp(dialect: Dialect, records: number): Promise<CatchUpFigure> {
  const { createBranchServer } = (await import(pathToFileURL(serverModule()).href)) as { createBranchServer: (o: BranchServerOptions) => Promise<BranchServer> };
  const central = await startCentral(dialect);
  const http = new HttpClient(central.url);
  const dataDir = tempDataDir('catchup');
  const base: BranchServerOptions = { port: 0, host: '127.0.0.1', dataDir, logger: silent, demo: true, adminPassword: 'bench-admin-password', printer: 'simulated', kioskRateLimitPerMinute: 1_000_000 };
  let branch: BranchServer | null = null;
  let link: FaultProxy | null = null;
  let branchHttp: HttpClient | null = null;
  try {
    const first = await createBranchServer(base);
    const branchId = first.branchId;
    await first.close();
    const credential = await enrolBranch(http, ADMIN, branchId);
    const store = createStore<BranchDatabase>(openSqlite(path.join(dataDir, 'branch.sqlite')));
    await migrate(store.db, branchMigrations);
    store.close();
    fillOutbox(dataDir, branchId, records);

    // The branch runs with its link down (a proxy that refuses connections) until the clock starts.
    link = await FaultProxy.start({ target: central.url });
    link.setDown(true);
    branch = await createBranchServer({ ...base, centralUrl: link.url, centralCredential: credential, sync: { periodicMs: 3_600_000, debounceMs: 3_600_000 } });
    const worker = branch.sync;
    if (!worker) throw new Error('no sync worker');
    await worker.syncNow();
    const backlog = worker.status().backlog;
    if (backlog < records) throw new Error(`expected ${records} pending records, found ${backlog}`);

    // A kiosk keeps issuing during the catch-up: the sync must not hold the queue.
    branchHttp = new HttpClient(branch.url);
    const kiosk = await pairDevice(branchHttp, 'kiosk');
    const service = (await services(branchHttp)).find((s) => s.openNow);
    if (!service) throw new Error('no open service at the branch');
    const issueSamples: number[] = [];
    let catching = true;
    const kioskClient = branchHttp;
    const issuing = (async () => {
      while (catching) {
        const t = nowMs();
        const res = await kioskClient.post('/api/tickets', { serviceId: service.id }, kiosk);
        if (res.status !== 201) throw new Error(`issue during catch-up: ${res.status}`);
        issueSamples.push(nowMs() - t);
        await sleep(100);
      }
    })();

    const sampler = new ProcSampler(central.pid);
    sampler.start();
    const t0 = nowMs();
    link.setDown(false);
    for (let cycle = 0; worker.status().backlog > 0; cycle++) {
      const run = await worker.syncNow();
      if (!run.ok) throw new Error(`sync failed: ${run.error}`);
      if (cycle > 5) throw new Error(`backlog still ${worker.status().backlog} after ${cycle} cycles`);
    }
    const seconds = (nowMs() - t0) / 1000;
    const usage = sampler.stop();
    catching = false;
    await issuing;
    const held = await lastSeq(http, branchId);
    if (held < records) throw new Error(`central holds ${held} of ${records}`);
    return {
      dialect, records, batches: Math.ceil(records / MAX_PUSH_EVENTS), seconds: round(seconds), recordsPerSecond: Math.round(records / seconds),
      issuanceDuringCatchUp: summarize(issueSamples), central: usage,
    };
  } finally {
    branchHttp?.close();
    await branch?.close();
    await link?.close();
    http.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await central.stop();
  }
}

async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await client.connect();
    return ((await client.query('SELECT version() AS v')).rows[0] as { v: string }).v;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function runCentralBench(options: CentralBenchOptions = {}, log: (line: string) => void = () => {}): Promise<CentralBenchResult> {
  const env = process.env;
  const branches = options.branches ?? Number(env.SQ_BENCH_BRANCHES ?? 20);
  const perBranch = options.recordsPerBranch ?? Number(env.SQ_BENCH_RECORDS_PER_BRANCH ?? 2000);
  const catchUp = options.catchUpRecords ?? Number(env.SQ_BENCH_CATCHUP_RECORDS ?? 30_000);
  const skipped: string[] = [];
  let dialects = options.dialects ?? ['sqlite', 'postgres'];
  if (dialects.includes('postgres')) {
    const problem = await postgresProblem();
    if (problem) {
      skipped.push(`postgres: ${problem} (set SMARTQUEUE_TEST_PG_URL)`);
      log(`PostgreSQL unreachable (${problem}): central bench on SQLite only`);
      dialects = dialects.filter((d) => d !== 'postgres');
    }
  }
  const result: CentralBenchResult = { postgresVersion: dialects.includes('postgres') ? await postgresVersion() : null, ingest: [], catchUp: [], skipped };
  for (const dialect of dialects) {
    log(`ingest on ${dialect}: ${branches} branches × ${perBranch.toLocaleString('en')} records…`);
    result.ingest.push(await measureIngest(dialect, branches, perBranch));
    log(`catch-up on ${dialect}: ${catchUp.toLocaleString('en')} records…`);
    result.catchUp.push(await measureCatchUp(dialect, catchUp));
  }
  return result;
}

const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ms` : '–');

export function formatCentralBench(r: CentralBenchResult): string {
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  const lines = [
    'Central ingest (branches pushing at once, 500 records a request)',
    `${'  dialect'.padEnd(12)}${pad('branches', 9)}${pad('records', 9)}${pad('seconds', 9)}${pad('records/s', 11)}${pad('push p50', 10)}${pad('push p99', 10)}${pad('central CPU', 13)}`,
    ...r.ingest.map((f) => `${`  ${f.dialect}`.padEnd(12)}${pad(f.branches, 9)}${pad(f.records, 9)}${pad(f.seconds.toFixed(2), 9)}${pad(f.recordsPerSecond, 11)}${pad(ms(f.pushLatency.p50), 10)}${pad(ms(f.pushLatency.p99), 10)}${pad(`${f.central.cpuPercent}%`, 13)}`),
    '',
    'Catch-up of one branch after an outage (outbox of unsent records, link restored)',
    `${'  dialect'.padEnd(12)}${pad('records', 9)}${pad('batches', 9)}${pad('seconds', 9)}${pad('records/s', 11)}${pad('issue p50', 11)}${pad('issue p99', 11)}`,
    ...r.catchUp.map((f) => `${`  ${f.dialect}`.padEnd(12)}${pad(f.records, 9)}${pad(f.batches, 9)}${pad(f.seconds.toFixed(2), 9)}${pad(f.recordsPerSecond, 11)}${pad(ms(f.issuanceDuringCatchUp.p50), 11)}${pad(ms(f.issuanceDuringCatchUp.p99), 11)}`),
    '  (issue: a kiosk issuing every 100 ms at the branch during its catch-up)',
  ];
  if (r.postgresVersion) lines.push(`  (${r.postgresVersion.split(' on ')[0]} on this machine, default settings)`);
  if (r.skipped.length) lines.push('', ...r.skipped.map((s) => `  skipped ${s}`));
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  if (getServerMode() === 'dist') console.error(ensureServerBuild());
  const result = await runCentralBench({}, json ? () => {} : (line) => console.error(line));
  console.log(json ? JSON.stringify(result, null, 2) : formatCentralBench(result));
  process.exit(0);
}
