// Migrations of the central database: one list for SQLite and PostgreSQL, portable types only (text, integer).
// Migrations take Kysely<any> on purpose: they must not depend on today's schema.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { remoteJoinsMigration, remotePhoneMigration } from '../remote/remote.migration.js';
import { visitorCodesMigration } from '../visitors/visitor.migration.js';
import type { Kysely, Migration } from 'kysely';
import { bookingContactsMigration, centralAppointmentsMigration } from '../booking/booking.migration.js';
import { centralPaymentHistoryMigration, centralPaymentsMigration } from '../payments/payments.central-migration.js';
import { rekeyTable } from './rekey.js';
import { officeAccountsMigration } from '../accounts/accounts.migration.js';
import { coarseRollupsMigration, rollupsMigration } from '../analytics/rollups.migration.js';
import { orgConfigMigration } from '../config/org-config.migration.js';
import { branchDirectoryMigration, branchNotifyAtMigration, branchServiceHoursMigration, servicePaceMigration } from '../analytics/directory.js';

export const centralMigrations: Record<string, Migration> = {
  '0001_central': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('organizations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('branches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('branch_credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createTable('branch_sync')
        .addColumn('branch_id', 'text', (c) => c.primaryKey().references('branches.id'))
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('head_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('oldest_pending_at', 'text')
        .addColumn('last_push_at', 'text')
        .addColumn('last_pull_at', 'text')
        .addColumn('pull_cursor', 'integer')
        .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('feed_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('feed_floor', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createTable('sync_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('aggregate_type', 'text', (c) => c.notNull())
        .addColumn('aggregate_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event_version', 'integer', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addUniqueConstraint('sync_events_branch_seq', ['branch_id', 'seq'])
        .execute();
      await db.schema.createIndex('sync_events_parked').on('sync_events').columns(['status', 'aggregate_type']).execute();
      await db.schema.createTable('sync_quarantine')
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('event_id', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_quarantine_pk', ['branch_id', 'seq'])
        .execute();
      await db.schema.createTable('tickets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull())
        .addColumn('service_day', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('queue_type', 'text', (c) => c.notNull())
        .addColumn('priority_reason', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('called_at', 'text')
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('counter_id', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('booking_id', 'text')
        .addColumn('outcome', 'text')
        .addColumn('recall_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('source_seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tickets_branch_issued').on('tickets').columns(['branch_id', 'issued_at']).execute();
      await db.schema.createTable('ticket_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ticket_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('counter_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('device_id', 'text')
        .addColumn('data', 'text')
        .execute();
      await db.schema.createIndex('ticket_events_ticket').on('ticket_events').column('ticket_id').execute();
      await db.schema.createIndex('ticket_events_branch_at').on('ticket_events').columns(['branch_id', 'at']).execute();
      await db.schema.createTable('branch_feed')
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('op', 'text', (c) => c.notNull())
        .addColumn('payload', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('branch_feed_pk', ['branch_id', 'version'])
        .execute();
      await db.schema.createIndex('branch_feed_entity').on('branch_feed').columns(['branch_id', 'entity_type', 'entity_id']).execute();
      await db.schema.createTable('central_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_appointments': centralAppointmentsMigration,
  '0004_payments': centralPaymentsMigration,
  '0005_payment_history': centralPaymentHistoryMigration,
  // Every replicated record is keyed by its branch as well as its id: a branch that sends a record with the id of
  // another branch's record writes its own row and never shadows the other's (issue 14, point 17).
  '0006_branch_keys': {
    async up(db: Kysely<any>) {
      await rekeyTable(db, {
        table: 'sync_events', primaryKey: ['branch_id', 'event_id'], unique: [{ name: 'sync_events_branch_seq_bk', columns: ['branch_id', 'seq'] }],
        indexes: [{ name: 'sync_events_parked', columns: ['status', 'aggregate_type'] }],
      });
      await rekeyTable(db, {
        table: 'tickets', primaryKey: ['branch_id', 'id'],
        indexes: [{ name: 'tickets_branch_issued', columns: ['branch_id', 'issued_at'] }, { name: 'tickets_id', columns: ['id'] }],
      });
      await rekeyTable(db, {
        table: 'ticket_events', primaryKey: ['branch_id', 'id'],
        indexes: [{ name: 'ticket_events_ticket', columns: ['branch_id', 'ticket_id'] }, { name: 'ticket_events_branch_at', columns: ['branch_id', 'at'] }],
      });
      await rekeyTable(db, {
        table: 'payments', primaryKey: ['branch_id', 'id'],
        indexes: [{ name: 'payments_branch_settled', columns: ['branch_id', 'settled_at'] }, { name: 'payments_settled', columns: ['settled_at'] }],
      });
      await rekeyTable(db, {
        table: 'payment_events', primaryKey: ['branch_id', 'id'],
        indexes: [{ name: 'payment_events_payment', columns: ['branch_id', 'payment_id'] }],
      });
    },
  },
  '0007_office_accounts': officeAccountsMigration,
  '0008_rollups': rollupsMigration,
  '0009_org_config': orgConfigMigration,
  '0010_coarse_rollups': coarseRollupsMigration,
  '0011_branch_directory': branchDirectoryMigration,
  '0012_remote_joins': remoteJoinsMigration,
  '0013_service_pace': servicePaceMigration,
  '0014_branch_notify_at': branchNotifyAtMigration,
  '0015_remote_phone': remotePhoneMigration,
  '0016_visitor_codes': visitorCodesMigration,
  '0017_branch_service_hours': branchServiceHoursMigration,
  '0018_booking_contacts': bookingContactsMigration,
};
