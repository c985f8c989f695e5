// Appointments at the branch, through its real HTTP API and SQLite file: admin settings and closures (pushed to the
// outbox for central), bookings arriving through the feed (the sync module's own apply function), kiosk check-in
// with its clear errors, the no-show sweeper, and the call-next rule for appointments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, TicketView } from '../../server/src/shared/contracts/api.js';
import type { BookingFeedPayload, BookingView, CheckInResult, HolidayOverrideView, HolidayView, ServiceAppointmentsView } from '../../server/src/shared/contracts/appointments.js';
import type { FeedChange } from '../../server/src/shared/contracts/sync.js';
import { bookingCodeFromValues, formatBookingCode } from '../../server/src/shared/domain/booking-code.js';
import { applyFeedPage } from '../../server/src/branch/sync/feed-apply.js';
import { syncDb } from '../../server/src/branch/sync/sync.repository.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { TestClock } from '../support/clock.js';

type ErrorShape = { error: { code: string; message: string; details?: unknown } };

const WEEKDAYS_9_TO_15 = {
  1: [{ open: '09:00', close: '15:00' }], 2: [{ open: '09:00', close: '15:00' }], 3: [{ open: '09:00', close: '15:00' }],
  4: [{ open: '09:00', close: '15:00' }], 5: [{ open: '09:00', close: '15:00' }], 6: [], 7: [],
};

let feedVersion = 0;
let codeSeed = 0;
function newCode(): string {
  codeSeed++;
  return bookingCodeFromValues([codeSeed % 32, (codeSeed >> 5) % 32, 3, 1, 4, 1, 5]);
}

