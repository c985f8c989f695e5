// Configuration from the environment, the mismatch check, and the demo simulators wired end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoSimulators, type DemoSimulators } from '../../../simulators/payments/demo.js';
import { WebhookReceiver } from '../../../simulators/payments/webhook-receiver.js';
import { assertMatches } from './common.js';
import { PaymentMismatchError, ProviderConfigError } from './errors.js';
import { createProvider, createProvidersFromEnv } from './factory.js';
import type { CreateCheckoutInput } from './types.js';

describe('createProvidersFromEnv', () => {
  it('enables nothing when no provider is configured', () => {
    expect(createProvidersFromEnv({})).toEqual({});
  });

  it('enables each fully configured provider', () => {
    const providers = createProvidersFromEnv({
      WAVE_API_KEY: 'k', WAVE_WEBHOOK_SECRET: 's',
      FREE_MONEY_API_URL: 'https://aggregator.example', FREE_MONEY_API_KEY: 'k', FREE_MONEY_WEBHOOK_SECRET: 's',
      PAYMENTS_HTTP_TIMEOUT_MS: '5000',
    });
    expect(Object.keys(providers).sort()).toEqual(['free_money', 'wave']);
    expect(providers.wave?.name).toBe('wave');
    expect(providers.orange_money).toBeUndefined();
  });

  it('refuses a half-configured provider, naming the missing variables but no values', () => {
    const attempt = () => createProvidersFromEnv({ ORANGE_MONEY_CLIENT_ID: 'id', ORANGE_MONEY_CLIENT_SECRET: 'very-secret-value' });
    expect(attempt).toThrow(ProviderConfigError);
    expect(attempt).toThrow(/ORANGE_MONEY_MERCHANT_CODE, ORANGE_MONEY_CALLBACK_KEY/);
    expect(attempt).not.toThrow(/very-secret-value/);
  });

  it('refuses a timeout that is not a positive whole number', () => {
    expect(() => createProvidersFromEnv({ WAVE_API_KEY: 'k', WAVE_WEBHOOK_SECRET: 's', PAYMENTS_HTTP_TIMEOUT_MS: '2.5s' })).toThrow(/PAYMENTS_HTTP_TIMEOUT_MS/);
  });

  it('builds one adapter by name', () => {
    expect(createProvider('orange_money', { clientId: 'a', clientSecret: 'b', merchantCode: '1', callbackKey: 'c' }).name).toBe('orange_money');
  });
});

describe('assertMatches', () => {
  const event = { amountXof: 1000, currency: 'XOF', reference: 'pay-1', providerRef: 'cos-1' };

  it('accepts the payment it describes', () => {
    expect(() => assertMatches({ amountXof: 1000, reference: 'pay-1', providerRef: 'cos-1' }, event)).not.toThrow();
  });

  it.each([
    [{ amountXof: 999 }, 'amountXof'],
    [{ amountXof: 1000, currency: 'EUR' }, 'currency'],
    [{ amountXof: 1000, reference: 'pay-2' }, 'reference'],
    [{ amountXof: 1000, providerRef: 'cos-2' }, 'providerRef'],
  ])('throws on a different %o', (expected, field) => {
    expect(() => assertMatches(expected, event)).toThrow(PaymentMismatchError);
    expect(() => assertMatches(expected, event)).toThrow(new RegExp(field));
  });

  it('treats a fractional or missing amount and a missing reference as mismatches', () => {
    expect(() => assertMatches({ amountXof: 1000 }, { ...event, amountXof: 1000.5 })).toThrow(PaymentMismatchError);
    expect(() => assertMatches({ amountXof: 1000 }, { amountXof: null, currency: null })).toThrow(PaymentMismatchError);
    expect(() => assertMatches({ amountXof: 1000, reference: 'pay-1' }, { ...event, reference: null })).toThrow(/reference/);
  });
});

describe('demo simulators', () => {
  let demo: DemoSimulators;
  const receiver = new WebhookReceiver();
  let receiverUrl = '';

  beforeAll(async () => {
    receiverUrl = (await receiver.start()).url;
    demo = await startDemoSimulators({ webhookUrls: { wave: `${receiverUrl}/wave`, orangeMoney: `${receiverUrl}/om` }, autoSettleMs: 50 });
  });
  afterAll(async () => {
    await demo.close();
    await receiver.close();
  });

  it('settle payments by themselves as the scenario phone says, through adapters built from the env', async () => {
    const providers = createProvidersFromEnv(demo.env);
    const base = (n: number): CreateCheckoutInput => ({
      amountXof: 1000, reference: `demo-${n}`, idempotencyKey: `demo-key-${n}`,
      successUrl: 'https://smartqueue.example/ok', errorUrl: 'https://smartqueue.example/error', callbackUrl: `${receiverUrl}/fm`,
    });
    const wave = await providers.wave?.createCheckout({ ...base(1), customerPhone: '+221771234501' });
    const om = await providers.orange_money?.createCheckout(base(2));
    const fm = await providers.free_money?.createCheckout({ ...base(3), customerPhone: '+221761234567' });
    expect([wave, om, fm].every(Boolean)).toBe(true);

    await receiver.waitFor(3);
    const events = receiver.received.map((w) => {
      const provider = w.path === '/wave' ? providers.wave : w.path === '/om' ? providers.orange_money : providers.free_money;
      if (!provider) throw new Error(`unexpected webhook path ${w.path}`);
      return provider.parseWebhook({ headers: w.headers, rawBody: w.rawBody });
    });
    const byProvider = Object.fromEntries(events.map((e) => [e.provider, e.status]));
    expect(byProvider).toEqual({ wave: 'failed', orange_money: 'succeeded', free_money: 'succeeded' });
  });
});
