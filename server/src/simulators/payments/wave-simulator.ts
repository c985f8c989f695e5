// A stand-in for Wave's Checkout API sandbox, speaking the wire format the Wave adapter expects.
import { z } from 'zod';
import { signWaveWebhook } from '../../central/payments/providers/wave.js';
import type { PaymentStatus } from '../../central/payments/providers/types.js';
import {
  bearerToken, parseJson, ProviderSimulator,
  type DeliveryOptions, type SimPayment, type SimRequest, type SimResponse, type SimulatorOptions,
} from './simulator.js';

export interface WaveSimulatorOptions extends SimulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** Minutes a session stays open. Default 30. */
  sessionTtlMinutes?: number;
}

const CreateSession = z.object({
  amount: z.string().regex(/^[1-9]\d*$/, 'XOF amounts are whole numbers > 0, sent as a string'),
  currency: z.literal('XOF'),
  client_reference: z.string().max(255).optional(),
  success_url: z.url(),
  error_url: z.url(),
  restrict_payer_mobile: z.string().regex(/^\+\d{6,15}$/).optional(),
});

export class WaveSimulator extends ProviderSimulator {
  protected readonly providerLabel = 'Wave';

  constructor(private readonly config: WaveSimulatorOptions) {
    super(config);
  }

  /** The session as Wave's API shows it. */
  session(ref: string): Record<string, unknown> {
    return this.sessionJson(this.payment(ref));
  }

  protected async handle(req: SimRequest): Promise<SimResponse> {
    const token = bearerToken(req.headers);
    if (!token) return { status: 401, json: { code: 'missing-auth-header', message: 'Authorization: Bearer <api key> is required' } };
    if (token !== this.config.apiKey) return { status: 401, json: { code: 'invalid-auth', message: 'API key not recognised' } };

    if (req.method === 'POST' && req.path === '/v1/checkout/sessions') return this.create(req);
    const match = /^\/v1\/checkout\/sessions\/([^/]+)(?:\/(expire|refund))?$/.exec(req.path);
    if (!match) return { status: 404, json: { code: 'not-found', message: `${req.method} ${req.path}` } };
    const payment = this.payments.get(decodeURIComponent(match[1] ?? ''));
    if (!payment) return { status: 404, json: { code: 'checkout-session-not-found', message: 'No such checkout session' } };
    this.refreshExpiry(payment);
    const action = match[2];
    if (req.method === 'GET' && !action) return { status: 200, json: this.sessionJson(payment) };
    if (req.method === 'POST' && action === 'expire') {
      if (payment.status === 'succeeded' || payment.status === 'refunded') {
        return { status: 409, json: { code: 'checkout-session-not-open', message: 'A completed session cannot be expired' } };
      }
      if (payment.status === 'pending' || payment.status === 'failed') {
        payment.status = 'expired';
        payment.settledAt = this.clock.now();
      }
      return { status: 200, json: this.sessionJson(payment) };
    }
    if (req.method === 'POST' && action === 'refund') {
      if (payment.status !== 'succeeded') return { status: 409, json: { code: 'checkout-refund-failed', message: `Session is ${payment.status}, only a paid one can be refunded` } };
      payment.status = 'refunded';
      payment.refundedAt = this.clock.now();
      return { status: 200, json: {} };
    }
    return { status: 405, json: { code: 'method-not-allowed', message: `${req.method} ${req.path}` } };
  }

  private create(req: SimRequest): Promise<SimResponse> {
    const body = parseJson(req.body);
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    return this.idempotent(key, body, async () => {
      const parsed = CreateSession.safeParse(body);
      if (!parsed.success) {
        return {
          status: 400,
          json: { code: 'request-validation-error', message: 'Request invalid', details: parsed.error.issues.map((i) => ({ loc: i.path, msg: i.message })) },
        };
      }
      const input = parsed.data;
      const payment = this.newPayment({
        id: this.randomId('cos-', 7),
        reference: input.client_reference ?? '',
        amountXof: Number(input.amount),
        currency: input.currency,
        phone: input.restrict_payer_mobile ?? null,
        successUrl: input.success_url,
        errorUrl: input.error_url,
      }, (this.config.sessionTtlMinutes ?? 30) * 60_000);
      return { status: 200, json: this.sessionJson(payment) };
    }, { status: 409, json: { code: 'idempotency-mismatch', message: 'Idempotency-Key reused with a different request body' } });
  }

  protected override notifies(status: PaymentStatus): boolean {
    // Wave announces completion and failed attempts; an expiry is seen by polling the session.
    return status === 'succeeded' || status === 'failed';
  }

  protected newEventId(): string {
    return this.randomId('AE_', 8);
  }

  protected buildWebhook(payment: SimPayment, delivery: DeliveryOptions, timestampSec: number) {
    if (!this.webhookUrl) return null;
    const session = this.sessionJson(payment);
    if (delivery.amountXof !== undefined) session.amount = String(delivery.amountXof);
    if (delivery.currency !== undefined) session.currency = delivery.currency;
    const type = payment.status === 'succeeded' ? 'checkout.session.completed' : 'checkout.session.payment_failed';
    const body = JSON.stringify({ id: payment.eventId, type, data: session });
    const secret = delivery.forgeSignature ? `${this.config.webhookSecret}-forged` : this.config.webhookSecret;
    return { url: this.webhookUrl, headers: { 'content-type': 'application/json', 'wave-signature': signWaveWebhook(secret, timestampSec, body) }, body };
  }

  private sessionJson(p: SimPayment): Record<string, unknown> {
    const checkoutStatus = p.status === 'succeeded' || p.status === 'refunded' ? 'complete' : p.status === 'expired' ? 'expired' : 'open';
    const paymentStatus = p.status === 'succeeded' || p.status === 'refunded' ? 'succeeded' : p.status === 'pending' ? 'processing' : 'cancelled';
    return {
      id: p.id,
      amount: String(p.amountXof),
      checkout_status: checkoutStatus,
      client_reference: p.reference || null,
      currency: p.currency,
      error_url: p.errorUrl,
      last_payment_error: p.status === 'failed' ? { code: p.failureReason ?? 'payment-failure', message: 'The payment could not be completed' } : null,
      business_name: 'SmartQueue (simulated)',
      payment_status: paymentStatus,
      transaction_id: p.settledAt && (p.status === 'succeeded' || p.status === 'refunded') ? `T_${p.id.slice(4).toUpperCase()}` : null,
      aggregated_merchant_id: null,
      success_url: p.successUrl,
      wave_launch_url: `${this.url}/pay/${encodeURIComponent(p.id)}`,
      when_completed: p.status === 'succeeded' || p.status === 'refunded' ? p.settledAt?.toISOString() ?? null : null,
      when_created: p.createdAt.toISOString(),
      when_expires: p.expiresAt.toISOString(),
      when_refunded: p.refundedAt?.toISOString() ?? null,
      restrict_payer_mobile: p.phone,
    };
  }
}