describe('appointments at the branch', () => {
  let b: TestBranch;
  let admin: string;
  let kiosk: string;
  let awa: string;
  let serviceA: string;
  let serviceB: string;
  const clock = new TestClock('2026-11-24T08:00:00Z'); // Tuesday; Dakar is UTC+0 all year

  const outbox = (type: string) => {
    const store = b.server.services.ctx.store;
    return store.all(store.db.selectFrom('outbox').selectAll().where('event_type', '=', type).orderBy('seq'));
  };

  /** Central sends a booking down the feed: applied by the sync module's own function, as its puller does. */
  function feed(booking: Partial<BookingFeedPayload> & { serviceId: string; startsAt: string }): BookingFeedPayload {
    const p: BookingFeedPayload = {
      id: booking.id ?? crypto.randomUUID(), code: booking.code ?? newCode(), serviceId: booking.serviceId, startsAt: booking.startsAt,
      endsAt: booking.endsAt ?? new Date(Date.parse(booking.startsAt) + 15 * 60_000).toISOString(), name: booking.name ?? 'Aïssatou Ba',
      phone: booking.phone ?? '+221771234567', email: booking.email ?? null, language: booking.language ?? 'fr', status: booking.status ?? 'booked',
      reminderDueAt: null, version: booking.version ?? 1, createdAt: '2026-11-20T10:00:00.000Z', updatedAt: booking.updatedAt ?? '2026-11-20T10:00:00.000Z',
    };
    const change: FeedChange = { version: ++feedVersion, entityType: 'booking', entityId: p.id, op: 'upsert', payload: p, createdAt: clock.now().toISOString() };
    applyFeedPage(b.server.services.ctx, syncDb(b.server.services.ctx.store), { changes: [change], cursor: feedVersion, hasMore: false });
    return p;
  }

  const checkIn = (code: string, token = kiosk) => b.api.post<CheckInResult & ErrorShape>('/api/appointments/check-in', { code }, token);

  beforeAll(async () => {
    b = await startBranch({ clock });
    admin = await b.login('admin');
    kiosk = await b.kioskToken();
    awa = await b.login('awa');
    serviceA = (await b.service('A')).id;
    serviceB = (await b.service('B')).id;
  });
  afterAll(async () => { await b.destroy(); });

  it('lets an admin set appointment settings per service, within the service\'s hours, and queues them for central', async () => {
    const list = await b.api.get<ServiceAppointmentsView[]>('/api/admin/appointments/services', admin);
    expect(list.status).toBe(200);
    expect(list.body.every((s) => !s.enabled)).toBe(true);
    expect(outbox('appointments.configured')).toHaveLength(0);

    const forbidden = await b.api.request('PUT', `/api/admin/appointments/services/${serviceA}`, { token: awa, body: { enabled: true } });
    expect(forbidden.status).toBe(403);
    // Service B opens 08:00–15:00: the default 09:00–17:00 would send visitors to a closed line.
    const outside = await b.api.request<ErrorShape>('PUT', `/api/admin/appointments/services/${serviceB}`, { token: admin, body: { enabled: true } });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/outside the opening hours of service B/);
    // The error names its field, for the form to show it there: the default hours are no range the admin typed.
    expect(outside.body.error.details).toEqual([expect.objectContaining({ path: ['openingHours'], code: 'outside_service_hours', weekday: 1, range: '09:00–17:00', serviceHours: '08:00–15:00' })]);
    const overlapping = await b.api.request<ErrorShape>('PUT', `/api/admin/appointments/services/${serviceB}`, {
      token: admin, body: { enabled: true, openingHours: { ...WEEKDAYS_9_TO_15, 1: [{ open: '09:00', close: '12:00' }, { open: '11:00', close: '13:00' }] } },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.error.details).toEqual([expect.objectContaining({ path: ['openingHours', 1, 1], code: 'range_overlap', weekday: 1 })]);
    // A typed range outside the service's hours (B closes at 15:00): that range, by its place among the day's.
    const late = await b.api.request<ErrorShape>('PUT', `/api/admin/appointments/services/${serviceB}`, {
      token: admin, body: { enabled: true, openingHours: { ...WEEKDAYS_9_TO_15, 3: [{ open: '09:00', close: '12:00' }, { open: '13:00', close: '16:00' }] } },
    });
    expect(late.status).toBe(400);
    expect(late.body.error.details).toEqual([expect.objectContaining({ path: ['openingHours', 3, 1], code: 'outside_service_hours', range: '13:00–16:00', serviceHours: '08:00–15:00' })]);
    const badSlot = await b.api.request<ErrorShape>('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, slotMinutes: 0 } });
    expect(badSlot.status).toBe(400);

    const a = await b.api.request<ServiceAppointmentsView>('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, slotMinutes: 30, capacity: 2 } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ serviceId: serviceA, enabled: true, slotMinutes: 30, capacity: 2, horizonWorkingDays: 15, earlyMinutes: 30, lateMinutes: 15, openingHours: null });
    const bOk = await b.api.request<ServiceAppointmentsView>('PUT', `/api/admin/appointments/services/${serviceB}`, { token: admin, body: { enabled: true, openingHours: WEEKDAYS_9_TO_15 } });
    expect(bOk.status).toBe(200);

    const facts = outbox('appointments.configured');
    expect(facts).toHaveLength(2);
    const last = JSON.parse((facts[1] as { payload: string }).payload) as { timeZone: string; services: Array<{ serviceId: string; slotMinutes: number; prefix: string }> };
    expect(last.timeZone).toBe('Africa/Dakar');
    expect(last.services.map((s) => [s.prefix, s.slotMinutes])).toEqual([['A', 30], ['B', 15]]);
    // The same settings again change nothing, and push nothing.
    await b.api.request('PUT', `/api/admin/appointments/services/${serviceB}`, { token: admin, body: { enabled: true, openingHours: WEEKDAYS_9_TO_15 } });
    expect(outbox('appointments.configured')).toHaveLength(2);
  });

  it('keeps branch closures and holiday corrections, and shows them with the public holidays', async () => {
    const closure = await b.api.post<HolidayOverrideView>('/api/admin/appointments/holiday-overrides', { kind: 'closure', date: '2026-12-01', label: 'Inventaire annuel' }, admin);
    expect(closure.status).toBe(201);
    expect(closure.body.label).toEqual({ fr: 'Inventaire annuel', wo: 'Inventaire annuel', en: 'Inventaire annuel' });
    const farMove = await b.api.post<ErrorShape>('/api/admin/appointments/holiday-overrides', { kind: 'move', key: 'tabaski', date: '2026-12-01' }, admin);
    expect(farMove.status).toBe(400);
    expect(farMove.body.error.message).toMatch(/no tabaski within 3 days/);
    const badDate = await b.api.post<ErrorShape>('/api/admin/appointments/holiday-overrides', { kind: 'closure', date: '2026-02-30', label: 'x' }, admin);
    expect(badDate.status).toBe(400);

    const holidays = await b.api.get<HolidayView[]>('/api/appointments/holidays?from=2026-11-01&to=2026-12-31');
    expect(holidays.status).toBe(200);
    expect(holidays.body.map((h) => [h.date, h.key])).toEqual(expect.arrayContaining([['2026-11-01', 'all_saints'], ['2026-12-01', 'closure'], ['2026-12-25', 'christmas']]));

    const config = outbox('appointments.configured');
    expect(JSON.parse((config[config.length - 1] as { payload: string }).payload).overrides).toEqual([{ kind: 'closure', date: '2026-12-01', label: { fr: 'Inventaire annuel', wo: 'Inventaire annuel', en: 'Inventaire annuel' } }]);
    const removed = await b.api.request('DELETE', `/api/admin/appointments/holiday-overrides/${closure.body.id}`, { token: admin });
    expect(removed.status).toBe(204);
    expect((await b.api.get<HolidayOverrideView[]>('/api/admin/appointments/holiday-overrides', admin)).body).toEqual([]);
    expect(outbox('appointments.configured')).toHaveLength(config.length + 1);
  });

  it('checks a booking in within its window: an appointment ticket, a booking.checked_in fact, and clear errors otherwise', async () => {
    clock.set('2026-11-24T09:00:00Z');
    const booking = feed({ serviceId: serviceA, startsAt: '2026-11-24T10:00:00.000Z' });

    const early = await checkIn(formatBookingCode(booking.code));
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CHECK_IN_TOO_EARLY');
    expect(early.body.error.message).toMatch(/come back at 09:30/);
    expect(early.body.error.details).toMatchObject({ opensAtLocalTime: '09:30', localTime: '10:00', sameDay: true });

    clock.set('2026-11-24T09:35:00Z');
    const ok = await checkIn(booking.code.toLowerCase());
    expect(ok.status).toBe(201);
    expect(ok.body.alreadyCheckedIn).toBe(false);
    expect(ok.body.ticket).toMatchObject({ serviceId: serviceA, queueType: 'appointment', status: 'waiting', channel: 'kiosk', phone: null });
    expect(ok.body.booking).toMatchObject({ code: booking.code, status: 'checked_in', ticketId: ok.body.ticket.id, localTime: '10:00', phone: null, email: null });

    // A second scan answers the same ticket (nothing new is printed or queued).
    const again = await checkIn(formatBookingCode(booking.code));
    expect(again.status).toBe(200);
    expect(again.body.alreadyCheckedIn).toBe(true);
    expect(again.body.ticket.id).toBe(ok.body.ticket.id);

    const facts = outbox('booking.checked_in');
    expect(facts).toHaveLength(1);
    expect(JSON.parse((facts[0] as { payload: string }).payload)).toMatchObject({ bookingId: booking.id, status: 'checked_in', ticketId: ok.body.ticket.id });

    // Central's later word cannot undo a visitor who is here.
    feed({ ...booking, status: 'cancelled', version: 2 });
    const held = await b.api.get<BookingView>(`/api/appointments/bookings/${booking.code}`, awa);
    expect(held.body.status).toBe('checked_in');
    expect(held.body.version).toBe(2);
  });

  it('answers unknown, mistyped, cancelled and missed bookings with distinct errors', async () => {
    clock.set('2026-11-24T09:40:00Z');
    const unknown = await checkIn(formatBookingCode(newCode()));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('BOOKING_NOT_FOUND');

    const real = feed({ serviceId: serviceA, startsAt: '2026-11-24T10:00:00.000Z' });
    const typo = real.code.slice(0, 3) + (real.code[3] === 'A' ? 'B' : 'A') + real.code.slice(4);
    const mistyped = await checkIn(typo);
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.message).toMatch(/typing mistake/);
    expect((await checkIn('HELLO')).status).toBe(400);

    const cancelled = feed({ serviceId: serviceA, startsAt: '2026-11-24T10:00:00.000Z', status: 'cancelled' });
    const c = await checkIn(cancelled.code);
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('BOOKING_CANCELLED');

    const missed = feed({ serviceId: serviceA, startsAt: '2026-11-24T09:00:00.000Z' });
    const m = await checkIn(missed.code);
    expect(m.status).toBe(409);
    expect(m.body.error.code).toBe('CHECK_IN_MISSED');
    expect(m.body.error.message).toMatch(/check-in closed at 09:15/);

    const tomorrow = feed({ serviceId: serviceA, startsAt: '2026-11-25T11:00:00.000Z' });
    const t = await checkIn(tomorrow.code);
    expect(t.status).toBe(409);
    expect(t.body.error.message).toMatch(/on 2026-11-25 from 10:30/);
    expect(t.body.error.details).toMatchObject({ sameDay: false, localDate: '2026-11-25' });

    // Who may check in: a kiosk or staff, never a display or an anonymous caller.
    expect((await b.api.post('/api/appointments/check-in', { code: real.code })).status).toBe(401);
    expect((await checkIn(real.code, await b.displayToken())).status).toBe(403);
    // Nothing of all that issued a ticket.
    expect(outbox('booking.checked_in')).toHaveLength(1);
  });

  it('marks bookings not checked in by the end of their window as no-shows, and tells central', async () => {
    clock.set('2026-11-24T11:00:00Z');
    const late = feed({ serviceId: serviceA, startsAt: '2026-11-24T10:30:00.000Z' });
    const future = feed({ serviceId: serviceA, startsAt: '2026-11-24T10:50:00.000Z' }); // window closes 11:05
    b.server.services.appointments.sweepNoShows();
    const day = (await b.api.get<BookingView[]>('/api/appointments/bookings?day=2026-11-24', awa)).body;
    expect(day.find((x) => x.id === late.id)?.status).toBe('no_show');
    expect(day.find((x) => x.id === future.id)?.status).toBe('booked');
    const noShows = outbox('booking.no_show').map((r) => JSON.parse((r as { payload: string }).payload) as { bookingId: string });
    expect(noShows.map((n) => n.bookingId)).toContain(late.id);
    expect(noShows.map((n) => n.bookingId)).not.toContain(future.id);
    const m = await checkIn(late.code);
    expect(m.body.error.code).toBe('CHECK_IN_MISSED');
  });

  it('calls a due appointment ahead of the walk-ins of its service, but not before its time', async () => {
    clock.set('2026-11-24T13:20:00Z');
    const walkIn = await b.api.issue(kiosk, { serviceId: serviceA });
    expect(walkIn.status).toBe(201);
    const booking = feed({ serviceId: serviceA, startsAt: '2026-11-24T14:00:00.000Z' });
    clock.set('2026-11-24T13:35:00Z');
    const appointment = (await checkIn(booking.code)).body.ticket;
    expect(appointment.queueType).toBe('appointment');
    clock.set('2026-11-24T13:50:00Z');
    const walkIn2 = await b.api.issue(kiosk, { serviceId: serviceA });

    // Counter 2 serves A only. At 13:56 (due from 13:55) the appointment goes first, then the walk-ins in order.
    const counter2 = (await b.counter(2)).id;
    clock.set('2026-11-24T13:56:00Z');
    const order: string[] = [];
    // Tickets of earlier tests may wait too (and go first: they have waited for hours); only these three matter.
    const mine = [walkIn.body.id, appointment.id, walkIn2.body.id];
    for (let i = 0; i < 10 && mine.some((id) => !order.includes(id)); i++) {
      const call = await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, {}, awa);
      expect(call.status).toBe(200);
      const t = call.body.ticket as TicketView;
      order.push(t.id);
      expect((await b.api.post(`/api/tickets/${t.id}/start`, {}, awa)).status).toBe(200);
      expect((await b.api.post(`/api/tickets/${t.id}/complete`, {}, awa)).status).toBe(200);
    }
    expect(order.filter((id) => mine.includes(id))).toEqual([appointment.id, walkIn.body.id, walkIn2.body.id]);
  });

  it('does not call an appointment checked in early before walk-ins who came first', async () => {
    const counter2 = (await b.counter(2)).id;
    clock.set('2026-11-24T14:20:00Z');
    const walkIn = await b.api.issue(kiosk, { serviceId: serviceA });
    const booking = feed({ serviceId: serviceA, startsAt: '2026-11-24T15:00:00.000Z' });
    clock.set('2026-11-24T14:35:00Z');
    const appointment = (await checkIn(booking.code)).body.ticket;
    clock.set('2026-11-24T14:40:00Z');
    const first = await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, {}, awa);
    expect(first.body.ticket?.id).toBe(walkIn.body.id);
    await b.api.post(`/api/tickets/${walkIn.body.id}/start`, {}, awa);
    await b.api.post(`/api/tickets/${walkIn.body.id}/complete`, {}, awa);
    const second = await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, {}, awa);
    expect(second.body.ticket?.id).toBe(appointment.id);
  });
});
