// Following a ticket at central and being told: a real branch syncs to a real central; agents serve tickets; the
// visitor's phone and e-mail (given at the kiosk) and a web push subscription (from the page) get "your turn is
// near" once the position reaches the service's N and "it's your turn" when called, each exactly once, in the
// recipient's language, through a real SMTP server, a push endpoint that checks VAPID and decrypts, and the SMS
// simulator. Bad addresses are refused with clear errors; replaying events sends nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackView } from '../../server/src/shared/contracts/tracking.js';
import { centralDialects } from '../support/postgres.js';
import { waitFor } from '../support/central.js';
import { issue, PUBLIC_URL, settledDeliveries, startTrackingWorld, trackSocket, waitForView, type TrackingWorld } from './support.js';

const dialects = await centralDialects();

describe.each(dialects)('tracking and notifications on %s', (dialect) => {
  let w: TrackingWorld;
  const tickets: string[] = [];
  let followed = '';
  let pushId = '';

  beforeAll(async () => {
    w = await startTrackingWorld(dialect);
    for (let i = 0; i < 4; i++) tickets.push(await issue(w));
    followed = await issue(w, { phone: '77 123 45 67', email: 'Awa.Diop@example.sn', language: 'wo' });
    tickets.push(followed);
  });
  afterAll(async () => { await w?.close(); });

  it('shows the position central computes by the branch\'s own rule, with the branch\'s freshness', async () => {
    const r = await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, {
      location: { lat: 14.6681, lon: -17.4316 },
      services: [{ serviceId: w.serviceA, notifyAtPosition: 2, name: { fr: 'Dépôt / Retrait', wo: 'Denc / Génne xaalis', en: 'Deposit / Withdrawal' } }],
    });
    expect(r.status).toBe(200);
    const v = await waitForView(w, followed, 'the followed ticket at central', (x) => x.position === 5);
    expect(v).toMatchObject({ number: 'A005', status: 'waiting', language: 'wo', notifyAtPosition: 2, branch: { name: 'Agence Plateau', hasLocation: true } });
    expect(v.freshness.stale).toBe(false);
    expect(v.serviceName?.wo).toBe('Denc / Génne xaalis');
    // The same position and wait as the branch's own: no counter is open yet, so the branch promises no wait, and
    // neither does the phone (test/tracking/estimate.test.ts follows the figures while counters serve).
    const atBranch = (await w.branch.api.get<{ position: number; estimatedWaitMinutes: number | null; noOpenCounter: boolean }>(`/api/tickets/${followed}`)).body;
    expect(atBranch).toMatchObject({ position: 5, estimatedWaitMinutes: null, noOpenCounter: true });
    expect(v.estimatedWaitMinutes).toBe(atBranch.estimatedWaitMinutes);
  });

  it('refuses bad subscriptions with clear errors and accepts a push subscription once', async () => {
    const api = w.central.api;
    const bad = async (body: unknown, ticket = followed) => (await api.post<{ error: { code: string; message: string } }>(`/api/track/${ticket}/subscriptions`, body));
    let r = await bad({ channel: 'sms', address: '+33 6 12 34 56 78' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_PHONE', message: expect.stringContaining('+221 followed by 9 digits') });
    r = await bad({ channel: 'email', address: 'awa@' });
    expect(r.body.error).toMatchObject({ code: 'INVALID_EMAIL', message: expect.stringContaining('not a valid e-mail address') });
    r = await bad({ channel: 'push', subscription: { endpoint: 'https://attacker.example.com/x', keys: { p256dh: 'a', auth: 'b' } } });
    expect(r.body.error.code).toBe('INVALID_PUSH_SUBSCRIPTION');
    r = await bad({ channel: 'fax', address: '1' });
    expect(r.status).toBe(400);
    r = await bad({ channel: 'sms', address: '771234567' }, 'no-such-ticket');
    expect(r.status).toBe(404);

    const sub = w.push.subscribe();
    pushId = sub.id;
    const first = await api.post<{ created: boolean }>(`/api/track/${followed}/subscriptions`, { channel: 'push', subscription: sub.json, language: 'en' });
    expect(first.status).toBe(201);
    const again = await api.post<{ created: boolean }>(`/api/track/${followed}/subscriptions`, { channel: 'push', subscription: sub.json, language: 'en' });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
  });

  it('tells the visitor once when the position reaches N, and once when called, on every channel', async () => {
    const socket = await trackSocket(w.central.url);
    const positions: Array<number | null> = [];
    socket.on('track:update', (v) => positions.push(v.position));
    const joined = await new Promise<TrackView>((resolve, reject) => socket.emit('track:join', { ticketId: followed }, (res) => (res.ok ? resolve(res.data) : reject(new Error(res.error.message)))));
    expect(joined.position).toBe(5);

    const counter = await w.openCounter('awa', 2); // counter 2 serves A only
    for (let i = 0; i < 3; i++) expect(await w.serveNext('awa', counter)).toBe(tickets[i]);
    // Position 2 = N: "your turn is near" on SMS and e-mail (Wolof, the ticket's language) and push (English, chosen on the page).
    await waitFor('turn-near SMS', () => w.sms.messages.some((m) => m.to === '+221771234567'));
    await waitFor('turn-near e-mail', () => w.sink.to('awa.diop@example.sn').length > 0);
    await waitFor('turn-near push', () => w.push.for(pushId).length > 0);
    expect(w.sms.messages.filter((m) => m.to === '+221771234567').map((m) => m.message)).toEqual([
      'Tike A-005: sa tour jege na, 1 nit rekk ñoo la jiitu. Dellusil ca Agence Plateau.',
    ]);
    const [mail] = w.sink.to('awa.diop@example.sn');
    expect(mail?.subject).toBe('Sa tour jege na – tike A-005');
    expect(mail?.text).toContain(`Toppal sa tike: ${PUBLIC_URL}/t/${followed}`);
    const pushed = JSON.parse(w.push.for(pushId)[0]?.payload ?? '{}') as { title: string; url: string };
    expect(pushed.title).toBe('Your turn is near');
    expect(pushed.url).toBe(`${PUBLIC_URL}/t/${followed}`);

    expect(await w.serveNext('awa', counter)).toBe(tickets[3]);
    // Next in line: the page hears it before the call.
    await waitFor('live position 1', () => positions.includes(1));
    expect(await w.callNext('awa', counter)).toBe(followed);
    await waitFor('called SMS', () => w.sms.messages.filter((m) => m.to === '+221771234567').length === 2);
    await waitFor('called e-mail', () => w.sink.to('awa.diop@example.sn').length === 2);
    await waitFor('called push', () => w.push.for(pushId).length === 2);
    expect(w.sms.messages.filter((m) => m.to === '+221771234567')[1]?.message).toMatch(/^Tike A-005: yaw lañuy woo/);
    expect(JSON.parse(w.push.for(pushId)[1]?.payload ?? '{}')).toMatchObject({ title: "It's your turn!", kind: 'called' });
    const called = await waitForView(w, followed, 'called at central', (v) => v.status === 'called');
    expect(called.position).toBeNull();

    // The page's socket saw the position fall.
    await waitFor('live update of the call', () => positions.includes(null));
    const seen = positions.filter((p): p is number => p !== null);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(seen.at(-1)).toBe(1);
    socket.disconnect();
  });

  it('sends nothing twice when events are read again, and logs every delivery', async () => {
    // Read the branch's whole history again (as after a crash before the cursor was saved).
    await w.central.server.tracking.db.updateTable('tracking_cursor').set({ last_seq: 0 }).execute();
    await w.central.server.tracking.projector.runOnce();
    await w.central.server.tracking.worker.round();
    expect(w.sms.messages.filter((m) => m.to === '+221771234567')).toHaveLength(2);
    expect(w.sink.to('awa.diop@example.sn')).toHaveLength(2);
    expect(w.push.for(pushId)).toHaveLength(2);
    await settledDeliveries(w, followed);
    const log = await w.central.admin<Array<{ eventKey: string; channel: string; status: string; language: string }>>('GET', `/api/central/notifications?ticketId=${followed}`);
    expect(log.status).toBe(200);
    expect(log.body.map((d) => `${d.eventKey.split(':')[0]} ${d.channel} ${d.language} ${d.status}`).sort()).toEqual([
      'called email wo sent', 'called push en sent', 'called sms wo sent',
      'turn_near email wo sent', 'turn_near push en sent', 'turn_near sms wo sent',
    ]);
    expect((await w.central.api.get('/api/central/notifications')).status).toBe(401);
  });

  it('refuses subscriptions to a finished ticket', async () => {
    const token = await w.branch.login('awa');
    await w.branch.api.post(`/api/tickets/${followed}/start`, {}, token);
    await w.branch.api.post(`/api/tickets/${followed}/complete`, {}, token);
    await waitForView(w, followed, 'served at central', (v) => v.status === 'served');
    const r = await w.central.api.post<{ error: { code: string } }>(`/api/track/${followed}/subscriptions`, { channel: 'sms', address: '771234567' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('TICKET_FINISHED');
  });

  it('forgets a push subscription the browser dropped, and keeps a phone number whose message was refused', async () => {
    const sub = w.push.subscribe();
    w.push.unsubscribe(sub.id); // the browser dropped it: the push service answers 410
    w.sms.failNext(1, 400); // the SMS API refuses that one message
    const ticket = await issue(w, { phone: '77 999 00 11', language: 'fr' });
    await waitForView(w, ticket, 'the new ticket at central', (v) => v.position === 1);
    expect((await w.central.api.post(`/api/track/${ticket}/subscriptions`, { channel: 'push', subscription: sub.json })).status).toBe(201);
    // Next in line (N = 2): "your turn is near" fails for good on both channels.
    const failed = await waitFor('both refusals in the log', async () => {
      const log = await settledDeliveries(w, ticket);
      return log.length === 2 ? log : undefined;
    });
    expect(failed.map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([['push', 'failed', 1], ['sms', 'failed', 1]]);
    const subs = await w.central.server.tracking.db.selectFrom('tracking_subscriptions').select(['channel', 'revoked_at']).where('ticket_id', '=', ticket).orderBy('channel').execute();
    expect(subs.map((r) => [r.channel, r.revoked_at !== null])).toEqual([['push', true], ['sms', false]]);
    // The call still reaches the phone number; nothing is queued for the dropped subscription.
    expect(await w.callNext('awa', (await w.branch.counter(2)).id)).toBe(ticket);
    await waitFor('the call by SMS', () => w.sms.messages.some((m) => m.to === '+221779990011'));
    expect((await settledDeliveries(w, ticket)).filter((d) => d.kind === 'called').map((d) => `${d.channel} ${d.status}`)).toEqual(['sms sent']);
  });
});
