// Wave Senegal, Checkout API (https://docs.wave.com/checkout, /webhook).
//   POST /v1/checkout/sessions            {amount: "1000", currency: "XOF", client_reference, success_url, error_url,
//                                          restrict_payer_mobile?}  + Idempotency-Key header
//   GET  /v1/checkout/sessions/:id         the session: id (cos-…), amount, currency, checkout_status
//                                          (open|complete|expired), payment_status (processing|cancelled|succeeded),
//                                          client_reference, wave_launch_url, when_expires, when_refunded, last_payment_error
//   POST /v1/checkout/sessions/:id/expire  close an open session
//   POST /v1/checkout/sessions/:id/refund  give a completed payment back
// Auth: `Authorization: Bearer <API key>`. Webhooks go to the URL registered in the Wave Business Portal
// (not per session), signed: `Wave-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]` where each v1 is
// HMAC-SHA256(webhook secret, "<t>" + raw body). Body: {id, type, data: session}; we use
// checkout.session.completed and checkout.session.payment_failed.
import { z } from 'zod';
import { amountFromWire, assertFreshTimestamp, headerValue, hexDigestEquals, hmacSha256Hex, parseJsonBody, validateCheckoutInput } from './common.js';
import { ProviderError, WebhookVerificationError } from './errors.js';
import { callProvider, type ProviderRequest } from './http.js';
import {
  DEFAULT_TIMEOUT_MS, DEFAULT_WEBHOOK_TOLERANCE_SEC, systemClock,
  type Checkout, type Clock, type CommonProviderConfig, type CreateCheckoutInput, type MobileMoneyProvider,
  type PaymentStatus, type ProviderEvent, type ProviderPaymentState, type WebhookRequest,
} from './types.js';

export const WAVE_DEFAULT_API_URL = 'https://api.wave.com';
export const WAVE_SIGNATURE_HEADER = 'wave-signature';

export interface WaveConfig extends CommonProviderConfig {
  /** Default https://api.wave.com. */
  apiUrl?: string;
  apiKey: string;
  /** Signing secret of the webhook endpoint registered in the Wave Business Portal. */
  webhookSecret: string;
}

const WaveSession = z.object({
  id: z.string().min(1),
  amount: z.union([z.string(), z.number()]),
  currency: z.string(),
  checkout_status: z.string(),
  payment_status: z.string(),
  client_reference: z.string().nullish(),
  wave_launch_url: z.string(),
  when_expires: z.string().nullish(),
  when_refunded: z.string().nullish(),
  last_payment_error: z.object({ code: z.string(), message: z.string() }).nullish(),
});
type WaveSession = z.infer<typeof WaveSession>;

const WaveEvent = z.object({ id: z.string().min(1), type: z.string(), data: WaveSession });

/** Our status of a Wave checkout session. */
export function waveSessionStatus(session: Pick<WaveSession, 'checkout_status' | 'payment_status' | 'when_refunded'>): PaymentStatus {
  if (session.when_refunded) return 'refunded';
  if (session.payment_status === 'succeeded') return 'succeeded';
  if (session.checkout_status === 'expired') return 'expired';
  // Wave keeps the session open after a failed attempt (the payer may retry), payment_status "cancelled".
  if (session.payment_status === 'cancelled') return 'failed';
  return 'pending';
}

export class WaveProvider implements MobileMoneyProvider {
  readonly name = 'wave' as const;
  readonly signedCallbacks = true;
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly toleranceSec: number;
  private readonly clock: Clock;

  constructor(private readonly config: WaveConfig) {
    this.apiUrl = config.apiUrl ?? WAVE_DEFAULT_API_URL;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.toleranceSec = config.webhookToleranceSec ?? DEFAULT_WEBHOOK_TOLERANCE_SEC;
    this.clock = config.clock ?? systemClock;
  }

