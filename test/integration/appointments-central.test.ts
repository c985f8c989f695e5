// Remote booking through central, on SQLite and on PostgreSQL: the public catalogue, free slots across weekends,
// holidays, closures and the Dakar day boundary, clear errors for bad input, central's capacity under concurrent
// bookings of the last place (exactly one wins), the pull feed down to the branch, check-in at the branch (also
// while central is down) and the facts coming back up to central. Every booking, cancel and move carries the token of
// the booking's phone or e-mail, confirmed by a one-time code read from the SMS simulator or the SMTP sink (issue 18).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createCentralServer, type CentralServer } from '../../server/src/index.js';
import type {
  BookingCreated, BookingView, CheckInResult, FreeSlot, PublicBookingView, PublicBranchView, PublicOrganizationView, PublicServiceView, SlotsResponse,
} from '../../server/src/shared/contracts/appointments.js';
import type { CommandResult } from '../../server/src/shared/contracts/api.js';
import type { MyBooking, VisitorCodeSent, VisitorToken } from '../../server/src/shared/contracts/visitor.js';
import { appointmentsDb } from '../../server/src/central/booking/booking.service.js';
import { SITE_STRINGS } from '../../server/src/central/site/site.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { CENTRAL_ADMIN_TOKEN, FAST_SYNC, startCentral, waitFor, type TestCentral } from '../support/central.js';
import { TestClock } from '../support/clock.js';
import { centralDialects } from '../support/postgres.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';
import { codeFromMail, smsTracking, Visitors } from '../support/visitor.js';
import type { TrackingOptions } from '../../server/src/central/tracking/index.js';

type ErrorShape = { error: { code: string; message: string; details?: Record<string, unknown> } };

const dialects = await centralDialects();

/** A branch enrolled at central (start once for its id, enrol, restart with the credential), on a shared clock. */
async function enrolledBranch(central: TestCentral, clock: TestClock, name: string): Promise<TestBranch & { credential: string }> {
  const first = await startBranch({ clock });
  const credential = await central.enrol(first.server.branchId, name);
  await first.close();
  const branch = await startBranch({
    dataDir: first.dataDir, clock, passwords: first.passwords, centralUrl: central.url, centralCredential: credential, sync: FAST_SYNC,
  });
  return Object.assign(branch, { credential });
}

