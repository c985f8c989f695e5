// Branch migration 0003_appointments: appointment settings per service, holiday overrides and closures, and the
// bookings pulled from central. Listed in db/migrations.ts. Kysely<any> on purpose: never typed against today's schema.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const appointmentsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('appointment_settings')
      .addColumn('service_id', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('slot_minutes', 'integer', (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('horizon_working_days', 'integer', (c) => c.notNull())
      .addColumn('min_lead_minutes', 'integer', (c) => c.notNull())
      .addColumn('early_minutes', 'integer', (c) => c.notNull())
      .addColumn('late_minutes', 'integer', (c) => c.notNull())
      .addColumn('opening_hours', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('holiday_overrides')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('holiday_key', 'text')
      .addColumn('label', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Central owns a booking until the branch records a fact about it (checked_in, no_show): then the branch's
    // status stands, whatever the feed says later.
    await db.schema.createTable('bookings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text')
      .addColumn('reminder_due_at', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('checked_in_at', 'text')
      .addColumn('no_show_at', 'text')
      .execute();
    await sql`CREATE INDEX bookings_starts ON bookings(starts_at)`.execute(db);
    // The no-show sweeper reads only bookings still waiting for their visitor.
    await sql`CREATE INDEX bookings_open ON bookings(starts_at) WHERE status = 'booked'`.execute(db);
  },
};
