// A stand-in for the payment aggregator through which we reach Free Money (assumed API: see
// ../providers/free-money.ts), speaking what the Free Money adapter expects.
import { z } from 'zod';
import { signFreeMoneyPayload } from '../../central/payments/providers/free-money.js';
import type { PaymentStatus } from '../../central/payments/providers/types.js';
import {
  bearerToken, parseJson, ProviderSimulator, scenarioFor,
  type DeliveryOptions, type SimPayment, type SimRequest, type SimResponse, type SimulatorOptions,
} from './simulator.js';

export interface FreeMoneySimulatorOptions extends SimulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** Minutes a payment request waits for the customer's PIN. Default 10. */
  paymentTtlMinutes?: number;
}

const CashoutRequest = z.object({
  amount: z.number().int().positive(),
  currency: z.literal('XOF'),
  operator: z.literal('free_money'),
  phone: z.string().regex(/^\+221\d{9}$/),
  reference: z.string().min(1).max(255),
  callback_url: z.url(),
  success_url: z.url().optional(),
  error_url: z.url().optional(),
  description: z.string().max(255).optional(),
});

const WIRE_STATUS: Record<PaymentStatus, string> = { pending: 'pending', succeeded: 'success', failed: 'failed', expired: 'expired', refunded: 'refunded' };

export class FreeMoneySimulator extends ProviderSimulator {
  protected readonly providerLabel = 'Free Money';

  constructor(private readonly config: FreeMoneySimulatorOptions) {
    super(config);
  }

  protected async handle(req: SimRequest): Promise<SimResponse> {
    const token = bearerToken(req.headers);
    if (token !== this.config.apiKey) return { status: 401, json: { error: { code: 'unauthorized', message: 'Invalid API key' } } };
    if (req.method === 'POST' && req.path === '/api/payments/cashout') return this.cashout(req);
    const match = /^\/api\/payments\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && match) {
      const payment = this.payments.get(decodeURIComponent(match[1] ?? ''));
      if (!payment) return { status: 404, json: { error: { code: 'not_found', message: 'No such payment' } } };
      this.refreshExpiry(payment);
      return { status: 200, json: this.paymentJson(payment) };
    }
    return { status: 404, json: { error: { code: 'not_found', message: `${req.method} ${req.path}` } } };
  }

  private cashout(req: SimRequest): Promise<SimResponse> {
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    if (!key) return Promise.resolve({ status: 400, json: { error: { code: 'idempotency_key_required', message: 'Idempotency-Key header is required' } } });
    const body = parseJson(req.body);
    return this.idempotent(key, body, async () => {
      const parsed = CashoutRequest.safeParse(body);
      if (!parsed.success) {
        return { status: 422, json: { error: { code: 'validation_error', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } } };
      }
      const input = parsed.data;
      if (scenarioFor(input.phone) === 'refuse') {
        return { status: 402, json: { error: { code: 'declined', message: 'Insufficient balance on the Free Money wallet' } } };
      }
      const payment = this.newPayment({
        id: this.randomId('pay_', 10),
        reference: input.reference,
        amountXof: input.amount,
        currency: input.currency,
        phone: input.phone,
        successUrl: input.success_url ?? null,
        errorUrl: input.error_url ?? null,
        callbackUrl: input.callback_url,
      }, (this.config.paymentTtlMinutes ?? 10) * 60_000);
      return { status: 201, json: this.paymentJson(payment) };
    }, { status: 409, json: { error: { code: 'idempotency_conflict', message: 'Idempotency-Key reused with a different body' } } });
  }

  protected newEventId(): string {
    return this.randomId('evt_', 10);
  }

  protected buildWebhook(payment: SimPayment, delivery: DeliveryOptions, timestampSec: number) {
    const url = payment.callbackUrl ?? this.webhookUrl;
    if (!url) return null;
    const data = this.paymentJson(payment);
    if (delivery.amountXof !== undefined) data.amount = delivery.amountXof;
    if (delivery.currency !== undefined) data.currency = delivery.currency;
    const body = JSON.stringify({ event_id: payment.eventId, type: `payment.${WIRE_STATUS[payment.status]}`, data, created_at: payment.settledAt?.toISOString() ?? null });
    const secret = delivery.forgeSignature ? `${this.config.webhookSecret}-forged` : this.config.webhookSecret;
    return {
      url,
      headers: { 'content-type': 'application/json', 'x-timestamp': String(timestampSec), 'x-signature': signFreeMoneyPayload(secret, timestampSec, body) },
      body,
    };
  }

  private paymentJson(p: SimPayment): Record<string, unknown> {
    return {
      id: p.id,
      status: WIRE_STATUS[p.status],
      reference: p.reference,
      amount: p.amountXof,
      currency: p.currency,
      operator: 'free_money',
      phone: p.phone,
      payment_url: `${this.url}/pay/${encodeURIComponent(p.id)}`,
      created_at: p.createdAt.toISOString(),
      expires_at: p.expiresAt.toISOString(),
      failure_reason: p.status === 'failed' ? p.failureReason : null,
    };
  }
}
