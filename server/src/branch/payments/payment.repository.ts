// Plain synchronous functions over the payment tables of the branch database (migration 0004_payments). They run
// inside the caller's transaction: a payment change, its history row and its outbox row are written together.
import { sql, type Kysely } from 'kysely';
import {
  CURRENCY_XOF, PAYMENT_AGGREGATE,
  type PaymentChannel, type PaymentEventType, type PaymentFactV1, type PaymentMethod, type PaymentStatus, type PaymentView,
} from '../../shared/contracts/payments.js';
import type { BranchDatabase } from '../db/schema.js';
import type { BranchStore } from '../db/store.js';
import { newId } from '../../shared/ids.js';
import { movePayment } from '../../shared/domain/payment-state.js';
import type { Tx } from '../db/unit-of-work.js';

// Type aliases, not interfaces: Kysely's withTables wants types with an implicit index signature.
export type PaymentsTable = {
  id: string; branch_id: string; ticket_id: string | null; booking_id: string | null; service_id: string | null;
  amount_xof: number; currency: string; method: string; channel: string; status: string; provider_ref: string | null;
  payer_phone: string | null; payment_url: string | null; qr_data: string | null; expires_at: string | null;
  review_reason: string | null;
  /** `counter`: recorded by an agent, the branch decides its status. `checkout`: paid from a phone, central decides. */
  origin: string;
  recorded_by: string | null; device_id: string | null; created_at: string; updated_at: string; settled_at: string | null;
};
export type PaymentEventsTable = {
  id: string; payment_id: string; type: string; from_status: string | null; to_status: string; at: string;
  user_id: string | null; device_id: string | null; source: string; data: string | null;
};
export type PaymentTables = { payments: PaymentsTable; payment_events: PaymentEventsTable };
export type PaymentDb = Kysely<BranchDatabase & PaymentTables>;
export type PaymentRow = PaymentsTable;

export function paymentDb(store: BranchStore): PaymentDb {
  return store.db.withTables<PaymentTables>();
}

/** Who caused a change, as written in the history and sent to central. */
export interface ChangeBy {
  userId: string | null;
  deviceId: string | null;
  source: 'branch' | 'central';
}

export function findPayment(store: BranchStore, id: string): PaymentRow | undefined {
  return store.first(paymentDb(store).selectFrom('payments').selectAll().where('id', '=', id));
}

export function paymentsOfTicket(store: BranchStore, ticketId: string, bookingId: string | null): PaymentRow[] {
  const db = paymentDb(store);
  return store.all(db.selectFrom('payments').selectAll()
    .where((eb) => (bookingId ? eb.or([eb('ticket_id', '=', ticketId), eb('booking_id', '=', bookingId)]) : eb('ticket_id', '=', ticketId)))
    .orderBy('created_at').orderBy('id'));
}

/** Every payment of the visit a payment belongs to: its ticket, its booking, and the ticket a booking became. */
export function paymentsOfVisit(store: BranchStore, row: Pick<PaymentRow, 'ticket_id' | 'booking_id'>): PaymentRow[] {
  const db = paymentDb(store);
  const ticket = row.ticket_id ? store.first(store.db.selectFrom('tickets').select(['id', 'booking_id']).where('id', '=', row.ticket_id)) : undefined;
  const bookingId = row.booking_id ?? ticket?.booking_id ?? null;
  const ticketIds = row.ticket_id ? [row.ticket_id]
    : bookingId ? store.all(store.db.selectFrom('tickets').select('id').where('booking_id', '=', bookingId)).map((t) => t.id) : [];
  return store.all(db.selectFrom('payments').selectAll().where((eb) => eb.or([
    ...(ticketIds.length ? [eb('ticket_id', 'in', ticketIds)] : []),
    ...(bookingId ? [eb('booking_id', '=', bookingId)] : []),
  ])).orderBy('created_at').orderBy('id'));
}

export function findByProviderRef(store: BranchStore, method: PaymentMethod, providerRef: string): PaymentRow | undefined {
  return store.first(paymentDb(store).selectFrom('payments').selectAll().where('method', '=', method).where('provider_ref', '=', providerRef));
}

/** Payments whose money was received between two instants (ISO, [from, to)), for the day's totals. */
export function receivedBetween(store: BranchStore, from: string, to: string): PaymentRow[] {
  return store.all(paymentDb(store).selectFrom('payments').selectAll()
    .where('settled_at', '>=', from).where('settled_at', '<', to)
    .where('status', 'in', ['succeeded', 'refunded']));
}

/** Phone payments the branch started that never got a checkout (central could not be reached), older than `before`. */
export function staleCheckoutsWithoutLink(store: BranchStore, before: string): PaymentRow[] {
  return store.all(paymentDb(store).selectFrom('payments').selectAll()
    .where('status', '=', 'pending').where('origin', '=', 'checkout').where('provider_ref', 'is', null).where('created_at', '<', before));
}

export function toPaymentView(row: PaymentRow, qrSvg: string | null = null): PaymentView {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    bookingId: row.booking_id,
    serviceId: row.service_id,
    amountXof: row.amount_xof,
    currency: row.currency,
    method: row.method as PaymentMethod,
    channel: row.channel as PaymentChannel,
    status: row.status as PaymentStatus,
    providerRef: row.provider_ref,
    checkout: row.payment_url ? { paymentUrl: row.payment_url, qrData: row.qr_data, qrSvg, expiresAt: row.expires_at } : null,
    review: row.review_reason,
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    settledAt: row.settled_at,
  };
}

