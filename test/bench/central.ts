// Central benchmark: ingest throughput (records per second) from many branches pushing at once, on SQLite and on
// PostgreSQL, and the catch-up time of a branch after a long outage (its outbox full of records it could not send).
// Run alone: `npx tsx test/bench/central.ts [--json]`; `runCentralBench()` returns the figures for a harness.
// Sizes: SQ_BENCH_BRANCHES (20), SQ_BENCH_RECORDS_PER_BRANCH (2000), SQ_BENCH_CATCHUP_RECORDS (30000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createBranchServer, createCentralServer, type CentralServer } from '../../server/src/index.js';
import { MAX_PUSH_EVENTS, type EnrolResponse, type PushResponse, type SyncEvent } from '../../server/src/contracts/sync.js';
import { createStore, migrate, openSqlite, type BranchStore } from '../../server/src/db/sqlite.js';
import { branchMigrations } from '../../server/src/db/migrations.js';
import { appendOutbox } from '../../server/src/sync/outbox.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { startBranch } from '../support/branch.js';
import { createPgDatabase, postgresProblem, type Dialect } from '../support/postgres.js';
import { servedTickets } from '../support/sync-records.js';

const ADMIN = 'bench-central-admin';
const silent = pino({ level: 'silent' });

export interface IngestFigure { dialect: Dialect; branches: number; records: number; seconds: number; recordsPerSecond: number }
export interface CatchUpFigure { dialect: Dialect; records: number; seconds: number; recordsPerSecond: number; batches: number; cycles: number }
export interface CentralBenchResult {
  machine: { cpus: number; node: string };
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

interface Central { server: CentralServer; cleanup(): Promise<void> }

async function startCentralFor(dialect: Dialect): Promise<Central> {
  if (dialect === 'postgres') {
    const db = await createPgDatabase();
    const server = await createCentralServer({ port: 0, host: '127.0.0.1', databaseUrl: db.url, adminToken: ADMIN, logger: silent, poolSize: 10 });
    return { server, cleanup: async () => { await server.close(); await db.drop(); } };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-bench-central-'));
  const server = await createCentralServer({ port: 0, host: '127.0.0.1', dataDir: dir, adminToken: ADMIN, logger: silent });
  return { server, cleanup: async () => { await server.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function enrol(url: string, id: string): Promise<string> {
  const res = await fetch(`${url}/api/central/branches`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: `Agence ${id}`, region: 'Dakar', organization: { id: 'bench-org', name: 'Banque bench', type: 'bank' } }),
  });
  if (res.status !== 201) throw new Error(`enrolment failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as EnrolResponse).credential;
}

async function push(url: string, credential: string, branchId: string, events: SyncEvent[]): Promise<PushResponse> {
  const body = JSON.stringify({ protocolVersion: 1, branchId, headSeq: events[events.length - 1]?.seq ?? 0, events });
  let res: Response | null = null;
  // A push is idempotent: retried on a connection error, as the branch's worker does.
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(`${url}/api/sync/push`, { method: 'POST', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  if (res.status !== 200) throw new Error(`push failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as PushResponse;
}

/** Many branches push their records at once, each in batches of 500, one batch at a time (as the worker does). */
export async function measureIngest(dialect: Dialect, branches: number, recordsPerBranch: number): Promise<IngestFigure> {
  const central = await startCentralFor(dialect);
  try {
    const url = central.server.url;
    const fleet = await Promise.all(Array.from({ length: branches }, async (_, i) => {
      const id = `bench-${dialect}-${i}-${Date.now()}`;
      return { id, credential: await enrol(url, id), records: servedTickets(id, Math.ceil(recordsPerBranch / 4)).slice(0, recordsPerBranch) };
    }));
    const t0 = performance.now();
    await Promise.all(fleet.map(async (b) => {
      for (let i = 0; i < b.records.length; i += MAX_PUSH_EVENTS) {
        const ack = await push(url, b.credential, b.id, b.records.slice(i, i + MAX_PUSH_EVENTS));
        if (ack.rejected.length) throw new Error(`records rejected: ${JSON.stringify(ack.rejected[0])}`);
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const records = branches * recordsPerBranch;
    return { dialect, branches, records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds) };
  } finally {
    await central.cleanup();
  }
}

/** Write an outage's worth of outbox records straight into a branch database (what the ticket service writes). */
function fillOutbox(store: BranchStore, branchId: string, count: number): void {
  const records = servedTickets(branchId, Math.ceil(count / 4)).slice(0, count);
  store.transaction(() => {
    for (const r of records) {
      appendOutbox(store, { eventId: r.eventId, aggregateType: 'ticket', aggregateId: r.aggregateId, eventType: r.eventType, payload: r.payload, occurredAt: r.occurredAt });
    }
  });
}

/** A real branch server comes back after an outage with `records` unsent records: time until central has them all. */
export async function measureCatchUp(dialect: Dialect, records: number): Promise<CatchUpFigure> {
  const central = await startCentralFor(dialect);
  const first = await startBranch({ logger: silent });
  try {
    const branchId = first.server.branchId;
    const credential = await enrol(central.server.url, branchId);
    await first.close();
    const sqlite = openSqlite(path.join(first.dataDir, 'branch.sqlite'));
    const store = createStore(sqlite) as BranchStore;
    await migrate(store.db, branchMigrations);
    fillOutbox(store, branchId, records);
    store.close();

    // The branch runs with its link down (a proxy that refuses connections); the clock starts when the link returns.
    const link = await FaultProxy.start({ target: central.server.url });
    link.setDown(true);
    const branch = await createBranchServer({
      port: 0, host: '127.0.0.1', dataDir: first.dataDir, logger: silent, centralUrl: link.url, centralCredential: credential,
    });
    try {
      const worker = branch.sync;
      if (!worker) throw new Error('no sync worker');
      await worker.syncNow();
      if (worker.status().backlog !== records) throw new Error(`expected ${records} pending records, found ${worker.status().backlog}`);
      const t0 = performance.now();
      link.setDown(false);
      let batches = 0;
      for (;;) {
        const run = await worker.syncNow();
        batches += 1;
        if (!run.ok) throw new Error(`sync failed: ${run.error}`);
        if (worker.status().backlog === 0) break;
      }
      const seconds = (performance.now() - t0) / 1000;
      const held = await central.server.db.selectFrom('branch_sync').select('last_seq').where('branch_id', '=', branchId).executeTakeFirstOrThrow();
      if (Number(held.last_seq) < records) throw new Error(`central holds ${held.last_seq} of ${records}`);
      return { dialect, records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds), batches: Math.ceil(records / MAX_PUSH_EVENTS), cycles: batches };
    } finally {
      await branch.close();
      await link.close();
    }
  } finally {
    fs.rmSync(first.dataDir, { recursive: true, force: true });
    await central.cleanup();
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
      skipped.push(`postgres: ${problem}`);
      dialects = dialects.filter((d) => d !== 'postgres');
    }
  }
  const result: CentralBenchResult = { machine: { cpus: os.cpus().length, node: process.version }, ingest: [], catchUp: [], skipped };
  for (const dialect of dialects) {
    log(`ingest on ${dialect}: ${branches} branches × ${perBranch} records…`);
    result.ingest.push(await measureIngest(dialect, branches, perBranch));
    log(`catch-up on ${dialect}: ${catchUp} records…`);
    result.catchUp.push(await measureCatchUp(dialect, catchUp));
  }
  return result;
}

export function formatCentralBench(r: CentralBenchResult): string {
  const lines = [
    `Central benchmark (${r.machine.cpus} CPU, Node ${r.machine.node})`,
    '',
    'Ingest (many branches pushing at once)',
    'dialect    branches   records   seconds   records/s',
    ...r.ingest.map((f) => `${f.dialect.padEnd(10)} ${String(f.branches).padStart(8)} ${String(f.records).padStart(9)} ${f.seconds.toFixed(2).padStart(9)} ${String(f.recordsPerSecond).padStart(11)}`),
    '',
    'Catch-up of one branch after an outage',
    'dialect     records   batches   seconds   records/s',
    ...r.catchUp.map((f) => `${f.dialect.padEnd(10)} ${String(f.records).padStart(8)} ${String(f.batches).padStart(9)} ${f.seconds.toFixed(2).padStart(9)} ${String(f.recordsPerSecond).padStart(11)}`),
  ];
  if (r.skipped.length) lines.push('', ...r.skipped.map((s) => `skipped ${s}`));
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await runCentralBench({}, json ? () => {} : (line) => console.error(line));
  console.log(json ? JSON.stringify(result, null, 2) : formatCentralBench(result));
}
