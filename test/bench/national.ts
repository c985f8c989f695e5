// Central at national scale (issue 19), on PostgreSQL:
// - ingest: many branches push at once, spread over TWO central instances on one database (as a head office runs
//   them behind a load balancer), then every branch pushes its records again through the other instance (a lost
//   acknowledgement replayed); exactly once means central holds each record once: its ticket events, and each
//   branch's acknowledged sequence, equal what was sent.
// - fan-out: thousands of tracking pages (Socket.IO clients on /track, each following one waiting ticket) on one
//   instance; a branch pushes the call of the first ticket of the line, every page's position changes, and the
//   time from the push to each page's update is recorded, with the instance's memory.
// The instances run in their own processes (the built server); the clients run in the bench process.
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { MAX_PUSH_EVENTS, type CentralBranchView, type SyncEvent } from '../../server/src/shared/contracts/sync.js';
import { TRACK_NAMESPACE, type TrackClientToServer, type TrackServerToClient, type TrackView } from '../../server/src/shared/contracts/tracking.js';
import { createPgDatabase, postgresProblem } from '../support/postgres.js';
import { callRecord, servedTickets, ticketRecords } from '../support/sync-records.js';
import { enrolBranch, HttpClient, inBatches, pushRecords, startCentralChild } from './harness.js';

/** An instance of central on the shared database. */
const startInstance = (databaseUrl: string) => startCentralChild({ BENCH_ADMIN_TOKEN: ADMIN, BENCH_CENTRAL_DATABASE_URL: databaseUrl });
import { memory, PgBackendSampler, ProcSampler, type ProcUsage } from './proc.js';
import { nowMs, sleep, summarize, type LatencySummary } from './stats.js';

const ADMIN = 'bench-central-admin-token-national';

export interface NationalOptions {
  branches: number;
  recordsPerBranch: number;
  /** Tracking pages connected to one instance for the fan-out. */
  trackingSockets: number;
}

export interface NationalResult {
  ingest: {
    branches: number; instances: number; records: number; seconds: number; recordsPerSecond: number;
    pushLatency: LatencySummary; centralCpu: ProcUsage[];
    /** From the first push until both instances' trackers had projected every record, s. */
    projectedSeconds: number;
    /**
     * CPU per 1,000 records from the first push until every record was projected (ingest and tracking projection):
     * each instance's process, and the PostgreSQL backends of the bench's database.
     */
    cpuMsPer1000: { instances: number[]; postgres: number };
    /** After every branch pushed everything again through the other instance: records held ÷ records sent (1 = exactly once). */
    heldAfterReplay: number; replaySeconds: number;
  };
  fanout: {
    sockets: number; updated: number; connectSeconds: number;
    /** From the push of the call until each page's update, ms. */
    latency: LatencySummary;
    rssMb: number; peakRssMb: number;
  } | null;
  skipped: string | null;
}

async function pushAll(http: HttpClient, credential: string, branchId: string, records: SyncEvent[], latencies?: number[]): Promise<void> {
  for (let i = 0; i < records.length; i += MAX_PUSH_EVENTS) {
    const p0 = nowMs();
    await pushRecords(http, credential, branchId, records.slice(i, i + MAX_PUSH_EVENTS));
    latencies?.push(nowMs() - p0);
  }
}

async function measureIngest(databaseUrl: string, opts: NationalOptions, log: (line: string) => void): Promise<NationalResult['ingest']> {
  const instances = [await startInstance(databaseUrl), await startInstance(databaseUrl)];
  const clients = instances.map((i) => new HttpClient(i.url));
  try {
    const fleet = [];
    for (let i = 0; i < opts.branches; i++) {
      const id = `nat-${i}`;
      fleet.push({ id, n: i, credential: await enrolBranch(clients[0] as HttpClient, ADMIN, id), records: servedTickets(id, Math.ceil(opts.recordsPerBranch / 4)).slice(0, opts.recordsPerBranch) });
    }
    const latencies: number[] = [];
    const watch = new pg.Client({ connectionString: databaseUrl });
    await watch.connect();
    const dbName = new URL(databaseUrl).pathname.slice(1);
    const backends = async () => (await watch.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])).rows.map((r) => r.pid);
    const pgSampler = new PgBackendSampler(backends);
    const samplers = instances.map((i) => new ProcSampler(i.pid));
    let centralCpu: ProcUsage[];
    let seconds: number;
    let projectedSeconds: number;
    let pgCpu: number;
    const records = opts.branches * opts.recordsPerBranch;
    try {
      await pgSampler.start();
      for (const s of samplers) s.start();
      const t0 = nowMs();
      // Half the branches reach one instance, half the other.
      await Promise.all(fleet.map((b) => pushAll(clients[b.n % 2] as HttpClient, b.credential, b.id, b.records, latencies)));
      seconds = (nowMs() - t0) / 1000;
      // The trackers project what was pushed behind the acknowledgements: their work is central's cost too.
      for (;;) {
        const behind = await watch.query<{ n: string }>(
          "SELECT count(*) AS n FROM branch_sync s LEFT JOIN tracking_cursor c ON c.branch_id = s.branch_id WHERE s.branch_id LIKE 'nat-%' AND coalesce(c.last_seq, 0) < s.last_seq",
        );
        if (Number(behind.rows[0]?.n ?? 0) === 0) break;
        await sleep(50);
      }
      projectedSeconds = (nowMs() - t0) / 1000;
      centralCpu = samplers.map((s) => s.stop());
      pgCpu = await pgSampler.stop();
    } finally {
      await watch.end();
    }
    log(`ingest: ${records.toLocaleString('en')} records from ${opts.branches} branches through 2 instances in ${seconds.toFixed(1)} s (projected in ${projectedSeconds.toFixed(1)} s)`);

    // Every acknowledgement lost: each branch sends everything again, through the other instance.
    const r0 = nowMs();
    await Promise.all(fleet.map((b) => pushAll(clients[(b.n + 1) % 2] as HttpClient, b.credential, b.id, b.records)));
    const replaySeconds = (nowMs() - r0) / 1000;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let held: number;
    try {
      held = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM ticket_events WHERE branch_id LIKE 'nat-%'")).rows[0]?.n ?? 0);
    } finally {
      await db.end();
    }
    for (const b of fleet) {
      const view = await (clients[0] as HttpClient).get<CentralBranchView>(`/api/central/branches/${b.id}`, ADMIN);
      if (view.body.sync.lastSeq !== b.records.length) throw new Error(`central acknowledged ${view.body.sync.lastSeq} of ${b.records.length} records of ${b.id}`);
    }
    return {
      branches: opts.branches, instances: 2, records, seconds: Math.round(seconds * 100) / 100, recordsPerSecond: Math.round(records / seconds),
      pushLatency: summarize(latencies), centralCpu, projectedSeconds: Math.round(projectedSeconds * 100) / 100,
      cpuMsPer1000: { instances: centralCpu.map((c) => Math.round((c.cpuSeconds * 1e6) / records)), postgres: Math.round((pgCpu * 1e6) / records) },
      heldAfterReplay: Math.round((held / records) * 10_000) / 10_000, replaySeconds: Math.round(replaySeconds * 100) / 100,
    };
  } finally {
    for (const c of clients) c.close();
    for (const i of instances) await i.stop();
  }
}