export interface NewPayment {
  id?: string;
  branchId: string;
  ticketId: string | null;
  bookingId: string | null;
  serviceId: string | null;
  amountXof: number;
  method: PaymentMethod;
  channel: PaymentChannel;
  origin: 'counter' | 'checkout';
  providerRef?: string | null;
  payerPhone?: string | null;
  paymentUrl?: string | null;
  expiresAt?: string | null;
  recordedBy?: string | null;
  deviceId?: string | null;
}

/** Insert a pending payment with its `created` history row and outbox fact. */
export function insertPayment(store: Tx, p: NewPayment, by: ChangeBy, at: string): PaymentRow {
  const row: PaymentRow = {
    id: p.id ?? newId(),
    branch_id: p.branchId,
    ticket_id: p.ticketId,
    booking_id: p.bookingId,
    service_id: p.serviceId,
    amount_xof: p.amountXof,
    currency: CURRENCY_XOF,
    method: p.method,
    channel: p.channel,
    status: 'pending',
    provider_ref: p.providerRef ?? null,
    payer_phone: p.payerPhone ?? null,
    payment_url: p.paymentUrl ?? null,
    qr_data: null,
    expires_at: p.expiresAt ?? null,
    review_reason: null,
    origin: p.origin,
    recorded_by: p.recordedBy ?? null,
    device_id: p.deviceId ?? null,
    created_at: at,
    updated_at: at,
    settled_at: null,
  };
  store.run(paymentDb(store).insertInto('payments').values(row));
  recordPaymentEvent(store, row, 'created', null, by, at, {});
  return row;
}

/**
 * Move a payment to another status (the state machine decides, INVALID_TRANSITION otherwise), with its history
 * row and outbox fact. `settled_at` is when the money arrived (kept on a refund).
 */
export function changePaymentStatus(
  store: Tx, row: PaymentRow, to: Exclude<PaymentStatus, 'pending'>, by: ChangeBy, at: string,
  data: Record<string, unknown> = {}, patch: Partial<PaymentRow> = {},
): PaymentRow {
  const from = row.status as PaymentStatus;
  movePayment(from, to);
  const settled = to === 'succeeded' ? at : to === 'refunded' ? row.settled_at : null;
  const updated: PaymentRow = { ...row, ...patch, status: to, settled_at: settled, updated_at: at };
  store.run(paymentDb(store).updateTable('payments').set({ ...patch, status: to, settled_at: settled, updated_at: at }).where('id', '=', row.id));
  recordPaymentEvent(store, updated, to, from, by, at, data);
  return updated;
}

/** Set a payment aside for review (the provider's report does not match it); its status does not change. */
export function flagPayment(store: Tx, row: PaymentRow, reason: string, by: ChangeBy, at: string): PaymentRow {
  const updated: PaymentRow = { ...row, review_reason: reason, updated_at: at };
  store.run(paymentDb(store).updateTable('payments').set({ review_reason: reason, updated_at: at }).where('id', '=', row.id));
  recordPaymentEvent(store, updated, 'flagged', row.status as PaymentStatus, by, at, { reason });
  return updated;
}

/** Details that are not a change of state (the checkout link): no history row, no outbox fact. */
export function updatePaymentDetails(store: BranchStore, id: string, patch: Partial<Pick<PaymentRow, 'provider_ref' | 'payment_url' | 'qr_data' | 'expires_at' | 'updated_at'>>): void {
  store.run(paymentDb(store).updateTable('payments').set(patch).where('id', '=', id));
}

function recordPaymentEvent(
  store: Tx, payment: PaymentRow, type: PaymentEventType, from: PaymentStatus | null, by: ChangeBy, at: string, data: Record<string, unknown>,
): void {
  const id = newId();
  const to = payment.status as PaymentStatus;
  const history = paymentDb(store).insertInto('payment_events').values({
    id, payment_id: payment.id, type, from_status: from, to_status: to, at, user_id: by.userId, device_id: by.deviceId,
    source: by.source, data: Object.keys(data).length ? JSON.stringify(data) : null,
  });
  const fact: PaymentFactV1 = {
    payment: {
      id: payment.id, branch_id: payment.branch_id, ticket_id: payment.ticket_id, booking_id: payment.booking_id,
      service_id: payment.service_id, amount_xof: payment.amount_xof, currency: CURRENCY_XOF, method: payment.method as PaymentMethod,
      channel: payment.channel as PaymentChannel, status: to, provider_ref: payment.provider_ref, review_reason: payment.review_reason,
      recorded_by: payment.recorded_by, created_at: payment.created_at, updated_at: payment.updated_at, settled_at: payment.settled_at,
    },
    event: { id, type, from, to, at, userId: by.userId, deviceId: by.deviceId, source: by.source, data: Object.keys(data).length ? data : null },
  };
  store.record(history, { eventId: id, aggregateType: PAYMENT_AGGREGATE, aggregateId: payment.id, eventType: `payment.${type}`, occurredAt: at, payload: fact });
}

export function paymentHistory(store: BranchStore, paymentId: string): PaymentEventsTable[] {
  return store.all(paymentDb(store).selectFrom('payment_events').selectAll().where('payment_id', '=', paymentId).orderBy(sql`rowid`));
}
