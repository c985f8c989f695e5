// Plain functions over the tickets tables. They run inside the caller's transaction when there is one.
import { CompiledQuery, sql, type Compilable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { QUEUE_TYPES, type Channel, type Language, type PriorityReason, type QueueType, type TicketStatus } from '../../shared/contracts/domain.js';
import type { TicketView } from '../../shared/contracts/api.js';
import type { BranchStore } from '../db/store.js';
import type { BranchDatabase, TicketEventsTable, TicketsTable } from '../db/schema.js';
import { preparedPatch, preparedQuery, rowKeys } from '../../shared/db/prepared.js';
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

// The hot reads of the waiting line (call-next, positions, the queue summary, the end-of-day sweep) are written by
// hand over the indexes of tickets.migration.ts, prepared once per text (the store caches statements) and not
// compiled by Kysely on every call. Each repeats its index's WHERE terms verbatim.
/** The WHERE terms of tickets_waiting_line: the callable waiting line (waiting or transferred, not parked). */
export const IN_WAITING_LINE = "status IN ('waiting','transferred') AND parked_at IS NULL";
/** The extra WHERE term of tickets_waiting_special: what the call rule does not take in issue order within a class. */
export const IS_SPECIAL = '(due_at IS NOT NULL OR target_counter_id IS NOT NULL OR arrived_at IS NULL)';
/** Its complement: a walk-in of the line, here, sent to no counter, no appointment; its class is called oldest first. */
const IS_PLAIN = 'due_at IS NULL AND target_counter_id IS NULL AND arrived_at IS NOT NULL';
/** IN_ACTIVE_QUEUE as text, for hand-written statements over tickets_active. */
const IN_ACTIVE_QUEUE_TERM = "status IN ('waiting','transferred','called','serving')";
/** WAITING_STATUSES as text. */
const IS_WAITING_STATUS = "status IN ('waiting','transferred')";

/** A hand-written statement for the store (which prepares each text once and counts what it runs). */
function raw<R>(text: string, parameters: readonly unknown[] = []): Compilable<R> {
  return { compile: () => CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R> };
}

// The statements every command runs (read a ticket, write it, its history row, its number) are built once.
const ticketById = preparedQuery((db: Kysely<BranchDatabase>, p: { id: string }) => db.selectFrom('tickets').selectAll().where('id', '=', p.id));

export function findTicket(store: BranchStore, id: string): TicketRow | undefined {
  return store.first(ticketById(store.db, { id }));
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

/** The callable waiting tickets of the given services, as call-order candidates (the whole line: tests, previews). */
export function waitingCandidates(store: BranchStore, serviceIds: readonly string[]): CallCandidate[] {
  if (serviceIds.length === 0) return [];
  return store.all(callableLine(store).select(CANDIDATE_COLUMNS).where('service_id', 'in', serviceIds)).map(toCandidate);
}

const CANDIDATE_SQL = 'SELECT id, service_id, queue_type, issued_at, due_at, target_counter_id, arrived_at FROM tickets';

/**
 * The only waiting tickets that can win call-next at this counter, out of the lines of `serviceIds` and the tickets
 * sent to the counter itself: the call rule (shared/domain/call-policy.ts) ranks the tickets of one service and one
 * class without an appointment, a target counter or an absent visitor by issue time alone (their scores differ only
 * by the minutes waited), so of each such class only its oldest can be first, and it is read with one seek of
 * tickets_waiting_line (all of them when several share its issue time: the rule breaks that tie, not SQL). Every
 * other ticket (appointments, tickets sent to a counter, remote visitors not checked in: tickets_waiting_special)
 * is read, since the rule ranks them out of that order and decides which absent ones are passed over. Which of these
 * is called stays the rule's decision (decideCall over them is decideCall over the whole line, ticket.candidates.test.ts);
 * SQL only leaves out those that cannot be first. A call costs the number of classes, not the length of the line.
 */
export function callCandidates(store: BranchStore, counterId: string, serviceIds: readonly string[]): CallCandidate[] {
  const parts: string[] = [];
  const params: unknown[] = [];
  const head = `${IN_WAITING_LINE} AND service_id = ? AND queue_type = ? AND ${IS_PLAIN}`;
  for (const serviceId of serviceIds) {
    for (const queueType of QUEUE_TYPES) {
      parts.push(`${CANDIDATE_SQL} WHERE ${head} AND issued_at = (SELECT min(issued_at) FROM tickets WHERE ${head})`);
      params.push(serviceId, queueType, serviceId, queueType);
    }
  }
  if (serviceIds.length > 0) {
    parts.push(`${CANDIDATE_SQL} WHERE ${IN_WAITING_LINE} AND ${IS_SPECIAL} AND target_counter_id IS NULL AND service_id IN (${serviceIds.map(() => '?').join(', ')})`);
    params.push(...serviceIds);
  }
  parts.push(`${CANDIDATE_SQL} WHERE ${IN_WAITING_LINE} AND ${IS_SPECIAL} AND target_counter_id = ?`);
  params.push(counterId);
  return store.all(raw<CandidateRow>(parts.join('\nUNION ALL\n'), params)).map(toCandidate);
}

/**
 * The head of a service's line for the staff screens: the first `limit` of each class of plain walk-ins (issue order,
 * one range of tickets_waiting_line each) and its special tickets sent to no counter. The call rule ranks them; its
 * first `limit` are the line's first `limit` (each class is called in issue order), read without the rest.
 */
export function lineHeads(store: BranchStore, serviceId: string, limit: number): CallCandidate[] {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const queueType of QUEUE_TYPES) {
    parts.push(`SELECT * FROM (${CANDIDATE_SQL} WHERE ${IN_WAITING_LINE} AND service_id = ? AND queue_type = ? AND ${IS_PLAIN} ORDER BY issued_at, id LIMIT ?)`);
    params.push(serviceId, queueType, limit);
  }
  parts.push(`${CANDIDATE_SQL} WHERE ${IN_WAITING_LINE} AND ${IS_SPECIAL} AND target_counter_id IS NULL AND service_id = ?`);
  params.push(serviceId);
  return store.all(raw<CandidateRow>(parts.join('\nUNION ALL\n'), params)).map(toCandidate);
}

/** Tickets by id, whole (the staff screens' views of a line's head). */
export function ticketsById(store: BranchStore, ids: readonly string[]): TicketRow[] {
  if (ids.length === 0) return [];
  return store.all(raw<TicketRow>(`SELECT * FROM tickets WHERE id IN (${ids.map(() => '?').join(', ')})`, ids));
}

/**
 * The active tickets a staff screen holds besides the heads of the lines: those called or being served, those parked
 * at a counter, and every special waiting ticket (appointments, tickets sent to a counter, remote visitors not
 * checked in), whole.
 */
export function staffOwnTickets(store: BranchStore): TicketRow[] {
  return store.all(raw<TicketRow>([
    `SELECT * FROM tickets WHERE ${IN_ACTIVE_QUEUE_TERM} AND status IN ('called','serving')`,
    `SELECT * FROM tickets WHERE ${IS_WAITING_STATUS} AND parked_at IS NOT NULL`,
    `SELECT * FROM tickets WHERE ${IN_WAITING_LINE} AND ${IS_SPECIAL}`,
  ].join('\nUNION ALL\n')));
}

/** A service's callable waiting line in numbers, kept by triggers (tickets.migration.ts: 0012_waiting_counts). */
export interface WaitingLineCounts {
  /** Tickets in tickets_waiting_line (waiting or transferred, not parked). */
  waiting: number;
  /** Of those, the ones with no appointment time and sent to no counter. */
  undated: number;
}

export function waitingLineCounts(store: BranchStore, serviceId: string): WaitingLineCounts {
  const row = store.first(raw<WaitingLineCounts>('SELECT waiting, undated FROM waiting_line_counts WHERE service_id = ?', [serviceId]));
  return { waiting: Number(row?.waiting ?? 0), undated: Number(row?.undated ?? 0) };
}

/** One range of tickets_waiting_line per class: a service's callable tickets with an issue time `op` the bound. */
function lineRange(select: string, op: '>=' | '>', serviceId: string, bound: string): { text: string; params: unknown[] } {
  return {
    text: QUEUE_TYPES.map(() => `${select} WHERE ${IN_WAITING_LINE} AND service_id = ? AND queue_type = ? AND issued_at ${op} ?`).join('\nUNION ALL\n'),
    params: QUEUE_TYPES.flatMap((queueType) => [serviceId, queueType, bound]),
  };
}

/**
 * A service's waiting line split to count one ticket's position (see surelyAheadBefore): the callable tickets with no
 * appointment issued before `before` (and callable at the ticket's counter) are only counted; the others are read as
 * candidates. Neither walks the whole line: the count is the line's `undated` (waitingLineCounts) less those of them
 * issued since `before` (read anyway, as candidates: one range of tickets_waiting_line per class), plus the few sent
 * to this counter (tickets_waiting_special). A long line costs its recent arrivals and its special tickets.
 */
export function waitingLineSplit(store: BranchStore, serviceId: string, before: string, counterId: string | null): { countedAhead: number; others: CallCandidate[] } {
  const recent = lineRange(CANDIDATE_SQL, '>=', serviceId, before);
  // Issued earlier but not counted: appointments, and tickets sent to another counter (with no counter, null, any).
  const special = `${CANDIDATE_SQL} INDEXED BY tickets_waiting_special WHERE ${IN_WAITING_LINE} AND ${IS_SPECIAL} AND service_id = ? AND issued_at < ?
    AND (due_at IS NOT NULL OR (target_counter_id IS NOT NULL AND target_counter_id IS NOT ?))`;
  const rows = store.all(raw<CandidateRow>(`${recent.text}\nUNION ALL\n${special}`, [...recent.params, serviceId, before, counterId]));
  const undatedSince = rows.filter((r) => r.issued_at >= before && r.due_at === null && r.target_counter_id === null).length;
  const sentHere = counterId === null ? 0 : Number(store.first(raw<{ n: number }>(
    `SELECT count(*) AS n FROM tickets INDEXED BY tickets_waiting_special WHERE ${IN_WAITING_LINE} AND ${IS_SPECIAL} AND target_counter_id = ? AND service_id = ? AND due_at IS NULL AND issued_at < ?`,
    [counterId, serviceId, before],
  ))?.n ?? 0);
  return { countedAhead: waitingLineCounts(store, serviceId).undated - undatedSince + sentHere, others: rows.map(toCandidate) };
}

/** What the queue summary shows of a service's callable waiting line. */
export interface WaitingLineStats {
  waiting: number;
  /** Issue time of the oldest (null: nobody waits). */
  oldestIssuedAt: string | null;
  /** Tickets issued at or before `overTargetAt` (issue times are all toISOString's, so text order is time order). */
  overTarget: number;
}

/**
 * The line's count (waitingLineCounts), its oldest ticket (one seek per class of tickets_waiting_line) and how many
 * waited past the target: none when the oldest has not, else the line less those issued since `overTargetAt`, which
 * walks the recent arrivals only (a long line is long because its old tickets wait).
 */
export function waitingLineStats(store: BranchStore, serviceId: string, overTargetAt: string): WaitingLineStats {
  const { waiting } = waitingLineCounts(store, serviceId);
  if (waiting === 0) return { waiting, oldestIssuedAt: null, overTarget: 0 };
  const heads = QUEUE_TYPES.map(() => `SELECT * FROM (SELECT issued_at FROM tickets WHERE ${IN_WAITING_LINE} AND service_id = ? AND queue_type = ? ORDER BY issued_at LIMIT 1)`);
  const oldest = store.first(raw<{ oldest: string | null }>(
    `SELECT min(issued_at) AS oldest FROM (${heads.join('\nUNION ALL\n')})`, QUEUE_TYPES.flatMap((queueType) => [serviceId, queueType]),
  ))?.oldest ?? null;
  if (oldest === null || oldest > overTargetAt) return { waiting, oldestIssuedAt: oldest, overTarget: 0 };
  const since = lineRange('SELECT 1 AS one FROM tickets', '>', serviceId, overTargetAt);
  const notYet = Number(store.first(raw<{ n: number }>(`SELECT count(*) AS n FROM (${since.text})`, since.params))?.n ?? 0);
  return { waiting, oldestIssuedAt: oldest, overTarget: waiting - notYet };
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

/**
 * The branch days of the waiting tickets (parked ones too), each with its earliest issue time, split by whether the
 * ticket was issued by `changeSeq` (the last ticket of a change of hours; null: none): the end-of-day sweep works out
 * each day's end once, over tickets_active alone, and reads ticket ids only for the days that are over. INDEXED BY:
 * left to itself SQLite groups along tickets_day, which saves a sort by reading every ticket ever issued.
 */
export function waitingDays(store: BranchStore, changeSeq: number | null): Array<{ service_day: string; issued_at: string; before_change: number }> {
  return store.all(raw(
    `SELECT service_day, min(issued_at) AS issued_at, rowid <= ? AS before_change FROM tickets INDEXED BY tickets_active WHERE ${IN_ACTIVE_QUEUE_TERM} AND ${IS_WAITING_STATUS} GROUP BY service_day, before_change`,
    [changeSeq ?? -1],
  ));
}

/** Up to `limit` waiting tickets (parked ones too) of a branch day, issued by `changeSeq` or after it. */
export function waitingOfDay(store: BranchStore, day: string, beforeChange: boolean, changeSeq: number | null, limit: number): string[] {
  return store.all(raw<{ id: string }>(
    `SELECT id FROM tickets INDEXED BY tickets_active WHERE ${IN_ACTIVE_QUEUE_TERM} AND ${IS_WAITING_STATUS} AND service_day = ? AND (rowid <= ?) = ? LIMIT ?`,
    [day, changeSeq ?? -1, beforeChange ? 1 : 0, limit],
  )).map((r) => r.id);
}

/** The `seq` of the last ticket issued (0 when none). */
export function lastTicketSeq(store: BranchStore): number {
  return store.first(store.db.selectFrom('tickets').select(sql<number>`coalesce(max(rowid), 0)`.as('seq')))?.seq ?? 0;
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

const sequenceUpsert = preparedQuery((db: Kysely<BranchDatabase>, p: { serviceId: string; serviceDay: string }) => db.insertInto('ticket_sequences')
  .values({ service_id: p.serviceId, service_day: p.serviceDay, last_number: 1 })
  .onConflict((oc) => oc.columns(['service_id', 'service_day']).doUpdateSet((eb) => ({ last_number: eb('ticket_sequences.last_number', '+', 1) })))
  .returning('last_number'));

/** Next number of a service for a branch day (atomic inside the issuing transaction). */
export function nextSequence(store: BranchStore, serviceId: string, serviceDay: string): number {
  const row = store.first(sequenceUpsert(store.db, { serviceId, serviceDay }));
  if (!row) throw new Error('ticket sequence upsert returned nothing');
  return row.last_number;
}

const TICKET_COLUMNS = rowKeys<TicketRow>({
  id: true, branch_id: true, service_id: true, service_day: true, seq: true, number: true, status: true, queue_type: true, priority_reason: true,
  channel: true, language: true, phone: true, email: true, issued_at: true, due_at: true, called_at: true, started_at: true, finished_at: true,
  counter_id: true, target_counter_id: true, parked_at: true, recall_count: true, agent_id: true, device_id: true, booking_id: true,
  outcome: true, note: true, updated_at: true, arrived_at: true, passed_over_at: true,
});
const ticketInsert = preparedQuery((db: Kysely<BranchDatabase>, p: TicketRow) => db.insertInto('tickets').values(p), TICKET_COLUMNS);

export function insertTicket(store: BranchStore, row: TicketRow): void {
  store.run(ticketInsert(store.db, row));
}

const ticketUpdate = preparedPatch((db: Kysely<BranchDatabase>, set, id) => db.updateTable('tickets').set(set as Partial<TicketRow>).where('id', '=', id));

export function updateTicket(store: BranchStore, id: string, patch: Partial<TicketRow>): void {
  store.run(ticketUpdate(store.db, id, patch));
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

const ticketEventRow = preparedQuery((db: Kysely<BranchDatabase>, p: Selectable<TicketEventsTable>) => db.insertInto('ticket_events').values(p), rowKeys<TicketEventsTable>({
  id: true, ticket_id: true, branch_id: true, service_id: true, type: true, from_status: true, to_status: true, at: true, counter_id: true,
  user_id: true, device_id: true, data: true,
}));

/** The history row of a ticket's change, for the unit of work to write with its outbox fact (Tx.record). */
export function ticketEventInsert(store: BranchStore, e: TicketEventInput): Compilable<unknown> {
  return ticketEventRow(store.db, {
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
