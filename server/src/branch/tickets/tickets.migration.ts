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

// Branch migration 0012_waiting_counts (issue 19): how many tickets each service's callable line holds, kept by
// triggers in the same transaction as every write to tickets, so a position or the queue summary costs a lookup
// and a walk over the recent tickets, not a count over the whole line. Triggers, not the commands, keep it: every
// path that writes tickets (commands, sweeps, check-ins, a migration, a test) keeps it true without knowing of it.
// `waiting` is the line of tickets_waiting_line; `undated` is the part of it with no appointment time and sent to
// no counter (what a position counts as surely ahead). ticket.counts.test.ts checks it against SQL counts.
const IN_LINE_NEW = "new.status IN ('waiting','transferred') AND new.parked_at IS NULL";
const IN_LINE_OLD = "old.status IN ('waiting','transferred') AND old.parked_at IS NULL";
const LINE_COLUMNS = 'status, parked_at, service_id, due_at, target_counter_id';

export const waitingCountsMigration: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE TABLE waiting_line_counts (
      service_id TEXT PRIMARY KEY,
      waiting INTEGER NOT NULL,
      undated INTEGER NOT NULL
    )`.execute(db);
    await sql`INSERT INTO waiting_line_counts (service_id, waiting, undated)
      SELECT service_id, count(*), sum(due_at IS NULL AND target_counter_id IS NULL) FROM tickets
      WHERE status IN ('waiting','transferred') AND parked_at IS NULL GROUP BY service_id`.execute(db);
    const enter = `INSERT INTO waiting_line_counts (service_id, waiting, undated)
        VALUES (new.service_id, 1, new.due_at IS NULL AND new.target_counter_id IS NULL)
        ON CONFLICT (service_id) DO UPDATE SET waiting = waiting + 1, undated = undated + excluded.undated;`;
    const leave = `UPDATE waiting_line_counts SET waiting = waiting - 1,
        undated = undated - (old.due_at IS NULL AND old.target_counter_id IS NULL) WHERE service_id = old.service_id;`;
    // An update that keeps a ticket in its line fires both (out, then in again): the counts stay right whatever changed.
    await sql.raw(`CREATE TRIGGER tickets_line_insert AFTER INSERT ON tickets WHEN ${IN_LINE_NEW} BEGIN ${enter} END`).execute(db);
    await sql.raw(`CREATE TRIGGER tickets_line_delete AFTER DELETE ON tickets WHEN ${IN_LINE_OLD} BEGIN ${leave} END`).execute(db);
    await sql.raw(`CREATE TRIGGER tickets_line_leave AFTER UPDATE OF ${LINE_COLUMNS} ON tickets WHEN ${IN_LINE_OLD} BEGIN ${leave} END`).execute(db);
    await sql.raw(`CREATE TRIGGER tickets_line_enter AFTER UPDATE OF ${LINE_COLUMNS} ON tickets WHEN ${IN_LINE_NEW} BEGIN ${enter} END`).execute(db);
  },
};

// Branch migration 0013_ticket_day_index (issue 19): tickets_day (service_day) is a prefix of the unique
// tickets_number_per_day (service_day, number), which serves every read by day as well (counter-stats.repository.ts
// bounds its scan by day with it); every issuance wrote one more index page for nothing.
export const ticketDayIndexMigration: Migration = {
  async up(db: Kysely<any>) {
    await sql`DROP INDEX IF EXISTS tickets_day`.execute(db);
  },
};
