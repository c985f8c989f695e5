// Tables of ticket tracking in the central database, on their own migration track ("tracking"), next to central's
// own list: what central's ticket rows lack for positions (parking, transfers to a counter), who follows which
// ticket, and head-office settings (branch location, "your turn is near" position per service).
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Migration } from 'kysely';
import { migrateTrack } from '../notifications/store.js';
import { rekeyTable } from '../db/rekey.js';

export interface TrackingCursorTable { branch_id: string; last_seq: number }
/** Per ticket, from the branch's full ticket rows in the pushed records (newest record wins). */
export interface TrackingTicketsTable {
  ticket_id: string; branch_id: string; service_id: string; target_counter_id: string | null; parked_at: string | null;
  counter_number: number | null; source_seq: number;
}
export interface TrackingSubscriptionsTable {
  id: string; ticket_id: string; branch_id: string; channel: string; recipient: string; target: string; language: string;
  /** "ticket": contact given at issue time; "page": subscribed from the tracking page. */
  source: string; created_at: string; revoked_at: string | null;
}
export interface TrackingServicesTable {
  branch_id: string; service_id: string; notify_at_position: number | null; name: string | null;
  default_service_minutes: number | null; updated_at: string;
}
export interface TrackingBranchesTable { branch_id: string; latitude: number | null; longitude: number | null; updated_at: string }

export interface TrackingTables {
  tracking_cursor: TrackingCursorTable;
  tracking_tickets: TrackingTicketsTable;
  tracking_subscriptions: TrackingSubscriptionsTable;
  tracking_services: TrackingServicesTable;
  tracking_branches: TrackingBranchesTable;
}

export const trackingMigrations: Record<string, Migration> = {
  '0001_tracking': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('tracking_cursor')
        .addColumn('branch_id', 'text', (c) => c.primaryKey())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createTable('tracking_tickets')
        .addColumn('ticket_id', 'text', (c) => c.primaryKey())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull())
        .addColumn('target_counter_id', 'text')
        .addColumn('parked_at', 'text')
        .addColumn('counter_number', 'integer')
        .addColumn('source_seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createTable('tracking_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ticket_id', 'text', (c) => c.notNull())
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addUniqueConstraint('tracking_subscriptions_once', ['ticket_id', 'channel', 'recipient'])
        .execute();
      await db.schema.createIndex('tracking_subscriptions_branch').on('tracking_subscriptions').columns(['branch_id', 'ticket_id']).execute();
      await db.schema.createTable('tracking_services')
        .addColumn('branch_id', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull())
        .addColumn('notify_at_position', 'integer')
        .addColumn('name', 'text')
        .addColumn('default_service_minutes', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tracking_services_pk', ['branch_id', 'service_id'])
        .execute();
      await db.schema.createTable('tracking_branches')
        .addColumn('branch_id', 'text', (c) => c.primaryKey())
        .addColumn('latitude', 'double precision')
        .addColumn('longitude', 'double precision')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // Tickets are keyed by their branch as well as their id (central migration 0006_branch_keys).
  '0002_branch_keys': {
    async up(db: Kysely<any>) {
      await rekeyTable(db, { table: 'tracking_tickets', primaryKey: ['branch_id', 'ticket_id'] });
      await rekeyTable(db, {
        table: 'tracking_subscriptions', primaryKey: ['id'],
        unique: [{ name: 'tracking_subscriptions_once_bk', columns: ['branch_id', 'ticket_id', 'channel', 'recipient'] }],
        indexes: [{ name: 'tracking_subscriptions_branch', columns: ['branch_id', 'ticket_id'] }],
      });
    },
  },
};

export function migrateTracking(db: Kysely<any>): Promise<void> {
  return migrateTrack(db, 'tracking', trackingMigrations);
}
