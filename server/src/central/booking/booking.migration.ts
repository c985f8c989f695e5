// Central migration 0003_appointments: each branch's appointment settings (pushed by the branch) and the bookings
// central owns. Portable types only (text, integer) for SQLite and PostgreSQL. Listed in central/migrations.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const centralAppointmentsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('appointment_branches')
      .addColumn('branch_id', 'text', (c) => c.primaryKey())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('overrides', 'text', (c) => c.notNull())
      // Branch seq of the `appointments.configured` fact this row was written from: only a newer one replaces it.
      .addColumn('config_seq', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('appointment_services')
      .addColumn('branch_id', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('name_fr', 'text', (c) => c.notNull())
      .addColumn('name_wo', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('slot_minutes', 'integer', (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('horizon_working_days', 'integer', (c) => c.notNull())
      .addColumn('min_lead_minutes', 'integer', (c) => c.notNull())
      .addColumn('early_minutes', 'integer', (c) => c.notNull())
      .addColumn('late_minutes', 'integer', (c) => c.notNull())
      .addColumn('opening_hours', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('appointment_services_pk', ['branch_id', 'service_id'])
      .execute();
    await db.schema.createTable('bookings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('branch_id', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text')
      // When the visitor's reminder is due (24 h or 2 h before), null when booked too late for one. The
      // notifications module sends it while status = 'booked' and sets reminder_sent_at.
      .addColumn('reminder_due_at', 'text')
      .addColumn('reminder_sent_at', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'text')
      .addColumn('checked_in_at', 'text')
      .addColumn('no_show_at', 'text')
      .execute();
    await db.schema.createIndex('bookings_slot').on('bookings').columns(['branch_id', 'service_id', 'starts_at']).execute();
    await db.schema.createIndex('bookings_reminder').on('bookings').columns(['status', 'reminder_due_at']).execute();
  },
};

/**
 * Central migration 0018_booking_contacts: "my bookings" finds a visitor's bookings by their confirmed phone or by
 * lower(email) (currentBookingsOfContact); without these it read every booking.
 */
export const bookingContactsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('bookings_phone').on('bookings').columns(['phone', 'starts_at']).execute();
    await db.schema.createIndex('bookings_email').on('bookings').expression(sql`lower(email), starts_at`).execute();
  },
};

// The tables as Kysely sees them (added to central's Kysely with withTables). Type aliases, not interfaces:
// withTables wants types with an implicit index signature.
export type AppointmentBranchesTable = { branch_id: string; time_zone: string; overrides: string; config_seq: number; updated_at: string };
export type AppointmentServicesTable = {
  branch_id: string; service_id: string; prefix: string; name_fr: string; name_wo: string; name_en: string; status: string; sort_order: number;
  enabled: number; slot_minutes: number; capacity: number; horizon_working_days: number; min_lead_minutes: number; early_minutes: number;
  late_minutes: number; opening_hours: string | null; updated_at: string;
  /** Added by central migration 0005_payment_history (server/src/central/payments). */
  fee_xof: number | null;
};
export type CentralBookingsTable = {
  id: string; code: string; branch_id: string; service_id: string; starts_at: string; ends_at: string; name: string; phone: string | null;
  email: string | null; language: string; status: string; ticket_id: string | null; reminder_due_at: string | null; reminder_sent_at: string | null;
  version: number; created_at: string; updated_at: string; cancelled_at: string | null; checked_in_at: string | null; no_show_at: string | null;
};
export type CentralAppointmentTables = {
  appointment_branches: AppointmentBranchesTable;
  appointment_services: AppointmentServicesTable;
  bookings: CentralBookingsTable;
};
