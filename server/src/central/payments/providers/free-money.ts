// Free Money (Senegal) through a payment aggregator. Aggregators (PayTech, PayDunya, InTouch…) differ in details;
// this adapter assumes the common "cash-out request" shape below. Adapting to a given aggregator means changing
// this file only (paths, field names, header names), the MobileMoneyProvider shape stays.
//
//   POST /api/payments/cashout   Authorization: Bearer <API key>, Idempotency-Key: <key>
//        {amount: 1000, currency: "XOF", operator: "free_money", phone: "+22176…", reference, callback_url,
//         success_url, error_url, description}
//        → 201 {id: "pay_…", status: "pending", reference, amount, currency, phone, payment_url, expires_at}
//          The customer gets a USSD push on the phone and confirms with a PIN; payment_url is the aggregator's
//          hosted page for the same payment. 402 {error:{code:"declined",…}} when refused at once.
//          Same Idempotency-Key + same body → the same payment; + another body → 409.
//   GET  /api/payments/:id       → {id, status, reference, amount, currency, …}
//        status: pending | success | failed | expired | refunded
//   Callback: POST callback_url with JSON {event_id, type: "payment.<status>", data: {id, reference, status, amount,
//        currency, phone, failure_reason?}, created_at}, headers X-Timestamp: <unix s> and
//        X-Signature: hex HMAC-SHA256(webhook secret, "<X-Timestamp>.<raw body>"). The timestamp is inside the signed
//        text so a captured callback cannot be replayed later with a fresh timestamp; it must be within the tolerance.
import { z } from 'zod';
import { amountFromWire, assertFreshTimestamp, headerValue, hexDigestEquals, hmacSha256Hex, parseJsonBody, validateCheckoutInput } from './common.js';
import { ProviderError, WebhookVerificationError } from './errors.js';
import { callProvider, type ProviderRequest } from './http.js';
import {
  DEFAULT_TIMEOUT_MS, DEFAULT_WEBHOOK_TOLERANCE_SEC, systemClock,
  type Checkout, type Clock, type CommonProviderConfig, type CreateCheckoutInput, type MobileMoneyProvider,
  type PaymentStatus, type ProviderEvent, type ProviderPaymentState, type WebhookRequest,
} from './types.js';

export const FREE_MONEY_SIGNATURE_HEADER = 'x-signature';
export const FREE_MONEY_TIMESTAMP_HEADER = 'x-timestamp';

export interface FreeMoneyConfig extends CommonProviderConfig {
  /** The aggregator's API base URL (no default: it depends on the aggregator). */
  apiUrl: string;
  apiKey: string;
  webhookSecret: string;
}

const AggregatorPayment = z.object({
  id: z.string().min(1),
  status: z.string(),
  reference: z.string().nullish(),
  amount: z.union([z.number(), z.string()]),
  currency: z.string(),
  payment_url: z.string().nullish(),
  expires_at: z.string().nullish(),
  failure_reason: z.string().nullish(),
});
type AggregatorPayment = z.infer<typeof AggregatorPayment>;

const AggregatorEvent = z.object({ event_id: z.string().min(1), type: z.string(), data: AggregatorPayment, created_at: z.string().nullish() });

export function freeMoneyStatus(status: string): PaymentStatus {
  switch (status.toLowerCase()) {
    case 'success':
    case 'succeeded': return 'succeeded';
    case 'failed':
    case 'declined':
    case 'cancelled': return 'failed';
    case 'expired': return 'expired';
    case 'refunded': return 'refunded';
    default: return 'pending';
  }
}

export class FreeMoneyProvider implements MobileMoneyProvider {
  readonly name = 'free_money' as const;
  readonly signedCallbacks = true;
  private readonly timeoutMs: number;
  private readonly toleranceSec: number;
  private readonly clock: Clock;