type TrackSocket = Socket<TrackServerToClient, TrackClientToServer>;

async function measureFanout(databaseUrl: string, sockets: number, log: (line: string) => void): Promise<NonNullable<NationalResult['fanout']>> {
  const instance = await startInstance(databaseUrl);
  const http = new HttpClient(instance.url);
  const open: TrackSocket[] = [];
  try {
    const branchId = 'nat-fanout';
    const credential = await enrolBranch(http, ADMIN, branchId);
    // A long line waiting now (issued in the last hours, so central counts them in the line).
    const start = new Date(Date.now() - sockets * 1000);
    const waiting: SyncEvent[] = [];
    for (let i = 0; i < sockets; i++) {
      waiting.push(...ticketRecords(branchId, waiting.length + 1, { serviceId: 'svc-a', prefix: 'A', issuedAt: new Date(start.getTime() + i * 1000) }, i + 1));
    }
    await pushAll(http, credential, branchId, waiting);
    const ids = waiting.map((r) => r.aggregateId);

    const c0 = nowMs();
    await inBatches(ids, 200, async (ticketId) => {
      const socket: TrackSocket = connect(`${instance.url}${TRACK_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
      open.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.once('connect', () => socket.emit('track:join', { ticketId, branchId }, (res) => (res.ok ? resolve() : reject(new Error(res.error.message)))));
      });
    });
    const connectSeconds = (nowMs() - c0) / 1000;
    log(`fan-out: ${open.length.toLocaleString('en')} tracking pages connected in ${connectSeconds.toFixed(1)} s`);
    await sleep(1000);

    // The first of the line is called: every other page's position moves up by one.
    const called = callRecord(waiting[0] as SyncEvent, waiting.length + 1);
    const latencies: number[] = [];
    const done = new Promise<void>((resolve) => {
      let left = open.length;
      const t0 = nowMs();
      const timeout = setTimeout(resolve, 30_000);
      for (const s of open) {
        s.once('track:update', (_view: TrackView) => {
          latencies.push(nowMs() - t0);
          if (--left === 0) { clearTimeout(timeout); resolve(); }
        });
      }
    });
    await pushRecords(http, credential, branchId, [called]);
    await done;
    const mem = memory(instance.pid);
    return { sockets: open.length, updated: latencies.length, connectSeconds: Math.round(connectSeconds * 10) / 10, latency: summarize(latencies), rssMb: Math.round(mem.rssMb), peakRssMb: Math.round(mem.hwmMb) };
  } finally {
    for (const s of open) s.disconnect();
    http.close();
    await instance.stop();
  }
}

export async function runNationalBench(opts: NationalOptions, log: (line: string) => void): Promise<NationalResult> {
  const problem = await postgresProblem();
  if (problem) {
    log(`PostgreSQL unreachable (${problem}): national-scale central skipped`);
    return { ingest: { branches: 0, instances: 0, records: 0, seconds: 0, recordsPerSecond: 0, pushLatency: summarize([]), centralCpu: [], projectedSeconds: 0, cpuMsPer1000: { instances: [], postgres: 0 }, heldAfterReplay: 0, replaySeconds: 0 }, fanout: null, skipped: problem };
  }
  const ingestDb = await createPgDatabase();
  let ingest: NationalResult['ingest'];
  try {
    ingest = await measureIngest(ingestDb.url, opts, log);
  } finally {
    await ingestDb.drop();
  }
  const fanoutDb = await createPgDatabase();
  try {
    return { ingest, fanout: await measureFanout(fanoutDb.url, opts.trackingSockets, log), skipped: null };
  } finally {
    await fanoutDb.drop();
  }
}
