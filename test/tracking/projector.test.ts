// The tracking projector (central/tracking/projector.ts) on both dialects: a batch of pushed records costs a fixed
// number of statements, counted through the database layer, and the facts, subscriptions and queued messages it
// leaves are what projecting the same records one at a time leaves, including records read again (a cursor moved
// back: a batch that mixes records the rows already hold with newer ones) and a whole replay.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../server/src/shared/contracts/sync.js';
import { EnrolBranchBody } from '../../server/src/shared/contracts/sync.js';
import { openCentralDatabase, type CentralDb } from '../../server/src/central/db/database.js';
import { enrolBranch } from '../../server/src/central/branches/branches.js';
import { applyPush } from '../../server/src/central/ingest/ingest.js';
import { Notifier } from '../../server/src/central/notifications/notifier.js';
import { migrateNotifications } from '../../server/src/central/notifications/store.js';
import { trackDb, type TrackDb } from '../../server/src/central/tracking/db.js';
import { TrackingProjector } from '../../server/src/central/tracking/projector.js';
import { migrateTracking } from '../../server/src/central/tracking/tracking.migration.js';
import { centralDialects, createPgDatabase, type Dialect, type TestPgDatabase } from '../support/postgres.js';

const dialects = await centralDialects();
const NOW = new Date('2025-03-12T10:00:00.000Z');
const BRANCH = 'br-projector';

