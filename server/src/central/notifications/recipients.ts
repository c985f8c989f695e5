// Checking and normalising recipients before anything is queued: a bad address is refused at once with a clear
// message, never discovered later by a provider.
import { z } from 'zod';
import { normalizeSenegalPhone, type Language } from '../../shared/contracts/domain.js';
import { RecipientError } from './errors.js';
import type { PushSubscriptionJson, Recipient } from './types.js';

const Email = z.email().max(254);

/** A lower-cased e-mail address, or RecipientError INVALID_EMAIL. */
export function parseEmail(input: string): string {
  const value = input.trim();
  if (!Email.safeParse(value).success) {
    throw new RecipientError('INVALID_EMAIL', `"${clip(input)}" is not a valid e-mail address (expected name@domain.tld)`);
  }
  return value.toLowerCase();
}

/** +221 and 9 digits, or RecipientError INVALID_PHONE. */
export function parsePhone(input: string): string {
  const phone = normalizeSenegalPhone(input);
  if (!phone) {
    throw new RecipientError('INVALID_PHONE', `"${clip(input)}" is not a Senegal phone number: expected +221 followed by 9 digits (e.g. +221 77 123 45 67)`);
  }
  return phone;
}

/** Hosts of the browsers' push services. Anything else would let a visitor make central POST to any URL. */
export const DEFAULT_PUSH_HOSTS: readonly string[] = [
  'fcm.googleapis.com', 'android.googleapis.com', 'updates.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com',
];

export interface PushEndpointPolicy {
  /** Allowed endpoint hosts; `*.example.com` matches sub-domains. Default DEFAULT_PUSH_HOSTS. */
  hosts?: readonly string[];
  /** Accept http:// endpoints (tests with a local push endpoint only). */
  allowHttp?: boolean;
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const PushSubscriptionSchema = z.object({
  endpoint: z.string().max(1024),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().max(200), auth: z.string().max(100) }),
});

function hostAllowed(host: string, hosts: readonly string[]): boolean {
  return hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h));
}

function decodedLength(b64url: string): number {
  return Buffer.from(b64url.replace(/=+$/, ''), 'base64url').length;
}

/** A push subscription whose endpoint and keys are usable, or RecipientError INVALID_PUSH_SUBSCRIPTION. */
export function parsePushSubscription(input: unknown, policy: PushEndpointPolicy = {}): PushSubscriptionJson {
  const bad = (why: string) => new RecipientError('INVALID_PUSH_SUBSCRIPTION', `push subscription refused: ${why}`);
  const parsed = PushSubscriptionSchema.safeParse(input);
  if (!parsed.success) throw bad('expected { endpoint, keys: { p256dh, auth } } as given by PushSubscription.toJSON()');
  const sub = parsed.data;
  let url: URL;
  try {
    url = new URL(sub.endpoint);
  } catch {
    throw bad('the endpoint is not a URL');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) throw bad('the endpoint must be https');
  if (!hostAllowed(url.hostname, policy.hosts ?? DEFAULT_PUSH_HOSTS)) throw bad(`${url.hostname} is not a known push service`);
  const { p256dh, auth } = sub.keys;
  if (!B64URL.test(p256dh) || decodedLength(p256dh) !== 65 || Buffer.from(p256dh, 'base64url')[0] !== 4) {
    throw bad('keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)');
  }
  if (!B64URL.test(auth) || decodedLength(auth) !== 16) throw bad('keys.auth must be 16 bytes, base64url');
  return { endpoint: sub.endpoint, expirationTime: sub.expirationTime ?? null, keys: { p256dh, auth } };
}

export type RecipientInput =
  | { channel: 'email'; address: string; language: Language }
  | { channel: 'sms'; address: string; language: Language }
  | { channel: 'push'; subscription: unknown; language: Language };

/** Check and normalise one recipient. */
export function parseRecipient(input: RecipientInput, policy: PushEndpointPolicy = {}): Recipient {
  switch (input.channel) {
    case 'email':
      return { channel: 'email', address: parseEmail(input.address), language: input.language };
    case 'sms':
      return { channel: 'sms', address: parsePhone(input.address), language: input.language };
    case 'push': {
      const subscription = parsePushSubscription(input.subscription, policy);
      return { channel: 'push', address: subscription.endpoint, language: input.language, subscription };
    }
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
