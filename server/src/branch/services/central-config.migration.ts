// Branch migration 0005_central_config: services head office manages (its catalog key and the fields it manages)
// and the history of the configuration revisions the branch received. Listed in db/migrations.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const centralConfigMigration: Migration = {
  async up(db: Kysely<any>) {
    // central_key: head office's catalog entry; managed_fields: JSON list of the fields it manages (null: local).
    await sql`ALTER TABLE services ADD COLUMN central_key TEXT`.execute(db);
    await sql`ALTER TABLE services ADD COLUMN managed_fields TEXT`.execute(db);
    await sql`CREATE TABLE config_history (
      id TEXT PRIMARY KEY,
      organization_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'refused')),
      reason TEXT,
      detail TEXT NOT NULL,
      at TEXT NOT NULL
    )`.execute(db);
  },
};
