// A remote booking's deposit, end to end with real parts: a branch (SQLite) enrolled at a real central (SQLite, and
// PostgreSQL when reachable), the Orange Money and Free Money simulators as real HTTP servers. The branch pushes the
// fee of a bookable service with its appointment settings; a visitor books at central and pays the deposit from the
// phone (payment link + QR code); the provider's callback reaches central, the branch learns the payment through
// its feed, and when the visitor checks in, the ticket shows the deposit paid. Central's totals equal the branch's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingCreated, CheckInResult, PublicServiceView } from '../../server/src/shared/contracts/appointments.js';
import type { BookingDepositView, DepositCheckoutView, PaymentTotals, PaymentView, TicketPayments } from '../../server/src/shared/contracts/payments.js';
import type { CentralPaymentTables } from '../../server/src/central/payments/payments.central-migration.js';
import { FreeMoneyProvider, OrangeMoneyProvider } from '../../server/src/central/payments/providers/index.js';
import { FreeMoneySimulator, OrangeMoneySimulator } from '../../server/src/simulators/payments/index.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { FAST_SYNC, startCentral, waitFor, type TestCentral } from '../support/central.js';
import { TestClock } from '../support/clock.js';
import { centralDialects } from '../support/postgres.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { smsTracking, Visitors } from '../support/visitor.js';

const dialects = await centralDialects();

const ORANGE = { clientId: 'om-client', clientSecret: 'om-secret', merchantCode: '123456', callbackKey: 'om-callback-key' };
const FREE = { apiKey: 'fm-api-key', webhookSecret: 'fm-webhook-secret' };
const DEPOSIT = 3000;

type ErrorBody = { error: { code: string; message: string } };

