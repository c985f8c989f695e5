// The Mobile Money provider interface that the payments module builds on. Each adapter
// (Wave, Orange Money, Free Money) speaks its provider's wire format and returns these shapes.
import { CURRENCY_XOF, PAYMENT_STATUSES, PaymentStatus, PROVIDER_NAMES, ProviderName } from '../../../shared/contracts/payment-basics.js';
import { systemClock, type Clock } from '../../../shared/clock.js';

export { CURRENCY_XOF, PAYMENT_STATUSES, PaymentStatus, PROVIDER_NAMES, ProviderName, systemClock, type Clock };

export interface CreateCheckoutInput {
  /** Whole francs CFA, > 0. Refused before any HTTP call otherwise. */
  amountXof: number;
  /** Our payment id; echoed back by the provider (client_reference, reference…). */
  reference: string;
  /** Same key on every retry of one creation: the provider answers with the same checkout, never charges twice. */
  idempotencyKey: string;
  /** Where the customer's browser or app goes after paying. */
  successUrl: string;
  /** Where the customer's browser or app goes after a failure or cancellation. */
  errorUrl: string;
  /**
   * Our webhook route. Sent per request where the provider takes one (Free Money aggregator);
   * Wave and Orange Money call the URL registered in their merchant portal instead.
   */
  callbackUrl: string;
  /** Payer's number (+221…): required by Free Money (push to the phone), a payer restriction for Wave. */
  customerPhone?: string;
  description?: string;
}

export interface Checkout {
  /** The provider's id of this checkout: what getStatus, expire, refund and webhooks refer to. */
  providerRef: string;
  /** Launch URL or deep link that opens the payment (web page, Wave app, MAXIT/OM app). */
  paymentUrl: string;
  /** Text to encode in a QR code for a customer who pays from another phone, when there is one. */
  qrData?: string;
  /** A ready-made QR code image (base64 PNG) when the provider returns one (Orange Money). */
  qrImagePngBase64?: string;
  status: PaymentStatus;
  /** ISO 8601; after it the checkout can no longer be paid. */
  expiresAt?: string;
}

export interface ProviderPaymentState {
  status: PaymentStatus;
  /** What the provider says was (or is to be) paid; null when it has no transaction yet (Orange Money before payment). */
  amountXof: number | null;
  currency: string | null;
}

/** A verified webhook or callback, parsed. */
export interface ProviderEvent {
  provider: ProviderName;
  providerRef: string;
  /** Our reference as echoed by the provider; null when the provider omitted it. */
  reference: string | null;
  status: PaymentStatus;
  /** As sent by the provider, not rounded: a non-integer or a different amount shows up in assertMatches. */
  amountXof: number;
  currency: string;
  /** Stable across redeliveries of the same event: store it (unique) to apply each event once. */
  eventId: string;
  raw: unknown;
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received, before any JSON parsing: signatures are computed over these bytes. */
  rawBody: Buffer;
}

export interface MobileMoneyProvider {
  readonly name: ProviderName;
  /**
   * Each callback carries a signature over its own bytes and a timestamp (Wave, Free Money). When false (Orange
   * Money: one static shared key), anyone who once saw the key can write a callback, so central confirms every
   * success with getStatus before applying it.
   */
  readonly signedCallbacks: boolean;
  createCheckout(input: CreateCheckoutInput): Promise<Checkout>;
  getStatus(providerRef: string): Promise<ProviderPaymentState>;
  /** Close an unpaid checkout so it can no longer be paid (Wave only). */
  expire?(providerRef: string): Promise<void>;
  /** Give a completed payment back to the customer (Wave only). */
  refund?(providerRef: string): Promise<void>;
  /** Verify and parse a webhook/callback: throws WebhookVerificationError on a bad or stale signature or a malformed body. */
  parseWebhook(req: WebhookRequest): ProviderEvent;
}

/** Options every adapter takes. */
export interface CommonProviderConfig {
  /** Bound on each HTTP call, connection to last byte. Default 10 000 ms. */
  timeoutMs?: number;
  /** How old (or how far in the future) a signed webhook timestamp may be. Default 300 s. */
  webhookToleranceSec?: number;
  clock?: Clock;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_WEBHOOK_TOLERANCE_SEC = 300;
