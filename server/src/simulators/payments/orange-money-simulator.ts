// A stand-in for Sonatel's Orange Money merchant API (OAuth2 token, QR code / deep links, transaction
// search, merchant callback registration), speaking what the Orange Money adapter expects.
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { PaymentStatus } from '../../central/payments/providers/types.js';
import {
  bearerToken, parseJson, ProviderSimulator,
  type DeliveryOptions, type SimPayment, type SimRequest, type SimResponse, type SimulatorOptions,
} from './simulator.js';

export interface OrangeMoneySimulatorOptions extends SimulatorOptions {
  clientId: string;
  clientSecret: string;
  merchantCode: string;
  /** The apiKey sent back on callbacks (as if registered through /api/notification/v1/merchantcallback). */
  callbackKey: string;
  /** Header carrying it. Default x-api-key. */
  callbackKeyHeader?: string;
  /** Lifetime of issued access tokens. Default 300 s, as in production. */
  tokenTtlSec?: number;
}

const QrRequest = z.object({
  amount: z.object({ unit: z.literal('XOF'), value: z.number().int().positive() }),
  callbackCancelUrl: z.url().optional(),
  callbackSuccessUrl: z.url().optional(),
  code: z.string().min(1),
  metadata: z.record(z.string(), z.string()).optional(),
  name: z.string().min(1),
  validity: z.number().int().positive().max(86_400),
  reference: z.string().max(255).optional(),
});

const CallbackRegistration = z.object({ code: z.string(), name: z.string(), callbackUrl: z.url(), apiKey: z.string().min(1) });

const OM_STATUS: Record<PaymentStatus, string> = { pending: 'INITIATED', succeeded: 'SUCCESS', failed: 'FAILED', expired: 'EXPIRED', refunded: 'SUCCESS' };

export class OrangeMoneySimulator extends ProviderSimulator {
  protected readonly providerLabel = 'Orange Money';
  /** Token requests answered with a token (for cache tests). */
  tokensIssued = 0;
  private readonly tokens = new Map<string, number>();
  private callbackKey: string;
  private readonly lookupOverrides = new Map<string, PaymentStatus>();

  constructor(private readonly config: OrangeMoneySimulatorOptions) {
    super(config);
    this.callbackKey = config.callbackKey;
  }

  /** Also zeroes tokensIssued; tokens already issued stay valid (revokeTokens() ends them). */
  override reset(): void {
    super.reset();
    this.tokensIssued = 0;
    this.lookupOverrides.clear();
  }

  /**
   * From now on the transaction search reports `status` for this reference, whatever really happened: a lookup that
   * disagrees with the callbacks (central must refuse them). `null` ends it.
   */
  disagreeOnLookup(ref: string, status: PaymentStatus | null): void {
    if (status === null) this.lookupOverrides.delete(ref);
    else this.lookupOverrides.set(ref, status);
  }

  /** Invalidates every access token already issued (a rotation before the announced expiry). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The transaction as Orange's API and callbacks show it (null while the QR code is unpaid). */
  transaction(ref: string): Record<string, unknown> | null {
    const payment = this.payment(ref);
    return payment.status === 'pending' ? null : this.transactionJson(payment);
  }

  protected async handle(req: SimRequest): Promise<SimResponse> {
    if (req.method === 'POST' && req.path === '/oauth/v1/token') return this.token(req);
    const token = bearerToken(req.headers);
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (expiresAt === undefined || this.clock.now().getTime() >= expiresAt) {
      return { status: 401, json: { code: 401, message: 'Invalid or expired access token' } };
    }
    if (req.method === 'POST' && req.path === '/api/eWallet/v4/qrcode') return this.createQr(req);
    if (req.method === 'GET' && req.path === '/api/eWallet/v1/transactions') {
      const reference = req.query.get('reference');
      const list = this.listPayments()
        .map((p) => { this.refreshExpiry(p); return p; })
        // An unpaid QR code is no transaction: only payments that went through an attempt are listed.
        .filter((p) => p.eventId !== null && (reference === null || p.reference === reference))
        .map((p) => {
          const json = this.transactionJson(p);
          const override = this.lookupOverrides.get(p.reference);
          return override ? { ...json, status: OM_STATUS[override] } : json;
        });
      return { status: 200, json: list };
    }
    if (req.method === 'POST' && req.path === '/api/notification/v1/merchantcallback') {
      const parsed = CallbackRegistration.safeParse(parseJson(req.body));
      if (!parsed.success || parsed.data.code !== this.config.merchantCode) return { status: 400, json: { code: 400, message: 'Invalid callback registration' } };
      this.webhookUrl = parsed.data.callbackUrl;
      this.callbackKey = parsed.data.apiKey;
      return { status: 201 };
    }
    return { status: 404, json: { code: 404, message: `${req.method} ${req.path}` } };
  }

