// Branch migration 0002_sync: where the sync worker keeps its place. Listed in db/migrations.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const syncMigration: Migration = {
  async up(db: Kysely<any>) {
    // One row: the highest outbox seq central acknowledged, the pull cursor, the last successful exchange.
    await sql`CREATE TABLE sync_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      acked_seq INTEGER NOT NULL DEFAULT 0,
      pull_cursor INTEGER NOT NULL DEFAULT 0,
      last_success_at TEXT
    )`.execute(db);
    await sql`INSERT INTO sync_state (id) VALUES (1)`.execute(db);
    // Version of each central-owned entity the branch holds: a change is applied only when newer.
    await db.schema.createTable('sync_applied')
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_applied_pk', ['entity_type', 'entity_id'])
      .execute();
    // Feed changes of entity types this branch version does not know yet: kept, not fatal.
    await db.schema.createTable('sync_parked')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('payload', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    // Outbox records central refused as malformed (quarantined there): shown to the supervisor.
    await db.schema.createTable('sync_rejected')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('event_id', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('rejected_at', 'text', (c) => c.notNull())
      .execute();
  },
};
