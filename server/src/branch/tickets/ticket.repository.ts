// Plain functions over the tickets tables. They run inside the caller's transaction when there is one.
import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Channel, Language, PriorityReason, QueueType, TicketStatus } from '../../shared/contracts/domain.js';
import type { TicketView } from '../../shared/contracts/api.js';
import type { BranchStore } from '../db/store.js';
import type { TicketsTable } from '../db/schema.js';
import { ACTIVE_STATUSES, WAITING_STATUSES } from '../../shared/domain/ticket-state.js';
import type { CallCandidate } from '../../shared/domain/call-policy.js';

export type TicketRow = Selectable<TicketsTable>;

// SQLite uses a partial index only when the query repeats the index's WHERE term with the same literals: a bound
// parameter (`status IN (?, ?)`, what Kysely writes for values) does not match it, and the query then scans every
// ticket ever issued. Queries over the active queue or the served history therefore state these terms verbatim
// (see migrations.ts: tickets_active, tickets_served_recent; tested in ticket.queries.test.ts).
/** The WHERE term of the tickets_active partial index: waiting, transferred, called or serving. */
export const IN_ACTIVE_QUEUE = sql<SqlBool>`status IN ('waiting','transferred','called','serving')`;
/** The WHERE term of the tickets_served_recent partial index. */
export const IS_SERVED = sql<SqlBool>`status = 'served'`;

export function findTicket(store: BranchStore, id: string): TicketRow | undefined {
  return store.first(store.db.selectFrom('tickets').selectAll().where('id', '=', id));
}

/** Waiting tickets (callable or parked) of the given services: the active-queue index keeps this small and fast. */
export function waitingTickets(store: BranchStore, serviceIds: readonly string[]): TicketRow[] {
  if (serviceIds.length === 0) return [];
  return store.all(
    store.db.selectFrom('tickets').selectAll()
      .where(IN_ACTIVE_QUEUE)
      .where('service_id', 'in', serviceIds)
      .where('status', 'in', WAITING_STATUSES as TicketStatus[]),
  );
}

/** The callable (waiting, not parked) tickets, through the active-queue index. */
function callableLine(store: BranchStore) {
  return store.db.selectFrom('tickets')
    .where(IN_ACTIVE_QUEUE)
    .where('status', 'in', WAITING_STATUSES as TicketStatus[])
    .where('parked_at', 'is', null);
}

/** Only the columns the call order needs. */
const CANDIDATE_COLUMNS = ['id', 'service_id', 'queue_type', 'issued_at', 'due_at', 'target_counter_id', 'arrived_at'] as const;
type CandidateRow = Pick<TicketRow, (typeof CANDIDATE_COLUMNS)[number]>;

function toCandidate(r: CandidateRow): CallCandidate {
  return { id: r.id, serviceId: r.service_id, queueType: r.queue_type as QueueType, issuedAt: r.issued_at, dueAt: r.due_at, targetCounterId: r.target_counter_id, arrivedAt: r.arrived_at };
}

/** The callable waiting tickets of the given services, as call-order candidates. */
export function waitingCandidates(store: BranchStore, serviceIds: readonly string[]): CallCandidate[] {
  if (serviceIds.length === 0) return [];
  return store.all(callableLine(store).select(CANDIDATE_COLUMNS).where('service_id', 'in', serviceIds)).map(toCandidate);
}

/**
 * A service's waiting line split to count one ticket's position (see surelyAheadBefore): the callable tickets with no
 * appointment issued before `before` are only counted, by SQLite; the others are read as candidates. The line is
 * not read whole for every ticket issued or shown.
 */
