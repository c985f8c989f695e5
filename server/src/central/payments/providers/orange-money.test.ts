// The Orange Money adapter against the Orange Money simulator over real HTTP, callbacks to a real endpoint.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrangeMoneySimulator } from '../../../simulators/payments/orange-money-simulator.js';
import { WebhookReceiver } from '../../../simulators/payments/webhook-receiver.js';
import { assertMatches } from './common.js';
import { PaymentMismatchError, ProviderError, WebhookVerificationError } from './errors.js';
import { OrangeMoneyProvider, orangeMoneyStatus, type OrangeMoneyConfig } from './orange-money.js';
import type { CreateCheckoutInput, ProviderEvent } from './types.js';

const CREDENTIALS = { clientId: 'om-client', clientSecret: 'om-secret', merchantCode: '654321', callbackKey: 'om-callback-key' };

/** One clock for the simulator and the adapter, moved by the tests (token expiry). */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

const sim = new OrangeMoneySimulator({ ...CREDENTIALS, clock, tokenTtlSec: 300 });
const receiver = new WebhookReceiver();
let om: OrangeMoneyProvider;
let receiverBase = '';
let counter = 0;

function adapter(overrides: Partial<OrangeMoneyConfig> = {}): OrangeMoneyProvider {
  return new OrangeMoneyProvider({ apiUrl: sim.url, ...CREDENTIALS, clock, timeoutMs: 2_000, ...overrides });
}

function input(overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  counter += 1;
  return {
    amountXof: 2500,
    reference: `pay-om-${counter}`,
    idempotencyKey: `om-key-${counter}`,
    successUrl: 'https://smartqueue.example/pay/ok',
    errorUrl: 'https://smartqueue.example/pay/cancel',
    callbackUrl: 'https://smartqueue.example/webhooks/orange-money',
    ...overrides,
  };
}

function lastWebhook() {
  const last = receiver.received.at(-1);
  if (!last) throw new Error('no callback received');
  return { headers: last.headers, rawBody: last.rawBody };
}

function parseLast(provider = om): ProviderEvent {
  return provider.parseWebhook(lastWebhook());
}