  async createCheckout(input: CreateCheckoutInput): Promise<Checkout> {
    const valid = validateCheckoutInput(this.name, input);
    const session = await this.session({
      method: 'POST',
      path: '/v1/checkout/sessions',
      headers: { 'idempotency-key': valid.idempotencyKey },
      json: {
        amount: String(valid.amountXof),
        currency: 'XOF',
        client_reference: valid.reference,
        success_url: valid.successUrl,
        error_url: valid.errorUrl,
        ...(valid.customerPhone ? { restrict_payer_mobile: valid.customerPhone } : {}),
      },
    });
    return {
      providerRef: session.id,
      paymentUrl: session.wave_launch_url,
      qrData: session.wave_launch_url,
      status: waveSessionStatus(session),
      ...(session.when_expires ? { expiresAt: session.when_expires } : {}),
    };
  }

  async getStatus(providerRef: string): Promise<ProviderPaymentState> {
    const session = await this.session({ method: 'GET', path: `/v1/checkout/sessions/${encodeURIComponent(providerRef)}` });
    return { status: waveSessionStatus(session), amountXof: amountFromWire(session.amount), currency: session.currency };
  }

  async expire(providerRef: string): Promise<void> {
    await this.call({ method: 'POST', path: `/v1/checkout/sessions/${encodeURIComponent(providerRef)}/expire` });
  }

  async refund(providerRef: string): Promise<void> {
    await this.call({ method: 'POST', path: `/v1/checkout/sessions/${encodeURIComponent(providerRef)}/refund` });
  }

  parseWebhook(req: WebhookRequest): ProviderEvent {
    const header = headerValue(req.headers, WAVE_SIGNATURE_HEADER);
    if (!header) throw new WebhookVerificationError(this.name, 'missing_signature', 'no Wave-Signature header');
    const { timestamp, signatures } = parseWaveSignature(header);
    assertFreshTimestamp(this.name, timestamp, this.clock.now().getTime(), this.toleranceSec);
    const expected = hmacSha256Hex(this.config.webhookSecret, Buffer.concat([Buffer.from(String(timestamp)), req.rawBody]));
    if (!signatures.some((candidate) => hexDigestEquals(expected, candidate))) {
      throw new WebhookVerificationError(this.name, 'bad_signature', 'no v1 signature matches');
    }

    const event = parseJsonBody(this.name, req.rawBody, WaveEvent);
    const session = event.data;
    const status: PaymentStatus = event.type === 'checkout.session.completed' && session.payment_status === 'succeeded'
      ? 'succeeded'
      : event.type === 'checkout.session.payment_failed' ? 'failed' : waveSessionStatus(session);
    return {
      provider: this.name,
      providerRef: session.id,
      reference: session.client_reference ?? null,
      status,
      amountXof: amountFromWire(session.amount),
      currency: session.currency,
      eventId: event.id,
      raw: event,
    };
  }

  private async session(req: Omit<ProviderRequest, 'provider' | 'baseUrl' | 'timeoutMs'>): Promise<WaveSession> {
    const { data, status } = await this.call(req);
    const parsed = WaveSession.safeParse(data);
    if (!parsed.success) throw new ProviderError(this.name, 'PROTOCOL', `unexpected checkout session shape: ${parsed.error.issues[0]?.message ?? ''}`, { httpStatus: status });
    return parsed.data;
  }

  private call(req: Omit<ProviderRequest, 'provider' | 'baseUrl' | 'timeoutMs'>) {
    return callProvider({
      ...req,
      provider: this.name,
      baseUrl: this.apiUrl,
      timeoutMs: this.timeoutMs,
      headers: { authorization: `Bearer ${this.config.apiKey}`, ...req.headers },
    });
  }
}

/** `t=1639081943,v1=abc…,v1=def…` → timestamp and every v1 value (several during a secret rotation). */
export function parseWaveSignature(header: string): { timestamp: number; signatures: string[] } {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) {
    throw new WebhookVerificationError('wave', 'malformed_signature', 'Wave-Signature needs t=<unix seconds> and at least one v1=<hex>');
  }
  return { timestamp, signatures };
}

/** The Wave-Signature value for a body (used by the simulator; handy for replaying a webhook by hand). */
export function signWaveWebhook(secret: string, timestampSec: number, rawBody: Buffer | string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody;
  return `t=${timestampSec},v1=${hmacSha256Hex(secret, Buffer.concat([Buffer.from(String(timestampSec)), body]))}`;
}
