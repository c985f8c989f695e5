// Orange Money Senegal, Sonatel's "OM" merchant API (developer.orange-sonatel.com), QR code / deep-link payments.
//   POST /oauth/v1/token                 form grant_type=client_credentials, HTTP Basic client_id:client_secret
//                                        → {access_token, token_type, expires_in} (expires_in is ~300 s in production)
//   POST /api/eWallet/v4/qrcode          Bearer token; {amount:{unit:"XOF",value}, callbackCancelUrl, callbackSuccessUrl,
//                                        code (merchant code), metadata, name, validity (s), reference}
//                                        → {qrCode (base64 PNG), deepLink, deepLinks:{MAXIT,OM}, shortLink, qrId, validity,
//                                           validFor:{startDateTime,endDateTime}}
//   GET  /api/eWallet/v1/transactions?reference=…   → a JSON list of transactions ([] until the customer pays)
// Merchant callback: Orange POSTs to the URL registered once per merchant code (POST
// /api/notification/v1/merchantcallback {code, name, callbackUrl, apiKey}) a JSON transaction
// {transactionId, status, amount:{value,unit}, reference, metadata, type:"MERCHANT_PAYMENT", customer, partner, …},
// authenticated only by that shared apiKey in a header (configurable name, default X-Api-Key; a "Basic "/"Bearer "
// scheme prefix is tolerated). There is no signed timestamp, so replays are stopped by eventId dedupe, not by age,
// and a callback is no proof: whoever once saw the key can write one. Central therefore confirms every reported success
// with the transaction status lookup below (Orange's web-payment API has the same rule: its `transactionstatus`
// {order_id, amount, pay_token} → {status: INITIATED|PENDING|SUCCESS|FAILED|EXPIRED, txnid} is the truth, the
// notification only a hint) and refuses a callback the lookup contradicts.
//
// Choices (Orange documents no QR lookup by qrId, and a transaction exists only once the customer pays):
// - providerRef is our reference: it is what the transactions search and the callback carry.
// - The idempotency key goes in an Idempotency-Key header and in metadata. A QR code charges nothing until it is
//   scanned and paid, so a duplicate QR cannot charge twice unless the customer pays both; the reference search finds either.
// - Unpaid QR codes never show up as a transaction: getStatus stays "pending" with a null amount, and the caller
//   expires the payment itself after Checkout.expiresAt.
import { z } from 'zod';
import { amountFromWire, headerValue, parseJsonBody, secretEquals, validateCheckoutInput } from './common.js';
import { ProviderError, WebhookVerificationError } from './errors.js';
import { callProvider, type ProviderRequest, type ProviderResponse } from './http.js';
import {
  DEFAULT_TIMEOUT_MS, systemClock,
  type Checkout, type Clock, type CommonProviderConfig, type CreateCheckoutInput, type MobileMoneyProvider,
  type PaymentStatus, type ProviderEvent, type ProviderPaymentState, type WebhookRequest,
} from './types.js';

export const ORANGE_MONEY_DEFAULT_API_URL = 'https://api.orange-sonatel.com';
export const ORANGE_MONEY_SANDBOX_API_URL = 'https://api.sandbox.orange-sonatel.com';
export const ORANGE_MONEY_DEFAULT_CALLBACK_HEADER = 'x-api-key';
export const ORANGE_MONEY_DEFAULT_QR_VALIDITY_SEC = 900;

export interface OrangeMoneyConfig extends CommonProviderConfig {
  /** Default https://api.orange-sonatel.com (sandbox: https://api.sandbox.orange-sonatel.com). */
  apiUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Merchant code (6 digits) that receives the payments. */
  merchantCode: string;
  /** Name shown to the payer. Default "SmartQueue". */
  merchantName?: string;
  /** The apiKey registered with the merchant callback: Orange sends it back on every callback. */
  callbackKey: string;
  /** Header carrying it. Default x-api-key. */
  callbackKeyHeader?: string;
  /** Seconds a QR code stays payable. Default 900. */
  qrValiditySec?: number;
}

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

