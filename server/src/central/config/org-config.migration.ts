// Central migration 0009_org_config: each organization's configuration (service catalog and call-board message,
// one JSON document per revision) and where each branch stands with it (pushed, applied or refused).
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Migration } from 'kysely';

export const orgConfigMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('org_configs')
      .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
    await db.schema.createTable('org_config_branches')
      .addColumn('branch_id', 'text', (c) => c.primaryKey().references('branches.id'))
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('pushed_revision', 'integer', (c) => c.notNull())
      .addColumn('pushed_at', 'text', (c) => c.notNull())
      .addColumn('applied_revision', 'integer')
      .addColumn('applied_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('reason', 'text')
      .execute();
  },
};