beforeAll(async () => {
  receiverBase = (await receiver.start()).url;
  sim.setWebhookUrl(`${receiverBase}/webhooks/orange-money`);
  await sim.start();
  om = adapter();
});
afterEach(() => {
  sim.reset();
  receiver.received.length = 0;
  offsetMs = 0;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('Orange Money adapter', () => {
  it('creates a QR code payment and reads the paid transaction from the callback and from the API', async () => {
    const request = input();
    const checkout = await om.createCheckout(request);
    expect(checkout.providerRef).toBe(request.reference);
    expect(checkout.status).toBe('pending');
    expect(checkout.paymentUrl).toMatch(/app=MAXIT$/);
    expect(Buffer.from(checkout.qrImagePngBase64 ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(checkout.expiresAt).toBe(sim.payment(request.reference).expiresAt.toISOString());

    const qrRequest = sim.requests.find((r) => r.path === '/api/eWallet/v4/qrcode');
    expect(JSON.parse(qrRequest?.body ?? '{}')).toMatchObject({
      amount: { unit: 'XOF', value: 2500 }, code: CREDENTIALS.merchantCode, reference: request.reference,
      callbackSuccessUrl: request.successUrl, callbackCancelUrl: request.errorUrl, validity: 900,
    });
    expect(qrRequest?.headers['idempotency-key']).toBe(request.idempotencyKey);

    // No transaction until the customer pays.
    await expect(om.getStatus(checkout.providerRef)).resolves.toEqual({ status: 'pending', amountXof: null, currency: null });

    await sim.complete(request.reference);
    const event = parseLast();
    expect(event).toMatchObject({ provider: 'orange_money', providerRef: request.reference, reference: request.reference, status: 'succeeded', amountXof: 2500, currency: 'XOF' });
    expect(event.eventId).toBe(`${String(sim.payment(request.reference).extra.transactionId)}:SUCCESS`);
    expect(() => assertMatches({ amountXof: 2500, reference: request.reference }, event)).not.toThrow();
    await expect(om.getStatus(checkout.providerRef)).resolves.toEqual({ status: 'succeeded', amountXof: 2500, currency: 'XOF' });
  });

  it('maps declined and expired transactions', async () => {
    const declined = await om.createCheckout(input());
    await sim.decline(declined.providerRef);
    expect(parseLast().status).toBe('failed');
    expect((await om.getStatus(declined.providerRef)).status).toBe('failed');

    const expired = await om.createCheckout(input());
    await sim.expire(expired.providerRef);
    expect(parseLast().status).toBe('expired');
    expect((await om.getStatus(expired.providerRef)).status).toBe('expired');
  });

  it.each([
    ['INITIATED', 'pending'], ['PRE_INITIATED', 'pending'], ['PENDING', 'pending'], ['ACCEPTED', 'pending'], ['SUCCESS', 'succeeded'],
    ['FAILED', 'failed'], ['CANCELLED', 'failed'], ['REJECTED', 'failed'], ['EXPIRED', 'expired'], ['success', 'succeeded'], ['SOMETHING_NEW', 'pending'],
  ] as const)('maps Orange status %s to %s, also in a callback authenticated by the shared key', async (wire, ours) => {
    expect(orangeMoneyStatus(wire)).toBe(ours);
    // A callback carrying it, authenticated by the shared key.
    const body = JSON.stringify({ transactionId: 'MP260101.0000.ABC123', status: wire, amount: { value: 2500, unit: 'XOF' }, reference: 'pay-om-x', type: 'MERCHANT_PAYMENT' });
    const event = om.parseWebhook({ headers: { 'x-api-key': CREDENTIALS.callbackKey }, rawBody: Buffer.from(body) });
    expect(event).toMatchObject({ status: ours, providerRef: 'pay-om-x', eventId: `MP260101.0000.ABC123:${wire.toUpperCase()}` });
    expect(() => om.parseWebhook({ headers: { 'x-api-key': 'guess' }, rawBody: Buffer.from(body) })).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
  });

  it('caches the access token and fetches a new one when it nears expiry', async () => {
    const fresh = adapter();
    await fresh.createCheckout(input());
    await fresh.createCheckout(input());
    await fresh.getStatus('pay-om-unknown');
    expect(sim.tokensIssued).toBe(1);
    expect(sim.requests.filter((r) => r.path === '/oauth/v1/token')).toHaveLength(1);

    offsetMs = 290_000; // 10 s before the 300 s token dies: inside the renewal margin
    await fresh.createCheckout(input());
    expect(sim.tokensIssued).toBe(2);
    expect(sim.requests.filter((r) => r.outcome === 401)).toHaveLength(0);
  });

  it('shares one token request between concurrent calls', async () => {
    const fresh = adapter();
    await Promise.all([fresh.createCheckout(input()), fresh.createCheckout(input()), fresh.getStatus('x')]);
    expect(sim.tokensIssued).toBe(1);
  });

  it('fetches a new token and retries once when a token is refused before its expiry', async () => {
    const fresh = adapter();
    await fresh.createCheckout(input());
    sim.revokeTokens();
    const request = input();
    await fresh.createCheckout(request);
    expect(sim.tokensIssued).toBe(2);
    expect(sim.paymentsFor(request.reference)).toHaveLength(1);
  });

  it('sends client credentials with HTTP Basic and reports refused ones as AUTH', async () => {
    await adapter().getStatus('x');
    const tokenRequest = sim.requests.find((r) => r.path === '/oauth/v1/token');
    expect(tokenRequest?.headers.authorization).toBe(`Basic ${Buffer.from('om-client:om-secret').toString('base64')}`);
    expect(tokenRequest?.body).toBe('grant_type=client_credentials');

    await expect(adapter({ clientSecret: 'wrong' }).createCheckout(input())).rejects.toMatchObject({ code: 'AUTH', httpStatus: 401, providerCode: 'unauthorized_client' });
  });

  it('reports TIMEOUT within the configured timeout, on the token and on the payment call', async () => {
    sim.stallNext(1);
    await expect(adapter({ timeoutMs: 200 }).createCheckout(input())).rejects.toMatchObject({ code: 'TIMEOUT', provider: 'orange_money' });

    const fresh = adapter({ timeoutMs: 200 });
    await fresh.getStatus('x');
    sim.stallNext(1);
    const error = await fresh.createCheckout(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
  });

  it('reports UNAVAILABLE on a 5xx and succeeds on retry with the same key', async () => {
    const request = input();
    sim.failNext(2, 502);
    await expect(om.createCheckout(request)).rejects.toMatchObject({ code: 'UNAVAILABLE', httpStatus: 502 });
    await expect(om.createCheckout(request)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await om.createCheckout(request);
    expect(sim.paymentsFor(request.reference)).toHaveLength(1);
  });

  it('returns the same QR code for a replayed creation and creates one payment; refuses the key with another body', async () => {
    const request = input();
    const first = await om.createCheckout(request);
    const replay = await om.createCheckout(request);
    expect(replay.paymentUrl).toBe(first.paymentUrl);
    expect(replay.qrImagePngBase64).toBe(first.qrImagePngBase64);
    expect(sim.listPayments()).toHaveLength(1);
    await expect(om.createCheckout({ ...request, amountXof: 100 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(sim.listPayments()).toHaveLength(1);
  });

  it('gives duplicated callbacks the same eventId', async () => {
    const checkout = await om.createCheckout(input());
    await sim.complete(checkout.providerRef, { copies: 2 });
    await sim.resend(checkout.providerRef, { delayMs: 20 });
    await receiver.waitFor(3);
    const ids = receiver.received.map((w) => om.parseWebhook({ headers: w.headers, rawBody: w.rawBody }).eventId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses callbacks with a wrong or missing key', async () => {
    const checkout = await om.createCheckout(input());
    await sim.complete(checkout.providerRef, { forgeSignature: true });
    expect(() => parseLast()).toThrow(WebhookVerificationError);
    expect(() => parseLast()).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
    expect(() => om.parseWebhook({ headers: {}, rawBody: lastWebhook().rawBody })).toThrow(expect.objectContaining({ reason: 'missing_signature' }));
    expect(() => om.parseWebhook({ headers: { 'x-api-key': CREDENTIALS.callbackKey }, rawBody: Buffer.from('not json') })).toThrow(expect.objectContaining({ reason: 'malformed_payload' }));
  });

  it('reads the key from a configured header, with or without an auth scheme', async () => {
    // Callbacks carry the bare key in Authorization.
    const custom = new OrangeMoneySimulator({ ...CREDENTIALS, callbackKeyHeader: 'authorization', webhookUrl: `${receiverBase}/custom` });
    await custom.start();
    try {
      const client = new OrangeMoneyProvider({ apiUrl: custom.url, ...CREDENTIALS, callbackKeyHeader: 'Authorization' });
      const checkout = await client.createCheckout(input());
      await custom.complete(checkout.providerRef);
      expect(parseLast(client).status).toBe('succeeded');
      const { headers, rawBody } = lastWebhook();
      expect(client.parseWebhook({ headers: { ...headers, authorization: `Basic ${CREDENTIALS.callbackKey}` }, rawBody }).status).toBe('succeeded');
      expect(() => om.parseWebhook({ headers, rawBody })).toThrow(expect.objectContaining({ reason: 'missing_signature' }));
    } finally {
      await custom.close();
    }
  });

  it('lets the caller detect an amount or currency that differs from the payment', async () => {
    const request = input();
    const checkout = await om.createCheckout(request);
    await sim.complete(checkout.providerRef, { amountXof: 25 });
    expect(() => assertMatches({ amountXof: request.amountXof, reference: request.reference }, parseLast())).toThrow(PaymentMismatchError);
    await sim.resend(checkout.providerRef, { currency: 'XAF' });
    expect(() => assertMatches({ amountXof: request.amountXof, reference: request.reference }, parseLast())).toThrow(/currency expected XOF, got XAF/);
  });

  it.each([0, -1, 99.5, Number.NaN])('refuses amount %s before any HTTP call (not even a token request)', async (amountXof) => {
    await expect(adapter().createCheckout(input({ amountXof }))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(sim.requests).toHaveLength(0);
  });
});
