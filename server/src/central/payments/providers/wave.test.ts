// The Wave adapter against the Wave simulator over real HTTP, webhooks delivered to a real endpoint.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WaveSimulator } from '../../../simulators/payments/wave-simulator.js';
import { WebhookReceiver } from '../../../simulators/payments/webhook-receiver.js';
import { assertMatches } from './common.js';
import { PaymentMismatchError, ProviderError, WebhookVerificationError } from './errors.js';
import type { CreateCheckoutInput, ProviderEvent } from './types.js';
import { signWaveWebhook, WaveProvider } from './wave.js';

const API_KEY = 'wave_sn_test_key';
const SECRET = 'wave-webhook-secret';

const sim = new WaveSimulator({ apiKey: API_KEY, webhookSecret: SECRET });
const receiver = new WebhookReceiver();
let wave: WaveProvider;
let counter = 0;

function input(overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  counter += 1;
  return {
    amountXof: 1500,
    reference: `pay-${counter}`,
    idempotencyKey: `key-${counter}`,
    successUrl: 'https://smartqueue.example/pay/ok',
    errorUrl: 'https://smartqueue.example/pay/error',
    callbackUrl: 'https://smartqueue.example/webhooks/wave',
    ...overrides,
  };
}

async function nextWebhooks(count: number) {
  await receiver.waitFor(count);
  return receiver.received.slice(-count).map((w) => ({ headers: w.headers, rawBody: w.rawBody }));
}

function parseLast(): ProviderEvent {
  const last = receiver.received.at(-1);
  if (!last) throw new Error('no webhook received');
  return wave.parseWebhook({ headers: last.headers, rawBody: last.rawBody });
}

