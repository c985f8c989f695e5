// Push ingest: a branch's batch of outbox records applied in one transaction (SYNC.md "Push").
// Exactly-once effect: the branch's sync row is locked, records at or below last_seq are duplicates and skipped,
// a batch that does not start at last_seq + 1 is refused (409), and the key (branch_id, event_id) is a second safety
// net. Every record is keyed by its branch as well as its id, so that no branch can shadow another's.
// A malformed record is quarantined and still advances last_seq, so one bad record never blocks a branch.
import { TicketPayloadV1, type TicketSnapshotV1 } from '../../shared/contracts/replicated.js';
import { MAX_PUSH_EVENTS, SyncEvent, type PushRequest, type PushResponse, type RejectedEvent } from '../../shared/contracts/sync.js';
import { zodMessage } from '../../shared/http/errors.js';
import { chunks, insertRows, lockBranchSync, type CentralDb, type CentralTrx, type Columns } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import type { CentralTicketEventsTable, CentralTicketsTable, SyncEventsTable } from '../db/schema.js';
import { applyAppointmentFacts } from '../booking/booking-ingest.js';
import { applyPaymentFacts } from '../payments/payment-ingest.js';
import { applyConfigFacts } from '../config/org-config.js';
import { applyDirectoryFacts } from '../analytics/directory.js';
import { applyRollupDelta, branchZones, RollupDelta } from '../analytics/rollups.js';

/** A record bigger than this (JSON) is quarantined: nothing a branch writes legitimately comes close. */
export const MAX_RECORD_BYTES = 64 * 1024;
/**
 * Rows per multi-row insert or IN list: a whole batch in one statement per table (fewer round trips to
 * PostgreSQL). 500 rows × 22 columns stay under both dialects' bound-parameter limits (SQLite 32766, PostgreSQL 65535).
 */
const CHUNK = MAX_PUSH_EVENTS;

// The ticket record's schema is shared with the branch, which builds its outbox payloads typed by it.

/** Newest ticket event_version this central understands; converters bring older versions up to it. */
const TICKET_EVENT_VERSION = 1;
const TICKET_CONVERTERS: Record<number, (payload: unknown) => unknown> = { 1: (p) => p };

type Decision =
  | { kind: 'ticket'; event: SyncEvent; payloadText: string; data: TicketPayloadV1 }
  | { kind: 'parked'; event: SyncEvent; payloadText: string }
  | { kind: 'rejected'; seq: number; eventId: string | null; reason: string; recordText: string };

type Envelope = PushRequest['events'][number];

function reject(raw: Envelope, reason: string): Decision {
  let recordText = JSON.stringify(raw);
  if (recordText.length > MAX_RECORD_BYTES) recordText = JSON.stringify({ truncated: true, head: recordText.slice(0, 4096) });
  return { kind: 'rejected', seq: raw.seq, eventId: raw.eventId, reason, recordText };
}

/**
 * What the push route's envelope did not check of a record (its seq and event id are typed already). Each field is
 * validated once: the envelope at the edge, the rest here, where a malformed record is quarantined, not refused.
 */
const RecordRest = SyncEvent.omit({ seq: true, eventId: true });

/** Decide, without touching the database, what to do with one record. */
export function classifyRecord(branchId: string, raw: Envelope): Decision {
  const parsed = RecordRest.safeParse(raw);
  if (!parsed.success) return reject(raw, `malformed record: ${zodMessage(parsed.error)}`);
  const event: SyncEvent = { ...parsed.data, seq: raw.seq, eventId: raw.eventId };
  const payloadText = JSON.stringify(event.payload ?? null);
  if (payloadText.length > MAX_RECORD_BYTES) return reject(raw, `payload is larger than ${MAX_RECORD_BYTES} bytes`);
  if (event.aggregateType !== 'ticket') {
    // Bookings, payments (issues 6, 7) and anything newer: kept as received, materialised once central knows them.
    return { kind: 'parked', event, payloadText };
  }
  if (event.eventVersion > TICKET_EVENT_VERSION) return { kind: 'parked', event, payloadText };
  const convert = TICKET_CONVERTERS[event.eventVersion];
  if (!convert) return reject(raw, `ticket event_version ${event.eventVersion} is not supported`);
  const payload = TicketPayloadV1.safeParse(convert(event.payload));
  if (!payload.success) return reject(raw, `malformed ticket payload: ${zodMessage(payload.error)}`);
  const { ticket, event: te } = payload.data;
  if (ticket.id !== event.aggregateId) return reject(raw, `payload ticket ${ticket.id} is not the aggregate ${event.aggregateId}`);
  if (ticket.branch_id !== branchId) return reject(raw, `ticket ${ticket.id} belongs to branch ${ticket.branch_id}, not to ${branchId}`);
  if (te.id !== event.eventId) return reject(raw, `payload event ${te.id} is not the record's event ${event.eventId}`);
  if (event.eventType !== `ticket.${te.type}`) return reject(raw, `event type ${event.eventType} does not match payload type ${te.type}`);
  if (te.to !== ticket.status) return reject(raw, `event moves the ticket to ${te.to} but the snapshot says ${ticket.status}`);
  return { kind: 'ticket', event, payloadText, data: payload.data };
}

