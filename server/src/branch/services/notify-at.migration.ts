// Branch migration 0009_notify_at: the position at which a visitor following their ticket is told "your turn is near",
// per service (null: head office's default). Listed in db/migrations.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const notifyAtMigration: Migration = {
  async up(db: Kysely<any>) {
    await sql`ALTER TABLE services ADD COLUMN notify_at_position INTEGER CHECK (notify_at_position BETWEEN 1 AND 50)`.execute(db);
  },
};
