import type { ProviderName } from './types.js';

export const PROVIDER_ERROR_CODES = [
  /** The provider refused the payment (insufficient funds, unknown subscriber, payer refused). */
  'DECLINED',
  /** No answer within the configured timeout. The request may have been applied: retry with the same idempotency key. */
  'TIMEOUT',
  /** Network failure, 5xx or 429. Retry later with the same idempotency key. */
  'UNAVAILABLE',
  /** Our request was invalid (amount, URL, phone…). Do not retry as is. */
  'INVALID_REQUEST',
  /** Credentials refused. */
  'AUTH',
  'NOT_FOUND',
  /** Idempotency key reused with a different body, or an action the payment's state forbids (expire a paid one…). */
  'CONFLICT',
  /** The provider answered something we cannot read. */
  'PROTOCOL',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly code: ProviderErrorCode;
  readonly provider: ProviderName;
  /** HTTP status of the provider's answer, when there was one. */
  readonly httpStatus: number | null;
  /** The provider's own error code, for logs and support tickets. */
  readonly providerCode: string | null;

  constructor(provider: ProviderName, code: ProviderErrorCode, message: string, options: { httpStatus?: number; providerCode?: string | null; cause?: unknown } = {}) {
    super(`${provider}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = provider;
    this.code = code;
    this.httpStatus = options.httpStatus ?? null;
    this.providerCode = options.providerCode ?? null;
  }

  /** Worth retrying later with the same idempotency key. */
  get retryable(): boolean {
    return this.code === 'TIMEOUT' || this.code === 'UNAVAILABLE';
  }
}

export const WEBHOOK_FAILURE_REASONS = ['missing_signature', 'malformed_signature', 'stale_timestamp', 'bad_signature', 'malformed_payload'] as const;
export type WebhookFailureReason = (typeof WEBHOOK_FAILURE_REASONS)[number];

/** A webhook we must not trust: answer 400/401 and do nothing with it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly provider: ProviderName;
  readonly reason: WebhookFailureReason;

  constructor(provider: ProviderName, reason: WebhookFailureReason, message: string) {
    super(`${provider} webhook refused (${reason}): ${message}`);
    this.provider = provider;
    this.reason = reason;
  }
}

/** A provider event whose amount, currency or reference differ from the payment we created. */
export class PaymentMismatchError extends Error {
  override readonly name = 'PaymentMismatchError';
  readonly mismatches: ReadonlyArray<{ field: string; expected: unknown; actual: unknown }>;

  constructor(mismatches: ReadonlyArray<{ field: string; expected: unknown; actual: unknown }>) {
    super(`provider event does not match the payment: ${mismatches.map((m) => `${m.field} expected ${String(m.expected)}, got ${String(m.actual)}`).join('; ')}`);
    this.mismatches = mismatches;
  }
}

/** Missing or inconsistent provider configuration (env). */
export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
}
