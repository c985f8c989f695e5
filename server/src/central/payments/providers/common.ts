// Pieces every adapter shares: input checks made before any HTTP call, webhook header and
// signature helpers, and the amount/currency check callers run on each event.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { normalizeSenegalPhone } from '../../../shared/contracts/domain.js';
import { PaymentMismatchError, ProviderError, WebhookVerificationError } from './errors.js';
import { CURRENCY_XOF, type CreateCheckoutInput, type ProviderName } from './types.js';

const HttpUrl = z.url({ protocol: /^https?$/ });

const CheckoutInputSchema = z.object({
  amountXof: z.number().int('amount must be a whole number of francs CFA').positive('amount must be > 0').max(Number.MAX_SAFE_INTEGER),
  reference: z.string().min(1).max(255),
  idempotencyKey: z.string().min(1).max(255),
  successUrl: HttpUrl,
  errorUrl: HttpUrl,
  callbackUrl: HttpUrl,
  customerPhone: z.string().max(32).optional(),
  description: z.string().max(255).optional(),
});

export interface ValidCheckoutInput extends CreateCheckoutInput {
  /** +221XXXXXXXXX when a phone was given. */
  customerPhone?: string;
}

/** Throws ProviderError INVALID_REQUEST on a non-integer or non-positive amount, a bad URL or phone. */
export function validateCheckoutInput(provider: ProviderName, input: CreateCheckoutInput): ValidCheckoutInput {
  const parsed = CheckoutInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ProviderError(provider, 'INVALID_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const valid: ValidCheckoutInput = { ...parsed.data };
  if (parsed.data.customerPhone !== undefined) {
    const phone = normalizeSenegalPhone(parsed.data.customerPhone);
    if (!phone) throw new ProviderError(provider, 'INVALID_REQUEST', 'customerPhone: expected a Senegal number (+221 and 9 digits)');
    valid.customerPhone = phone;
  }
  return valid;
}

/** Same rule, for amounts outside a checkout (refund amounts, config). */
export function assertAmountXof(provider: ProviderName, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new ProviderError(provider, 'INVALID_REQUEST', `amount must be a positive whole number of francs CFA, got ${amount}`);
  }
}

/** A header's value, case-insensitively; the first one when repeated. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function hmacSha256Hex(secret: string, payload: Buffer | string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Constant-time comparison of two hex digests; false (not a throw) on different lengths or non-hex input. */
export function hexDigestEquals(expectedHex: string, candidateHex: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(candidateHex) || candidateHex.length !== expectedHex.length) return false;
  const expected = Buffer.from(expectedHex, 'hex');
  const candidate = Buffer.from(candidateHex, 'hex');
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}

/** Constant-time comparison of two secrets of any length (hashed first so lengths leak nothing). */
export function secretEquals(expected: string, candidate: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(candidate).digest();
  return timingSafeEqual(a, b);
}

/** Refuses a signed timestamp (unix seconds) further than toleranceSec from now, either way. */
export function assertFreshTimestamp(provider: ProviderName, timestampSec: number, nowMs: number, toleranceSec: number): void {
  if (Math.abs(nowMs / 1000 - timestampSec) > toleranceSec) {
    throw new WebhookVerificationError(provider, 'stale_timestamp', `timestamp ${timestampSec} is more than ${toleranceSec} s from now`);
  }
}

export function parseJsonBody<T>(provider: ProviderName, rawBody: Buffer, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookVerificationError(provider, 'malformed_payload', 'body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new WebhookVerificationError(provider, 'malformed_payload', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** Amount as a number from the provider's string or number; NaN stays visible to assertMatches as a mismatch. */
export function amountFromWire(value: string | number): number {
  if (typeof value === 'number') return value;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
}

export interface ExpectedPayment {
  amountXof: number;
  /** Default XOF. */
  currency?: string;
  /** Our reference, checked when given and when the event carries one. */
  reference?: string;
  providerRef?: string;
}

/**
 * Throws PaymentMismatchError when an event (or a status lookup) is not for the payment we created:
 * another amount (including a non-integer one), another currency, reference or provider id.
 * Call it before marking a payment succeeded.
 */
export function assertMatches(
  expected: ExpectedPayment,
  actual: { amountXof: number | null; currency: string | null; reference?: string | null; providerRef?: string },
): void {
  const mismatches: Array<{ field: string; expected: unknown; actual: unknown }> = [];
  if (actual.amountXof !== expected.amountXof) mismatches.push({ field: 'amountXof', expected: expected.amountXof, actual: actual.amountXof });
  const currency = expected.currency ?? CURRENCY_XOF;
  if (actual.currency?.toUpperCase() !== currency.toUpperCase()) mismatches.push({ field: 'currency', expected: currency, actual: actual.currency });
  if (expected.reference !== undefined && actual.reference !== undefined && actual.reference !== expected.reference) {
    mismatches.push({ field: 'reference', expected: expected.reference, actual: actual.reference });
  }
  if (expected.providerRef !== undefined && actual.providerRef !== undefined && actual.providerRef !== expected.providerRef) {
    mismatches.push({ field: 'providerRef', expected: expected.providerRef, actual: actual.providerRef });
  }
  if (mismatches.length > 0) throw new PaymentMismatchError(mismatches);
}