beforeAll(async () => {
  const { url: webhookUrl } = await receiver.start();
  sim.setWebhookUrl(`${webhookUrl}/webhooks/wave`);
  const { url } = await sim.start();
  wave = new WaveProvider({ apiUrl: url, apiKey: API_KEY, webhookSecret: SECRET, timeoutMs: 2_000 });
});
afterEach(() => {
  sim.reset();
  receiver.received.length = 0;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('Wave adapter', () => {
  it('creates a checkout session and reads a completed payment from its signed webhook and from the API', async () => {
    const request = input({ customerPhone: '77 123 45 67' });
    const checkout = await wave.createCheckout(request);
    expect(checkout.providerRef).toMatch(/^cos-/);
    expect(checkout.paymentUrl).toBe(`${sim.url}/pay/${checkout.providerRef}`);
    expect(checkout.status).toBe('pending');
    expect(checkout.expiresAt).toBeDefined();

    const sent = sim.requests[0];
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({
      amount: '1500', currency: 'XOF', client_reference: request.reference, restrict_payer_mobile: '+221771234567',
    });

    const deliveries = await sim.complete(checkout.providerRef);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    const event = parseLast();
    expect(event).toMatchObject({ provider: 'wave', providerRef: checkout.providerRef, reference: request.reference, status: 'succeeded', amountXof: 1500, currency: 'XOF' });
    expect(event.eventId).toBe(deliveries[0]?.eventId);
    expect(() => assertMatches({ amountXof: 1500, reference: request.reference, providerRef: checkout.providerRef }, event)).not.toThrow();

    await expect(wave.getStatus(checkout.providerRef)).resolves.toEqual({ status: 'succeeded', amountXof: 1500, currency: 'XOF' });
  });

  it('reports a declined payment as failed, in the webhook and in the session', async () => {
    const checkout = await wave.createCheckout(input());
    await sim.decline(checkout.providerRef);
    expect(parseLast()).toMatchObject({ status: 'failed', providerRef: checkout.providerRef });
    expect((await wave.getStatus(checkout.providerRef)).status).toBe('failed');
  });

  it('expires an open session and refunds a paid one', async () => {
    const open = await wave.createCheckout(input());
    await wave.expire(open.providerRef);
    expect((await wave.getStatus(open.providerRef)).status).toBe('expired');

    const paid = await wave.createCheckout(input());
    await sim.complete(paid.providerRef);
    await expect(wave.expire(paid.providerRef)).rejects.toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
    await wave.refund(paid.providerRef);
    expect((await wave.getStatus(paid.providerRef)).status).toBe('refunded');
  });

  it('reports TIMEOUT when Wave does not answer within the configured timeout, and the retry creates one session', async () => {
    const fast = new WaveProvider({ apiUrl: sim.url, apiKey: API_KEY, webhookSecret: SECRET, timeoutMs: 200 });
    const request = input();
    sim.stallNext(1);
    const error = await fast.createCheckout(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'TIMEOUT', provider: 'wave', retryable: true });

    const checkout = await fast.createCheckout(request);
    expect(sim.paymentsFor(request.reference).map((p) => p.id)).toEqual([checkout.providerRef]);
  });

  it('returns the session created by a request whose answer was lost, when retried with the same key', async () => {
    const fast = new WaveProvider({ apiUrl: sim.url, apiKey: API_KEY, webhookSecret: SECRET, timeoutMs: 200 });
    const request = input();
    sim.stallNext(1, { afterHandling: true });
    await expect(fast.createCheckout(request)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(sim.paymentsFor(request.reference)).toHaveLength(1);

    const checkout = await fast.createCheckout(request);
    expect(sim.paymentsFor(request.reference).map((p) => p.id)).toEqual([checkout.providerRef]);
    expect(sim.idempotentReplays).toBe(1);
  });

  it('reports UNAVAILABLE on a 5xx, and the retry with the same key succeeds', async () => {
    const request = input();
    sim.failNext(1, 503);
    await expect(wave.createCheckout(request)).rejects.toMatchObject({ code: 'UNAVAILABLE', httpStatus: 503, retryable: true });
    await wave.createCheckout(request);
    expect(sim.paymentsFor(request.reference)).toHaveLength(1);
  });

  it('returns the same checkout for a replayed creation and charges once; refuses the key with another body', async () => {
    const request = input();
    const first = await wave.createCheckout(request);
    const replay = await wave.createCheckout(request);
    expect(replay).toEqual(first);
    expect(sim.listPayments()).toHaveLength(1);
    expect(sim.idempotentReplays).toBe(1);

    await expect(wave.createCheckout({ ...request, amountXof: 2000 })).rejects.toMatchObject({ code: 'CONFLICT', providerCode: 'idempotency-mismatch' });
    expect(sim.listPayments()).toHaveLength(1);
  });

  it('gives duplicated and redelivered webhooks the same eventId', async () => {
    const checkout = await wave.createCheckout(input());
    await sim.complete(checkout.providerRef, { copies: 2 });
    await sim.resend(checkout.providerRef, { delayMs: 20 });
    const events = (await nextWebhooks(3)).map((w) => wave.parseWebhook(w));
    expect(new Set(events.map((e) => e.eventId)).size).toBe(1);
    expect(events.every((e) => e.status === 'succeeded')).toBe(true);
  });

  it('refuses forged, tampered and unsigned webhooks', async () => {
    const checkout = await wave.createCheckout(input());
    await sim.complete(checkout.providerRef, { forgeSignature: true });
    expect(() => parseLast()).toThrow(WebhookVerificationError);
    const [forged] = await nextWebhooks(1);
    if (!forged) throw new Error('no webhook');
    expect(() => wave.parseWebhook(forged)).toThrow(expect.objectContaining({ reason: 'bad_signature' }));

    // A correctly signed body altered afterwards.
    await sim.resend(checkout.providerRef);
    const [genuine] = await nextWebhooks(1);
    if (!genuine) throw new Error('no webhook');
    const tampered = Buffer.from(genuine.rawBody.toString().replace('"1500"', '"15"'));
    expect(() => wave.parseWebhook({ headers: genuine.headers, rawBody: tampered })).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
    expect(() => wave.parseWebhook({ headers: {}, rawBody: genuine.rawBody })).toThrow(expect.objectContaining({ reason: 'missing_signature' }));
    expect(() => wave.parseWebhook({ headers: { 'wave-signature': 'v1=abc' }, rawBody: genuine.rawBody })).toThrow(expect.objectContaining({ reason: 'malformed_signature' }));
  });

  it('accepts any one valid v1 among several (secret rotation)', () => {
    const body = JSON.stringify({ id: 'AE_1', type: 'checkout.session.completed', data: {
      id: 'cos-1', amount: '100', currency: 'XOF', checkout_status: 'complete', payment_status: 'succeeded', client_reference: 'r', wave_launch_url: 'https://pay.wave.com/c/cos-1',
    } });
    const t = Math.floor(Date.now() / 1000);
    const good = signWaveWebhook(SECRET, t, body).split(',')[1] ?? '';
    const old = signWaveWebhook('old-secret', t, body).split(',')[1] ?? '';
    const event = wave.parseWebhook({ headers: { 'Wave-Signature': `t=${t},${old},${good}` }, rawBody: Buffer.from(body) });
    expect(event).toMatchObject({ eventId: 'AE_1', status: 'succeeded', amountXof: 100 });
  });

  it('refuses a webhook signed with a timestamp outside the tolerance', async () => {
    const checkout = await wave.createCheckout(input());
    await sim.complete(checkout.providerRef, { timestampOffsetSec: -301 });
    expect(() => parseLast()).toThrow(expect.objectContaining({ reason: 'stale_timestamp' }));
    await sim.resend(checkout.providerRef, { timestampOffsetSec: 3_600 });
    expect(() => parseLast()).toThrow(expect.objectContaining({ reason: 'stale_timestamp' }));

    // The same genuine webhook, read by a server whose clock is 10 minutes later (a replay).
    await sim.resend(checkout.providerRef);
    const [genuine] = await nextWebhooks(1);
    if (!genuine) throw new Error('no webhook');
    const later = new WaveProvider({ apiUrl: sim.url, apiKey: API_KEY, webhookSecret: SECRET, clock: { now: () => new Date(Date.now() + 600_000) } });
    expect(() => later.parseWebhook(genuine)).toThrow(expect.objectContaining({ reason: 'stale_timestamp' }));
    expect(wave.parseWebhook(genuine).status).toBe('succeeded');
  });

  it('lets the caller detect an amount or currency that differs from the payment', async () => {
    const request = input();
    const checkout = await wave.createCheckout(request);
    await sim.complete(checkout.providerRef, { amountXof: 150 });
    const event = parseLast();
    expect(event.amountXof).toBe(150);
    expect(() => assertMatches({ amountXof: request.amountXof }, event)).toThrow(PaymentMismatchError);

    await sim.resend(checkout.providerRef, { currency: 'EUR' });
    const euro = parseLast();
    expect(euro.currency).toBe('EUR');
    const error = (() => { try { assertMatches({ amountXof: 1500 }, euro); return null; } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(PaymentMismatchError);
    expect((error as PaymentMismatchError).mismatches.map((m) => m.field)).toEqual(['currency']);
  });

  it.each([0, -100, 10.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses amount %s before any HTTP call', async (amountXof) => {
    await expect(wave.createCheckout(input({ amountXof }))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(sim.requests).toHaveLength(0);
  });

  it('maps a wrong API key to AUTH and an unknown session to NOT_FOUND', async () => {
    const wrong = new WaveProvider({ apiUrl: sim.url, apiKey: 'nope', webhookSecret: SECRET });
    await expect(wrong.createCheckout(input())).rejects.toMatchObject({ code: 'AUTH', httpStatus: 401 });
    await expect(wave.getStatus('cos-unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