const QrCodeResponse = z.object({
  qrCode: z.string().min(1),
  qrId: z.string().min(1),
  deepLink: z.string().nullish(),
  deepLinks: z.object({ MAXIT: z.string().nullish(), OM: z.string().nullish() }).nullish(),
  shortLink: z.string().nullish(),
  validity: z.number().nullish(),
  validFor: z.object({ startDateTime: z.string(), endDateTime: z.string() }).nullish(),
});

const OmMoney = z.object({ value: z.union([z.number(), z.string()]), unit: z.string() });

const OmTransaction = z.object({
  transactionId: z.string().min(1),
  status: z.string(),
  amount: OmMoney,
  reference: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
type OmTransaction = z.infer<typeof OmTransaction>;

const OmTransactionList = z.union([z.array(OmTransaction), z.object({ transactions: z.array(OmTransaction) }).transform((v) => v.transactions)]);

export function orangeMoneyStatus(status: string): PaymentStatus {
  switch (status.toUpperCase()) {
    case 'SUCCESS': return 'succeeded';
    case 'FAILED':
    case 'REJECTED':
    case 'CANCELLED': return 'failed';
    case 'EXPIRED': return 'expired';
    default: return 'pending'; // INITIATED, PRE_INITIATED, PENDING, ACCEPTED and anything new
  }
}

export class OrangeMoneyProvider implements MobileMoneyProvider {
  readonly name = 'orange_money' as const;
  /** A static key, no per-message signature: central confirms each success with getStatus. */
  readonly signedCallbacks = false;
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private token: { value: string; refreshAtMs: number } | null = null;
  private tokenInFlight: Promise<string> | null = null;

  constructor(private readonly config: OrangeMoneyConfig) {
    this.apiUrl = config.apiUrl ?? ORANGE_MONEY_DEFAULT_API_URL;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.clock = config.clock ?? systemClock;
  }

  async createCheckout(input: CreateCheckoutInput): Promise<Checkout> {
    const valid = validateCheckoutInput(this.name, input);
    const validity = this.config.qrValiditySec ?? ORANGE_MONEY_DEFAULT_QR_VALIDITY_SEC;
    const { data, status } = await this.authorizedCall({
      method: 'POST',
      path: '/api/eWallet/v4/qrcode',
      headers: { 'idempotency-key': valid.idempotencyKey },
      json: {
        amount: { unit: 'XOF', value: valid.amountXof },
        callbackCancelUrl: valid.errorUrl,
        callbackSuccessUrl: valid.successUrl,
        code: this.config.merchantCode,
        metadata: { reference: valid.reference, idempotencyKey: valid.idempotencyKey },
        name: this.config.merchantName ?? 'SmartQueue',
        reference: valid.reference,
        validity,
      },
    });
    const parsed = QrCodeResponse.safeParse(data);
    if (!parsed.success) throw new ProviderError(this.name, 'PROTOCOL', 'unexpected QR code answer', { httpStatus: status });
    const qr = parsed.data;
    const paymentUrl = qr.deepLinks?.MAXIT ?? qr.deepLink ?? qr.deepLinks?.OM ?? qr.shortLink;
    if (!paymentUrl) throw new ProviderError(this.name, 'PROTOCOL', 'QR code answer has no deep link', { httpStatus: status });
    return {
      providerRef: valid.reference,
      paymentUrl,
      qrData: qr.shortLink ?? paymentUrl,
      qrImagePngBase64: qr.qrCode,
      status: 'pending',
      expiresAt: qr.validFor?.endDateTime ?? new Date(this.clock.now().getTime() + validity * 1000).toISOString(),
    };
  }

  async getStatus(providerRef: string): Promise<ProviderPaymentState> {
    const { data, status } = await this.authorizedCall({ method: 'GET', path: `/api/eWallet/v1/transactions?reference=${encodeURIComponent(providerRef)}` });
    const parsed = OmTransactionList.safeParse(data);
    if (!parsed.success) throw new ProviderError(this.name, 'PROTOCOL', 'unexpected transactions answer', { httpStatus: status });
    const transaction = pickTransaction(parsed.data.filter((t) => (t.reference ?? t.metadata?.reference ?? providerRef) === providerRef));
    if (!transaction) return { status: 'pending', amountXof: null, currency: null };
    return { status: orangeMoneyStatus(transaction.status), amountXof: amountFromWire(transaction.amount.value), currency: transaction.amount.unit };
  }

  parseWebhook(req: WebhookRequest): ProviderEvent {
    const headerName = this.config.callbackKeyHeader ?? ORANGE_MONEY_DEFAULT_CALLBACK_HEADER;
    const presented = headerValue(req.headers, headerName);
    if (!presented) throw new WebhookVerificationError(this.name, 'missing_signature', `no ${headerName} header`);
    const key = presented.replace(/^(basic|bearer)\s+/i, '');
    if (!secretEquals(this.config.callbackKey, key)) throw new WebhookVerificationError(this.name, 'bad_signature', 'callback key does not match');

    const transaction = parseJsonBody(this.name, req.rawBody, OmTransaction);
    const metaReference = transaction.metadata?.reference;
    const reference = transaction.reference ?? (typeof metaReference === 'string' ? metaReference : null);
    return {
      provider: this.name,
      providerRef: reference ?? transaction.transactionId,
      reference,
      status: orangeMoneyStatus(transaction.status),
      amountXof: amountFromWire(transaction.amount.value),
      currency: transaction.amount.unit,
      // Orange resends the same transaction state on retries: its id and status identify the event.
      eventId: `${transaction.transactionId}:${transaction.status.toUpperCase()}`,
      raw: transaction,
    };
  }

  /** Drops the cached access token (the next call fetches a new one). */
  invalidateToken(): void {
    this.token = null;
  }

  private async authorizedCall(req: Omit<ProviderRequest, 'provider' | 'baseUrl' | 'timeoutMs'>): Promise<ProviderResponse> {
    const send = async (token: string) => callProvider({
      ...req,
      provider: this.name,
      baseUrl: this.apiUrl,
      timeoutMs: this.timeoutMs,
      headers: { authorization: `Bearer ${token}`, ...req.headers },
    });
    const token = await this.accessToken();
    try {
      return await send(token);
    } catch (error) {
      // A token revoked or rotated before its announced expiry: fetch a new one and try once more.
      if (!(error instanceof ProviderError && error.code === 'AUTH' && error.httpStatus === 401)) throw error;
      if (this.token?.value === token) this.token = null;
      return send(await this.accessToken());
    }
  }

  private accessToken(): Promise<string> {
    const cached = this.token;
    if (cached && this.clock.now().getTime() < cached.refreshAtMs) return Promise.resolve(cached.value);
    // One token request at a time, shared by concurrent callers.
    this.tokenInFlight ??= this.fetchToken().finally(() => { this.tokenInFlight = null; });
    return this.tokenInFlight;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64');
    const { data, status } = await callProvider({
      provider: this.name,
      baseUrl: this.apiUrl,
      timeoutMs: this.timeoutMs,
      method: 'POST',
      path: '/oauth/v1/token',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    const parsed = TokenResponse.safeParse(data);
    if (!parsed.success) throw new ProviderError(this.name, 'PROTOCOL', 'unexpected token answer', { httpStatus: status });
    const lifetimeMs = parsed.data.expires_in * 1000;
    // Renew a little before expiry so a token never dies in flight: 10 % of its life, at most 30 s.
    const marginMs = Math.min(30_000, lifetimeMs / 10);
    this.token = { value: parsed.data.access_token, refreshAtMs: this.clock.now().getTime() + lifetimeMs - marginMs };
    return this.token.value;
  }
}

/** A successful transaction wins over failed attempts with the same reference; otherwise the latest. */
function pickTransaction(transactions: OmTransaction[]): OmTransaction | undefined {
  const success = transactions.find((t) => t.status.toUpperCase() === 'SUCCESS');
  if (success) return success;
  return [...transactions].sort((a, b) => (a.updatedAt ?? a.createdAt ?? '').localeCompare(b.updatedAt ?? b.createdAt ?? '')).at(-1);
}
