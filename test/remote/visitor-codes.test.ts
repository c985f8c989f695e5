// One-time codes for visitors (issue 18, visitor web site) against a real central on SQLite and PostgreSQL, with the
// Orange SMS simulator and an SMTP sink as the outside providers: the code goes through the delivery log, only its
// hash is stored, wrong tries are counted and spend the code, it expires after 10 minutes, codes are limited per
// phone or address and per network address, and a token stands for its own phone only. Without an SMS channel the
// site is told so and no SMS code is promised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorCodeChannels, VisitorCodeSent, VisitorToken } from '../../server/src/shared/contracts/visitor.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { listDeliveries } from '../../server/src/central/notifications/delivery-log.js';
import { notificationDb } from '../../server/src/central/notifications/store.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';
import { startCentral, waitFor, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { codeFromSms, smsTracking } from '../support/visitor.js';
import { ShiftClock } from '../tracking/support.js';

const dialects = await centralDialects();
interface ErrorAnswer { error: { code: string; message: string; details?: { attemptsLeft?: number; retryAfterSeconds?: number; reason?: string } } }

describe.each(dialects)('visitor one-time codes (%s central)', (dialect) => {
  let central: TestCentral;
  let sms: OrangeSmsSimulator;
  let sink: SmtpSink;
  const clock = new ShiftClock();

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    sink = await new SmtpSink().start();
    const tracking = smsTracking(sms);
    central = await startCentral(dialect, {
      clock, tracking: { ...tracking, channels: { ...tracking.channels, email: { url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' } } },
      visitorCodes: { perAddressPerHour: 12 },
    });
  });
  afterAll(async () => {
    await central?.destroy();
    await sms?.close();
    await sink?.close();
  });

  const ask = (body: Record<string, unknown>) => central.api.post<VisitorCodeSent & ErrorAnswer>('/api/public/visitor-codes', body);
  const check = (codeId: string, code: string) => central.api.post<VisitorToken & ErrorAnswer>(`/api/public/visitor-codes/${codeId}/verify`, { code });

  it('sends a code by SMS through the delivery log, keeps only its hash, and gives a token of that phone', async () => {
    expect((await central.api.get<VisitorCodeChannels>('/api/public/visitor-codes/channels')).body).toEqual({ sms: true, email: true });
    const before = sms.messages.length;
    const sent = await ask({ phone: '77 123 45 67', language: 'wo' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ channel: 'sms', sentTo: '+221 77 ••• •• 67', attempts: 5 });
    expect(Date.parse(sent.body.expiresAt) - clock.now().getTime()).toBeGreaterThan(9 * 60_000);
    const code = await codeFromSms(sms, '+221771234567', before);
    expect(sms.messages.at(-1)?.message).toContain('Bul ko jox kenn');
    // In the delivery log like every message, in the visitor's language.
    const log = await listDeliveries(notificationDb(central.server.tracking.db), { refId: sent.body.codeId });
    expect(log.map((d) => [d.kind, d.channel, d.recipient.address, d.message.language])).toEqual([['visitor_code', 'sms', '+221771234567', 'wo']]);
    await waitFor('sent', async () => (await listDeliveries(notificationDb(central.server.tracking.db), { refId: sent.body.codeId }))[0]?.status === 'sent');
    // Only a hash in central's table.
    const row = await central.server.db.selectFrom('visitor_codes' as never).selectAll().where('id' as never, '=', sent.body.codeId as never).executeTakeFirstOrThrow() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(code);

    const ok = await check(sent.body.codeId, code);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ phone: '+221771234567', email: null });
    expect(ok.body.token).toMatch(/^sqv_/);
    expect(JSON.stringify(await central.server.db.selectFrom('visitor_codes' as never).selectAll().execute())).not.toContain(ok.body.token);
    // A code is used once.
    expect((await check(sent.body.codeId, code)).body.error).toMatchObject({ code: 'CODE_EXPIRED', details: { reason: 'used' } });
  });

  it('counts wrong tries and spends the code after five; a code expires after ten minutes', async () => {
    const before = sms.messages.length;
    const sent = await ask({ phone: '+221770000101' });
    const code = await codeFromSms(sms, '+221770000101', before);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const r = await check(sent.body.codeId, wrong);
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'CODE_WRONG', details: { attemptsLeft: left } });
    }
    // details.reason says why, for the site's words ("too many wrong codes" apart from "expired").
    const fifth = await check(sent.body.codeId, wrong);
    expect(fifth.status).toBe(410);
    expect(fifth.body.error).toMatchObject({ code: 'CODE_EXPIRED', details: { reason: 'tries' } });
    // Spent: even the right code no longer works.
    const spent = await check(sent.body.codeId, code);
    expect(spent.status).toBe(410);
    expect(spent.body.error).toMatchObject({ code: 'CODE_EXPIRED', details: { reason: 'tries' } });

    const n = sms.messages.length;
    const late = await ask({ phone: '+221770000102' });
    const lateCode = await codeFromSms(sms, '+221770000102', n);
    clock.jump(10 * 60 + 1);
    expect((await check(late.body.codeId, lateCode)).body.error).toMatchObject({ code: 'CODE_EXPIRED', details: { reason: 'expired' } });
    expect((await check('no-such-code', '123456')).status).toBe(404);
    expect((await check(late.body.codeId, '12ab')).status).toBe(400);
  });

  it('limits codes per phone and per network address, and sends e-mail codes to an address', async () => {
    clock.jump(3600);
    for (let i = 0; i < 3; i++) expect((await ask({ phone: '+221770000103' })).status).toBe(201);
    const fourth = await ask({ phone: '+221770000103' });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('RATE_LIMITED');
    // Another phone from the same address is still fine, until the address's hourly count (12) is reached.
    const mails = sink.messages.length;
    const byMail = await ask({ email: 'Awa.Diop@Example.sn', language: 'en' });
    expect(byMail.status).toBe(201);
    expect(byMail.body).toMatchObject({ channel: 'email', sentTo: 'a•••@example.sn' });
    const mail = await waitFor('the code by e-mail', () => sink.messages.slice(mails).find((m) => m.to.includes('awa.diop@example.sn')));
    const mailCode = mail.text.match(/\b(\d{6})\b/)?.[1] as string;
    expect(mail.subject).toContain(mailCode);
    const token = await check(byMail.body.codeId, mailCode);
    expect(token.body).toMatchObject({ phone: null, email: 'awa.diop@example.sn' });
    // An e-mail token is no phone's: a web join with it is refused.
    const join = await central.api.post<ErrorAnswer>('/api/remote/joins', {
      branchId: 'any', serviceId: 'any', name: 'Awa', phone: '+221770000104', idempotencyKey: 'key-of-a-join-0001', visitorToken: token.body.token,
    });
    expect(join.status).toBe(403);
    // The same for a booking that carries a token (the visitor site sends the confirmed phone's), before anything is booked.
    const booking = await central.api.post<ErrorAnswer>('/api/public/bookings', {
      branchId: 'any', serviceId: 'any', startsAt: '2026-12-22T09:00:00Z', name: 'Awa', phone: '+221770000104', visitorToken: token.body.token,
    });
    expect(booking.status).toBe(403);
    expect(booking.body.error.code).toBe('VISITOR_CONTACT_MISMATCH');
    // "My tickets" needs a phone's token: an e-mail's is refused, a made-up one too, a phone's lists (none here).
    expect((await central.api.post<ErrorAnswer>('/api/public/my-tickets', { visitorToken: token.body.token })).status).toBe(403);
    expect((await central.api.post<ErrorAnswer>('/api/public/my-tickets', { visitorToken: 'sqv_made-up-token-000000000000' })).status).toBe(401);
    let status = 201;
    for (let i = 0; i < 12 && status === 201; i++) status = (await ask({ phone: `+2217700002${String(10 + i)}` })).status;
    expect(status).toBe(429);
    // Neither a phone and an e-mail at once, nor none.
    expect((await ask({ phone: '+221770000105', email: 'a@example.sn' })).status).toBe(400);
    expect((await ask({})).status).toBe(400);
  });
});

describe('visitor codes without an SMS channel', () => {
  it('says SMS is off and sends no SMS code', async () => {
    const sink = await new SmtpSink().start();
    const central = await startCentral('sqlite', { tracking: { channels: { email: { url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' } } } });
    try {
      expect((await central.api.get<VisitorCodeChannels>('/api/public/visitor-codes/channels')).body).toEqual({ sms: false, email: true });
      const r = await central.api.post<ErrorAnswer>('/api/public/visitor-codes', { phone: '+221771234567' });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('CHANNEL_OFF');
      expect(await central.server.db.selectFrom('visitor_codes' as never).selectAll().execute()).toHaveLength(0);
    } finally {
      await central.destroy();
      await sink.close();
    }
  });
});