export interface PushInput {
  events: Envelope[];
  headSeq?: number;
  oldestPendingAt?: string | null;
}

/**
 * Apply one batch for a branch. Throws CentralError (4xx) for a batch that must not be applied at all.
 * `rollups: false` is for the benchmark only (ingest throughput without the rollups, in the same run).
 */
export async function applyPush(cdb: CentralDb, branchId: string, input: PushInput, now: string, opts: { rollups?: boolean } = {}): Promise<PushResponse> {
  const events = input.events;
  if (events.length > MAX_PUSH_EVENTS) {
    throw new CentralError(413, 'BATCH_TOO_LARGE', `a push carries at most ${MAX_PUSH_EVENTS} records, this one has ${events.length}`, { maxEvents: MAX_PUSH_EVENTS });
  }
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1] as Envelope;
    const cur = events[i] as Envelope;
    if (cur.seq !== prev.seq + 1) {
      throw new CentralError(400, 'SEQUENCE_NOT_CONSECUTIVE', `records must have consecutive seq: ${cur.seq} follows ${prev.seq}`, { index: i });
    }
  }

  return cdb.db.transaction().execute(async (trx) => {
    const sync = await lockBranchSync(trx, cdb.dialect, branchId);
    if (!sync) throw new CentralError(403, 'BRANCH_NOT_ENROLLED', `branch ${branchId} is not enrolled at central`);
    const lastSeq = sync.last_seq;
    const duplicates = events.filter((e) => e.seq <= lastSeq);
    const fresh = events.filter((e) => e.seq > lastSeq);
    if (duplicates.length) await checkSameRecords(trx, branchId, duplicates);
    const first = fresh[0];
    if (first && first.seq !== lastSeq + 1) {
      throw new CentralError(409, 'SEQUENCE_GAP', `central holds this branch's records up to seq ${lastSeq}: send seq ${lastSeq + 1} next, not ${first.seq}`, { expectedSeq: lastSeq + 1, lastSeq });
    }

    const decisions = fresh.map((e) => classifyRecord(branchId, e));
    await quarantineCollisions(trx, branchId, decisions);

    const rejected: RejectedEvent[] = [];
    const accepted: SyncEventsTable[] = [];
    const tickets = new Map<string, CentralTicketsTable>();
    const ticketEvents: CentralTicketEventsTable[] = [];
    for (const d of decisions) {
      if (d.kind === 'rejected') {
        rejected.push({ seq: d.seq, eventId: d.eventId, reason: d.reason });
        continue;
      }
      const e = d.event;
      accepted.push({
        event_id: e.eventId, branch_id: branchId, seq: e.seq, aggregate_type: e.aggregateType, aggregate_id: e.aggregateId,
        event_type: e.eventType, event_version: e.eventVersion, payload: d.payloadText, occurred_at: utc(e.occurredAt),
        received_at: now, status: d.kind === 'ticket' ? 'applied' : 'parked',
      });
      if (d.kind === 'ticket') {
        // Later records of the same ticket in this batch win: one row per ticket in the upsert.
        const firstCall = d.data.event.type === 'called' ? utc(d.data.event.at) : null;
        const earlier = tickets.get(d.data.ticket.id)?.first_called_at ?? null;
        tickets.set(d.data.ticket.id, { ...ticketRow(d.data.ticket, e.seq), first_called_at: earlier ?? firstCall });
        ticketEvents.push(ticketEventRow(d.data, branchId));
      }
    }

    for (const part of chunks(decisions.filter((d) => d.kind === 'rejected'), CHUNK)) {
      await trx.insertInto('sync_quarantine')
        .values(part.map((d) => ({ branch_id: branchId, seq: d.seq, event_id: d.eventId, reason: d.reason, record: d.recordText, received_at: now })))
        .execute();
    }
    for (const part of chunks(accepted, CHUNK)) {
      // The branch's sync row is locked and its event ids were checked: a conflict here is a bug, not a race.
      await insertRows(trx, cdb.dialect, 'sync_events', SYNC_EVENT_COLUMNS, part).execute();
    }
    // Rollups: the rows these tickets replace take their contribution away, the new rows add theirs.
    const rollups = opts.rollups ?? true;
    const delta = new RollupDelta();
    const zone = (await branchZones(trx, [branchId])).get(branchId) ?? 'Africa/Dakar';
    for (const part of chunks([...tickets.keys()], CHUNK)) {
      const held = await trx.selectFrom('tickets').select(['id', 'branch_id', 'service_id', 'agent_id', 'status', 'issued_at', 'started_at', 'finished_at', 'first_called_at', 'source_seq'])
        .where('branch_id', '=', branchId).where('id', 'in', part).execute();
      for (const h of held) {
        const next = tickets.get(h.id) as CentralTicketsTable;
        if (h.source_seq >= next.source_seq) {
          tickets.delete(h.id);
          continue;
        }
        next.first_called_at = h.first_called_at ?? next.first_called_at;
        if (rollups) delta.add(h, zone, -1);
      }
    }
    if (rollups) {
      for (const t of tickets.values()) delta.add(t, zone, 1);
      await applyRollupDelta(trx, delta);
    }
    for (const part of chunks([...tickets.values()], CHUNK)) {
      await insertRows(trx, cdb.dialect, 'tickets', TICKET_COLUMNS, part)
        .onConflict((oc) => oc.columns(['branch_id', 'id'])
          .doUpdateSet((eb) => ({
            service_id: eb.ref('excluded.service_id'), service_day: eb.ref('excluded.service_day'), number: eb.ref('excluded.number'),
            status: eb.ref('excluded.status'), queue_type: eb.ref('excluded.queue_type'), priority_reason: eb.ref('excluded.priority_reason'),
            channel: eb.ref('excluded.channel'), language: eb.ref('excluded.language'), issued_at: eb.ref('excluded.issued_at'),
            due_at: eb.ref('excluded.due_at'), called_at: eb.ref('excluded.called_at'), started_at: eb.ref('excluded.started_at'),
            finished_at: eb.ref('excluded.finished_at'), counter_id: eb.ref('excluded.counter_id'), agent_id: eb.ref('excluded.agent_id'),
            booking_id: eb.ref('excluded.booking_id'), outcome: eb.ref('excluded.outcome'), recall_count: eb.ref('excluded.recall_count'),
            updated_at: eb.ref('excluded.updated_at'), source_seq: eb.ref('excluded.source_seq'), first_called_at: eb.ref('excluded.first_called_at'),
          }))
          // Only a newer record replaces the row (the key holds the branch: never another branch's row).
          .where((eb) => eb('tickets.source_seq', '<', eb.ref('excluded.source_seq'))))
        .execute();
    }
    for (const part of chunks(ticketEvents, CHUNK)) {
      await insertRows(trx, cdb.dialect, 'ticket_events', TICKET_EVENT_COLUMNS, part).onConflict((oc) => oc.columns(['branch_id', 'id']).doNothing()).execute();
    }

    // Appointment facts (settings, check-ins, no-shows) take effect in this same transaction.
    await applyAppointmentFacts(trx, branchId, accepted, now);
    // Payment facts: central's copy of the branch's payments (what head-office totals count).
    await applyPaymentFacts(trx, branchId, accepted, now);
    // Branches' answers to the configuration head office pushed.
    await applyConfigFacts(trx, branchId, accepted);
    // Names of services and staff, printer states.
    await applyDirectoryFacts(trx, branchId, accepted);

    const newLast = fresh.length ? (fresh[fresh.length - 1] as Envelope).seq : lastSeq;
    await trx.updateTable('branch_sync').set({
      last_seq: newLast,
      head_seq: Math.max(input.headSeq ?? 0, newLast),
      oldest_pending_at: input.oldestPendingAt ?? null,
      last_push_at: now,
      rejected_count: sync.rejected_count + rejected.length,
    }).where('branch_id', '=', branchId).execute();

    return {
      ackedSeq: newLast,
      rejected,
      applied: accepted.length,
      duplicates: duplicates.length,
    };
  });
}

