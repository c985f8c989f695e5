// Branch migration 0007_remote (issue 18): the branch's rules for remote tickets (one row), and each ticket's
// arrival: a remote ticket is "not arrived yet" until its visitor checks in at the kiosk or with the agent.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const remoteMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('remote_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('share_percent', 'integer', (c) => c.notNull())
      .addColumn('min_per_hour', 'integer', (c) => c.notNull())
      .addColumn('absent', 'text', (c) => c.notNull())
      .addColumn('grace_minutes', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('tickets').addColumn('arrived_at', 'text').execute();
    // Tickets issued before: their visitors were there.
    await sql`UPDATE tickets SET arrived_at = issued_at`.execute(db);
  },
};

// Branch migration 0008_absent (issue 18): when call-next first passed over a remote ticket whose visitor had not
// checked in (the `absent: skip` rule); its grace time counts from then.
export const absentMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('tickets').addColumn('passed_over_at', 'text').execute();
  },
};
