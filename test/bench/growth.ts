// How cost grows. History: call-next and issuance latency with N served tickets (and their event rows) in the
// database, seeded straight into the SQLite file between a first start (which creates the schema and the demo
// branch) and a restart. The active queue is a partial index, so this must stay flat. Memory: the server's resident
// memory with N connected Socket.IO clients, idle and while tickets are issued and called.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { CommandResult, TicketView } from '../../server/src/shared/contracts/api.js';
import {
  commandId, connectSocket, counters, HttpClient, login, pairDevice, services, startBenchServer, tempDataDir,
  type BenchServer, type BenchSocket,
} from './harness.js';
import { ProcSampler } from './proc.js';
import { nowMs, sleep, summarize, type LatencySummary } from './stats.js';

const TICKETS_PER_DAY = 2_500;

export interface SeedResult {
  tickets: number;
  events: number;
  seconds: number;
  /** Seconds spent on the ticket rows, the event rows and rebuilding the indexes. */
  phases: { tickets: number; events: number; indexes: number };
  dbSizeMb: number;
}

/**
 * Bulk-insert `count` served tickets of past days (2,500 a day, 08:00–17:00), each with its four event rows
 * (issued, called, started, served), into a branch database that the server has created and closed. Two
 * INSERT … SELECT statements computed by SQLite itself (no row crosses from JavaScript), in one transaction, with
 * no journal and the secondary indexes dropped first and rebuilt at the end; the server reopens the file with its
 * own pragmas (WAL, FULL). Ids are UUIDv7-shaped with the row's own time, so they sort as the server's ids do.
 */
export function seedHistory(dataDir: string, count: number): SeedResult {
  const file = path.join(dataDir, 'branch.sqlite');
  const t0 = nowMs();
  const phases: SeedResult['phases'] = { tickets: 0, events: 0, indexes: 0 };
  let mark = t0;
  const lap = (phase: keyof SeedResult['phases']) => {
    const now = nowMs();
    phases[phase] = Math.round((now - mark) / 100) / 10;
    mark = now;
  };
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -200000');
    const branchId = (db.prepare("SELECT value FROM settings WHERE key = 'branch_id'").get() as { value: string }).value;
    const services = db.prepare('SELECT id, prefix FROM services WHERE deleted_at IS NULL ORDER BY prefix').all() as Array<{ id: string; prefix: string }>;
    const counters = (db.prepare('SELECT id FROM counters WHERE deleted_at IS NULL ORDER BY number').all() as Array<{ id: string }>).map((c) => c.id);
    const agentId = (db.prepare("SELECT id FROM users WHERE role = 'agent' ORDER BY login LIMIT 1").get() as { id: string }).id;
    const days = Math.ceil(count / TICKETS_PER_DAY);
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const firstDayMs = today.getTime() - days * 86_400_000;
    const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('tickets', 'ticket_events') AND sql IS NOT NULL")
      .all() as Array<{ name: string; sql: string }>;
    const firstRow = ((db.prepare('SELECT max(rowid) AS r FROM tickets').get() as { r: number | null }).r ?? 0) + 1;
    db.transaction(() => {
      for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
      // Ticket n: day n / 2500, the (n % 2500)-th of its day, services and counters in turn; called 10 min after
      // its issue, started 1 min later, served 5 min after that (Dakar is on UTC all year).
      db.prepare(`
        WITH RECURSIVE p AS (SELECT CAST(:count AS INTEGER) AS count, CAST(:firstDayMs AS INTEGER) AS first, CAST(:nsvc AS INTEGER) AS nsvc, CAST(:nctr AS INTEGER) AS nctr),
        n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n, p WHERE x + 1 < p.count),
        svc AS (SELECT CAST(key AS INTEGER) AS j, json_extract(value, '$.id') AS id, json_extract(value, '$.prefix') AS prefix FROM json_each(:services)),
        ctr AS (SELECT CAST(key AS INTEGER) AS j, value AS id FROM json_each(:counters)),
        t AS (
          SELECT x, x % ${TICKETS_PER_DAY} AS i, p.nsvc, p.nctr,
            p.first + (x / ${TICKETS_PER_DAY}) * 86400000 AS day_ms,
            p.first + (x / ${TICKETS_PER_DAY}) * 86400000 + 28800000 + ((x % ${TICKETS_PER_DAY}) * 32400000) / ${TICKETS_PER_DAY} AS ms
          FROM n, p
        )
        INSERT INTO tickets (id, branch_id, service_id, service_day, seq, number, status, queue_type, priority_reason, channel, language, phone, email,
          issued_at, due_at, called_at, started_at, finished_at, counter_id, target_counter_id, parked_at, recall_count, agent_id, device_id, booking_id,
          outcome, note, updated_at)
        SELECT printf('%08x-%04x-7%03x-%04x-%012x', t.ms / 65536, t.ms % 65536, (t.x >> 12) & 4095, 32768 | (t.x & 4095), abs(random()) % 281474976710656),
          :branchId, svc.id, strftime('%Y-%m-%d', t.day_ms / 1000, 'unixepoch'), t.i / t.nsvc + 1, svc.prefix || printf('%03d', t.i / t.nsvc + 1),
          'served', 'normal', NULL, 'kiosk', 'fr', NULL, NULL,
          strftime('%Y-%m-%dT%H:%M:%fZ', t.ms / 1000.0, 'unixepoch'), NULL,
          strftime('%Y-%m-%dT%H:%M:%fZ', (t.ms + 600000) / 1000.0, 'unixepoch'),
          strftime('%Y-%m-%dT%H:%M:%fZ', (t.ms + 660000) / 1000.0, 'unixepoch'),
          strftime('%Y-%m-%dT%H:%M:%fZ', (t.ms + 960000) / 1000.0, 'unixepoch'),
          ctr.id, NULL, NULL, 0, :agentId, NULL, NULL, NULL, NULL,
          strftime('%Y-%m-%dT%H:%M:%fZ', (t.ms + 960000) / 1000.0, 'unixepoch')
        FROM t JOIN svc ON svc.j = t.i % t.nsvc JOIN ctr ON ctr.j = t.i % t.nctr`).run({
        count, services: JSON.stringify(services), counters: JSON.stringify(counters), firstDayMs, branchId, agentId, nsvc: services.length, nctr: counters.length,
      });
      lap('tickets');
      db.prepare(`
        WITH kinds(k, type, from_status, to_status) AS (
          VALUES (0, 'issued', NULL, 'waiting'), (1, 'called', 'waiting', 'called'), (2, 'started', 'called', 'serving'), (3, 'served', 'serving', 'served')
        ),
        ev AS (
          SELECT t.rowid AS r, t.id AS ticket_id, t.branch_id, t.service_id, kinds.k, kinds.type, kinds.from_status, kinds.to_status,
            CASE kinds.k WHEN 0 THEN t.issued_at WHEN 1 THEN t.called_at WHEN 2 THEN t.started_at ELSE t.finished_at END AS at,
            CASE kinds.k WHEN 0 THEN NULL ELSE t.counter_id END AS counter_id,
            CASE kinds.k WHEN 0 THEN NULL ELSE t.agent_id END AS user_id
          FROM tickets t CROSS JOIN kinds
          WHERE t.rowid >= ?
        )
        INSERT INTO ticket_events (id, ticket_id, branch_id, service_id, type, from_status, to_status, at, counter_id, user_id, device_id, data)
        SELECT printf('%08x-%04x-7%03x-8000-%012x', ms / 65536, ms % 65536, k, r), ticket_id, branch_id, service_id, type, from_status, to_status, at,
          counter_id, user_id, NULL, NULL
        FROM (SELECT *, CAST(round((julianday(at) - 2440587.5) * 86400000) AS INTEGER) AS ms FROM ev)`).run(firstRow);
      lap('events');
      for (const ix of indexes) db.exec(ix.sql);
    })();
    lap('indexes');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return { tickets: count, events: count * 4, seconds: Math.round((nowMs() - t0) / 100) / 10, phases, dbSizeMb: dbSizeMb(dataDir) };
}

