// Central migration 0004_payments. Portable types only (text, integer) for SQLite and PostgreSQL; listed in
// central/migrations.ts. Kysely<any> on purpose: never typed against today's schema.
//   payment_checkouts  what central asked of a provider for a phone payment, and the provider's verdict (central's own)
//   provider_events    every verified webhook, once per (provider, event id): a redelivery is recognised and skipped
//   payments           the branches' payments as they pushed them (their outbox facts): what head office counts
//   payment_events     their history
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Migration } from 'kysely';

export const centralPaymentsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('payment_checkouts')
      .addColumn('payment_id', 'text', (c) => c.primaryKey())
      .addColumn('branch_id', 'text')
      .addColumn('ticket_id', 'text')
      .addColumn('booking_id', 'text')
      .addColumn('service_id', 'text')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('amount_xof', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('payment_url', 'text')
      .addColumn('qr_data', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('payer_phone', 'text')
      .addColumn('review_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('settled_at', 'text')
      .addColumn('checked_at', 'text')
      .execute();
    await db.schema.createIndex('payment_checkouts_provider_ref').unique().on('payment_checkouts').columns(['provider', 'provider_ref']).execute();
    await db.schema.createIndex('payment_checkouts_status').on('payment_checkouts').columns(['status', 'checked_at']).execute();
    await db.schema.createTable('provider_events')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('payment_id', 'text')
      .addColumn('provider_ref', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      // As the provider sent it (it may not even be a whole number): kept for the review, never summed.
      .addColumn('amount', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('provider_events_pk', ['provider', 'event_id'])
      .execute();
    await db.schema.createTable('payments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('branch_id', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text')
      .addColumn('booking_id', 'text')
      .addColumn('service_id', 'text')
      .addColumn('amount_xof', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('provider_ref', 'text')
      .addColumn('review_reason', 'text')
      .addColumn('recorded_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('settled_at', 'text')
      // Branch seq of the fact this row was last written from: a row is replaced only by a newer one.
      .addColumn('source_seq', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payments_branch_settled').on('payments').columns(['branch_id', 'settled_at']).execute();
    await db.schema.createIndex('payments_settled').on('payments').column('settled_at').execute();
    await db.schema.createTable('payment_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('branch_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('device_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('data', 'text')
      .execute();
    await db.schema.createIndex('payment_events_payment').on('payment_events').column('payment_id').execute();
  },
};

// Type aliases, not interfaces: Kysely's withTables wants types with an implicit index signature.
export type PaymentCheckoutsTable = {
  payment_id: string; branch_id: string | null; ticket_id: string | null; booking_id: string | null; service_id: string | null;
  provider: string; channel: string; amount_xof: number; currency: string; status: string; provider_ref: string | null;
  payment_url: string | null; qr_data: string | null; expires_at: string | null; payer_phone: string | null;
  review_reason: string | null; created_at: string; updated_at: string; settled_at: string | null; checked_at: string | null;
};
export type ProviderEventsTable = {
  provider: string; event_id: string; payment_id: string | null; provider_ref: string; status: string; amount: string;
  currency: string; outcome: string; received_at: string; payload: string;
};
export type CentralPaymentsTable = {
  id: string; branch_id: string; ticket_id: string | null; booking_id: string | null; service_id: string | null;
  amount_xof: number; currency: string; method: string; channel: string; status: string; provider_ref: string | null;
  review_reason: string | null; recorded_by: string | null; created_at: string; updated_at: string; settled_at: string | null;
  source_seq: number;
};
export type CentralPaymentEventsTable = {
  id: string; payment_id: string; branch_id: string; type: string; from_status: string | null; to_status: string; at: string;
  user_id: string | null; device_id: string | null; source: string; data: string | null;
};
export type CentralPaymentTables = {
  payment_checkouts: PaymentCheckoutsTable;
  provider_events: ProviderEventsTable;
  payments: CentralPaymentsTable;
  payment_events: CentralPaymentEventsTable;
  payment_checkout_events: PaymentCheckoutEventsTable;
};

// Central migration 0005_payment_history:
//   payment_checkout_events  one row per change of a checkout at central (created, each status change, set aside for
//                            review), written in the transaction of the change, whatever caused it (webhook, status
//                            poll, expiry, refusal at creation, refund by head office)
//   appointment_services.fee_xof  the fee of a bookable service as its branch pushed it: a remote booking's deposit
export const centralPaymentHistoryMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createTable('payment_checkout_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('provider_event_id', 'text')
      .addColumn('data', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payment_checkout_events_payment').on('payment_checkout_events').column('payment_id').execute();
    await db.schema.alterTable('appointment_services').addColumn('fee_xof', 'integer').execute();
  },
};

export type PaymentCheckoutEventsTable = {
  id: string; payment_id: string; type: string; from_status: string | null; to_status: string; source: string;
  provider_event_id: string | null; data: string | null; at: string;
};
