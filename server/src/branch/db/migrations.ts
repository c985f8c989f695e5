// Versioned migrations of the branch database, bundled as an ordered list (a packaged Electron app cannot read a
// migrations folder at run time). Migrations take Kysely<any> on purpose: they must not depend on today's schema.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';
import { syncMigration } from '../sync/sync.migration.js';
import { paymentsMigration } from '../payments/payments.migration.js';
import { appointmentsMigration } from '../appointments/appointments.migration.js';
import { centralConfigMigration } from '../services/central-config.migration.js';
import { adminAuditMigration } from '../audit/audit.migration.js';
import { remoteMigration, absentMigration } from '../remote/remote.migration.js';
import { notifyAtMigration } from '../services/notify-at.migration.js';
import { parkedMigration, ticketDayIndexMigration, waitingCountsMigration, waitingLineMigration } from '../tickets/tickets.migration.js';

export const branchMigrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('organizations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('branches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Africa/Dakar'))
        .addColumn('opening_hours', 'text', (c) => c.notNull())
        .addColumn('logo_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('services')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('name_fr', 'text', (c) => c.notNull())
        .addColumn('name_wo', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('icon', 'text', (c) => c.notNull().defaultTo('ticket'))
        .addColumn('target_wait_minutes', 'integer', (c) => c.notNull())
        .addColumn('default_service_minutes', 'real', (c) => c.notNull())
        .addColumn('express', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('opening_hours', 'text')
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      // A letter belongs to one live service of the branch: it is what makes A042 unambiguous.
      await sql`CREATE UNIQUE INDEX services_prefix_live ON services(branch_id, prefix) WHERE deleted_at IS NULL`.execute(db);
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('counters')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('closed'))
        .addColumn('agent_id', 'text', (c) => c.references('users.id'))
        .addColumn('current_ticket_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .execute();
      await sql`CREATE UNIQUE INDEX counters_number_live ON counters(branch_id, number) WHERE deleted_at IS NULL`.execute(db);
      await db.schema.createTable('counter_services')
        .addColumn('counter_id', 'text', (c) => c.notNull().references('counters.id'))
        .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('counter_services_pk', ['counter_id', 'service_id'])
        .execute();
      await db.schema.createTable('counter_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('counter_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.unique())
        .addColumn('pairing_code_hash', 'text')
        .addColumn('pairing_expires_at', 'text')
        .addColumn('paired_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('last_seen_at', 'text')
        .addColumn('printer', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('tickets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
        .addColumn('service_day', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('queue_type', 'text', (c) => c.notNull())
        .addColumn('priority_reason', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('email', 'text')
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('called_at', 'text')
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('counter_id', 'text')
        .addColumn('target_counter_id', 'text')
        .addColumn('parked_at', 'text')
        .addColumn('recall_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('agent_id', 'text')
        .addColumn('device_id', 'text')
        .addColumn('booking_id', 'text')
        .addColumn('outcome', 'text')
        .addColumn('note', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await sql`CREATE UNIQUE INDEX tickets_number_per_day ON tickets(service_day, number)`.execute(db);
      // The active queue is a partial index: call-next and positions never scan the day's history.
      await sql`CREATE INDEX tickets_active ON tickets(service_id, status) WHERE status IN ('waiting','transferred','called','serving')`.execute(db);
      await sql`CREATE INDEX tickets_served_recent ON tickets(service_id, finished_at) WHERE status = 'served'`.execute(db);
      await sql`CREATE INDEX tickets_day ON tickets(service_day)`.execute(db);
      await db.schema.createTable('ticket_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
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
      await sql`CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id)`.execute(db);
      await db.schema.createTable('ticket_sequences')
        .addColumn('service_id', 'text', (c) => c.notNull())
        .addColumn('service_day', 'text', (c) => c.notNull())
        .addColumn('last_number', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('ticket_sequences_pk', ['service_id', 'service_day'])
        .execute();
      await db.schema.createTable('commands')
        .addColumn('command_id', 'text', (c) => c.primaryKey())
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        aggregate_type TEXT NOT NULL,
        aggregate_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        event_version INTEGER NOT NULL,
        payload TEXT NOT NULL,
        occurred_at TEXT NOT NULL
      )`.execute(db);
    },
  },
  '0002_sync': syncMigration,
  '0003_appointments': appointmentsMigration,
  '0004_payments': paymentsMigration,
  '0005_central_config': centralConfigMigration,
  '0006_admin_audit': adminAuditMigration,
  '0007_remote': remoteMigration,
  '0008_absent': absentMigration,
  '0009_notify_at': notifyAtMigration,
  '0010_waiting_line': waitingLineMigration,
  '0011_parked': parkedMigration,
  '0012_waiting_counts': waitingCountsMigration,
  '0013_ticket_day_index': ticketDayIndexMigration,
};
