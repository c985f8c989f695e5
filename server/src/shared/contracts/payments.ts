// Payments: what the branch API, the agent and kiosk screens, the branch's outbox (aggregate `payment`), central's
// change feed (entity `payment`) and central's head-office figures share. Amounts are whole francs CFA (XOF).
import { z } from 'zod';
import {
  CURRENCY_XOF, PAYMENT_STATUSES, PaymentStatus, PROVIDER_NAMES, ProviderName,
} from './payment-basics.js';
import { CommandId, Id } from './api.js';
import { LocalDate, SENEGAL_PHONE_RE, SenegalPhone } from './domain.js';

export { CURRENCY_XOF, PAYMENT_STATUSES, PaymentStatus, PROVIDER_NAMES, ProviderName };

/** No fee or single payment above this: a typing mistake (10 million francs CFA), not a visit's fee. */
export const MAX_PAYMENT_XOF = 10_000_000;
export const AmountXof = z.number().int('amounts are whole francs CFA').positive('amount must be > 0').max(MAX_PAYMENT_XOF);

/** How the money came: cash at the counter, or one of the Mobile Money providers. */
export const PAYMENT_METHODS = ['cash', ...PROVIDER_NAMES] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** Where it was paid: recorded by an agent, from the visitor's phone after the kiosk's QR code, or remotely (booking). */
export const PAYMENT_CHANNELS = ['counter', 'kiosk', 'remote'] as const;
export const PaymentChannel = z.enum(PAYMENT_CHANNELS);
export type PaymentChannel = z.infer<typeof PaymentChannel>;

/** History rows of a payment: its creation, each status change, and a provider report set aside for review. */
export const PAYMENT_EVENT_TYPES = ['created', 'succeeded', 'failed', 'expired', 'refunded', 'flagged'] as const;
export const PaymentEventType = z.enum(PAYMENT_EVENT_TYPES);
export type PaymentEventType = z.infer<typeof PaymentEventType>;

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  cash: 'Espèces', wave: 'Wave', orange_money: 'Orange Money', free_money: 'Free Money',
};

/** A Mobile Money transaction reference as typed by an agent (Wave `T_…`, Orange `MP…`, Free Money ids). */
export const TransactionReference = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{3,63}$/, 'reference: 4-64 letters, digits or . _ : / -');

// ---------------------------------------------------------------------------------------------------------------
// Branch REST API

