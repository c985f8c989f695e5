// How cost grows. History: call-next and issuance latency with N served tickets (and their event rows) in the
// database, seeded straight into the SQLite file between a first start (which creates the schema and the demo
// branch) and a restart. The active queue is a partial index, so this must stay flat. Memory: the server's resident
// memory with N connected Socket.IO clients, idle and while tickets are issued and called.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { CommandResult, TicketView } from '../../server/src/contracts/api.js';
import {
  commandId, connectSocket, counters, HttpClient, login, pairDevice, services, startBenchServer, tempDataDir,
  type BenchServer, type BenchSocket,
} from './harness.js';
import { ProcSampler } from './proc.js';
import { nowMs, sleep, summarize, type LatencySummary } from './stats.js';

const TICKETS_PER_DAY = 2_500;
const BATCH = 50_000;

/** UUIDv7 of a past instant, fast and strictly increasing (a counter fills the random bits): ids sort like times. */
function historicalIds() {
  let counter = 0;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return (ms: number): string => {
    counter += 1;
    const t = hex(ms, 12);
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex((counter >>> 20) & 0xfff, 3)}-${hex(0x8000 | ((counter >>> 8) & 0xfff), 4)}-${hex(counter & 0xff, 2)}${hex(Math.floor(Math.random() * 2 ** 40), 10)}`;
  };
}

export interface SeedResult { tickets: number; events: number; seconds: number; dbSizeMb: number }

/**
 * Bulk-insert `count` served tickets of past days, each with its four event rows (issued, called, started, served),
 * into a branch database that the server has created and closed. Fast settings for this connection only: the
 * server reopens the file with its own pragmas.
 */
export function seedHistory(dataDir: string, count: number): SeedResult {
  const file = path.join(dataDir, 'branch.sqlite');
  const t0 = nowMs();
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -200000');
    const branchId = (db.prepare("SELECT value FROM settings WHERE key = 'branch_id'").get() as { value: string }).value;
    const svc = db.prepare('SELECT id, prefix FROM services WHERE deleted_at IS NULL ORDER BY prefix').all() as Array<{ id: string; prefix: string }>;
    const counterIds = (db.prepare('SELECT id FROM counters WHERE deleted_at IS NULL ORDER BY number').all() as Array<{ id: string }>).map((c) => c.id);
    const agentId = (db.prepare("SELECT id FROM users WHERE role = 'agent' ORDER BY login LIMIT 1").get() as { id: string }).id;
    const insertTicket = db.prepare(`INSERT INTO tickets (id, branch_id, service_id, service_day, seq, number, status, queue_type, priority_reason, channel,
      language, phone, email, issued_at, due_at, called_at, started_at, finished_at, counter_id, target_counter_id, parked_at, recall_count,
      agent_id, device_id, booking_id, outcome, note, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, 'served', 'normal', NULL, 'kiosk', 'fr', NULL, NULL, ?, NULL, ?, ?, ?, ?, NULL, NULL, 0, ?, NULL, NULL, NULL, NULL, ?)`);
    const insertEvent = db.prepare(`INSERT INTO ticket_events (id, ticket_id, branch_id, service_id, type, from_status, to_status, at, counter_id, user_id, device_id, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`);
    const days = Math.ceil(count / TICKETS_PER_DAY);
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const firstDay = today.getTime() - days * 86_400_000;
    const spacing = (9 * 3_600_000) / TICKETS_PER_DAY; // 08:00–17:00 (Dakar is UTC all year)
    const iso = (ms: number) => new Date(ms).toISOString();
    const uuidv7 = historicalIds();
    // Building the secondary indexes once at the end is much faster than maintaining them row by row; they are
    // recreated from their own SQL, so the schema stays exactly the server's.
    const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('tickets', 'ticket_events') AND sql IS NOT NULL")
      .all() as Array<{ name: string; sql: string }>;
    for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const day = Math.floor(n / TICKETS_PER_DAY);
        const i = n % TICKETS_PER_DAY;
        const s = svc[i % svc.length] as { id: string; prefix: string };
        const seq = Math.floor(i / svc.length) + 1;
        const dayStart = firstDay + day * 86_400_000;
        const issued = dayStart + 8 * 3_600_000 + i * spacing;
        const called = issued + 10 * 60_000;
        const started = called + 60_000;
        const finished = started + 5 * 60_000;
        const counterId = counterIds[i % counterIds.length] ?? null;
        const id = uuidv7(Math.floor(issued));
        insertTicket.run(id, branchId, s.id, iso(dayStart).slice(0, 10), seq, `${s.prefix}${String(seq).padStart(3, '0')}`,
          iso(issued), iso(called), iso(started), iso(finished), counterId, agentId, iso(finished));
        insertEvent.run(uuidv7(Math.floor(issued)), id, branchId, s.id, 'issued', null, 'waiting', iso(issued), null, null);
        insertEvent.run(uuidv7(Math.floor(called)), id, branchId, s.id, 'called', 'waiting', 'called', iso(called), counterId, agentId);
        insertEvent.run(uuidv7(Math.floor(started)), id, branchId, s.id, 'started', 'called', 'serving', iso(started), counterId, agentId);
        insertEvent.run(uuidv7(Math.floor(finished)), id, branchId, s.id, 'served', 'serving', 'served', iso(finished), counterId, agentId);
      }
    });
    for (let from = 0; from < count; from += BATCH) insertBatch(from, Math.min(count, from + BATCH));
    for (const ix of indexes) db.exec(ix.sql);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return { tickets: count, events: count * 4, seconds: Math.round((nowMs() - t0) / 100) / 10, dbSizeMb: dbSizeMb(dataDir) };
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