describe.each(dialects)('remote booking through central (%s)', (dialect) => {
  const clock = new TestClock('2026-12-22T08:00:00Z'); // Tuesday 08:00 in Dakar (UTC+0)
  let central: TestCentral;
  let restarted: CentralServer | null = null;
  let b: TestBranch & { credential: string };
  let admin: string;
  let awa: string;
  let aminata: string;
  let kiosk: string;
  let serviceA: string;
  let serviceC: string;
  let branchId: string;
  let sms: OrangeSmsSimulator;
  let sink: SmtpSink;
  let visitors: Visitors;
  let tracking: TrackingOptions;
  const visitorCodes = { perAddressPerHour: 200 };

  const pub = () => central.api;
  /** The token of a body's phone (or its e-mail when it has no phone), when it is one that can get a code. */
  const tokenOf = (body: Record<string, unknown>) => visitors.forContact(body);
  const book = async (body: Record<string, unknown>) => pub().post<BookingCreated & ErrorShape>('/api/public/bookings', { visitorToken: await tokenOf(body), ...body });
  const cancelAs = async (code: string, contact: { phone?: string; email?: string }) =>
    pub().post<PublicBookingView & ErrorShape>(`/api/public/bookings/${code}/cancel`, { visitorToken: await tokenOf(contact) });
  const moveAs = async (code: string, contact: { phone?: string; email?: string }, startsAt: string) =>
    pub().post<BookingCreated & ErrorShape>(`/api/public/bookings/${code}/move`, { startsAt, visitorToken: await tokenOf(contact) });
  const slotsOf = async (serviceId: string, query = '') => (await pub().get<SlotsResponse>(`/api/public/branches/${branchId}/services/${serviceId}/slots${query}`)).body.slots;
  const syncNow = async (branch: TestBranch = b) => {
    const res = await branch.api.post<{ ok: boolean; error: string | null }>('/api/sync/run', {}, await branch.login('aminata'));
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Central's database, through whichever instance is up (the test restarts central on the same port). */
  const cdb = () => (restarted ?? central.server).central;
  const centralBooking = (code: string) => appointmentsDb(cdb()).selectFrom('bookings').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    sink = await new SmtpSink().start();
    const t = smsTracking(sms);
    tracking = { ...t, channels: { ...t.channels, email: { url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' } } };
    central = await startCentral(dialect, { clock, tracking, visitorCodes });
    visitors = new Visitors(central.api, sms, sink, clock);
    b = await enrolledBranch(central, clock, 'Agence Plateau');
    branchId = b.server.branchId;
    admin = await b.login('admin');
    awa = await b.login('awa');
    aminata = await b.login('aminata');
    kiosk = await b.kioskToken();
    serviceA = (await b.service('A')).id;
    serviceC = (await b.service('C')).id;
    // A: 30-minute slots for two visitors each, a week ahead, booked at least an hour ahead.
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, slotMinutes: 30, capacity: 2, horizonWorkingDays: 5 } })).status).toBe(200);
    // C: one visitor per 15 minutes, bookable up to the last minute.
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceC}`, { token: admin, body: { enabled: true, capacity: 1, horizonWorkingDays: 3, minLeadMinutes: 0 } })).status).toBe(200);
    expect((await b.api.post('/api/admin/appointments/holiday-overrides', { kind: 'closure', date: '2026-12-29', label: 'Inventaire' }, admin)).status).toBe(201);
    await syncNow();
    await waitFor('the branch settings at central', async () => (await pub().get<PublicServiceView[]>(`/api/public/branches/${branchId}/services`)).body.length === 2);
  });

  afterAll(async () => {
    await b?.destroy();
    await restarted?.close();
    await central?.destroy();
    await sms?.close();
    await sink?.close();
  });

  it('lists organizations and branches by region, and their bookable services', async () => {
    const orgs = await pub().get<PublicOrganizationView[]>('/api/public/organizations?region=Dakar');
    expect(orgs.status).toBe(200);
    expect(orgs.body).toEqual([{ id: 'org-test', name: 'Banque Teranga', type: 'bank', branchCount: 1 }]);
    expect((await pub().get<PublicOrganizationView[]>('/api/public/organizations?region=Thiès')).body).toEqual([]);
    expect((await pub().get('/api/public/organizations?region=Mars')).status).toBe(400);
    const branches = await pub().get<PublicBranchView[]>('/api/public/branches?region=Dakar');
    expect(branches.body).toEqual([{ id: branchId, name: 'Agence Plateau', region: 'Dakar', timeZone: 'Africa/Dakar', organization: { id: 'org-test', name: 'Banque Teranga', type: 'bank' } }]);
    const services = await pub().get<PublicServiceView[]>(`/api/public/branches/${branchId}/services`);
    expect(services.body.map((s) => [s.prefix, s.slotMinutes, s.name.fr])).toEqual([['A', 30, 'Dépôt / Retrait'], ['C', 15, 'Transferts et Mobile Money']]);
  });

  it('refuses bad input with clear errors', async () => {
    const good = { branchId, serviceId: serviceA, startsAt: '2026-12-23T10:00:00.000Z', name: 'Moussa Ndiaye', phone: '+221 77 123 45 67' };
    const expectError = (res: { status: number; body: ErrorShape }, status: number, code: string, message?: RegExp) => {
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (message) expect(res.body.error.message).toMatch(message);
    };
    expectError(await book({ ...good, startsAt: '2026-12-21T10:00:00.000Z' }), 422, 'SLOT_IN_PAST', /in the past/);
    expectError(await book({ ...good, startsAt: '2026-12-23T10:10:00.000Z' }), 422, 'SLOT_UNAVAILABLE', /2026-12-23 10:10 is not a slot/);
    expectError(await book({ ...good, startsAt: '2026-12-25T10:00:00.000Z' }), 422, 'SLOT_UNAVAILABLE'); // Christmas
    expectError(await book({ ...good, startsAt: '2026-12-29T10:00:00.000Z' }), 422, 'SLOT_UNAVAILABLE'); // branch closure
    expectError(await book({ ...good, startsAt: '2026-12-22T08:30:00.000Z' }), 422, 'SLOT_UNAVAILABLE'); // before 09:00
    expectError(await book({ ...good, serviceId: 'no-such-service' }), 404, 'SERVICE_NOT_FOUND');
    expectError(await book({ ...good, serviceId: (await b.service('B')).id }), 404, 'SERVICE_NOT_FOUND'); // not offered
    expectError(await book({ ...good, branchId: 'no-such-branch' }), 404, 'BRANCH_NOT_FOUND');
    expectError(await book({ ...good, phone: '77 12' }), 400, 'VALIDATION_ERROR', /\+221 followed by 9 digits/);
    expectError(await book({ ...good, phone: undefined, email: 'not-an-email' }), 400, 'VALIDATION_ERROR', /email/);
    expectError(await book({ ...good, phone: undefined }), 400, 'VALIDATION_ERROR', /phone number \(\+221…\) or an email/);
    expectError(await book({ ...good, name: '  ' }), 400, 'VALIDATION_ERROR', /name is required/);
    expectError(await pub().get<ErrorShape>('/api/public/bookings/ABCD-EFGH'), 400, 'VALIDATION_ERROR');
    expectError(await pub().get<ErrorShape>('/api/public/bookings/0000-0000'), 404, 'BOOKING_NOT_FOUND');
    expectError(await pub().post<ErrorShape>('/api/public/bookings/0000-0000/cancel'), 404, 'BOOKING_NOT_FOUND');
    const count = await appointmentsDb(cdb()).selectFrom('bookings').select('id').execute();
    expect(count).toHaveLength(0);
  });

  it('books with a code and a QR code, then cancels and moves with the code; a full slot is refused', async () => {
    const res = await book({ branchId, serviceId: serviceA, startsAt: '2026-12-23T10:00:00.000Z', name: 'Moussa Ndiaye', phone: '77 123 45 67', language: 'wo' });
    expect(res.status).toBe(201);
    const { booking, qr } = res.body;
    expect(booking).toMatchObject({ status: 'booked', localDate: '2026-12-23', localTime: '10:00', timeZone: 'Africa/Dakar', language: 'wo', email: null });
    expect(booking.displayCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(booking.phone).toBe('+221 77 ••• •• 67');
    expect(qr.payload).toBe(booking.displayCode);
    expect(qr.svg).toContain('<svg');
    expect(qr.pngDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = await fetch(`${central.url}/api/public/bookings/${booking.code}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect((await centralBooking(booking.code)).reminder_due_at).toBe('2026-12-22T10:00:00.000Z'); // a day before

    const seen = await pub().get<PublicBookingView>(`/api/public/bookings/${booking.displayCode.toLowerCase()}`);
    expect(seen.body).toEqual(booking);

    // Nothing is booked, moved or cancelled without the booking's confirmed phone or e-mail (issue 18).
    const slotsBefore = await slotsOf(serviceA);
    const anon = await book({ branchId, serviceId: serviceA, startsAt: '2026-12-23T10:30:00.000Z', name: 'Sans Code', phone: '+221770009999', visitorToken: undefined });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('VISITOR_UNVERIFIED');
    expect(anon.body.error.message).toMatch(/confirm your phone number \(or e-mail address\) with the code/);
    const stranger = await book({ branchId, serviceId: serviceA, startsAt: '2026-12-23T10:30:00.000Z', name: 'Autre', phone: '+221770009999', visitorToken: await visitors.token('+221770009998') });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('VISITOR_CONTACT_MISMATCH');
    expect(await slotsOf(serviceA)).toEqual(slotsBefore);
    expect(await appointmentsDb(cdb()).selectFrom('bookings').select('id').execute()).toHaveLength(1);
    expect((await pub().post<ErrorShape>(`/api/public/bookings/${booking.code}/move`, { startsAt: '2026-12-23T11:00:00.000Z' })).status).toBe(401);
    expect((await moveAs(booking.code, { phone: '+221770009998' }, '2026-12-23T11:00:00.000Z')).body.error.code).toBe('VISITOR_CONTACT_MISMATCH');
    expect((await pub().post<ErrorShape>(`/api/public/bookings/${booking.code}/cancel`, {})).status).toBe(401);
    expect((await cancelAs(booking.code, { email: 'awa@example.sn' })).status).toBe(403);
    expect((await centralBooking(booking.code)).version).toBe(1);

    const moved = await moveAs(booking.code, { phone: '77 123 45 67' }, '2026-12-23T11:00:00.000Z');
    expect(moved.status).toBe(200);
    expect(moved.body.booking.localTime).toBe('11:00');
    expect((await centralBooking(booking.code)).version).toBe(2);

    // C takes one visitor per slot. A booking with an e-mail only is confirmed by a code sent by e-mail.
    const first = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-22T09:00:00.000Z', name: 'Awa Diallo', email: 'awa@example.sn' });
    expect(first.status).toBe(201);
    expect(first.body.booking.email).toBe('a•••@example.sn');
    expect((await centralBooking(first.body.booking.code)).reminder_due_at).toBeNull(); // booked too late for one
    const full = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-22T09:00:00.000Z', name: 'Ousmane Sy', phone: '+221701112233' });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('SLOT_FULL');
    expect((await slotsOf(serviceC)).map((s) => s.startsAt)).not.toContain('2026-12-22T09:00:00.000Z');

    // The e-mail's token cancels it; a phone's token is no token of this booking.
    expect((await cancelAs(first.body.booking.code, { phone: '77 123 45 67' })).status).toBe(403);
    const cancelled = await cancelAs(first.body.booking.code, { email: 'awa@example.sn' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const twice = await cancelAs(first.body.booking.code, { email: 'awa@example.sn' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('BOOKING_CANCELLED');
    expect((await moveAs(first.body.booking.code, { email: 'awa@example.sn' }, '2026-12-22T09:15:00.000Z')).body.error.code).toBe('BOOKING_CANCELLED');
    const again = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-22T09:00:00.000Z', name: 'Ousmane Sy', phone: '+221701112233' });
    expect(again.status).toBe(201);
  });

  it('never books more than a slot holds: of concurrent bookings of the last place, exactly one wins', async () => {
    const startsAt = '2026-12-24T09:00:00.000Z';
    const slot = (await slotsOf(serviceA)).find((s: FreeSlot) => s.startsAt === startsAt);
    expect(slot).toMatchObject({ capacity: 2, free: 2 });
    expect((await book({ branchId, serviceId: serviceA, startsAt, name: 'Premier', phone: '+221770000001' })).status).toBe(201);
    // On PostgreSQL the racers go through two central instances sharing the database.
    const second = dialect === 'postgres' ? await central.another() : null;
    const urls = [central.url, second?.url ?? central.url];
    // Each racer has confirmed its phone first (sequentially: only the bookings race).
    const phones = Array.from({ length: 12 }, (_, i) => `+2217700001${String(i).padStart(2, '0')}`);
    const tokens: string[] = [];
    for (const phone of phones) tokens.push(await visitors.token(phone));
    const racers = phones.map((phone, i) => fetch(`${urls[i % 2]}/api/public/bookings`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ branchId, serviceId: serviceA, startsAt, name: `Visiteur ${i}`, phone, visitorToken: tokens[i] }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as ErrorShape })));
    const results = await Promise.all(racers);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 201);
    expect(losers).toHaveLength(11);
    expect(losers.every((r) => r.status === 409 && r.body.error.code === 'SLOT_FULL')).toBe(true);
    const held = await appointmentsDb(cdb()).selectFrom('bookings').select('id')
      .where('branch_id', '=', branchId).where('starts_at', '=', startsAt).where('status', '=', 'booked').execute();
    expect(held).toHaveLength(2);
    expect((await slotsOf(serviceA)).find((s) => s.startsAt === startsAt)).toBeUndefined();
  });

  it('brings bookings and cancellations to the branch, which checks them in; the check-in, the call and the service go back to central', async () => {
    await syncNow();
    const day = (await b.api.get<BookingView[]>('/api/appointments/bookings?day=2026-12-22', awa)).body;
    expect(day.map((x) => [x.localTime, x.status]).sort()).toEqual([['09:00', 'booked'], ['09:00', 'cancelled']]);
    const booked = day.find((x) => x.status === 'booked') as BookingView;
    expect(booked.name).toBe('Ousmane Sy');
    expect(booked.phone).toBe('+221701112233'); // staff see the contact

    clock.set('2026-12-22T08:45:00Z');
    const checkIn = await b.api.post<CheckInResult>('/api/appointments/check-in', { code: booked.displayCode }, kiosk);
    expect(checkIn.status).toBe(201);
    const ticket = checkIn.body.ticket;
    expect(ticket.queueType).toBe('appointment');

    const counter1 = (await b.counter(1)).id;
    clock.set('2026-12-22T08:56:00Z');
    const call = await b.api.post<CommandResult>(`/api/counters/${counter1}/call-next`, {}, awa);
    expect(call.body.ticket?.id).toBe(ticket.id);
    expect((await b.api.post(`/api/tickets/${ticket.id}/start`, {}, awa)).status).toBe(200);
    clock.set('2026-12-22T09:06:00Z');
    expect((await b.api.post(`/api/tickets/${ticket.id}/complete`, {}, awa)).status).toBe(200);

    await syncNow();
    const atCentral = await centralBooking(booked.code);
    expect(atCentral).toMatchObject({ status: 'checked_in', ticket_id: ticket.id, checked_in_at: '2026-12-22T08:45:00.000Z' });
    const centralTicket = await cdb().db.selectFrom('tickets').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(centralTicket).toMatchObject({ status: 'served', queue_type: 'appointment', booking_id: booked.id, due_at: '2026-12-22T09:00:00.000Z' });
    expect((await pub().get<PublicBookingView>(`/api/public/bookings/${booked.code}`)).body.status).toBe('checked_in');
    expect((await cancelAs(booked.code, { phone: '+221701112233' })).body.error.code).toBe('ALREADY_CHECKED_IN');
  });

  it('checks in while central is down, and tells central once it is back; a missed booking becomes a no-show there', async () => {
    clock.set('2026-12-22T08:50:00Z');
    const kept = await book({ branchId, serviceId: serviceA, startsAt: '2026-12-22T10:00:00.000Z', name: 'Fatou Kane', phone: '+221765554433' });
    const missed = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-22T09:15:00.000Z', name: 'Ibou Faye', phone: '+221765554434' });
    expect(kept.status).toBe(201);
    expect(missed.status).toBe(201);
    await syncNow();
    const port = central.server.port;
    await central.server.close();

    clock.set('2026-12-22T09:40:00Z');
    const offline = await b.api.post<CheckInResult>('/api/appointments/check-in', { code: kept.body.booking.displayCode }, kiosk);
    expect(offline.status).toBe(201);
    expect(offline.body.ticket.queueType).toBe('appointment');
    b.server.services.appointments.sweepNoShows(); // 09:15 + 15 min window has closed
    expect((await b.api.get<BookingView>(`/api/appointments/bookings/${missed.body.booking.code}`, awa)).body.status).toBe('no_show');
    const down = await b.api.post<{ ok: boolean }>('/api/sync/run', {}, aminata);
    expect(down.body.ok).toBe(false);

    restarted = await createCentralServer({
      port, host: '127.0.0.1', databaseUrl: central.databaseUrl, adminToken: CENTRAL_ADMIN_TOKEN, clock, logger: pino({ level: 'silent' }), tracking, visitorCodes,
    });
    await waitFor('the branch to push again', async () => {
      const r = await syncNow();
      if (!r.ok) throw new Error(r.error ?? 'sync failed'); // shown if it never succeeds
      return true;
    }, 30_000, 200);
    expect(await centralBooking(kept.body.booking.code)).toMatchObject({ status: 'checked_in', ticket_id: offline.body.ticket.id });
    expect(await centralBooking(missed.body.booking.code)).toMatchObject({ status: 'no_show', no_show_at: '2026-12-22T09:40:00.000Z' });
  });

  it('tells a visitor at the wrong branch where the booking is for', async () => {
    // Central came back on the same port: its URL and API client still hold.
    const other = await enrolledBranch(central, clock, 'Agence Thiès');
    try {
      const otherAdmin = await other.login('admin');
      const otherA = (await other.service('A')).id;
      expect((await other.api.request('PUT', `/api/admin/appointments/services/${otherA}`, { token: otherAdmin, body: { enabled: true, minLeadMinutes: 0 } })).status).toBe(200);
      await syncNow(other);
      const booked = await book({ branchId: other.server.branchId, serviceId: otherA, startsAt: '2026-12-22T10:00:00.000Z', name: 'Mame Diarra', phone: '+221781234567' });
      expect(booked.status).toBe(201);
      const wrong = await b.api.post<ErrorShape>('/api/appointments/check-in', { code: booked.body.booking.displayCode }, kiosk);
      expect(wrong.status).toBe(422);
      expect(wrong.body.error.code).toBe('WRONG_BRANCH');
      expect(wrong.body.error.details).toMatchObject({ branchName: 'Agence Thiès' });

      // Booked a moment ago, not pulled yet (the branch's sync is stopped): the branch asks central and checks it in.
      await other.server.sync?.stop();
      const fresh = await book({ branchId: other.server.branchId, serviceId: otherA, startsAt: '2026-12-22T10:15:00.000Z', name: 'Khady Gueye', phone: '+221781234568' });
      expect(fresh.status).toBe(201);
      clock.set('2026-12-22T09:50:00Z');
      const here = await other.api.post<CheckInResult>('/api/appointments/check-in', { code: fresh.body.booking.displayCode }, await other.kioskToken());
      expect(here.status).toBe(201);
      expect(here.body.booking).toMatchObject({ code: fresh.body.booking.code, status: 'checked_in', name: 'Khady Gueye' });
    } finally {
      await other.destroy();
    }
  });

  it('offers slots on working days only: weekends, public holidays, closures and the Dakar day boundary', async () => {
    clock.set('2026-12-22T16:30:00Z'); // too late today for a slot an hour ahead
    const slots = await slotsOf(serviceA);
    const days = [...new Set(slots.map((s) => s.localDate))];
    // 25 Christmas, 26–27 weekend, 29 the branch's closure.
    expect(days).toEqual(['2026-12-23', '2026-12-24', '2026-12-28', '2026-12-30', '2026-12-31']);
    const first = slots[0] as FreeSlot;
    expect(first).toMatchObject({ localDate: '2026-12-23', localTime: '09:00', startsAt: '2026-12-23T09:00:00.000Z', endsAt: '2026-12-23T09:30:00.000Z' });
    expect(slots.filter((s) => s.localDate === '2026-12-23')).toHaveLength(16);
    expect(slots.filter((s) => s.localDate === '2026-12-24')).toHaveLength(15); // 09:00 is full
    expect(slots.find((s) => s.startsAt === '2026-12-23T11:00:00.000Z')?.free).toBe(1);
    expect((await slotsOf(serviceA, '?from=2026-12-28&to=2026-12-28')).every((s) => s.localDate === '2026-12-28')).toBe(true);

    clock.set('2026-12-23T23:59:00Z'); // still the 23rd in Dakar
    const late = await slotsOf(serviceA);
    expect([...new Set(late.map((s) => s.localDate))]).toEqual(['2026-12-24', '2026-12-28', '2026-12-30', '2026-12-31', '2027-01-04']);
    clock.set('2026-12-24T00:00:00Z'); // the 24th has begun: it is today, and its slots are still ahead
    expect((await slotsOf(serviceA))[0]?.startsAt).toBe('2026-12-24T09:30:00.000Z');
  });

  it("lists a phone's coming bookings (and today's while they can be checked in) in my bookings, each with its page to cancel or move it", async () => {
    // 24 December 00:00 in Dakar: the phone's booking of the 23rd at 11:00 is over.
    const phone = '+221771234567';
    const a = await book({ branchId, serviceId: serviceA, startsAt: '2026-12-24T10:00:00.000Z', name: 'Moussa Ndiaye', phone });
    const c = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-28T09:00:00.000Z', name: 'Moussa Ndiaye', phone });
    expect([a.status, c.status]).toEqual([201, 201]);
    const mine = async (lang = 'fr') => pub().post<MyBooking[] & ErrorShape>(`/api/public/my-bookings?lang=${lang}`, { visitorToken: await visitors.token(phone) });
    const listed = await mine();
    expect(listed.status).toBe(200);
    expect(listed.body.map((x) => x.code)).toEqual([a.body.booking.code, c.body.booking.code]);
    const code = encodeURIComponent(a.body.booking.code);
    expect(listed.body[0]).toEqual({
      code: a.body.booking.code, displayCode: a.body.booking.displayCode, status: 'booked', branchId, branchName: 'Agence Plateau',
      serviceId: serviceA, serviceName: a.body.booking.service.name.fr, startsAt: '2026-12-24T10:00:00.000Z', endsAt: '2026-12-24T10:30:00.000Z',
      timeZone: 'Africa/Dakar', localDate: '2026-12-24', localTime: '10:00', when: 'jeudi 24 décembre à 10 h 00', changeable: true,
      checkInClosesAt: a.body.booking.checkInClosesAt, pagePath: `/r/${code}`, qrPath: `/api/public/bookings/${code}/qr.svg`,
      cancelPath: `/api/public/bookings/${code}/cancel`, movePath: `/api/public/bookings/${code}/move`,
    });
    expect((await mine('en')).body[0]?.when).toMatch(/^Thursday 24 December at 10/);
    // The paths it gives are the booking's page and the routes that cancel it.
    const page = await fetch(`${central.url}${listed.body[0]?.pagePath as string}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(a.body.booking.displayCode);
    expect(html).toContain('id="cancelForm"');
    expect(html).toContain('<svg');
    expect((await fetch(`${central.url}/r/ZZZZ-ZZZZ`)).status).toBe(404);
    const cancelled = await pub().post<PublicBookingView>(listed.body[1]?.cancelPath as string, { visitorToken: await visitors.token(phone) });
    expect(cancelled.body.status).toBe('cancelled');
    // Started but still within its check-in window: listed, no longer changeable; its page offers no cancel.
    clock.set('2026-12-24T10:05:00Z');
    expect((await mine()).body.map((x) => [x.code, x.changeable])).toEqual([[a.body.booking.code, false]]);
    expect(await (await fetch(`${central.url}/r/${code}`)).text()).not.toContain('id="cancelForm"');
    // An e-mail address's token lists the bookings made with that address (written in any case), not the phone's;
    // another address's none; remote tickets stay a phone's. A made-up token is refused.
    const byMail = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-28T10:00:00.000Z', name: 'Awa Sow', email: 'Awa.Sow@example.sn' });
    expect(byMail.status).toBe(201);
    const ofMail = await pub().post<MyBooking[] & ErrorShape>('/api/public/my-bookings?lang=en', { visitorToken: await visitors.emailToken('awa.sow@example.sn') });
    expect(ofMail.status).toBe(200);
    expect(ofMail.body.map((x) => [x.code, x.pagePath, x.changeable])).toEqual([[byMail.body.booking.code, `/r/${encodeURIComponent(byMail.body.booking.code)}`, true]]);
    expect((await pub().post<MyBooking[]>('/api/public/my-bookings', { visitorToken: await visitors.emailToken('awa@example.sn') })).body).toEqual([]);
    expect((await pub().post<ErrorShape>('/api/public/my-tickets', { visitorToken: await visitors.emailToken('awa.sow@example.sn') })).status).toBe(403);
    expect((await pub().post<ErrorShape>('/api/public/my-bookings', { visitorToken: 'sqv_made-up-token-000000000000' })).status).toBe(401);
  });

  it("says on the site's branch page that a closure day is closed, with the next opening after it, and offers no join", async () => {
    // Days later the cached staff session has expired: a fresh login to push (central then hears from the branch now).
    const pushNow = async () => {
      const login = await b.api.post<{ token: string }>('/api/auth/login', { login: 'aminata', password: b.passwords.aminata });
      expect((await b.api.post<{ ok: boolean }>('/api/sync/run', {}, login.body.token)).body.ok).toBe(true);
    };
    clock.set('2026-12-29T10:00:00Z'); // Tuesday 29: the branch's closure (Inventaire)
    await pushNow();
    const html = await (await fetch(`${central.url}/b/${branchId}`)).text();
    expect(html).toContain("Fermé aujourd&#39;hui : Inventaire");
    // The next opening is on the 30th (the hours alone would say this afternoon, or tomorrow morning on the 29th).
    expect(html).toMatch(/Prochaine ouverture : mercredi 30 décembre/);
    expect(html).toContain('data-testid="closed-today"');
    expect(html).not.toContain('id="join"');
    // Booking another day stays possible.
    expect(html).toContain('id="bookSlot"');
    // The day before, it is open (the hours say so), and the join is offered.
    clock.set('2026-12-28T10:00:00Z');
    await pushNow();
    const before = await (await fetch(`${central.url}/b/${branchId}`)).text();
    expect(before).not.toContain('data-testid="closed-today"');
    expect(before).toContain('id="join"');
  });

  it('offers every free slot of a day chosen in the day picker (the first few without one)', async () => {
    clock.set('2026-12-28T07:00:00Z');
    const page = async (q = '') => (await (await fetch(`${central.url}/b/${branchId}${q}`)).text());
    const count = (html: string, serviceId: string) => html.split(`value="${serviceId}|`).length - 1;
    const first = await page();
    expect(count(first, serviceA)).toBe(8);
    // The days the picker offers: those with a free slot among the next two weeks (29 closed).
    const days = [...first.matchAll(/<option value="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    expect(days).toContain('2026-12-30');
    expect(days).not.toContain('2026-12-29');
    const day = await page('?day=2026-12-30');
    const wanted = (await slotsOf(serviceA, '?from=2026-12-30&to=2026-12-30')).length;
    expect(wanted).toBeGreaterThan(8);
    expect(count(day, serviceA)).toBe(wanted);
    expect(day).toContain('<option value="2026-12-30" selected>');
    // A day not on offer shows the first few, never an error.
    expect(count(await page('?day=2026-12-29'), serviceA)).toBe(8);
  });

  it("changes an e-mail-only booking from its page: a code sent to the booking's own address (shown masked), its token moves and cancels", async () => {
    clock.set('2026-12-28T07:00:00Z');
    const email = 'Khady.Ba@example.sn';
    const inbox = 'khady.ba@example.sn';
    const booked = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-30T10:00:00.000Z', name: 'Khady Ba', email });
    expect(booked.status).toBe(201);
    const code = booked.body.booking.code;
    const path = `/api/public/bookings/${encodeURIComponent(code)}/email-code`;
    // The page asks for no address and shows it masked only; it holds the route that sends the code there.
    const html = await (await fetch(`${central.url}/r/${code}?lang=en`)).text();
    expect(html).toContain('data-testid="manage-email"');
    expect(html).toContain('K•••@example.sn');
    expect(html.toLowerCase()).not.toContain(inbox);
    expect(html).toContain(path);
    expect(html).not.toContain('id="whoPhone"');
    expect(html).toContain(SITE_STRINGS.en.bookingHintEmail);

    const ask = async () => {
      const before = sink.messages.length;
      const sent = await pub().post<VisitorCodeSent & ErrorShape>(path, { language: 'en' });
      return { sent, code: sent.status === 201 ? await codeFromMail(sink, inbox, before) : '' };
    };
    const check = (codeId: string, digits: string) => pub().post<VisitorToken & ErrorShape>(`/api/public/visitor-codes/${codeId}/verify`, { code: digits });
    const wrong = (digits: string) => (digits === '000000' ? '111111' : '000000');

    // A wrong code, then the right one: the token of the booking's address moves it.
    const first = await ask();
    expect(first.sent.status).toBe(201);
    expect(first.sent.body).toMatchObject({ channel: 'email', sentTo: 'k•••@example.sn' });
    expect(JSON.stringify(first.sent.body).toLowerCase()).not.toContain(inbox);
    const miss = await check(first.sent.body.codeId, wrong(first.code));
    expect([miss.status, miss.body.error.code, miss.body.error.details?.attemptsLeft]).toEqual([422, 'CODE_WRONG', 4]);
    const token = (await check(first.sent.body.codeId, first.code)).body.token;
    const moved = await pub().post<BookingCreated & ErrorShape>(`/api/public/bookings/${code}/move`, { startsAt: '2026-12-30T10:15:00.000Z', visitorToken: token });
    expect(moved.status).toBe(200);
    expect(moved.body.booking.localTime).toBe('10:15');
    // Used once: the same code again says so.
    expect((await check(first.sent.body.codeId, first.code)).body.error.details?.reason).toBe('used');

    // Five wrong codes spend a code: the fifth and the right one after it say "too many tries".
    const second = await ask();
    for (let i = 0; i < 4; i++) expect((await check(second.sent.body.codeId, wrong(second.code))).status).toBe(422);
    const spent = await check(second.sent.body.codeId, wrong(second.code));
    expect([spent.status, spent.body.error.code, spent.body.error.details?.reason]).toEqual([410, 'CODE_EXPIRED', 'tries']);
    expect((await check(second.sent.body.codeId, second.code)).body.error.details?.reason).toBe('tries');
    // Three codes to one address in an hour (the booking's and these two): the fourth waits.
    const fourth = await pub().post<ErrorShape>(path, { language: 'en' });
    expect([fourth.status, fourth.body.error.code]).toEqual([429, 'RATE_LIMITED']);

    // An hour later: the move's token has expired (401); a code sent back after its 10 minutes says "expired".
    clock.set('2026-12-28T08:01:00Z');
    expect((await pub().post<ErrorShape>(`/api/public/bookings/${code}/cancel`, { visitorToken: token })).status).toBe(401);
    const late = await ask();
    expect(late.sent.status).toBe(201);
    clock.set('2026-12-28T08:11:30Z');
    const expired = await check(late.sent.body.codeId, late.code);
    expect([expired.status, expired.body.error.code, expired.body.error.details?.reason]).toEqual([410, 'CODE_EXPIRED', 'expired']);
    const last = await ask();
    const cancelled = await pub().post<PublicBookingView & ErrorShape>(`/api/public/bookings/${code}/cancel`, { visitorToken: (await check(last.sent.body.codeId, last.code)).body.token });
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    // Nothing left to change: no code sent. A booking with a phone only has no address to send one to; a made-up code is no booking's.
    const after = sink.messages.length;
    expect((await pub().post<ErrorShape>(path, {})).body.error.code).toBe('BOOKING_CANCELLED');
    const byPhone = await book({ branchId, serviceId: serviceC, startsAt: '2026-12-30T11:00:00.000Z', name: 'Moussa Ndiaye', phone: '+221771234567' });
    expect(byPhone.status).toBe(201);
    const noMail = await pub().post<ErrorShape>(`/api/public/bookings/${byPhone.body.booking.code}/email-code`, {});
    expect([noMail.status, noMail.body.error.code]).toEqual([409, 'BOOKING_NO_EMAIL']);
    expect((await pub().post<ErrorShape>('/api/public/bookings/ZZZZ-ZZZZ/email-code', {})).body.error.code).toBe('VALIDATION_ERROR');
    expect(sink.messages.slice(after).filter((m) => m.to.includes(inbox))).toHaveLength(0);
  });
});
