// The Free Money adapter against the aggregator simulator over real HTTP, callbacks to a real endpoint.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FreeMoneySimulator } from '../../../simulators/payments/free-money-simulator.js';
import { WebhookReceiver } from '../../../simulators/payments/webhook-receiver.js';
import { assertMatches } from './common.js';
import { PaymentMismatchError, WebhookVerificationError } from './errors.js';
import { FreeMoneyProvider, signFreeMoneyPayload } from './free-money.js';
import type { CreateCheckoutInput, ProviderEvent, WebhookRequest } from './types.js';

const API_KEY = 'fm-api-key';
const SECRET = 'fm-webhook-secret';

const sim = new FreeMoneySimulator({ apiKey: API_KEY, webhookSecret: SECRET });
const receiver = new WebhookReceiver();
let fm: FreeMoneyProvider;
let callbackUrl = '';
let counter = 0;

function input(overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  counter += 1;
  return {
    amountXof: 5000,
    reference: `pay-fm-${counter}`,
    idempotencyKey: `fm-key-${counter}`,
    successUrl: 'https://smartqueue.example/pay/ok',
    errorUrl: 'https://smartqueue.example/pay/error',
    callbackUrl,
    customerPhone: '+221761234567',
    ...overrides,
  };
}

function lastWebhook(): WebhookRequest {
  const last = receiver.received.at(-1);
  if (!last) throw new Error('no callback received');
  return { headers: last.headers, rawBody: last.rawBody };
}

function parseLast(): ProviderEvent {
  return fm.parseWebhook(lastWebhook());
}

