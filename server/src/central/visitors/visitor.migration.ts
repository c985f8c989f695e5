// Central migration 0016_visitor_codes (issue 18, visitor web site): one-time codes sent to a visitor's phone or
// e-mail and the token a verified visitor gets. Only hashes are kept (of the code, salted with its id, and of the
// token). Portable types only (text, integer) for SQLite and PostgreSQL. Listed in central/db/migrations.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Migration } from 'kysely';

export const visitorCodesMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('visitor_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // sms (target: +221…) or email (target: lower-cased address).
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('expires_at', 'text', (c) => c.notNull())
      // Set once the right code came: the code is spent, the token stands until token_expires_at.
      .addColumn('verified_at', 'text')
      .addColumn('token_hash', 'text', (c) => c.unique())
      .addColumn('token_expires_at', 'text')
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('visitor_codes_target').on('visitor_codes').columns(['target', 'created_at']).execute();
    // Rows older than a day are deleted (they hold a phone number or an address, and no limit looks that far).
    await db.schema.createIndex('visitor_codes_created').on('visitor_codes').columns(['created_at']).execute();
  },
};

export interface VisitorCodesTable {
  id: string; channel: string; target: string; code_hash: string; attempts: number; expires_at: string; verified_at: string | null;
  token_hash: string | null; token_expires_at: string | null; address: string; created_at: string;
}
export type CentralVisitorTables = { visitor_codes: VisitorCodesTable };
