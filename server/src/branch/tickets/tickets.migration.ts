// Branch migration 0010_waiting_line (issue 19): the waiting line, indexed for what reads it on every command, so a
// line of 5,000 costs a command what a line of 50 does. Listed in db/migrations.ts.
//
// - tickets_waiting_line: every callable waiting ticket (waiting or transferred, not parked), ordered by service,
//   class and issue time, covering the columns the call order, positions and the queue summary read. Call-next reads
//   the head of each class from it (one seek each), the summary and positions count over it without the table.
// - tickets_waiting_special: the callable waiting tickets the call rule does not take in plain issue order within
//   their class (an appointment's time, a ticket sent to a counter, a remote visitor not checked in yet): call-next
//   reads all of them, so they are kept apart, few, by counter and service.
// - tickets_active (0001) also carries each ticket's branch day and issue time: the end-of-day sweep groups the waiting
//   tickets (parked ones too) by day over it, without reading the table (it runs every 30 s).
//
// SQLite uses a partial index only when the query repeats its WHERE terms with the same literals: the repository
// states them verbatim (ticket.repository.ts: IN_WAITING_LINE, IS_SPECIAL; checked by ticket.queries.test.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const waitingLineMigration: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX tickets_waiting_line ON tickets(service_id, queue_type, issued_at, id, due_at, target_counter_id, arrived_at, status, parked_at)
      WHERE status IN ('waiting','transferred') AND parked_at IS NULL`.execute(db);
    await sql`CREATE INDEX tickets_waiting_special ON tickets(target_counter_id, service_id, queue_type, issued_at, id, due_at, arrived_at, status, parked_at)
      WHERE status IN ('waiting','transferred') AND parked_at IS NULL AND (due_at IS NOT NULL OR target_counter_id IS NOT NULL OR arrived_at IS NULL)`.execute(db);
    await sql`DROP INDEX tickets_active`.execute(db);
    await sql`CREATE INDEX tickets_active ON tickets(service_id, status, service_day, issued_at) WHERE status IN ('waiting','transferred','called','serving')`.execute(db);
  },
};

// Branch migration 0011_parked (issue 19): the tickets parked at a counter, which the staff snapshot reads whole
// beside the heads of the lines (ticket.repository.ts: staffOwnTickets) without going through the whole line.
export const parkedMigration: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX tickets_parked ON tickets(target_counter_id) WHERE status IN ('waiting','transferred') AND parked_at IS NOT NULL`.execute(db);
  },
};