  constructor(private readonly config: FreeMoneyConfig) {
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.toleranceSec = config.webhookToleranceSec ?? DEFAULT_WEBHOOK_TOLERANCE_SEC;
    this.clock = config.clock ?? systemClock;
  }

  async createCheckout(input: CreateCheckoutInput): Promise<Checkout> {
    const valid = validateCheckoutInput(this.name, input);
    if (!valid.customerPhone) throw new ProviderError(this.name, 'INVALID_REQUEST', 'customerPhone is required: Free Money pushes the payment to the phone');
    const payment = await this.payment({
      method: 'POST',
      path: '/api/payments/cashout',
      headers: { 'idempotency-key': valid.idempotencyKey },
      json: {
        amount: valid.amountXof,
        currency: 'XOF',
        operator: 'free_money',
        phone: valid.customerPhone,
        reference: valid.reference,
        callback_url: valid.callbackUrl,
        success_url: valid.successUrl,
        error_url: valid.errorUrl,
        ...(valid.description ? { description: valid.description } : {}),
      },
    });
    if (!payment.payment_url) throw new ProviderError(this.name, 'PROTOCOL', 'payment answer has no payment_url');
    return {
      providerRef: payment.id,
      paymentUrl: payment.payment_url,
      status: freeMoneyStatus(payment.status),
      ...(payment.expires_at ? { expiresAt: payment.expires_at } : {}),
    };
  }

  async getStatus(providerRef: string): Promise<ProviderPaymentState> {
    const payment = await this.payment({ method: 'GET', path: `/api/payments/${encodeURIComponent(providerRef)}` });
    return { status: freeMoneyStatus(payment.status), amountXof: amountFromWire(payment.amount), currency: payment.currency };
  }

  parseWebhook(req: WebhookRequest): ProviderEvent {
    const signature = headerValue(req.headers, FREE_MONEY_SIGNATURE_HEADER);
    const timestampHeader = headerValue(req.headers, FREE_MONEY_TIMESTAMP_HEADER);
    if (!signature || !timestampHeader) throw new WebhookVerificationError(this.name, 'missing_signature', 'X-Signature and X-Timestamp are required');
    if (!/^\d+$/.test(timestampHeader.trim())) throw new WebhookVerificationError(this.name, 'malformed_signature', 'X-Timestamp must be unix seconds');
    const timestamp = Number(timestampHeader.trim());
    assertFreshTimestamp(this.name, timestamp, this.clock.now().getTime(), this.toleranceSec);
    const expected = signFreeMoneyPayload(this.config.webhookSecret, timestamp, req.rawBody);
    if (!hexDigestEquals(expected, signature.trim())) throw new WebhookVerificationError(this.name, 'bad_signature', 'X-Signature does not match');

    const event = parseJsonBody(this.name, req.rawBody, AggregatorEvent);
    return {
      provider: this.name,
      providerRef: event.data.id,
      reference: event.data.reference ?? null,
      status: freeMoneyStatus(event.data.status),
      amountXof: amountFromWire(event.data.amount),
      currency: event.data.currency,
      eventId: event.event_id,
      raw: event,
    };
  }

  private async payment(req: Omit<ProviderRequest, 'provider' | 'baseUrl' | 'timeoutMs'>): Promise<AggregatorPayment> {
    const { data, status } = await callProvider({
      ...req,
      provider: this.name,
      baseUrl: this.config.apiUrl,
      timeoutMs: this.timeoutMs,
      headers: { authorization: `Bearer ${this.config.apiKey}`, ...req.headers },
    });
    const parsed = AggregatorPayment.safeParse(data);
    if (!parsed.success) throw new ProviderError(this.name, 'PROTOCOL', 'unexpected payment answer', { httpStatus: status });
    return parsed.data;
  }
}

/** Hex HMAC-SHA256 of "<timestamp>.<raw body>" (used by the simulator too). */
export function signFreeMoneyPayload(secret: string, timestampSec: number, rawBody: Buffer | string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody;
  return hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestampSec}.`), body]));
}