/**
 * A replayed record must be the one central already holds at that seq. Another event id at a known seq means the
 * branch's outbox was rebuilt (a database restored from an old backup): refuse, so that nothing is silently dropped.
 */
async function checkSameRecords(trx: CentralTrx, branchId: string, records: Envelope[]): Promise<void> {
  const known = new Map<number, string | null>();
  for (const part of chunks(records.map((r) => r.seq), CHUNK)) {
    const events = await trx.selectFrom('sync_events').select(['seq', 'event_id']).where('branch_id', '=', branchId).where('seq', 'in', part).execute();
    for (const e of events) known.set(e.seq, e.event_id);
    const quarantined = await trx.selectFrom('sync_quarantine').select(['seq', 'event_id']).where('branch_id', '=', branchId).where('seq', 'in', part).execute();
    for (const q of quarantined) known.set(q.seq, q.event_id);
  }
  const mismatch = records.find((r) => !known.has(r.seq) || known.get(r.seq) !== r.eventId);
  if (mismatch) {
    throw new CentralError(409, 'SEQUENCE_CONFLICT', `central already holds another record at seq ${mismatch.seq} for this branch: was the branch database restored from an old copy?`, { seq: mismatch.seq, heldEventId: known.get(mismatch.seq) ?? null, sentEventId: mismatch.eventId });
  }
}

