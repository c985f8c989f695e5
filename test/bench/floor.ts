// The floor: what the machine itself costs for the work SmartQueue cannot avoid, measured in the same run.
// - one SQLite write transaction of a ticket and its event row, through better-sqlite3 directly, on the branch's
//   own schema and pragmas (WAL, synchronous=FULL: the commit is on disk before the answer);
// - a bare Socket.IO round trip (emit with acknowledgement) to a server that does nothing else;
// - for information: a bare HTTP round trip, and a bare Socket.IO fan-out to as many sockets as there are displays.
import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { branchMigrations } from '../../server/src/branch/db/migrations.js';
import { createStore, migrate, openSqlite } from '../../server/src/shared/db/sqlite.js';
import type { BranchDatabase } from '../../server/src/branch/db/schema.js';
import { HttpClient, startNodeChild, tempDataDir } from './harness.js';
import { io as ioClient, type Socket } from 'socket.io-client';
import { nowMs, summarize, type LatencySummary } from './stats.js';

export interface FloorResult {
  sqliteTransaction: LatencySummary;
  /** CPU (user + system) of one such transaction, ms: what a command's CPU is compared with. */
  sqliteTransactionCpuMs: number;
  socketIoRoundTrip: LatencySummary;
  httpRoundTrip: LatencySummary;
  /** Until every one of `fanoutSockets` sockets has a broadcast (info: the bare cost of reaching all displays). */
  socketIoFanout: LatencySummary;
  fanoutSockets: number;
}

export async function measureSqliteFloor(iterations: number): Promise<{ latency: LatencySummary; cpuMs: number }> {
  const dir = tempDataDir('floor');
  const sqlite = openSqlite(path.join(dir, 'floor.sqlite'));
  try {
    const store = createStore<BranchDatabase>(sqlite);
    await migrate(store.db, branchMigrations);
    const at = new Date().toISOString();
    sqlite.prepare("INSERT INTO organizations VALUES ('org', 'Floor', 'bank', 'Dakar', ?)").run(at);
    sqlite.prepare("INSERT INTO branches (id, organization_id, name, code, time_zone, opening_hours, created_at) VALUES ('br', 'org', 'Floor', 'F', 'Africa/Dakar', '{}', ?)").run(at);
    sqlite.prepare(`INSERT INTO services (id, branch_id, prefix, name_fr, name_wo, name_en, target_wait_minutes, default_service_minutes, created_at, updated_at)
      VALUES ('svc', 'br', 'A', 'A', 'A', 'A', 15, 4, ?, ?)`).run(at, at);
    const insertTicket = sqlite.prepare(`INSERT INTO tickets (id, branch_id, service_id, service_day, seq, number, status, queue_type, channel, language, issued_at, recall_count, device_id, updated_at)
      VALUES (?, 'br', 'svc', ?, ?, ?, 'waiting', 'normal', 'kiosk', 'fr', ?, 0, 'kiosk-1', ?)`);
    const insertEvent = sqlite.prepare(`INSERT INTO ticket_events (id, ticket_id, branch_id, service_id, type, from_status, to_status, at, device_id, data)
      VALUES (?, ?, 'br', 'svc', 'issued', NULL, 'waiting', ?, 'kiosk-1', '{"channel":"kiosk"}')`);
    const day = at.slice(0, 10);
    const tx = sqlite.transaction((seq: number) => {
      const id = uuidv7();
      const now = new Date().toISOString();
      insertTicket.run(id, day, seq, `A${String(seq).padStart(3, '0')}`, now, now);
      insertEvent.run(uuidv7(), id, now);
    });
    const samples: number[] = [];
    const warmup = Math.min(200, Math.ceil(iterations / 10));
    let cpuFrom = process.cpuUsage();
    for (let i = 1; i <= warmup + iterations; i++) {
      if (i === warmup + 1) cpuFrom = process.cpuUsage();
      const t0 = nowMs();
      tx.immediate(i);
      if (i > warmup) samples.push(nowMs() - t0);
    }
    // Nothing else runs in this process meanwhile: its CPU is the transactions'.
    const cpu = process.cpuUsage(cpuFrom);
    return { latency: summarize(samples), cpuMs: Math.round(((cpu.user + cpu.system) / 1000 / iterations) * 1000) / 1000 };
  } finally {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type EchoSocket = Socket;

function connect(url: string): Promise<EchoSocket> {
  const socket = ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export async function measureNetworkFloor(iterations: number, fanoutSockets: number): Promise<Omit<FloorResult, 'sqliteTransaction' | 'sqliteTransactionCpuMs'>> {
  const child = await startNodeChild<{ url: string }>('test/bench/echo-server.mjs', {}, [], { tsx: false });
  const http = new HttpClient(child.info.url);
  const sockets: EchoSocket[] = [];
  try {
    const payload = { counterId: '01a208f5-64f2-7a7b-8299-881d3c8237c1', commandId: '5b0c1c52-56ad-4b43-8d2b-1f0f3f7e7b43' };
    const warmup = Math.min(200, Math.ceil(iterations / 10));

    const httpSamples: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = nowMs();
      const res = await http.post('/echo', payload);
      if (res.status !== 200) throw new Error(`echo server answered ${res.status}`);
      if (i >= warmup) httpSamples.push(nowMs() - t0);
    }

    const sender = await connect(child.info.url);
    sockets.push(sender);
    const rtSamples: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = nowMs();
      await sender.timeout(10_000).emitWithAck('echo', payload);
      if (i >= warmup) rtSamples.push(nowMs() - t0);
    }

    const listeners: EchoSocket[] = [];
    for (let i = 0; i < fanoutSockets; i++) listeners.push(await connect(child.info.url));
    sockets.push(...listeners);
    const fanSamples: number[] = [];
    const fanIterations = Math.max(50, Math.ceil(iterations / 4));
    for (let i = 0; i < warmup + fanIterations; i++) {
      const t0 = nowMs();
      let pending = listeners.length;
      const allSeen = new Promise<void>((resolve) => {
        if (pending === 0) resolve();
        for (const l of listeners) l.once('fanned', () => { if (--pending === 0) resolve(); });
      });
      await sender.timeout(10_000).emitWithAck('fanout', { i, ...payload });
      await allSeen;
      if (i >= warmup) fanSamples.push(nowMs() - t0);
    }
    return {
      socketIoRoundTrip: summarize(rtSamples),
      httpRoundTrip: summarize(httpSamples),
      socketIoFanout: summarize(fanSamples),
      fanoutSockets,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    http.close();
    await new Promise<void>((resolve) => {
      if (child.process.exitCode !== null) return resolve();
      child.process.once('exit', () => resolve());
      child.process.kill('SIGTERM');
    });
  }
}

export async function measureFloor(opts: { iterations: number; fanoutSockets: number }): Promise<FloorResult> {
  const sqlite = await measureSqliteFloor(opts.iterations);
  const network = await measureNetworkFloor(opts.iterations, opts.fanoutSockets);
  return { sqliteTransaction: sqlite.latency, sqliteTransactionCpuMs: sqlite.cpuMs, ...network };
}
