// Central migration 0012_remote_joins (issue 18): remote joins, from the visitor's request to the branch's answer.
// Portable types only (text, integer) for SQLite and PostgreSQL. Listed in central/migrations.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Migration } from 'kysely';

export const remoteJoinsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('remote_joins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // The visitor's idempotency key: a retried join answers the first one.
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('branch_id', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      // pending (waits for the branch) → claimed (the branch took it) → issued | refused; pending → expired.
      .addColumn('status', 'text', (c) => c.notNull())
      // The branch may take a pending join only before this time (central's clock): after it, central has refused.
      .addColumn('deadline_at', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text')
      .addColumn('ticket_number', 'text')
      .addColumn('position', 'integer')
      .addColumn('estimated_wait_minutes', 'integer')
      .addColumn('issued_at', 'text')
      .addColumn('refusal_code', 'text')
      .addColumn('refusal_message', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text')
      .addColumn('answered_at', 'text')
      .execute();
    await db.schema.createIndex('remote_joins_branch_status').on('remote_joins').columns(['branch_id', 'status']).execute();
    await db.schema.createIndex('remote_joins_phone').on('remote_joins').columns(['phone', 'created_at']).execute();
  },
};

export type RemoteJoinsTable = {
  id: string; idempotency_key: string; branch_id: string; service_id: string; name: string; phone: string | null; channel: string;
  language: string; status: string; deadline_at: string; ticket_id: string | null; ticket_number: string | null; position: number | null;
  estimated_wait_minutes: number | null; issued_at: string | null; refusal_code: string | null; refusal_message: string | null;
  created_at: string; claimed_at: string | null; answered_at: string | null;
  cancel_status: string | null; cancel_deadline_at: string | null; cancel_requested_at: string | null; cancel_answered_at: string | null;
  cancel_refusal_code: string | null;
};

// Central migration 0015_remote_phone (issue 18): a visitor's cancel of a remote ticket (central asks, the branch
// cancels and answers, like a join) and the SMS central received (a re-delivered message is answered once).
export const remotePhoneMigration: Migration = {
  async up(db: Kysely<any>) {
    // pending (waits for the branch, until cancel_deadline_at) → claimed → done | refused; pending → expired.
    for (const column of ['cancel_status', 'cancel_deadline_at', 'cancel_requested_at', 'cancel_answered_at', 'cancel_refusal_code']) {
      await db.schema.alterTable('remote_joins').addColumn(column, 'text').execute();
    }
    await db.schema.createIndex('remote_joins_cancel').on('remote_joins').columns(['branch_id', 'cancel_status']).execute();
    await db.schema.createTable('remote_sms_inbound')
      // The provider's messageId: a second delivery of the same message finds it and is answered once.
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      // sha256 of the sender's number (its language next time), not the number: the reply is in the delivery log.
      .addColumn('phone_hash', 'text', (c) => c.notNull())
      .addColumn('command', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('join_id', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('remote_sms_inbound_phone').on('remote_sms_inbound').columns(['phone_hash', 'received_at']).execute();
  },
};

export type RemoteSmsInboundTable = { message_id: string; phone_hash: string; command: string; language: string; join_id: string | null; received_at: string };
export type CentralRemoteTables = { remote_joins: RemoteJoinsTable; remote_sms_inbound: RemoteSmsInboundTable };