/**
 * An event id this branch already used at another seq (or twice in this batch) is quarantined. Records are keyed by
 * their branch as well as their id: another branch's records with the same ids are that branch's own and never
 * decide what happens to this one's (nor the reverse).
 */
async function quarantineCollisions(trx: CentralTrx, branchId: string, decisions: Decision[]): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i] as Decision;
    if (d.kind === 'rejected') continue;
    if (seen.has(d.event.eventId)) decisions[i] = reject(d.event, `event id ${d.event.eventId} appears twice in this branch's outbox`);
    seen.add(d.event.eventId);
  }
  const live = decisions.filter((d): d is Exclude<Decision, { kind: 'rejected' }> => d.kind !== 'rejected');
  const held = new Map<string, number>();
  for (const part of chunks(live.map((d) => d.event.eventId), CHUNK)) {
    const rows = await trx.selectFrom('sync_events').select(['event_id', 'seq']).where('branch_id', '=', branchId).where('event_id', 'in', part).execute();
    for (const r of rows) held.set(r.event_id, r.seq);
  }
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i] as Decision;
    if (d.kind === 'rejected') continue;
    const seq = held.get(d.event.eventId);
    if (seq !== undefined) decisions[i] = reject(d.event, `event id ${d.event.eventId} is already held by central (from seq ${seq})`);
  }
}

// The columns of the three inserts every push makes (db/database.ts insertRows).
const SYNC_EVENT_COLUMNS: Columns<SyncEventsTable> = {
  event_id: true, branch_id: true, seq: true, aggregate_type: true, aggregate_id: true, event_type: true, event_version: true,
  payload: true, occurred_at: true, received_at: true, status: true,
};
const TICKET_COLUMNS: Columns<CentralTicketsTable> = {
  id: true, branch_id: true, service_id: true, service_day: true, number: true, status: true, queue_type: true, priority_reason: true,
  channel: true, language: true, issued_at: true, due_at: true, called_at: true, started_at: true, finished_at: true, counter_id: true,
  agent_id: true, booking_id: true, outcome: true, recall_count: true, updated_at: true, source_seq: true, first_called_at: true,
};
const TICKET_EVENT_COLUMNS: Columns<CentralTicketEventsTable> = {
  id: true, ticket_id: true, branch_id: true, service_id: true, type: true, from_status: true, to_status: true, at: true,
  counter_id: true, user_id: true, device_id: true, data: true,
};

/** Timestamps are stored as UTC ISO strings of one shape, so that they compare correctly as text in both dialects. */
function utc(iso: string): string;
function utc(iso: string | null): string | null;
function utc(iso: string | null): string | null {
  if (iso === null) return null;
  // Already in that shape (what branches send): as is, without a Date round trip per column (4 % of an ingest).
  return CANONICAL_UTC.test(iso) ? iso : new Date(iso).toISOString();
}
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function ticketRow(t: TicketSnapshotV1, seq: number): CentralTicketsTable {
  return {
    id: t.id, branch_id: t.branch_id, service_id: t.service_id, service_day: t.service_day, number: t.number, status: t.status,
    queue_type: t.queue_type, priority_reason: t.priority_reason, channel: t.channel, language: t.language, issued_at: utc(t.issued_at),
    due_at: utc(t.due_at), called_at: utc(t.called_at), started_at: utc(t.started_at), finished_at: utc(t.finished_at),
    counter_id: t.counter_id, agent_id: t.agent_id, booking_id: t.booking_id, outcome: t.outcome, recall_count: t.recall_count,
    updated_at: utc(t.updated_at), source_seq: seq, first_called_at: null,
  };
}

function ticketEventRow(p: TicketPayloadV1, branchId: string): CentralTicketEventsTable {
  const e = p.event;
  return {
    id: e.id, ticket_id: p.ticket.id, branch_id: branchId, service_id: p.ticket.service_id, type: e.type, from_status: e.from,
    to_status: e.to, at: utc(e.at), counter_id: e.counterId, user_id: e.userId, device_id: e.deviceId,
    data: e.data ? JSON.stringify(e.data) : null,
  };
}