describe.each(dialects)('booking deposit paid from the phone (%s central)', (dialect) => {
  // One clock for central, the branch, the simulators and the adapters: Tuesday 08:00 in Dakar.
  const clock = new TestClock('2026-12-22T08:00:00Z');
  let orange: OrangeMoneySimulator;
  let free: FreeMoneySimulator;
  let central: TestCentral;
  let b: TestBranch;
  let admin: string;
  let agent: string;
  let kiosk: string;
  let serviceA: string;
  let serviceC: string;
  let branchId: string;
  /** The visitor confirms the phone with a code by SMS before booking or cancelling (issue 18). */
  let sms: OrangeSmsSimulator;
  let visitors: Visitors;

  const pub = () => central.api;
  const cdb = () => central.server.db.withTables<CentralPaymentTables>();
  const syncNow = async () => {
    const res = await b.api.post<{ ok: boolean; error: string | null }>('/api/sync/run', {}, await b.login('aminata'));
    expect(res.body).toMatchObject({ ok: true });
  };
  const book = async (serviceId: string, startsAt: string, phone = '+221771234567') => {
    const res = await pub().post<BookingCreated>('/api/public/bookings', { branchId, serviceId, startsAt, name: 'Awa Diop', phone, visitorToken: await visitors.token(phone) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.booking;
  };
  const deposit = async (code: string) => (await pub().get<BookingDepositView>(`/api/public/bookings/${code}/deposit`)).body;
  const pay = (code: string, body: Record<string, unknown>) => pub().post<DepositCheckoutView & ErrorBody>(`/api/public/bookings/${code}/deposit/checkout`, body);
  const atBranch = (id: string) => b.server.services.ctx.store.sqlite
    .prepare('SELECT ticket_id, booking_id, service_id, amount_xof, method, channel, status, origin FROM payments WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  const branchHistory = (id: string) => (b.server.services.ctx.store.sqlite
    .prepare('SELECT type, source FROM payment_events WHERE payment_id = ? ORDER BY rowid').all(id) as Array<{ type: string; source: string }>).map((e) => `${e.type}:${e.source}`);

  beforeAll(async () => {
    orange = new OrangeMoneySimulator({ ...ORANGE, clock });
    free = new FreeMoneySimulator({ ...FREE, clock });
    for (const sim of [orange, free]) await sim.start();
    const providers = {
      orange_money: new OrangeMoneyProvider({ ...ORANGE, apiUrl: orange.url, timeoutMs: 1000, clock }),
      free_money: new FreeMoneyProvider({ ...FREE, apiUrl: free.url, timeoutMs: 1000, clock }),
    };
    sms = await new OrangeSmsSimulator().start();
    central = await startCentral(dialect, { clock, payments: { providers, reconcileEveryMs: 0 }, tracking: smsTracking(sms) });
    visitors = new Visitors(central.api, sms, undefined, clock);
    orange.setWebhookUrl(`${central.url}/api/payments/webhooks/orange_money`);
    // Enrolled as in the field: first start (its id), enrolment at head office, restart with the credential.
    const first = await startBranch({ clock });
    const credential = await central.enrol(first.server.branchId, 'Agence Plateau');
    await first.close();
    b = await startBranch({ dataDir: first.dataDir, passwords: first.passwords, clock, centralUrl: central.url, centralCredential: credential, sync: FAST_SYNC });
    branchId = b.server.branchId;
    admin = await b.login('admin');
    agent = await b.login('awa');
    kiosk = await b.kioskToken();
    serviceA = (await b.service('A')).id;
    serviceC = (await b.service('C')).id;
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, slotMinutes: 30, capacity: 2, horizonWorkingDays: 5 } })).status).toBe(200);
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceC}`, { token: admin, body: { enabled: true, capacity: 1, horizonWorkingDays: 3, minLeadMinutes: 0 } })).status).toBe(200);
    // The fee is set afterwards: a change of the catalogue reaches central with the appointment settings.
    expect((await b.api.request('PATCH', `/api/admin/services/${serviceA}`, { token: admin, body: { feeXof: DEPOSIT } })).status).toBe(200);
    await syncNow();
    await waitFor('the fee at central', async () => {
      const services = (await pub().get<PublicServiceView[]>(`/api/public/branches/${branchId}/services`)).body;
      return services.find((s) => s.id === serviceA)?.feeXof === DEPOSIT && services.length === 2;
    });
  });

  afterAll(async () => {
    await b?.destroy();
    await central?.destroy();
    for (const sim of [orange, free]) await sim?.close();
    await sms?.close();
  });

  it('the booking site sees which services ask a deposit', async () => {
    const services = (await pub().get<PublicServiceView[]>(`/api/public/branches/${branchId}/services`)).body;
    expect(services.map((s) => [s.prefix, s.feeXof])).toEqual([['A', DEPOSIT], ['C', null]]);
  });

  it('a booking pays its deposit by Orange Money: link and QR code, callback at central, the branch records it, the ticket shows it paid', async () => {
    const booking = await book(serviceA, '2026-12-22T10:00:00.000Z');
    expect(await deposit(booking.code)).toEqual({ code: booking.displayCode, feeXof: DEPOSIT, paidXof: 0, dueXof: DEPOSIT, pending: false, payments: [] });

    const commandId = randomUUID();
    const res = await pay(booking.code, { provider: 'orange_money', commandId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ provider: 'orange_money', status: 'pending', amountXof: DEPOSIT });
    expect(res.body.paymentUrl.startsWith(`${orange.url}/pay/`)).toBe(true);
    expect(res.body.qrSvg).toContain('<svg');
    const paymentId = res.body.paymentId;
    // The visitor's page retried (same command), or was reopened (no command): the same checkout, one QR code at Orange.
    expect((await pay(booking.code, { provider: 'orange_money', commandId })).body.paymentId).toBe(paymentId);
    expect((await pay(booking.code, { provider: 'orange_money' })).body.paymentId).toBe(paymentId);
    expect(orange.paymentsFor(paymentId)).toHaveLength(1);
    expect(orange.requests.filter((r) => r.path === '/api/eWallet/v4/qrcode').map((r) => r.headers['idempotency-key'])).toEqual([paymentId]);
    expect(await deposit(booking.code)).toMatchObject({ paidXof: 0, dueXof: DEPOSIT, pending: true, payments: [{ paymentId, method: 'orange_money', status: 'pending', paymentUrl: res.body.paymentUrl }] });

    // The visitor pays: Orange's callback (shared key) reaches central.
    expect((await orange.complete(paymentId)).map((d) => d.status)).toEqual([200]);
    expect(await deposit(booking.code)).toMatchObject({ paidXof: DEPOSIT, dueXof: 0, pending: false, payments: [{ paymentId, status: 'succeeded', paymentUrl: null }] });
    const again = await pay(booking.code, { provider: 'free_money' });
    expect([again.status, again.body.error.code]).toEqual([409, 'NOTHING_DUE']);
    const replay = await pay(booking.code, { provider: 'orange_money', commandId });
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ paymentId, status: 'succeeded', qrSvg: null });

    // The branch learns it through its feed, as a payment of the booking.
    await syncNow();
    expect(atBranch(paymentId)).toEqual({
      ticket_id: null, booking_id: (await cdb().selectFrom('payment_checkouts').select('booking_id').where('payment_id', '=', paymentId).executeTakeFirstOrThrow()).booking_id,
      service_id: serviceA, amount_xof: DEPOSIT, method: 'orange_money', channel: 'remote', status: 'succeeded', origin: 'checkout',
    });
    expect(branchHistory(paymentId)).toEqual(['created:central', 'succeeded:central']);

    // The visitor checks in: the ticket (what the agent app shows) owes nothing more.
    clock.set('2026-12-22T09:45:00Z');
    const checkIn = await b.api.post<CheckInResult>('/api/appointments/check-in', { code: booking.displayCode }, kiosk);
    expect(checkIn.status).toBe(201);
    const owed = (await b.api.get<TicketPayments>(`/api/tickets/${checkIn.body.ticket.id}/payments`, agent)).body;
    expect(owed).toMatchObject({ feeXof: DEPOSIT, paidXof: DEPOSIT, dueXof: 0, pending: false });
    expect(owed.payments.map((p) => [p.id, p.method, p.channel, p.status])).toEqual([[paymentId, 'orange_money', 'remote', 'succeeded']]);
    // Once checked in (and central knows it), anything left is paid at the branch, not online.
    await syncNow();
    const late = await pay(booking.code, { provider: 'orange_money' });
    expect([late.status, late.body.error.code]).toEqual([409, 'ALREADY_CHECKED_IN']);
  });

  it('a deposit by Free Money (aggregator, signed callback); central\'s totals equal the branch\'s', async () => {
    const booking = await book(serviceA, '2026-12-22T11:00:00.000Z', '+221761112233');
    const res = await pay(booking.code, { provider: 'free_money', commandId: randomUUID() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Pushed to the booking's phone.
    expect(free.paymentsFor(res.body.paymentId)).toMatchObject([{ phone: '+221761112233', amountXof: DEPOSIT }]);
    expect((await free.complete(res.body.providerRef)).map((d) => d.status)).toEqual([200]);
    expect((await deposit(booking.code)).dueXof).toBe(0);
    await syncNow();
    expect(atBranch(res.body.paymentId)).toMatchObject({ method: 'free_money', channel: 'remote', status: 'succeeded' });
    await syncNow(); // the branch's own facts about it go up

    const day = '2026-12-22';
    const atBranchTotals = (await b.api.get<PaymentTotals>(`/api/payments/totals?from=${day}&to=${day}`, await b.login('aminata'))).body;
    const atCentral = (await central.admin<PaymentTotals>('GET', `/api/central/payments/totals?from=${day}&to=${day}&branchId=${branchId}`)).body;
    expect(atBranchTotals.rows.map((r) => [r.day, r.serviceId, r.method, r.netXof])).toEqual([[day, serviceA, 'free_money', DEPOSIT], [day, serviceA, 'orange_money', DEPOSIT]]);
    expect(atCentral.rows).toEqual(atBranchTotals.rows);
    expect(atCentral.byService).toEqual(atBranchTotals.byService);
    expect(atCentral.total).toEqual(atBranchTotals.total);
    expect(atCentral.awaitingBranch).toEqual({ count: 0, amountXof: 0 });
  });

  it('refuses bad deposit requests clearly and opens nothing', async () => {
    const free1 = await book(serviceC, '2026-12-22T13:00:00.000Z');
    const cancelled = await book(serviceA, '2026-12-22T13:30:00.000Z');
    expect((await pub().post(`/api/public/bookings/${cancelled.code}/cancel`, { visitorToken: await visitors.token('+221771234567') })).status).toBe(200);
    const open = await book(serviceA, '2026-12-22T14:00:00.000Z');
    const before = (await cdb().selectFrom('payment_checkouts').select('payment_id').execute()).length;
    const calls = orange.requests.length + free.requests.length;
    const expectError = (res: { status: number; body: ErrorBody }, status: number, code: string) =>
      expect([res.status, res.body.error.code], JSON.stringify(res.body)).toEqual([status, code]);
    expectError(await pay(free1.code, { provider: 'orange_money' }), 409, 'NO_DEPOSIT');
    expectError(await pay(cancelled.code, { provider: 'orange_money' }), 409, 'BOOKING_CANCELLED');
    expectError(await pay(open.code, { provider: 'paypal' }), 400, 'VALIDATION_ERROR');
    expectError(await pay(open.code, { provider: 'wave' }), 422, 'PROVIDER_NOT_CONFIGURED');
    expectError(await pay(open.code, { provider: 'free_money', phone: '12' }), 400, 'VALIDATION_ERROR');
    expectError(await pay(open.code, { provider: 'free_money', amountXof: 1 }), 400, 'VALIDATION_ERROR');
    expectError(await pay(open.code, { provider: 'free_money', commandId: 'not-a-uuid' }), 400, 'VALIDATION_ERROR');
    expectError(await pay('ABCD-EFGH', { provider: 'free_money' }), 400, 'VALIDATION_ERROR');
    expectError(await pay('0000-0000', { provider: 'free_money' }), 404, 'BOOKING_NOT_FOUND');
    expectError(await pub().get<ErrorBody>('/api/public/bookings/0000-0000/deposit'), 404, 'BOOKING_NOT_FOUND');
    expect((await cdb().selectFrom('payment_checkouts').select('payment_id').execute()).length).toBe(before);
    expect(orange.requests.length + free.requests.length).toBe(calls);
    expect(await deposit(open.code)).toMatchObject({ feeXof: DEPOSIT, dueXof: DEPOSIT, payments: [] });
  });

  it('a kiosk payment that never got its link (provider not answering) is expired by the branch after 15 minutes', async () => {
    clock.set('2026-12-22T10:30:00Z');
    const issued = await b.api.issue(kiosk, { serviceId: serviceA });
    expect(issued.status).toBe(201);
    orange.stallNext(2);
    const res = await b.api.post<ErrorBody & { error: { details?: { paymentId?: string } } }>(`/api/tickets/${issued.body.id}/checkout`, { provider: 'orange_money' }, kiosk);
    expect([res.status, res.body.error.code]).toEqual([503, 'PROVIDER_UNAVAILABLE']);
    const id = res.body.error.details?.paymentId as string;
    expect((await b.api.get<PaymentView>(`/api/payments/${id}`, kiosk)).body).toMatchObject({ status: 'pending', checkout: null });

    clock.advanceMinutes(14);
    expect(b.server.services.payments.expireUnlinkedCheckouts()).toBe(0);
    clock.advanceMinutes(2);
    expect(b.server.services.payments.expireUnlinkedCheckouts()).toBe(1);
    expect((await b.api.get<PaymentView>(`/api/payments/${id}`, kiosk)).body.status).toBe('expired');
    expect(branchHistory(id)).toEqual(['created:branch', 'expired:branch']);
    expect((await b.api.get<TicketPayments>(`/api/tickets/${issued.body.id}/payments`, agent)).body).toMatchObject({ paidXof: 0, dueXof: DEPOSIT, pending: false });
  });
});
