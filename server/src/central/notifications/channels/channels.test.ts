// Each channel against a real local stand-in: an SMTP server, a push service that checks VAPID and decrypts, and
// the Orange SMS simulator.
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushEndpoint } from '../../../../../test/fixtures/push-endpoint.js';
import { SmtpSink } from '../../../../../test/fixtures/smtp-sink.js';
import { ChannelError } from '../errors.js';
import { OrangeSmsSimulator } from '../../../simulators/sms/orange-sms-simulator.js';
import { renderNotification } from '../templates.js';
import type { RenderedNotification } from '../types.js';
import { createEmailChannel } from './email.js';
import { createPushChannel, isGoneSubscription } from './push.js';
import { createOrangeSmsChannel } from './sms-orange.js';

const called = (lang: 'fr' | 'wo' | 'en'): RenderedNotification =>
  renderNotification({ kind: 'called', ticketNumber: 'A042', counterNumber: 3, branchName: 'Agence Plateau', trackUrl: 'https://suivi.example.sn/t/x' }, lang);

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ChannelError) return err;
    throw err;
  }
  throw new Error('expected a ChannelError');
}

describe('e-mail channel (SMTP)', () => {
  const sink = new SmtpSink();
  beforeAll(async () => { await sink.start(); });
  afterAll(async () => { await sink.close(); });

  it('delivers subject, text and HTML in the recipient\'s language', async () => {
    const channel = createEmailChannel({ url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' });
    try {
      const res = await channel.send({ channel: 'email', address: 'awa@example.sn', language: 'wo' }, called('wo'));
      expect(res.providerRef).toMatch(/@/);
      const [mail] = sink.to('awa@example.sn');
      expect(mail?.subject).toBe('Tike A-042: yaw lañuy woo');
      expect(mail?.text).toContain('Tike A-042: demal ca guichet 3.');
      expect(mail?.text).toContain('Toppal sa tike: https://suivi.example.sn/t/x');
      expect(mail?.html).toContain('<a href="https://suivi.example.sn/t/x">Toppal sa tike</a>');
      expect(mail?.from).toBe('no-reply@smartqueue.sn');
      expect(mail?.headers['content-language']).toBe('wo');
    } finally {
      await channel.close?.();
    }
  });

  it('reports a refused mailbox as permanent and a temporary refusal as retryable', async () => {
    const channel = createEmailChannel({ url: sink.url, from: 'no-reply@smartqueue.sn' });
    try {
      sink.refuseNext(1, 550);
      const permanent = await failure(channel.send({ channel: 'email', address: 'nobody@example.sn', language: 'fr' }, called('fr')));
      expect(permanent.permanent).toBe(true);
      expect(permanent.httpStatus).toBe(550);
      sink.refuseNext(1, 451);
      const transient = await failure(channel.send({ channel: 'email', address: 'later@example.sn', language: 'fr' }, called('fr')));
      expect(transient.permanent).toBe(false);
      expect(sink.to('nobody@example.sn')).toHaveLength(0);
    } finally {
      await channel.close?.();
    }
  });

  it('reports an unreachable server as retryable', async () => {
    const channel = createEmailChannel({ url: 'smtp://127.0.0.1:9', from: 'no-reply@smartqueue.sn', timeoutMs: 2000 });
    const err = await failure(channel.send({ channel: 'email', address: 'awa@example.sn', language: 'fr' }, called('fr')));
    expect(err.permanent).toBe(false);
    await channel.close?.();
  });
});

describe('web push channel (VAPID + aes128gcm)', () => {
  const vapid = webpush.generateVAPIDKeys();
  const endpoint = new PushEndpoint(vapid.publicKey);
  beforeAll(async () => { await endpoint.start(); });
  afterAll(async () => { await endpoint.close(); });

  it('sends a payload that only the subscription can read, signed with the VAPID key', async () => {
    const channel = createPushChannel({ vapid: { subject: 'mailto:ops@smartqueue.sn', ...vapid } });
    const sub = endpoint.subscribe();
    await channel.send({ channel: 'push', address: sub.json.endpoint, language: 'en', subscription: sub.json }, called('en'));
    const [got] = endpoint.for(sub.id);
    expect(JSON.parse(got?.payload ?? '{}')).toEqual({ title: "It's your turn!", body: 'Ticket A-042: please go to counter 3.', url: 'https://suivi.example.sn/t/x', tag: 'ticket-A042', kind: 'called' });
    expect(got?.claims.sub).toBe('mailto:ops@smartqueue.sn');
    expect(got?.claims.aud).toBe(endpoint.url);
    expect(got?.urgency).toBe('high');
    expect(Number(got?.ttl)).toBeGreaterThan(0);
  });

  it('is refused by the push service when signed with another key', async () => {
    const other = webpush.generateVAPIDKeys();
    const channel = createPushChannel({ vapid: { subject: 'mailto:ops@smartqueue.sn', ...other } });
    const sub = endpoint.subscribe();
    const err = await failure(channel.send({ channel: 'push', address: sub.json.endpoint, language: 'fr', subscription: sub.json }, called('fr')));
    expect(err.httpStatus).toBe(403);
    expect(err.permanent).toBe(true);
    expect(endpoint.for(sub.id)).toHaveLength(0);
    expect(endpoint.refused.at(-1)?.reason).toMatch(/not the application server key/);
  });

  it('tells a gone subscription (410) from a busy service (503)', async () => {
    const channel = createPushChannel({ vapid: { subject: 'mailto:ops@smartqueue.sn', ...vapid } });
    const sub = endpoint.subscribe();
    const r = { channel: 'push' as const, address: sub.json.endpoint, language: 'fr' as const, subscription: sub.json };
    endpoint.failNext(1, 503);
    const busy = await failure(channel.send(r, called('fr')));
    expect(busy.permanent).toBe(false);
    endpoint.unsubscribe(sub.id);
    const gone = await failure(channel.send(r, called('fr')));
    expect(gone.permanent).toBe(true);
    expect(isGoneSubscription(gone)).toBe(true);
  });
});

describe('SMS channel (Orange SMS API shape)', () => {
  const sim = new OrangeSmsSimulator({ clientId: 'cid', clientSecret: 'secret' });
  beforeAll(async () => { await sim.start(); });
  afterAll(async () => { await sim.close(); });
  const config = () => ({ baseUrl: sim.url, clientId: 'cid', clientSecret: 'secret', senderAddress: 'tel:+2210000', senderName: 'SmartQueue' });

  it('gets a token once, sends in Orange\'s shape, and fetches a new token when one is refused', async () => {
    const channel = createOrangeSmsChannel(config());
    const before = sim.tokenRequests;
    const r1 = await channel.send({ channel: 'sms', address: '+221771234567', language: 'wo' }, called('wo'));
    await channel.send({ channel: 'sms', address: '+221771234567', language: 'fr' }, called('fr'));
    expect(sim.tokenRequests - before).toBe(1);
    expect(r1.providerRef).toBe(sim.messages[0]?.id);
    expect(sim.messages.map((m) => [m.to, m.message, m.senderAddress, m.senderName])).toEqual([
      ['+221771234567', 'Tike A-042: yaw lañuy woo, demal ca guichet 3 (Agence Plateau).', 'tel:+2210000', 'SmartQueue'],
      ['+221771234567', "Ticket A-042 : c'est à vous, guichet 3 (Agence Plateau).", 'tel:+2210000', 'SmartQueue'],
    ]);
    sim.expireTokens();
    await channel.send({ channel: 'sms', address: '+221701234567', language: 'en' }, called('en'));
    expect(sim.tokenRequests - before).toBe(2);
    expect(sim.messages).toHaveLength(3);
  });

  it('retries on an outage, not on a refused message, and reports bad credentials', async () => {
    const channel = createOrangeSmsChannel(config());
    sim.failNext(1, 503);
    expect((await failure(channel.send({ channel: 'sms', address: '+221771234567', language: 'fr' }, called('fr')))).permanent).toBe(false);
    sim.failNext(1, 400);
    expect((await failure(channel.send({ channel: 'sms', address: '+221771234567', language: 'fr' }, called('fr')))).permanent).toBe(true);
    const wrong = createOrangeSmsChannel({ ...config(), clientSecret: 'nope' });
    const auth = await failure(wrong.send({ channel: 'sms', address: '+221771234567', language: 'fr' }, called('fr')));
    expect(auth.message).toMatch(/token request answered 401/);
    const down = createOrangeSmsChannel({ ...config(), baseUrl: 'http://127.0.0.1:9' });
    expect((await failure(down.send({ channel: 'sms', address: '+221771234567', language: 'fr' }, called('fr')))).permanent).toBe(false);
  });
});