function dbSizeMb(dataDir: string): number {
  let bytes = 0;
  for (const f of fs.readdirSync(dataDir)) if (f.startsWith('branch.sqlite')) bytes += fs.statSync(path.join(dataDir, f)).size;
  return Math.round(bytes / 1024 / 102.4) / 10;
}

export interface HistoryPoint {
  historicalTickets: number;
  seed: SeedResult;
  /** Restart of the server on the seeded database: spawn to listening (includes loading the code). */
  startupMs: number;
  issuance: LatencySummary;
  callNext: LatencySummary;
}

/** One kiosk and one agent in lockstep (issue, call-next, start, complete), 20 tickets always waiting. */
async function measureHistoryPoint(historical: number, iterations: number, log: (line: string) => void): Promise<HistoryPoint> {
  const dataDir = tempDataDir(`history-${historical}`);
  let server: BenchServer | null = null;
  let http: HttpClient | null = null;
  try {
    const first = await startBenchServer({ dataDir });
    const credentials = first.credentials;
    await first.stop();
    log(`  seeding ${historical.toLocaleString('en')} served tickets and ${(historical * 4).toLocaleString('en')} event rows`);
    const seed = seedHistory(dataDir, historical);
    server = await startBenchServer({ dataDir, credentials });
    http = new HttpClient(server.url);
    const agentPassword = server.credentials.awa;
    if (!agentPassword) throw new Error('no demo agent login');
    const token = await login(http, 'awa', agentPassword);
    const counter = (await counters(http)).find((c) => c.number === 1);
    const serviceA = (await services(http)).find((s) => s.prefix === 'A');
    if (!counter || !serviceA) throw new Error('demo counter 1 or service A missing');
    const kiosk = await pairDevice(http, 'kiosk');
    const issue = async () => {
      const res = await http!.post<TicketView>('/api/tickets', { serviceId: serviceA.id }, kiosk);
      if (res.status !== 201) throw new Error(`issue: ${res.status} ${JSON.stringify(res.body)}`);
    };
    for (let i = 0; i < 20; i++) await issue();
    const issueSamples: number[] = [];
    const callSamples: number[] = [];
    const warmup = Math.min(30, Math.ceil(iterations / 5));
    for (let i = 0; i < warmup + iterations; i++) {
      let t0 = nowMs();
      await issue();
      if (i >= warmup) issueSamples.push(nowMs() - t0);
      t0 = nowMs();
      const call = await http.post<CommandResult>(`/api/counters/${counter.id}/call-next`, { commandId: commandId() }, token);
      if (call.status !== 200 || !call.body.ticket) throw new Error(`call-next: ${call.status} ${JSON.stringify(call.body)}`);
      if (i >= warmup) callSamples.push(nowMs() - t0);
      for (const step of ['start', 'complete']) {
        const r = await http.post(`/api/tickets/${call.body.ticket.id}/${step}`, { commandId: commandId() }, token);
        if (r.status !== 200) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
      }
    }
    return { historicalTickets: historical, seed, startupMs: Math.round(server.startupMs), issuance: summarize(issueSamples), callNext: summarize(callSamples) };
  } finally {
    http?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runHistoryGrowth(sizes: number[], iterations: number, log: (line: string) => void = () => {}): Promise<HistoryPoint[]> {
  const points: HistoryPoint[] = [];
  for (const size of sizes) points.push(await measureHistoryPoint(size, iterations, log));
  return points;
}

export interface MemoryPoint {
  clients: number;
  /** Resident memory once the clients are connected and the server is idle. */
  idleRssMb: number;
  /** Largest resident memory while tickets are issued and called to every client. */
  peakRssMb: number;
}

/**
 * Clients are mixed like a branch's screens: half call boards, a quarter kiosks, a quarter agent screens (staff
 * sockets, which also receive every ticket update). One server; clients are added to reach each count in turn.
 */
export async function runMemoryGrowth(counts: number[], log: (line: string) => void = () => {}): Promise<MemoryPoint[]> {
  const dataDir = tempDataDir('memory');
  let server: BenchServer | null = null;
  let http: HttpClient | null = null;
  const sockets: BenchSocket[] = [];
  try {
    server = await startBenchServer({ dataDir });
    http = new HttpClient(server.url);
    const staffTokens: string[] = [];
    for (const name of ['awa', 'moussa', 'fatou', 'aminata']) {
      const password = server.credentials[name];
      if (password) staffTokens.push(await login(http, name, password));
    }
    const agentToken = staffTokens[0];
    const counter = (await counters(http)).find((c) => c.number === 1);
    const serviceA = (await services(http)).find((s) => s.prefix === 'A');
    if (!agentToken || !counter || !serviceA) throw new Error('demo agent, counter 1 or service A missing');
    const kiosk = await pairDevice(http, 'kiosk');
    const points: MemoryPoint[] = [];
    for (const target of [...counts].sort((a, b) => a - b)) {
      while (sockets.length < target) {
        const i = sockets.length;
        const token = i % 4 === 0 ? (staffTokens[(i / 4) % staffTokens.length] as string) : await pairDevice(http, i % 4 === 1 ? 'kiosk' : 'display');
        sockets.push(await connectSocket(server.url, token));
      }
      await sleep(1000);
      const sampler = new ProcSampler(server.pid, 50);
      sampler.start();
      const idle = sampler.stop().endRssMb;
      sampler.start();
      // Activity that reaches every client: tickets issued (staff updates, queue updates) and calls (every screen).
      for (let i = 0; i < 30; i++) {
        const res = await http.post('/api/tickets', { serviceId: serviceA.id }, kiosk);
        if (res.status !== 201) throw new Error(`issue: ${res.status}`);
      }
      for (let i = 0; i < 10; i++) {
        const call = await http.post<CommandResult>(`/api/counters/${counter.id}/call-next`, { commandId: commandId() }, agentToken);
        const ticket = call.body.ticket;
        if (!ticket) break;
        await http.post(`/api/tickets/${ticket.id}/start`, { commandId: commandId() }, agentToken);
        await http.post(`/api/tickets/${ticket.id}/complete`, { commandId: commandId() }, agentToken);
      }
      await sleep(500);
      const usage = sampler.stop();
      points.push({ clients: target, idleRssMb: idle, peakRssMb: usage.peakRssMb });
      log(`  ${target} clients: ${idle} MB idle, ${usage.peakRssMb} MB peak`);
    }
    return points;
  } finally {
    for (const s of sockets) s.disconnect();
    http?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