  private token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' } };
    const basic = typeof req.headers.authorization === 'string' ? /^Basic\s+(.+)$/i.exec(req.headers.authorization)?.[1] : undefined;
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':', 2) : [form.get('client_id'), form.get('client_secret')];
    if (id !== this.config.clientId) return { status: 401, json: { error: 'invalid_client', error_description: 'Unknown client' } };
    if (secret !== this.config.clientSecret) return { status: 401, json: { error: 'unauthorized_client', error_description: 'INVALID_CREDENTIALS: Invalid client credentials' } };
    const ttl = this.config.tokenTtlSec ?? 300;
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, this.clock.now().getTime() + ttl * 1000);
    this.tokensIssued += 1;
    return { status: 200, json: { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope: 'openid' } };
  }

  private createQr(req: SimRequest): Promise<SimResponse> {
    const body = parseJson(req.body);
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    return this.idempotent(key, body, async () => {
      const parsed = QrRequest.safeParse(body);
      if (!parsed.success) return { status: 400, json: { code: 400, message: 'Invalid request', details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } };
      const input = parsed.data;
      if (input.code !== this.config.merchantCode) return { status: 404, json: { code: 404, message: 'Merchant not found' } };
      const payment = this.newPayment({
        id: this.randomId('', 16),
        reference: input.reference ?? input.metadata?.reference ?? '',
        amountXof: input.amount.value,
        currency: input.amount.unit,
        successUrl: input.callbackSuccessUrl ?? null,
        errorUrl: input.callbackCancelUrl ?? null,
        extra: { metadata: input.metadata ?? {} },
      }, input.validity * 1000);
      const payUrl = `${this.url}/pay/${payment.id}`;
      const qrCode = (await QRCode.toBuffer(payUrl, { margin: 1, width: 200 })).toString('base64');
      return {
        status: 200,
        json: {
          deepLink: `${payUrl}?app=OM`,
          deepLinks: { MAXIT: `${payUrl}?app=MAXIT`, OM: `${payUrl}?app=OM` },
          qrCode,
          validity: input.validity,
          metadata: input.metadata ?? {},
          shortLink: payUrl,
          qrId: payment.id,
          validFor: { startDateTime: payment.createdAt.toISOString(), endDateTime: payment.expiresAt.toISOString() },
        },
      };
    }, { status: 409, json: { code: 409, message: 'Idempotency key already used with another request' } });
  }

  protected override onSettled(payment: SimPayment): void {
    const now = this.clock.now();
    const pad = (n: number) => String(n).padStart(2, '0');
    payment.extra.transactionId ??= `MP${String(now.getUTCFullYear()).slice(2)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}.${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}.${randomBytes(3).toString('hex').toUpperCase()}`;
  }

  protected newEventId(): string {
    // Orange callbacks carry no event id; the adapter derives one from transactionId and status.
    return this.randomId('om-', 6);
  }

  protected buildWebhook(payment: SimPayment, delivery: DeliveryOptions) {
    if (!this.webhookUrl) return null;
    const transaction = this.transactionJson(payment);
    if (delivery.amountXof !== undefined || delivery.currency !== undefined) {
      transaction.amount = { value: delivery.amountXof ?? payment.amountXof, unit: delivery.currency ?? payment.currency };
    }
    const key = delivery.forgeSignature ? `${this.callbackKey}-forged` : this.callbackKey;
    return {
      url: this.webhookUrl,
      headers: { 'content-type': 'application/json', [this.config.callbackKeyHeader ?? 'x-api-key']: key },
      body: JSON.stringify(transaction),
    };
  }

  private transactionJson(p: SimPayment): Record<string, unknown> {
    const at = (p.settledAt ?? p.createdAt).toISOString();
    return {
      amount: { value: p.amountXof, unit: p.currency },
      requestDate: p.createdAt.toISOString(),
      reference: p.reference,
      metadata: p.extra.metadata ?? {},
      receiveNotification: true,
      partner: { id: this.config.merchantCode, idType: 'CODE', walletType: 'PRINCIPAL' },
      customer: { id: (p.phone ?? '+221770000000').replace(/^\+221/, ''), idType: 'MSISDN', walletType: 'PRINCIPAL' },
      type: 'MERCHANT_PAYMENT',
      transactionId: p.extra.transactionId ?? null,
      createdAt: at,
      updatedAt: at,
      channel: 'MAXIT',
      status: OM_STATUS[p.status],
    };
  }
}