export const PaymentCheckoutView = z.object({
  /** Opens the payment in the provider's app or page. */
  paymentUrl: z.string(),
  /** What the kiosk's QR code holds (often the same link). */
  qrData: z.string().nullable(),
  /** The QR code, ready to show (SVG markup). */
  qrSvg: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type PaymentCheckoutView = z.infer<typeof PaymentCheckoutView>;

export const PaymentView = z.object({
  id: z.string(),
  ticketId: z.string().nullable(),
  bookingId: z.string().nullable(),
  serviceId: z.string().nullable(),
  amountXof: z.number().int(),
  currency: z.string(),
  method: PaymentMethod,
  channel: PaymentChannel,
  status: PaymentStatus,
  /** The provider's transaction reference (counter) or checkout id (phone). */
  providerRef: z.string().nullable(),
  checkout: PaymentCheckoutView.nullable(),
  /** Why a person must look at it (the provider reported another amount or currency): not counted as paid. */
  review: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  settledAt: z.string().nullable(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const TicketPayments = z.object({
  ticketId: z.string(),
  /** Fee of the ticket's service; null when the service is free. */
  feeXof: z.number().int().nullable(),
  /** Succeeded payments of the ticket (and of its booking: a deposit paid online counts). */
  paidXof: z.number().int(),
  dueXof: z.number().int(),
  /** A phone payment is under way (the visitor may be paying right now). */
  pending: z.boolean(),
  payments: z.array(PaymentView),
});
export type TicketPayments = z.infer<typeof TicketPayments>;

export const RecordPaymentBody = z.strictObject({
  commandId: CommandId.optional(),
  method: PaymentMethod,
  /** Default: what is still due for the ticket. */
  amountXof: AmountXof.optional(),
  /** The Mobile Money transaction reference shown on the visitor's phone; required for Wave / Orange Money / Free Money. */
  reference: TransactionReference.optional(),
}).refine((b) => b.method === 'cash' || b.reference !== undefined, {
  message: 'a Mobile Money payment recorded at the counter needs its transaction reference', path: ['reference'],
}).refine((b) => b.method !== 'cash' || b.reference === undefined, {
  message: 'a cash payment has no transaction reference', path: ['reference'],
});
export type RecordPaymentBody = z.input<typeof RecordPaymentBody>;

export const StartCheckoutBody = z.strictObject({
  commandId: CommandId.optional(),
  provider: ProviderName,
  /** Default: what is still due for the ticket. */
  amountXof: AmountXof.optional(),
  /** The payer's number: Free Money pushes the request to it; Wave restricts the payer to it. */
  phone: SenegalPhone.optional(),
});
export type StartCheckoutBody = z.input<typeof StartCheckoutBody>;

export const RefundBody = z.strictObject({ commandId: CommandId.optional(), reason: z.string().trim().max(200).optional() });

// ---------------------------------------------------------------------------------------------------------------
// Branch → central: outbox facts, aggregate `payment` (event types payment.created|succeeded|failed|expired|refunded|flagged)

export const PAYMENT_AGGREGATE = 'payment';
const Iso = z.iso.datetime({ offset: true });
const Ref = z.string().min(1).max(64);

/** The payment row the branch sends with every payment event (event_version 1). */
export const PaymentSnapshotV1 = z.object({
  id: Ref,
  branch_id: Ref,
  ticket_id: Ref.nullable(),
  booking_id: Ref.nullable(),
  service_id: Ref.nullable(),
  amount_xof: AmountXof,
  currency: z.literal(CURRENCY_XOF),
  method: PaymentMethod,
  channel: PaymentChannel,
  status: PaymentStatus,
  provider_ref: z.string().max(128).nullable(),
  review_reason: z.string().max(500).nullable(),
  recorded_by: Ref.nullable(),
  created_at: Iso,
  updated_at: Iso,
  settled_at: Iso.nullable(),
});
export type PaymentSnapshotV1 = z.infer<typeof PaymentSnapshotV1>;

export const PaymentEventV1 = z.object({
  id: Ref,
  type: PaymentEventType,
  from: PaymentStatus.nullable(),
  to: PaymentStatus,
  at: Iso,
  userId: Ref.nullable(),
  deviceId: Ref.nullable(),
  /** Who decided the change: the branch (counter, kiosk, sweeper) or central (provider webhook or status poll). */
  source: z.enum(['branch', 'central']),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type PaymentEventV1 = z.infer<typeof PaymentEventV1>;
export const PaymentFactV1 = z.object({ payment: PaymentSnapshotV1, event: PaymentEventV1 });
export type PaymentFactV1 = z.infer<typeof PaymentFactV1>;

// ---------------------------------------------------------------------------------------------------------------
// Central → branch: the `payment` entity of the feed (the provider's verdict on a phone payment)

export const PAYMENT_ENTITY = 'payment';
export const PaymentFeedPayload = z.object({
  id: Ref,
  ticketId: Ref.nullable(),
  bookingId: Ref.nullable(),
  serviceId: Ref.nullable(),
  provider: ProviderName,
  channel: PaymentChannel,
  amountXof: AmountXof,
  currency: z.literal(CURRENCY_XOF),
  status: PaymentStatus,
  providerRef: z.string().max(128).nullable(),
  paymentUrl: z.string().max(2000).nullable(),
  expiresAt: Iso.nullable(),
  review: z.string().max(500).nullable(),
  settledAt: Iso.nullable(),
  updatedAt: Iso,
});
export type PaymentFeedPayload = z.infer<typeof PaymentFeedPayload>;

// ---------------------------------------------------------------------------------------------------------------
// Branch → central: open a checkout with the provider (branch credential, POST /api/sync/payments/checkouts)

export const CheckoutRequest = z.strictObject({
  /** Made at the branch (UUIDv7); also the provider's idempotency key and our reference at the provider. */
  paymentId: Ref,
  provider: ProviderName,
  amountXof: AmountXof,
  channel: PaymentChannel,
  ticketId: Ref.nullable(),
  bookingId: Ref.nullable(),
  serviceId: Ref.nullable(),
  phone: z.string().regex(SENEGAL_PHONE_RE).nullable(),
  description: z.string().max(120).nullable(),
});
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const CheckoutResponse = z.object({
  paymentId: z.string(),
  provider: ProviderName,
  status: PaymentStatus,
  providerRef: z.string(),
  paymentUrl: z.string(),
  qrData: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

// ---------------------------------------------------------------------------------------------------------------
// Totals per branch, day (branch time zone, day the money was received), service and method

export const LocalDay = LocalDate;
export const PaymentTotalsQuery = z.object({
  from: LocalDay.optional(),
  to: LocalDay.optional(),
  branchId: Id.optional(),
});

export const PaymentFigures = z.object({
  /** Payments that reached `succeeded` (refunded ones included: the money was received). */
  count: z.number().int(),
  receivedXof: z.number().int(),
  refundedCount: z.number().int(),
  refundedXof: z.number().int(),
  /** received − refunded */
  netXof: z.number().int(),
});
export type PaymentFigures = z.infer<typeof PaymentFigures>;

export const PaymentTotalsRow = PaymentFigures.extend({
  branchId: z.string(),
  day: z.string(),
  serviceId: z.string().nullable(),
  method: PaymentMethod,
});
export type PaymentTotalsRow = z.infer<typeof PaymentTotalsRow>;

export const PaymentTotals = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.literal(CURRENCY_XOF),
  rows: z.array(PaymentTotalsRow),
  byBranch: z.array(PaymentFigures.extend({ branchId: z.string() })),
  byMethod: z.array(PaymentFigures.extend({ method: PaymentMethod })),
  byService: z.array(PaymentFigures.extend({ branchId: z.string(), serviceId: z.string().nullable() })),
  byDay: z.array(PaymentFigures.extend({ day: z.string() })),
  total: PaymentFigures,
  /** Phone payments central saw succeed whose branch has not confirmed them yet (offline branch): not in the rows. */
  awaitingBranch: z.object({ count: z.number().int(), amountXof: z.number().int() }).optional(),
  /** Provider reports that did not match the payment (amount, currency): waiting for a person. */
  flagged: z.number().int().optional(),
});
export type PaymentTotals = z.infer<typeof PaymentTotals>;

// ---------------------------------------------------------------------------------------------------------------
// Central: a remote booking's deposit (public, by booking code) and head office's refund of a phone payment

export const DepositCheckoutBody = z.strictObject({
  /** Made by the booking page: the same id again returns the same checkout (never a second charge). */
  commandId: CommandId.optional(),
  provider: ProviderName,
  /** The payer's number; default the booking's. Free Money pushes the request to it. */
  phone: SenegalPhone.optional(),
});
export type DepositCheckoutBody = z.input<typeof DepositCheckoutBody>;

/** The checkout of a deposit: the link to open on the phone, and the same link as a QR code (SVG) for another phone. */
export const DepositCheckoutView = CheckoutResponse.extend({
  amountXof: z.number().int(),
  qrSvg: z.string().nullable(),
});
export type DepositCheckoutView = z.infer<typeof DepositCheckoutView>;

export const BookingDepositView = z.object({
  code: z.string(),
  /** The fee of the booked service; null: no deposit is asked. */
  feeXof: z.number().int().nullable(),
  paidXof: z.number().int(),
  dueXof: z.number().int(),
  /** A phone payment is under way. */
  pending: z.boolean(),
  payments: z.array(z.object({
    paymentId: z.string(),
    method: PaymentMethod,
    amountXof: z.number().int(),
    status: PaymentStatus,
    /** While pending: the link to pay. */
    paymentUrl: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })),
});
export type BookingDepositView = z.infer<typeof BookingDepositView>;

export const CentralRefundBody = z.strictObject({ reason: z.string().trim().max(200).optional() });

/** A phone payment at central with its history (head office). */
export const CheckoutHistoryEvent = z.object({
  type: z.string(), from: PaymentStatus.nullable(), to: PaymentStatus, source: z.string(), providerEventId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(), at: z.string(),
});