beforeAll(async () => {
  callbackUrl = `${(await receiver.start()).url}/webhooks/free-money`;
  const { url } = await sim.start();
  fm = new FreeMoneyProvider({ apiUrl: url, apiKey: API_KEY, webhookSecret: SECRET, timeoutMs: 2_000 });
});
afterEach(() => {
  sim.reset();
  receiver.received.length = 0;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('Free Money adapter (aggregator)', () => {
  it('requests a cash-out and reads the success from the signed callback and from the API', async () => {
    const request = input({ customerPhone: '76 123 45 67', description: 'Ticket A042' });
    const checkout = await fm.createCheckout(request);
    expect(checkout.providerRef).toMatch(/^pay_/);
    expect(checkout.paymentUrl).toBe(`${sim.url}/pay/${checkout.providerRef}`);
    expect(checkout.status).toBe('pending');

    const sent = sim.requests[0];
    expect(sent?.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      amount: 5000, currency: 'XOF', operator: 'free_money', phone: '+221761234567', reference: request.reference,
      callback_url: callbackUrl, success_url: request.successUrl, error_url: request.errorUrl, description: 'Ticket A042',
    });

    await sim.complete(checkout.providerRef);
    expect(receiver.received[0]?.path).toBe('/webhooks/free-money');
    const event = parseLast();
    expect(event).toMatchObject({ provider: 'free_money', providerRef: checkout.providerRef, reference: request.reference, status: 'succeeded', amountXof: 5000, currency: 'XOF' });
    expect(() => assertMatches({ amountXof: 5000, reference: request.reference, providerRef: checkout.providerRef }, event)).not.toThrow();
    await expect(fm.getStatus(checkout.providerRef)).resolves.toEqual({ status: 'succeeded', amountXof: 5000, currency: 'XOF' });
  });

  it('reports a payment refused at creation as DECLINED (scenario phone …00)', async () => {
    await expect(fm.createCheckout(input({ customerPhone: '+221761234500' }))).rejects.toMatchObject({ code: 'DECLINED', httpStatus: 402, providerCode: 'declined', retryable: false });
  });

  it('reports a payment declined on the phone as failed', async () => {
    const checkout = await fm.createCheckout(input());
    await sim.decline(checkout.providerRef);
    expect(parseLast().status).toBe('failed');
    expect((await fm.getStatus(checkout.providerRef)).status).toBe('failed');
    const expired = await fm.createCheckout(input());
    await sim.expire(expired.providerRef);
    expect(parseLast().status).toBe('expired');
  });

  it('refuses a missing or foreign phone before any HTTP call', async () => {
    await expect(fm.createCheckout(input({ customerPhone: undefined }))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(fm.createCheckout(input({ customerPhone: '+33612345678' }))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(sim.requests).toHaveLength(0);
  });

  it('reports TIMEOUT within the configured timeout and UNAVAILABLE on a 5xx; retries charge once', async () => {
    const fast = new FreeMoneyProvider({ apiUrl: sim.url, apiKey: API_KEY, webhookSecret: SECRET, timeoutMs: 200 });
    const request = input();
    sim.stallNext(1);
    await expect(fast.createCheckout(request)).rejects.toMatchObject({ code: 'TIMEOUT', provider: 'free_money' });
    sim.failNext(1, 500);
    await expect(fast.createCheckout(request)).rejects.toMatchObject({ code: 'UNAVAILABLE', httpStatus: 500 });
    const checkout = await fast.createCheckout(request);
    expect(sim.paymentsFor(request.reference).map((p) => p.id)).toEqual([checkout.providerRef]);
    sim.stallNext(1);
    await expect(fast.getStatus(checkout.providerRef)).rejects.toMatchObject({ code: 'TIMEOUT' });

    const lost = input();
    sim.stallNext(1, { afterHandling: true });
    await expect(fast.createCheckout(lost)).rejects.toMatchObject({ code: 'TIMEOUT' });
    const retried = await fast.createCheckout(lost);
    expect(sim.paymentsFor(lost.reference).map((p) => p.id)).toEqual([retried.providerRef]);
  });

  it('returns the same payment for a replayed creation and charges once; refuses the key with another body', async () => {
    const request = input();
    const first = await fm.createCheckout(request);
    expect(await fm.createCheckout(request)).toEqual(first);
    expect(sim.listPayments()).toHaveLength(1);
    expect(sim.idempotentReplays).toBe(1);
    await expect(fm.createCheckout({ ...request, customerPhone: '+221769999999' })).rejects.toMatchObject({ code: 'CONFLICT', providerCode: 'idempotency_conflict' });
    expect(sim.listPayments()).toHaveLength(1);
  });

  it('gives duplicated and late callbacks the same eventId', async () => {
    const checkout = await fm.createCheckout(input());
    await sim.complete(checkout.providerRef, { copies: 2, delayMs: 30 });
    await sim.resend(checkout.providerRef);
    await receiver.waitFor(3);
    const ids = receiver.received.map((w) => fm.parseWebhook({ headers: w.headers, rawBody: w.rawBody }).eventId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses forged, tampered and unsigned callbacks', async () => {
    const checkout = await fm.createCheckout(input());
    await sim.complete(checkout.providerRef, { forgeSignature: true });
    expect(() => parseLast()).toThrow(WebhookVerificationError);
    expect(() => parseLast()).toThrow(expect.objectContaining({ reason: 'bad_signature' }));

    await sim.resend(checkout.providerRef);
    const genuine = lastWebhook();
    expect(fm.parseWebhook(genuine).status).toBe('succeeded');
    const tamperedBody = Buffer.from(genuine.rawBody.toString().replace('"amount":5000', '"amount":50'));
    expect(() => fm.parseWebhook({ headers: genuine.headers, rawBody: tamperedBody })).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
    const { 'x-signature': _dropped, ...unsigned } = genuine.headers;
    expect(() => fm.parseWebhook({ headers: unsigned, rawBody: genuine.rawBody })).toThrow(expect.objectContaining({ reason: 'missing_signature' }));
  });

  it('refuses stale or future timestamps, and a fresh timestamp pasted on an old signature', async () => {
    const checkout = await fm.createCheckout(input());
    await sim.complete(checkout.providerRef, { timestampOffsetSec: -600 });
    const stale = lastWebhook();
    expect(() => fm.parseWebhook(stale)).toThrow(expect.objectContaining({ reason: 'stale_timestamp' }));
    await sim.resend(checkout.providerRef, { timestampOffsetSec: 600 });
    expect(() => parseLast()).toThrow(expect.objectContaining({ reason: 'stale_timestamp' }));

    // A replay that swaps in the current time: the timestamp is signed, so the signature no longer matches.
    const now = String(Math.floor(Date.now() / 1000));
    expect(() => fm.parseWebhook({ headers: { ...stale.headers, 'x-timestamp': now }, rawBody: stale.rawBody })).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
    // And a correct signature over the current time is accepted.
    const body = stale.rawBody;
    expect(fm.parseWebhook({ headers: { 'x-timestamp': now, 'x-signature': signFreeMoneyPayload(SECRET, Number(now), body) }, rawBody: body }).status).toBe('succeeded');
  });

  it('lets the caller detect an amount or currency that differs from the payment', async () => {
    const request = input();
    const checkout = await fm.createCheckout(request);
    await sim.complete(checkout.providerRef, { amountXof: 4999, currency: 'EUR' });
    const event = parseLast();
    const error = (() => { try { assertMatches({ amountXof: request.amountXof, reference: request.reference }, event); return null; } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(PaymentMismatchError);
    expect((error as PaymentMismatchError).mismatches.map((m) => m.field)).toEqual(['amountXof', 'currency']);
  });

  it.each([0, -5000, 0.5, 1e21])('refuses amount %s before any HTTP call', async (amountXof) => {
    await expect(fm.createCheckout(input({ amountXof }))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(sim.requests).toHaveLength(0);
  });

  it('maps a wrong API key to AUTH and an unknown payment to NOT_FOUND', async () => {
    const wrong = new FreeMoneyProvider({ apiUrl: sim.url, apiKey: 'nope', webhookSecret: SECRET });
    await expect(wrong.createCheckout(input())).rejects.toMatchObject({ code: 'AUTH' });
    await expect(fm.getStatus('pay_unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves a pay page whose button completes the payment and sends the customer to the success URL', async () => {
    const request = input({ amountXof: 300 });
    const checkout = await fm.createCheckout(request);
    const page = await fetch(checkout.paymentUrl);
    expect(await page.text()).toContain('300 XOF');
    const paid = await fetch(`${sim.url}/_sim/payments/${checkout.providerRef}/complete?redirect=1`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(request.successUrl);
    await receiver.waitFor(1);
    expect(parseLast().status).toBe('succeeded');
    const again = await fetch(`${sim.url}/_sim/payments/${checkout.providerRef}/decline`, { method: 'POST' });
    expect(again.status).toBe(409);
  });
});
