// Booking confirmations and reminders, end to end: a real branch offers appointments and syncs to a real central
// (SQLite, and PostgreSQL when reachable) whose notification channels point at a real SMTP server and the Orange SMS
// simulator. A visitor books through central's public API and gets the confirmation in their language; when the
// reminder is due (a day before) it goes once, even with two central instances looking for due reminders; a move
// confirms the new time and reminds again for it; a cancelled booking gets no reminder; bad contacts are refused
// before anything is stored or sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingCreated, PublicServiceView } from '../../server/src/shared/contracts/appointments.js';
import type { CentralServer } from '../../server/src/central/create-central-server.js';
import { appointmentsDb } from '../../server/src/central/booking/booking.service.js';
import { notificationDb } from '../../server/src/central/notifications/store.js';
import { TestClock } from '../support/clock.js';
import { centralDialects } from '../support/postgres.js';
import { waitFor } from '../support/central.js';
import { isVisitorCodeText, Visitors } from '../support/visitor.js';
import { issue, settledDeliveries, startTrackingWorld, waitForView, type TrackingWorld } from './support.js';

const dialects = await centralDialects();

describe.each(dialects)('booking confirmations and reminders on %s', (dialect) => {
  const clock = new TestClock('2026-12-22T08:00:00Z'); // Tuesday 08:00 in Dakar (UTC+0)
  let w: TrackingWorld;
  /** A second instance on the same database (PostgreSQL only: with SQLite central runs as one instance). */
  let second: CentralServer | null = null;
  let service: PublicServiceView;
  let booking: BookingCreated['booking'];
  const phone = '+221775554433';
  const email = 'aida.mbaye@example.sn';
  let visitors: Visitors;
  // The visitor codes that confirm the contacts first (issue 18) are not the booking's messages counted here.
  const smsTo = (to: string) => w.sms.messages.filter((m) => m.to === to && !isVisitorCodeText(m.message)).map((m) => m.message);
  const mailsTo = (to: string) => w.sink.to(to).filter((m) => !isVisitorCodeText(m.subject));
  const book = async (body: Record<string, unknown>) => w.central.api.post<BookingCreated & { error: { code: string; message: string } }>('/api/public/bookings', {
    branchId: w.branch.server.branchId, serviceId: w.serviceA, name: 'Aïda Mbaye', visitorToken: await visitors.forContact(body), ...body,
  });

  beforeAll(async () => {
    w = await startTrackingWorld(dialect, { clock, branchClock: true, staleAfterSeconds: 600 });
    visitors = new Visitors(w.central.api, w.sms, w.sink, clock);
    const admin = await w.branch.login('admin');
    const r = await w.branch.api.request('PUT', `/api/admin/appointments/services/${w.serviceA}`, { token: admin, body: { enabled: true, minLeadMinutes: 0 } });
    expect(r.status).toBe(200);
    service = await waitFor('central to offer the service', async () => {
      const list = (await w.central.api.get<PublicServiceView[]>(`/api/public/branches/${w.branch.server.branchId}/services`)).body;
      return list.find((s) => s.id === w.serviceA);
    });
  });
  afterAll(async () => {
    await second?.close();
    await w?.close();
  });

  it('names the service on the tracking page as the branch named it for appointments', async () => {
    const ticket = await issue(w);
    const v = await waitForView(w, ticket, 'the ticket at central', (x) => x.serviceName !== null);
    expect(v.serviceName).toEqual(service.name);
  });

  it('refuses a bad phone number or e-mail address before storing or sending anything', async () => {
    let r = await book({ startsAt: '2026-12-23T09:00:00.000Z', phone: '+33 6 12 34 56 78', language: 'wo' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('+221 followed by 9 digits') });
    r = await book({ startsAt: '2026-12-23T09:00:00.000Z', email: 'aida@', language: 'wo' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_ERROR');
    expect(await appointmentsDb(w.central.server.central).selectFrom('bookings').select('id').execute()).toEqual([]);
    expect(await notificationDb(w.central.server.db).selectFrom('notification_deliveries').select('id').execute()).toEqual([]);
  });

  it('confirms a booking by SMS and e-mail, in the visitor\'s language, once', async () => {
    const r = await book({ startsAt: '2026-12-23T09:00:00.000Z', phone: '77 555 44 33', email: 'Aida.Mbaye@example.sn', language: 'wo' });
    expect(r.status).toBe(201);
    booking = r.body.booking;
    await waitFor('the confirmation SMS', () => smsTo(phone).length === 1);
    await waitFor('the confirmation e-mail', () => mailsTo(email).length === 1);
    expect(smsTo(phone)).toEqual([`Dëggal nañu sa ndaje: ${service.name.wo}, Agence Plateau, Àllarba 23 Desàmbar ci 9:00. Code ${booking.displayCode}.`]);
    const [mail] = mailsTo(email);
    expect(mail?.subject).toBe('Dëggal nañu sa ndaje – Àllarba 23 Desàmbar ci 9:00');
    expect(mail?.text).toContain(`Sa code: ${booking.displayCode}.`);
    expect(mail?.headers['content-language']).toBe('wo');
    await w.central.server.tracking.worker.round();
    expect(smsTo(phone)).toHaveLength(1);
    // The reminder is due a day before.
    const row = await appointmentsDb(w.central.server.central).selectFrom('bookings').selectAll().where('code', '=', booking.code).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ reminder_due_at: '2026-12-22T09:00:00.000Z', reminder_sent_at: null });
  });

  it(`reminds once when the reminder is due${dialect === 'postgres' ? ', with two central instances looking' : ''}`, async () => {
    if (dialect === 'postgres') second = await w.central.another();
    const instances = [w.central.server, ...(second ? [second] : [])];
    clock.set('2026-12-22T08:59:00Z');
    expect(await w.central.server.bookingNotices.sendDueReminders()).toBe(0);
    clock.set('2026-12-22T09:00:30Z');
    const claimed = await Promise.all(instances.map((i) => i.bookingNotices.sendDueReminders()));
    // The instances' timers run too: whoever claimed it, it was claimed once.
    expect(claimed.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(1);
    await waitFor('the reminder SMS', () => smsTo(phone).length === 2);
    await waitFor('the reminder e-mail', () => mailsTo(email).length === 2);
    expect(smsTo(phone)[1]).toBe(`Bul fàtte sa ndaje: ${service.name.wo}, Agence Plateau, Àllarba 23 Desàmbar ci 9:00. Code ${booking.displayCode}.`);
    for (const i of instances) await i.bookingNotices.sendDueReminders();
    await w.central.server.tracking.worker.round();
    expect(smsTo(phone)).toHaveLength(2);
    expect(mailsTo(email)).toHaveLength(2);
    const row = await appointmentsDb(w.central.server.central).selectFrom('bookings').selectAll().where('code', '=', booking.code).executeTakeFirstOrThrow();
    expect(row.reminder_sent_at).toBe('2026-12-22T09:00:30.000Z');
  });

  it('confirms a move and reminds again for the new time; a cancelled booking gets no reminder', async () => {
    const moved = await w.central.api.post<BookingCreated>(`/api/public/bookings/${booking.code}/move`, { startsAt: '2026-12-23T10:00:00.000Z', visitorToken: await visitors.token(phone) });
    expect(moved.status).toBe(200);
    await waitFor('the confirmation of the new time', () => smsTo(phone).length === 3);
    expect(smsTo(phone)[2]).toContain('Àllarba 23 Desàmbar ci 10:00');

    // Another visitor, in English, by e-mail only, cancels.
    const other = await book({ startsAt: '2026-12-23T11:00:00.000Z', email: 'john@example.sn', language: 'en' });
    expect(other.status).toBe(201);
    await waitFor('the English confirmation', () => mailsTo('john@example.sn').length === 1);
    expect(mailsTo('john@example.sn')[0]?.subject).toBe('Appointment confirmed – Wednesday 23 December at 11:00');
    expect((await w.central.api.post(`/api/public/bookings/${other.body.booking.code}/cancel`, { visitorToken: await visitors.emailToken('john@example.sn') })).status).toBe(200);

    clock.set('2026-12-22T11:00:30Z');
    await waitFor('the reminder of the new time', () => smsTo(phone).length === 4);
    await waitFor('the reminder e-mail of the new time', () => mailsTo(email).length === 4);
    expect(smsTo(phone)[3]).toContain('Àllarba 23 Desàmbar ci 10:00');
    await w.central.server.bookingNotices.sendDueReminders();
    await w.central.server.tracking.worker.round();
    expect(smsTo(phone)).toHaveLength(4);
    expect(mailsTo('john@example.sn')).toHaveLength(1);
    const id = (await appointmentsDb(w.central.server.central).selectFrom('bookings').select('id').where('code', '=', booking.code).executeTakeFirstOrThrow()).id;
    const log = await settledDeliveries(w, id);
    expect(mailsTo(email)).toHaveLength(4);
    expect(log.map((d) => `${d.kind} ${d.channel} ${d.status}`).sort()).toEqual([
      'booking_confirmation email sent', 'booking_confirmation email sent', 'booking_confirmation sms sent', 'booking_confirmation sms sent',
      'booking_reminder email sent', 'booking_reminder email sent', 'booking_reminder sms sent', 'booking_reminder sms sent',
    ]);
  });
});