export function waitingLineSplit(store: BranchStore, serviceId: string, before: string, counterId: string | null): { countedAhead: number; others: CallCandidate[] } {
  const line = () => callableLine(store).where('service_id', '=', serviceId);
  const counted = store.first(
    line().select((eb) => eb.fn.countAll<number>().as('n'))
      .where('due_at', 'is', null)
      .where('issued_at', '<', before)
      .where((eb) => (counterId === null ? eb('target_counter_id', 'is', null) : eb.or([eb('target_counter_id', 'is', null), eb('target_counter_id', '=', counterId)]))),
  );
  const rows = store.all(
    line().select(CANDIDATE_COLUMNS)
      .where((eb) => eb.or([
        eb('due_at', 'is not', null),
        eb('issued_at', '>=', before),
        counterId === null ? eb('target_counter_id', 'is not', null) : eb.and([eb('target_counter_id', 'is not', null), eb('target_counter_id', '!=', counterId)]),
      ])),
  );
  return { countedAhead: Number(counted?.n ?? 0), others: rows.map(toCandidate) };
}

/** The callable waiting tickets sent to this very counter (by transfer), whatever their service. */
export function counterTargetedCandidates(store: BranchStore, counterId: string): CallCandidate[] {
  return store.all(callableLine(store).select(CANDIDATE_COLUMNS).where('target_counter_id', '=', counterId)).map(toCandidate);
}

/** Called tickets not started since before `before` (no-show candidates). */
export function calledBefore(store: BranchStore, before: string): TicketRow[] {
  return store.all(store.db.selectFrom('tickets').selectAll().where(IN_ACTIVE_QUEUE).where('status', '=', 'called').where('called_at', '<', before));
}

/** Waiting remote tickets still absent that call-next first passed over before `before` (their grace is over). */
export function absentPassedOverBefore(store: BranchStore, before: string): Array<Pick<TicketRow, 'id'>> {
  return store.all(store.db.selectFrom('tickets').select('id').where(IN_ACTIVE_QUEUE).where('status', 'in', WAITING_STATUSES as TicketStatus[])
    .where('arrived_at', 'is', null).where('passed_over_at', '<', before));
}

/** Every waiting ticket (parked ones too), with what the end of its branch day depends on. */
/** Waiting tickets, with `seq` (SQLite's rowid: the order of issue, even within one millisecond). */
export function waitingForExpiry(store: BranchStore): Array<Pick<TicketRow, 'id' | 'issued_at' | 'service_day'> & { seq: number }> {
  return store.all(store.db.selectFrom('tickets').select(['id', 'issued_at', 'service_day', sql<number>`rowid`.as('seq')]).where(IN_ACTIVE_QUEUE).where('status', 'in', WAITING_STATUSES as TicketStatus[]));
}

/** The `seq` of the last ticket issued (0 when none). */
export function lastTicketSeq(store: BranchStore): number {
  return store.first(store.db.selectFrom('tickets').select(sql<number>`coalesce(max(rowid), 0)`.as('seq')))?.seq ?? 0;
}

/** The callable waiting tickets of every service, as the queue summary counts them. */
export function callableWaiting(store: BranchStore): Array<Pick<TicketRow, 'service_id' | 'issued_at'>> {
  return store.all(callableLine(store).select(['service_id', 'issued_at']));
}

/** Whether a service still has tickets in its line (waiting, called or serving). */
export function hasActiveTickets(store: BranchStore, serviceId: string): boolean {
  return store.first(store.db.selectFrom('tickets').select('id').where('service_id', '=', serviceId).where(IN_ACTIVE_QUEUE)) !== undefined;
}

/** A service's line now: tickets waiting, and tickets called or being served. */
export function countLine(store: BranchStore, serviceId: string): { waiting: number; called: number } {
  const rows = store.all(store.db.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('service_id', '=', serviceId).where(IN_ACTIVE_QUEUE).groupBy('status'));
  let waiting = 0;
  let called = 0;
  for (const r of rows) {
    if (r.status === 'waiting' || r.status === 'transferred') waiting += Number(r.n);
    else called += Number(r.n);
  }
  return { waiting, called };
}

/** The most recent calls (called, recalled, unparked) with their counters: the call board after a restart. */
export function recentCallRows(store: BranchStore, limit: number) {
  return store.all(
    store.db.selectFrom('ticket_events')
      .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
      .innerJoin('counters', 'counters.id', 'ticket_events.counter_id')
      .select(['ticket_events.ticket_id', 'ticket_events.type', 'ticket_events.at', 'tickets.number', 'tickets.service_id', 'tickets.queue_type',
        'counters.id as counter_id', 'counters.number as counter_number', 'counters.name as counter_name'])
      .where('ticket_events.type', 'in', ['called', 'recalled', 'unparked'])
      .orderBy('ticket_events.id', 'desc')
      .limit(limit),
  );
}

