// Rollup tables, the tickets' first call, and the rollups of the tickets already held.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';
import { coarseRollups, recomputeRollups } from './rollups.js';

export const rollupsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('tickets').addColumn('first_called_at', 'text').execute();
    await sql`update tickets set first_called_at = (select min(e.at) from ticket_events e
      where e.branch_id = tickets.branch_id and e.ticket_id = tickets.id and e.type = 'called')`.execute(db);
    await db.schema.createTable('rollup_service_hour')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull()).addColumn('hour', 'integer', (c) => c.notNull()).addColumn('weekday', 'integer', (c) => c.notNull())
      .addColumn('issued', 'integer', (c) => c.notNull()).addColumn('served', 'integer', (c) => c.notNull())
      .addColumn('no_show', 'integer', (c) => c.notNull()).addColumn('cancelled', 'integer', (c) => c.notNull())
      .addColumn('expired', 'integer', (c) => c.notNull()).addColumn('waited', 'integer', (c) => c.notNull())
      .addColumn('wait_seconds', 'bigint', (c) => c.notNull()).addColumn('service_count', 'integer', (c) => c.notNull())
      .addColumn('service_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_service_hour_pk', ['branch_id', 'service_id', 'day', 'hour'])
      .execute();
    await db.schema.createIndex('rollup_service_hour_day').on('rollup_service_hour').columns(['day', 'branch_id']).execute();
    await db.schema.createTable('rollup_minutes')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull()).addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('minute', 'integer', (c) => c.notNull()).addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_minutes_pk', ['branch_id', 'service_id', 'day', 'kind', 'minute'])
      .execute();
    await db.schema.createIndex('rollup_minutes_day').on('rollup_minutes').columns(['day', 'branch_id']).execute();
    await db.schema.createTable('rollup_agent_day')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull()).addColumn('served', 'integer', (c) => c.notNull())
      .addColumn('service_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_agent_day_pk', ['branch_id', 'agent_id', 'day'])
      .execute();
    for (const b of await db.selectFrom('branches').select('id').execute() as Array<{ id: string }>) await recomputeRollups(db, b.id);
  },
};

/** Coarse rollups for queries over many branches and long periods, filled from the fine ones. */
export const coarseRollupsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('rollup_service_day')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('issued', 'integer', (c) => c.notNull()).addColumn('served', 'integer', (c) => c.notNull())
      .addColumn('no_show', 'integer', (c) => c.notNull()).addColumn('cancelled', 'integer', (c) => c.notNull())
      .addColumn('expired', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_service_day_pk', ['branch_id', 'day', 'service_id'])
      .execute();
    await db.schema.createTable('rollup_branch_hour')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('day', 'text', (c) => c.notNull())
      .addColumn('hour', 'integer', (c) => c.notNull()).addColumn('weekday', 'integer', (c) => c.notNull())
      .addColumn('issued', 'integer', (c) => c.notNull()).addColumn('served', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_branch_hour_pk', ['branch_id', 'day', 'hour'])
      .execute();
    await db.schema.createTable('rollup_minutes_month')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull()).addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('minute', 'integer', (c) => c.notNull()).addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollup_minutes_month_pk', ['branch_id', 'month', 'service_id', 'kind', 'minute'])
      .execute();
    await coarseRollups(db);
  },
};
