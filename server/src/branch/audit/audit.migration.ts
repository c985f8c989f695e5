// Branch migration 0006_admin_audit: every admin change (who, when, what, before → after), written in the
// transaction of the change. Listed in db/migrations.ts. Kysely<any> on purpose: never typed against today's schema.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const adminAuditMigration: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE TABLE admin_audit (
      id TEXT PRIMARY KEY,
      at TEXT NOT NULL,
      kind TEXT NOT NULL,
      action TEXT NOT NULL,
      entity_id TEXT,
      actor_id TEXT,
      actor_name TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT
    )`.execute(db);
    await sql`CREATE INDEX admin_audit_kind_at ON admin_audit(kind, at)`.execute(db);
    await sql`CREATE INDEX admin_audit_at ON admin_audit(at)`.execute(db);
  },
};
