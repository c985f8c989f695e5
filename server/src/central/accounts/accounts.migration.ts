// Head-office accounts: users with roles scoped by organization, their sessions and the audit of every console action.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Migration } from 'kysely';

export const officeAccountsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('office_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('office_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('office_sessions_user').on('office_sessions').column('user_id').execute();
    await db.schema.createTable('office_audit')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_login', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('details', 'text')
      .execute();
    await db.schema.createIndex('office_audit_org_at').on('office_audit').columns(['organization_id', 'at']).execute();
  },
};
