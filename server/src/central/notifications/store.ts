// The delivery log's tables, in whichever database the caller runs (central's SQLite or PostgreSQL). They migrate
// on their own track (notification_migration), so that they never interleave with the host's migration list.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Migrator, type Kysely, type Migration, type Transaction } from 'kysely';

/** One message to one recipient on one channel for one event: the unit of "never twice". */
export interface NotificationDeliveriesTable {
  id: string;
  /** What happened, e.g. "called:<event id>", "turn_near:<ticket>:<service>", "booking_confirmation:<booking>". */
  event_key: string;
  channel: string;
  /** Normalised address (e-mail, +221…, push endpoint). UNIQUE(event_key, channel, recipient). */
  recipient: string;
  kind: string;
  language: string;
  /** Recipient as JSON (push keys included). */
  target: string;
  /** RenderedNotification as JSON, rendered when queued. */
  message: string;
  /** pending → sending → sent | failed | expired (pending again after a transient failure). */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** While sending: another worker may take it over after this (a worker that died mid-send). */
  lease_until: string | null;
  /** After this the message is stale and is not sent any more. */
  expires_at: string | null;
  last_error: string | null;
  provider_ref: string | null;
  ref_type: string | null;
  ref_id: string | null;
  /** The branch the message is about (the head-office log is read per organization); null when none. */
  branch_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface NotificationTables {
  notification_deliveries: NotificationDeliveriesTable;
}

export type NotificationDb = Kysely<NotificationTables> | Transaction<NotificationTables>;

/** View any Kysely instance (or transaction) as one holding the notification tables. */
export function notificationDb(db: Kysely<any> | Transaction<any>): Kysely<NotificationTables> {
  return db as unknown as Kysely<NotificationTables>;
}

export const notificationMigrations: Record<string, Migration> = {
  '0001_delivery_log': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('notification_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('provider_ref', 'text')
        .addColumn('ref_type', 'text')
        .addColumn('ref_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addUniqueConstraint('notification_deliveries_once', ['event_key', 'channel', 'recipient'])
        .execute();
      await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('notification_deliveries_ref').on('notification_deliveries').columns(['ref_id']).execute();
    },
  },
  '0002_delivery_branch': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('notification_deliveries').addColumn('branch_id', 'text').execute();
      await db.schema.createIndex('notification_deliveries_branch').on('notification_deliveries').columns(['branch_id', 'created_at']).execute();
      // Rows queued before: a ticket's messages carry their branch in the event key (called:<branch>:…,
      // turn_near:<branch>:…); a booking's is its booking's branch when the bookings table is in this database.
      const rows = await db.selectFrom('notification_deliveries').select(['id', 'event_key', 'ref_type', 'ref_id']).execute() as
        Array<{ id: string; event_key: string; ref_type: string | null; ref_id: string | null }>;
      const hasBookings = (await db.introspection.getTables()).some((t) => t.name === 'bookings');
      for (const r of rows) {
        let branchId: string | null = null;
        const [kind, second] = r.event_key.split(':');
        if (r.ref_type === 'ticket' && (kind === 'called' || kind === 'turn_near') && second) branchId = second;
        else if (r.ref_type === 'booking' && r.ref_id && hasBookings) {
          const b = await db.selectFrom('bookings').select('branch_id').where('id', '=', r.ref_id).executeTakeFirst() as { branch_id: string } | undefined;
          branchId = b?.branch_id ?? null;
        }
        if (branchId) await db.updateTable('notification_deliveries').set({ branch_id: branchId }).where('id', '=', r.id).execute();
      }
    },
  },
};

/** Run a migration list on its own track (own bookkeeping tables), refusing to start on a mismatch. */
export async function migrateTrack(db: Kysely<any>, track: string, migrations: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `${track}_migration`,
    migrationLockTableName: `${track}_migration_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`${track} migration failed: ${reason}`);
  }
}

export function migrateNotifications(db: Kysely<any>): Promise<void> {
  return migrateTrack(db, 'notification', notificationMigrations);
}
