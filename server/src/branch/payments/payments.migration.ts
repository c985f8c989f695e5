// Branch migration 0004_payments: a fee per service, the payments of tickets and bookings, and their history.
// Listed in db/migrations.ts. Kysely<any> on purpose: never typed against today's schema.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely, type Migration } from 'kysely';

export const paymentsMigration: Migration = {
  async up(db: Kysely<any>) {
    // Whole francs CFA; null: the service is free.
    await sql`ALTER TABLE services ADD COLUMN fee_xof INTEGER CHECK (fee_xof IS NULL OR (fee_xof > 0 AND fee_xof = CAST(fee_xof AS INTEGER)))`.execute(db);
    await sql`CREATE TABLE payments (
      id TEXT PRIMARY KEY,
      branch_id TEXT NOT NULL,
      ticket_id TEXT,
      booking_id TEXT,
      service_id TEXT,
      amount_xof INTEGER NOT NULL CHECK (amount_xof > 0 AND amount_xof = CAST(amount_xof AS INTEGER)),
      currency TEXT NOT NULL DEFAULT 'XOF' CHECK (currency = 'XOF'),
      method TEXT NOT NULL CHECK (method IN ('cash', 'wave', 'orange_money', 'free_money')),
      channel TEXT NOT NULL CHECK (channel IN ('counter', 'kiosk', 'remote')),
      status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired', 'refunded')),
      provider_ref TEXT,
      payer_phone TEXT,
      payment_url TEXT,
      qr_data TEXT,
      expires_at TEXT,
      review_reason TEXT,
      origin TEXT NOT NULL CHECK (origin IN ('counter', 'checkout')),
      recorded_by TEXT,
      device_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      settled_at TEXT
    )`.execute(db);
    // One Mobile Money transaction is recorded once: an agent cannot type the same reference twice.
    await sql`CREATE UNIQUE INDEX payments_provider_ref ON payments(method, provider_ref) WHERE provider_ref IS NOT NULL`.execute(db);
    await sql`CREATE INDEX payments_ticket ON payments(ticket_id) WHERE ticket_id IS NOT NULL`.execute(db);
    await sql`CREATE INDEX payments_booking ON payments(booking_id) WHERE booking_id IS NOT NULL`.execute(db);
    await sql`CREATE INDEX payments_settled ON payments(settled_at)`.execute(db);
    await sql`CREATE INDEX payments_pending ON payments(created_at) WHERE status = 'pending'`.execute(db);
    await sql`CREATE TABLE payment_events (
      id TEXT PRIMARY KEY,
      payment_id TEXT NOT NULL REFERENCES payments(id),
      type TEXT NOT NULL,
      from_status TEXT,
      to_status TEXT NOT NULL,
      at TEXT NOT NULL,
      user_id TEXT,
      device_id TEXT,
      source TEXT NOT NULL,
      data TEXT
    )`.execute(db);
    await sql`CREATE INDEX payment_events_payment ON payment_events(payment_id)`.execute(db);
  },
};