export function activeTickets(store: BranchStore): TicketRow[] {
  return store.all(
    store.db.selectFrom('tickets').selectAll()
      .where(IN_ACTIVE_QUEUE)
      .where('status', 'in', ACTIVE_STATUSES as TicketStatus[])
      .orderBy('issued_at'),
  );
}

/** Next number of a service for a branch day (atomic inside the issuing transaction). */
export function nextSequence(store: BranchStore, serviceId: string, serviceDay: string): number {
  const row = store.first(
    store.db.insertInto('ticket_sequences')
      .values({ service_id: serviceId, service_day: serviceDay, last_number: 1 })
      .onConflict((oc) => oc.columns(['service_id', 'service_day']).doUpdateSet((eb) => ({ last_number: eb('ticket_sequences.last_number', '+', 1) })))
      .returning('last_number'),
  );
  if (!row) throw new Error('ticket sequence upsert returned nothing');
  return row.last_number;
}

export function insertTicket(store: BranchStore, row: TicketRow): void {
  store.run(store.db.insertInto('tickets').values(row));
}

export function updateTicket(store: BranchStore, id: string, patch: Partial<TicketRow>): void {
  store.run(store.db.updateTable('tickets').set(patch).where('id', '=', id));
}

export interface TicketEventInput {
  id: string;
  ticket: TicketRow;
  type: string;
  from: TicketStatus | null;
  to: TicketStatus;
  at: string;
  counterId: string | null;
  userId: string | null;
  deviceId: string | null;
  data?: Record<string, unknown> | null;
}

/** The history row of a ticket's change, for the unit of work to write with its outbox fact (Tx.record). */
export function ticketEventInsert(store: BranchStore, e: TicketEventInput) {
  return store.db.insertInto('ticket_events').values({
    id: e.id,
    ticket_id: e.ticket.id,
    branch_id: e.ticket.branch_id,
    service_id: e.ticket.service_id,
    type: e.type,
    from_status: e.from,
    to_status: e.to,
    at: e.at,
    counter_id: e.counterId,
    user_id: e.userId,
    device_id: e.deviceId,
    data: e.data ? JSON.stringify(e.data) : null,
  });
}

export function ticketEvents(store: BranchStore, ticketId: string) {
  return store.all(store.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id'));
}

/** Minutes of the most recent served tickets of a service, newest first. */
export function recentServiceMinutes(store: BranchStore, serviceId: string, limit: number): number[] {
  const rows = store.all(
    store.db.selectFrom('tickets').select(['started_at', 'finished_at'])
      .where('service_id', '=', serviceId)
      .where(IS_SERVED)
      .where('started_at', 'is not', null)
      .orderBy('finished_at', 'desc')
      .limit(limit),
  );
  return rows
    .filter((r) => r.started_at && r.finished_at)
    .map((r) => (Date.parse(r.finished_at as string) - Date.parse(r.started_at as string)) / 60_000);
}

export function toTicketView(row: TicketRow, live: { position: number | null; estimatedWaitMinutes: number | null; noOpenCounter?: boolean }): TicketView {
  return {
    id: row.id,
    number: row.number,
    serviceId: row.service_id,
    status: row.status as TicketStatus,
    priority: row.priority_reason as PriorityReason | null,
    queueType: row.queue_type as QueueType,
    channel: row.channel as Channel,
    language: row.language as Language,
    phone: row.phone,
    position: live.position,
    estimatedWaitMinutes: live.estimatedWaitMinutes,
    noOpenCounter: live.noOpenCounter ?? false,
    arrivedAt: row.arrived_at,
    passedOverAt: row.passed_over_at,
    dueAt: row.due_at,
    issuedAt: row.issued_at,
    calledAt: row.called_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counterId: row.counter_id,
    targetCounterId: row.target_counter_id,
    parkedAt: row.parked_at,
    recallCount: row.recall_count,
    serviceDay: row.service_day,
  };
}