/** Counts the statements Kysely sends (BEGIN and COMMIT are the driver's and not counted). */
class StatementCounter implements KyselyPlugin {
  count = 0;
  /** The last statements' kinds and first table, for a failure's message. */
  seen: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    const n = args.node as { kind: string; from?: { froms: Array<{ table?: { identifier?: { name: string } }; node?: { table?: { identifier?: { name: string } } } }> }; into?: { table: { identifier: { name: string } } }; table?: { table?: { identifier?: { name: string } } } };
    const table = n.into?.table.identifier.name ?? n.table?.table?.identifier?.name ?? n.from?.froms[0]?.table?.identifier?.name ?? n.from?.froms[0]?.node?.table?.identifier?.name ?? '?';
    this.seen.push(`${n.kind.replace('QueryNode', '')} ${table}`);
    return args.node;
  }
  reset(): void {
    this.count = 0;
    this.seen = [];
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** A small deterministic generator (mulberry32): the same records on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Lives of `tickets` tickets, interleaved at random: issued (some with a phone or an e-mail, some unusable), called
 * at a counter (some calls without a counter number), recalled at another, parked and unparked, sent to a
 * counter, served or not. Times end shortly before NOW, so calls are recent enough to be announced.
 */
function records(tickets: number, seed: number): SyncEvent[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  type Step = { type: string; to: string; patch: Record<string, unknown>; data: Record<string, unknown> };
  const lives = Array.from({ length: tickets }, (_, i) => {
    const counter = 1 + Math.floor(rnd() * 4);
    const other = 1 + ((counter + 1) % 4);
    const steps: Step[] = [];
    const call = (type: string, n: number | null): Step => ({ type, to: 'called', patch: {}, data: n === null ? {} : { counterNumber: n } });
    const plan = pick(['wait', 'wait', 'serve', 'recall', 'park', 'target', 'nocounter', 'noshow']);
    if (plan !== 'wait') {
      if (plan === 'target') steps.push({ type: 'transferred', to: 'transferred', patch: { target_counter_id: `counter-${other}` }, data: {} });
      steps.push(call('called', plan === 'nocounter' ? null : counter));
      if (plan === 'recall') steps.push(call('recalled', other));
      if (plan === 'park') {
        steps.push({ type: 'parked', to: 'waiting', patch: { parked_at: 'AT' }, data: {} });
        steps.push({ type: 'unparked', to: 'called', patch: { parked_at: null }, data: { counterNumber: other } });
      }
      if (plan === 'nocounter') steps.push(call('recalled', null));
      if (plan === 'serve') {
        steps.push({ type: 'started', to: 'serving', patch: {}, data: {} });
        steps.push({ type: 'served', to: 'served', patch: {}, data: {} });
      }
      if (plan === 'noshow') steps.push({ type: 'no_show', to: 'no_show', patch: {}, data: {} });
    }
    const contact = pick(['none', 'none', 'phone', 'email', 'both', 'bad']);
    return {
      id: `tk-${seed}-${i}`, service: i % 3 === 0 ? 'svc-b' : 'svc-a', number: `${i % 3 === 0 ? 'B' : 'A'}${String(i + 1).padStart(3, '0')}`,
      phone: contact === 'phone' || contact === 'both' ? `+22177${String(1000000 + i).slice(-7)}` : contact === 'bad' ? '12' : null,
      email: contact === 'email' || contact === 'both' ? `visitor${i}@example.sn` : null,
      language: pick(['fr', 'wo', 'en']), steps, next: -1, status: 'waiting', row: {} as Record<string, unknown>,
    };
  });
  const out: SyncEvent[] = [];
  const start = NOW.getTime() - 50 * 60_000;
  const active = [...lives];
  while (active.length) {
    const k = Math.floor(rnd() * active.length);
    const life = active[k] as (typeof lives)[number];
    const at = new Date(start + out.length * 1000).toISOString();
    const eventId = `ev-${seed}-${out.length}`;
    const seq = out.length + 1;
    let type: string; let from: string | null; let to: string; let data: Record<string, unknown>;
    if (life.next < 0) {
      life.row = {
        id: life.id, branch_id: BRANCH, service_id: life.service, service_day: at.slice(0, 10), number: life.number, status: 'waiting',
        queue_type: 'normal', priority_reason: null, channel: 'kiosk', language: life.language, phone: life.phone, email: life.email,
        issued_at: at, due_at: null, called_at: null, started_at: null, finished_at: null, counter_id: null, target_counter_id: null,
        parked_at: null, recall_count: 0, agent_id: null, device_id: null, booking_id: null, outcome: null, note: null, updated_at: at,
      };
      type = 'issued'; from = null; to = 'waiting'; data = {};
    } else {
      const step = life.steps[life.next] as Step;
      const patch = Object.fromEntries(Object.entries(step.patch).map(([key, v]) => [key, v === 'AT' ? at : v]));
      life.row = { ...life.row, ...patch, ...(step.to === 'called' && { called_at: at }) };
      type = step.type; from = life.status; to = step.to; data = step.data;
    }
    life.status = to;
    life.row = { ...life.row, status: to, updated_at: at };
    out.push({
      seq, eventId, aggregateType: 'ticket', aggregateId: life.id, eventType: `ticket.${type}`, eventVersion: 1, occurredAt: at,
      payload: { ticket: { ...life.row }, event: { id: eventId, type, from, to, at, counterId: null, userId: null, deviceId: null, data } },
    });
    life.next++;
    if (life.next >= life.steps.length) active.splice(k, 1);
  }
  return out;
}

interface World {
  cdb: CentralDb;
  counter: StatementCounter;
  db: TrackDb;
  projector(batchSize: number): TrackingProjector;
  push(events: SyncEvent[]): Promise<void>;
  close(): Promise<void>;
}

async function world(dialect: Dialect): Promise<World> {
  let pgDb: TestPgDatabase | null = null;
  let dir: string | null = null;
  let databaseUrl: string;
  if (dialect === 'postgres') {
    pgDb = await createPgDatabase();
    databaseUrl = pgDb.url;
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-projector-'));
    databaseUrl = path.join(dir, 'central.sqlite');
  }
  const cdb = await openCentralDatabase({ databaseUrl });
  await migrateNotifications(cdb.db);
  await migrateTracking(cdb.db);
  await enrolBranch(cdb, EnrolBranchBody.parse({ id: BRANCH, name: 'Agence Médina', region: 'Dakar', organization: { id: 'org', name: 'Banque', type: 'bank' } }), NOW.toISOString());
  const counter = new StatementCounter();
  const db = trackDb(cdb.db.withPlugin(counter));
  const settings = {
    staleAfterSeconds: 3600, calledMaxAgeSeconds: 3600, defaultNotifyAt: 3, remoteLeadMinutes: 30, publicUrl: () => 'https://suivi.example.sn',
    viewContext: () => ({ now: NOW, staleAfterSeconds: 3600, defaultNotifyAt: 3, channels: { push: false, email: true, sms: true }, vapidPublicKey: null }),
  };
  return {
    cdb, counter, db,
    projector: (batchSize) => new TrackingProjector({
      db, dialect: cdb.dialect, now: () => NOW, logger: pino({ level: 'silent' }), notifier: new Notifier(new Set(['sms', 'email'])), settings, batchSize,
    }),
    async push(events) {
      for (let i = 0; i < events.length; i += 500) await applyPush(cdb, BRANCH, { events: events.slice(i, i + 500) }, NOW.toISOString());
    },
    async close() {
      await cdb.close();
      await pgDb?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What projection leaves, without the random ids. */
async function state(db: TrackDb) {
  const tickets = await db.selectFrom('tracking_tickets').selectAll().orderBy('ticket_id').execute();
  const subscriptions = await db.selectFrom('tracking_subscriptions')
    .select(['ticket_id', 'branch_id', 'channel', 'recipient', 'target', 'language', 'source', 'created_at', 'revoked_at'])
    .orderBy('ticket_id').orderBy('channel').orderBy('recipient').execute();
  const deliveries = await db.selectFrom('notification_deliveries')
    .select(['event_key', 'channel', 'recipient', 'kind', 'language', 'target', 'message', 'status', 'expires_at', 'ref_type', 'ref_id', 'branch_id', 'created_at'])
    .orderBy('event_key').orderBy('channel').orderBy('recipient').execute();
  const cursor = await db.selectFrom('tracking_cursor').selectAll().execute();
  return { tickets: tickets.map((t) => ({ ...t, source_seq: Number(t.source_seq) })), subscriptions, deliveries, cursor: cursor.map((c) => ({ ...c, last_seq: Number(c.last_seq) })) };
}

/**
 * The facts by their plain rule, record after record: a newer record replaces a ticket's service, target counter
 * and parking; a call, recall or unpark sets the counter number (none when the event carries none); other events
 * keep the last one.
 */
function expectedFacts(events: readonly SyncEvent[]) {
  const rows = new Map<string, { ticket_id: string; branch_id: string; service_id: string; target_counter_id: string | null; parked_at: string | null; counter_number: number | null; source_seq: number }>();
  for (const e of events) {
    const p = e.payload as { ticket: Record<string, string | null>; event: { type: string; data: { counterNumber?: number } } };
    const called = ['called', 'recalled', 'unparked'].includes(p.event.type);
    const id = p.ticket.id as string;
    const held = rows.get(id);
    rows.set(id, {
      ticket_id: id, branch_id: BRANCH, service_id: p.ticket.service_id as string, target_counter_id: p.ticket.target_counter_id ?? null,
      parked_at: p.ticket.parked_at ?? null, counter_number: called ? p.event.data.counterNumber ?? null : held?.counter_number ?? null, source_seq: e.seq,
    });
  }
  return [...rows.values()].sort((a, b) => (a.ticket_id < b.ticket_id ? -1 : 1));
}

describe.each(dialects)('tracking projector on %s', (dialect) => {
  let batched: World;
  let oneByOne: World;
  const all = records(800, 19);
  const firstPart = all.slice(0, 1000);
  const rest = all.slice(1000);

  beforeAll(async () => {
    [batched, oneByOne] = await Promise.all([world(dialect), world(dialect)]);
  });
  afterAll(async () => {
    await batched?.close();
    await oneByOne?.close();
  });

  it('projects 500 records in at most 20 statements', async () => {
    expect(all.length).toBeGreaterThan(2000);
    await batched.push(firstPart);
    const projector = batched.projector(500);
    batched.counter.reset();
    await projector.runOnce();
    // 1,000 records: two batches, then the pass that finds nothing more and decides "your turn is near".
    const statements = batched.counter.count;
    expect(statements, `${statements} statements for ${firstPart.length} records: ${batched.counter.seen.join(', ')}`).toBeLessThanOrEqual(20 * (firstPart.length / 500));
    const after = await state(batched.db);
    expect(after.cursor).toEqual([{ branch_id: BRANCH, last_seq: 1000 }]);
    // The records gave something to check: subscriptions and both kinds of message.
    expect(after.subscriptions.length).toBeGreaterThan(100);
    expect(new Set(after.deliveries.map((d) => d.kind))).toEqual(new Set(['called', 'turn_near']));
  });

  it('leaves what projecting one record at a time leaves, with records read again and a full replay', async () => {
    // The same pushes and cursor moves, one record per transaction (as the projector did before it batched) and
    // 500 per transaction; the first part was projected by the test above.
    const single = oneByOne.projector(1);
    await oneByOne.push(firstPart);
    await single.runOnce();
    const projector = batched.projector(500);
    for (const w of [oneByOne, batched]) await w.push(rest);
    for (const [w, p] of [[oneByOne, single], [batched, projector]] as const) {
      // The cursor moved back into the first part: the next batch holds records the rows already have and newer ones.
      await w.db.updateTable('tracking_cursor').set({ last_seq: 730 }).where('branch_id', '=', BRANCH).execute();
      await p.runOnce();
    }
    const reference = await state(oneByOne.db);
    expect(reference.tickets).toEqual(expectedFacts(all));
    const got = await state(batched.db);
    expect(got.tickets).toEqual(reference.tickets);
    expect(got.subscriptions).toEqual(reference.subscriptions);
    expect(got.deliveries).toEqual(reference.deliveries);
    expect(got).toEqual(reference);

    // Everything read again, on both: the facts and subscriptions stay, the messages already queued stay as they
    // were (the log's key), and both end the same. (A call read again is decided again from the ticket's status
    // now, so it may be announced now when it was not then: the same on both.)
    for (const w of [oneByOne, batched]) await w.db.updateTable('tracking_cursor').set({ last_seq: 0 }).where('branch_id', '=', BRANCH).execute();
    await single.runOnce();
    batched.counter.reset();
    await projector.runOnce();
    expect(batched.counter.count).toBeLessThanOrEqual(20 * Math.ceil(all.length / 500));
    const replayed = await state(batched.db);
    expect(replayed).toEqual(await state(oneByOne.db));
    expect([replayed.tickets, replayed.subscriptions, replayed.cursor]).toEqual([reference.tickets, reference.subscriptions, reference.cursor]);
    expect(replayed.deliveries).toEqual(expect.arrayContaining(reference.deliveries));
  });
});
