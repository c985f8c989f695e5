// Notifications when the branch's link to central misbehaves, with a real branch pushing through a fault proxy to a
// real central (SQLite, and PostgreSQL when reachable): no "your turn is near" from stale data (it waits for the
// link to come back, then goes once), no "it's your turn" for a call central learns of long after it happened,
// duplicated and replayed pushes send nothing twice, and a failing SMS provider and SMTP server are retried with
// backoff until each message is sent, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralDialects } from '../support/postgres.js';
import { waitFor } from '../support/central.js';
import type { TrackView } from '../../server/src/shared/contracts/tracking.js';
import { issue, settledDeliveries, ShiftClock, trackSocket, startTrackingWorld, waitForView, type TrackingWorld } from './support.js';

const dialects = await centralDialects();

describe.each(dialects)('notifications over a faulty link on %s', (dialect) => {
  const clock = new ShiftClock();
  let w: TrackingWorld;
  const ahead: string[] = [];
  let followed = '';
  let counter = '';
  let late = '';
  const phone = '+221770000001';
  const smsTo = (to: string) => w.sms.messages.filter((m) => m.to === to);
  const log = (ticketId: string) => settledDeliveries(w, ticketId);
  /** Everything central can do right now, done: read what arrived, decide, send what is due. */
  const settle = async () => {
    await w.central.server.tracking.projector.runOnce();
    await w.central.server.tracking.worker.round();
  };

  beforeAll(async () => {
    w = await startTrackingWorld(dialect, {
      // Time passes at the branch and at central alike (jumps included); only the link fails.
      viaProxy: true, clock, branchClock: true, staleAfterSeconds: 30,
      // A call central hears of more than a minute late is not announced.
      tracking: { calledMaxAgeSeconds: 60 },
    });
    // "Your turn is near" when next in line, to begin with.
    const r = await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, { services: [{ serviceId: w.serviceA, notifyAtPosition: 1 }] });
    expect(r.status).toBe(200);
    for (let i = 0; i < 2; i++) ahead.push(await issue(w));
    followed = await issue(w, { phone: '77 000 00 01', language: 'en' });
    await waitForView(w, followed, 'the followed ticket, fresh', (v) => v.position === 3 && !v.freshness.stale);
    counter = await w.openCounter('awa', 1);
  });
  afterAll(async () => { await w?.close(); });

  it('sends no "your turn is near" from stale data, and sends it once when the link is back', async () => {
    // A page following the ticket hears the data turn stale as soon as it is past the threshold.
    const socket = await trackSocket(w.central.url);
    const updates: TrackView[] = [];
    socket.on('track:update', (v) => updates.push(v));
    await new Promise((resolve) => socket.emit('track:join', { ticketId: followed }, resolve));
    w.proxy?.setDown(true);
    // A push on its way when the link went down lands first (else it would look fresh after the jump).
    await w.proxy?.settled();
    clock.jump(29.9);
    const update = await waitFor('a stale update on the socket', () => updates.find((v) => v.freshness.stale));
    expect(update.freshness).toMatchObject({ stale: true, reason: 'link_down' });
    expect(update.position).toBe(3);
    socket.disconnect();
    clock.jump(90);
    await waitForView(w, followed, 'stale at central', (v) => v.freshness.stale && v.freshness.reason === 'link_down');
    // The head office raises N to 3 while the branch is unreachable: central's picture says 3,
    // but that picture is two minutes old.
    const r = await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, { services: [{ serviceId: w.serviceA, notifyAtPosition: 3 }] });
    expect(r.status).toBe(200);
    const sub = await w.central.api.post(`/api/track/${followed}/subscriptions`, { channel: 'email', address: 'fatou@example.sn', language: 'fr' });
    expect(sub.status).toBe(201);
    await settle();
    expect(smsTo(phone)).toEqual([]);
    expect(w.sink.to('fatou@example.sn')).toEqual([]);
    expect(await log(followed)).toEqual([]);

    w.proxy?.heal();
    await waitFor('"your turn is near" by SMS', () => smsTo(phone).length === 1);
    await waitFor('"your turn is near" by e-mail', () => w.sink.to('fatou@example.sn').length === 1);
    expect(smsTo(phone)[0]?.message).toBe('Ticket A-003: your turn is near (number 3 in line). Please come back to Agence Plateau.');
    expect(w.sink.to('fatou@example.sn')[0]?.subject).toBe('Votre tour approche – ticket A-003');
    await settle();
    expect(smsTo(phone)).toHaveLength(1);
  });

  it('sends nothing twice when pushes are duplicated and replayed out of order', async () => {
    // Every request of the branch is now sent twice, or sent again later after newer ones.
    w.proxy?.setRandom({ duplicate: 0.5, 'replay-later': 0.5 }, 7);
    for (const id of ahead) expect(await w.serveNext('awa', counter)).toBe(id);
    expect(await w.callNext('awa', counter)).toBe(followed);
    await waitFor('"it\'s your turn" by SMS', () => smsTo(phone).length === 2);
    await waitFor('"it\'s your turn" by e-mail', () => w.sink.to('fatou@example.sn').length === 2);
    expect(smsTo(phone)[1]?.message).toBe("Ticket A-003: it's your turn, counter 1 (Agence Plateau).");
    // Everything is read again from the start (a crash before the cursor was saved).
    w.proxy?.setRandom({});
    await w.central.server.tracking.db.updateTable('tracking_cursor').set({ last_seq: 0 }).execute();
    await settle();
    expect(smsTo(phone)).toHaveLength(2);
    expect(w.sink.to('fatou@example.sn')).toHaveLength(2);
    expect((await log(followed)).map((d) => `${d.kind} ${d.channel} ${d.status}`).sort()).toEqual([
      'called email sent', 'called sms sent', 'turn_near email sent', 'turn_near sms sent',
    ]);
    expect((w.proxy?.stats.duplicate ?? 0) + (w.proxy?.stats['replay-later'] ?? 0)).toBeGreaterThan(0);
  });

  it('does not announce a call central learns of long after it happened', async () => {
    late = await issue(w, { phone: '77 000 00 02', language: 'fr' });
    await waitForView(w, late, 'the next ticket at central', (v) => v.position === 1 && !v.freshness.stale);
    // Next in line, N = 3: "your turn is near" goes out.
    await waitFor('"your turn is near" for the next ticket', () => smsTo('+221770000002').length === 1);
    const token = await w.branch.login('awa');
    for (const step of ['start', 'complete']) expect((await w.branch.api.post(`/api/tickets/${followed}/${step}`, {}, token)).status).toBe(200);
    w.proxy?.setDown(true);
    await w.proxy?.settled();
    expect(await w.callNext('awa', counter)).toBe(late);
    clock.jump(120);
    w.proxy?.heal();
    await waitForView(w, late, 'the late call at central', (v) => v.status === 'called' && v.counterNumber === 1);
    await settle();
    // "It's your turn" is not sent: old news.
    expect(smsTo('+221770000002').map((m) => m.message)).toEqual(['Ticket A-004 : vous êtes le prochain. Revenez à Agence Plateau.']);
    expect((await log(late)).map((d) => d.kind)).toEqual(['turn_near']);
  });

  it('retries a failing SMS provider and SMTP server with backoff, and sends each message once', async () => {
    const token = await w.branch.login('awa');
    for (const step of ['start', 'complete']) expect((await w.branch.api.post(`/api/tickets/${late}/${step}`, {}, token)).status).toBe(200);
    const next = await issue(w, { phone: '77 000 00 03', email: 'moussa@example.sn', language: 'wo' });
    // Next in line (N is 3): "your turn is near" goes out first, in Wolof.
    await waitFor('"your turn is near" by SMS', () => smsTo('+221770000003').length === 1);
    await waitFor('"your turn is near" by e-mail', () => w.sink.to('moussa@example.sn').length === 1);
    // Now the providers fail: the SMS API twice (an outage), the SMTP server once (451, try later).
    w.sms.failNext(2, 503);
    w.sink.refuseNext(1, 451);
    expect(await w.callNext('awa', counter)).toBe(next);
    await waitFor('the call by SMS, after two failures', () => smsTo('+221770000003').length === 2);
    await waitFor('the call by e-mail, after one refusal', () => w.sink.to('moussa@example.sn').length === 2);
    await settle();
    expect(smsTo('+221770000003').map((m) => m.message)).toEqual([
      'Tike A-005: yaa ngi topp. Dellusil ca Agence Plateau.',
      'Tike A-005: yaw lañuy woo, demal ca guichet 1 (Agence Plateau).',
    ]);
    expect(w.sink.to('moussa@example.sn').map((m) => m.subject)).toEqual(['Sa tour jege na – tike A-005', 'Tike A-005: yaw lañuy woo']);
    const called = (await log(next)).filter((d) => d.kind === 'called');
    expect(called.map((d) => [d.channel, d.status, d.attempts, d.message.language]).sort()).toEqual([['email', 'sent', 2, 'wo'], ['sms', 'sent', 3, 'wo']]);
    expect(called.find((d) => d.channel === 'sms')?.lastError).toMatch(/503/);
    expect(called.find((d) => d.channel === 'email')?.lastError).toMatch(/451|Try again later/);
  });
});
