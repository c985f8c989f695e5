import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecipientError } from './errors.js';
import { parseEmail, parsePhone, parsePushSubscription, parseRecipient } from './recipients.js';

function subscription(endpoint = 'https://fcm.googleapis.com/fcm/send/abc') {
  return { endpoint, expirationTime: null, keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecipientError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'accepted';
}

describe('recipients', () => {
  it('normalises Senegal phone numbers and refuses others clearly', () => {
    expect(parsePhone('77 123 45 67')).toBe('+221771234567');
    expect(parsePhone('+221 77-123.45.67')).toBe('+221771234567');
    expect(parsePhone('00221771234567')).toBe('+221771234567');
    for (const bad of ['771234567 8', '+33612345678', '+22177123456', 'abc', '']) {
      expect(code(() => parsePhone(bad))).toMatch(/^INVALID_PHONE: .*\+221 followed by 9 digits/);
    }
  });

  it('lower-cases e-mail addresses and refuses malformed ones clearly', () => {
    expect(parseEmail(' Awa.Diop@Example.SN ')).toBe('awa.diop@example.sn');
    for (const bad of ['awa', 'awa@', '@example.sn', 'awa diop@example.sn', 'awa@example']) {
      expect(code(() => parseEmail(bad))).toMatch(/^INVALID_EMAIL: .*not a valid e-mail address/);
    }
  });

  it('accepts push subscriptions of known push services only', () => {
    const ok = subscription();
    expect(parsePushSubscription(ok).endpoint).toBe(ok.endpoint);
    expect(parsePushSubscription(subscription('https://web.push.apple.com/QGx')).endpoint).toContain('apple');
    expect(code(() => parsePushSubscription(subscription('https://evil.example.com/push')))).toMatch(/INVALID_PUSH_SUBSCRIPTION: .*not a known push service/);
    expect(code(() => parsePushSubscription(subscription('http://fcm.googleapis.com/x')))).toMatch(/must be https/);
    expect(code(() => parsePushSubscription({ ...ok, keys: { ...ok.keys, auth: 'short' } }))).toMatch(/keys.auth must be 16 bytes/);
    expect(code(() => parsePushSubscription({ ...ok, keys: { ...ok.keys, p256dh: randomBytes(65).toString('base64url') } }))).toMatch(/p256dh/);
    expect(code(() => parsePushSubscription({ endpoint: 'x' }))).toMatch(/PushSubscription.toJSON/);
    // A local test endpoint is allowed only when asked for.
    const local = subscription('http://127.0.0.1:5555/push/1');
    expect(code(() => parsePushSubscription(local))).toMatch(/must be https/);
    expect(parsePushSubscription(local, { allowHttp: true, hosts: ['127.0.0.1'] }).endpoint).toBe(local.endpoint);
  });

  it('parses a recipient per channel with its language', () => {
    expect(parseRecipient({ channel: 'sms', address: '70 000 00 00', language: 'wo' })).toEqual({ channel: 'sms', address: '+221700000000', language: 'wo' });
    const sub = subscription();
    expect(parseRecipient({ channel: 'push', subscription: sub, language: 'en' })).toMatchObject({ channel: 'push', address: sub.endpoint, language: 'en' });
  });
});
