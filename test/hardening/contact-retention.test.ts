// Issue 14, point 18 (loi n° 2008-12): visitors' phone numbers and e-mail addresses are kept only while the ticket
// or booking needs them plus the retention period (30 days by default), then erased at the branch and at central;
// the tickets, bookings and figures stay, and head office's figures never carried a contact. Real branch and central
// (SQLite, and PostgreSQL when reachable), on a clock the test moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, Health, TicketView } from '../../server/src/shared/contracts/api.js';
import type { BookingCreated, PublicServiceView, SlotsResponse } from '../../server/src/shared/contracts/appointments.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { TestClock } from '../support/clock.js';
import { Visitors } from '../support/visitor.js';
import { centralDialects } from '../support/postgres.js';

const dialects = await centralDialects();
const PHONE = '+221776543210';
const EMAIL = 'mariama.sow@example.sn';

describe.each(dialects)('contact data retention (%s central)', (dialect) => {
  const clock = new TestClock('2026-02-10T10:00:00Z'); // a Tuesday in Dakar
  let sms: OrangeSmsSimulator;
  let central: TestCentral;
  let b: SyncedBranch;
  let old: TicketView;
  let code: string;

  const branchRow = (sqlText: string, ...args: unknown[]) => b.server.services.ctx.store.sqlite.prepare(sqlText).get(...args) as Record<string, unknown> | undefined;
  const centralCount = async (table: string, column: string, needle: string) => {
    const rows = await central.server.db.selectFrom(table as never).select(column as never).execute() as Array<Record<string, unknown>>;
    return rows.filter((r) => String(r[column]).includes(needle)).length;
  };
  async function synced(): Promise<void> {
    await waitFor('the outbox to drain', async () => {
      const h = (await b.api.get<Health>('/api/health')).body.sync;
      return h.backlog === 0 && h.lastError === null;
    }, 30_000);
  }

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    central = await startCentral(dialect, {
      clock,
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000', senderName: 'SmartQueue' } } },
    });
    b = await startSyncedBranch(central, { clock });
    const admin = await b.login('admin');
    const awa = await b.login('awa');
    const kiosk = await b.kioskToken();
    const service = await b.service('A');
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${service.id}`, { token: admin, body: { enabled: true, minLeadMinutes: 0 } })).status).toBe(200);
    await waitFor('the service bookable at central', async () =>
      (await central.api.get<PublicServiceView[]>(`/api/public/branches/${b.server.branchId}/services`)).body.length === 1);

    // A visitor leaves a phone and an e-mail at the kiosk and is served; another books with them.
    old = (await b.api.issue(kiosk, { serviceId: service.id, phone: PHONE, email: EMAIL })).body;
    const counter = await b.counter(1);
    await b.api.post(`/api/counters/${counter.id}/status`, { status: 'open' }, awa);
    const called = (await b.api.post<CommandResult>(`/api/counters/${counter.id}/call-next`, {}, awa)).body.ticket;
    expect(called?.id).toBe(old.id);
    await b.api.post(`/api/tickets/${old.id}/start`, {}, awa);
    expect((await b.api.post(`/api/tickets/${old.id}/complete`, {}, awa)).status).toBe(200);
    const slot = (await central.api.get<SlotsResponse>(`/api/public/branches/${b.server.branchId}/services/${service.id}/slots`)).body.slots[0];
    // The booking's phone is confirmed first (issue 18), through the real code flow.
    const visitorToken = await new Visitors(central.api, sms).token(PHONE);
    const booked = await central.api.post<BookingCreated>('/api/public/bookings', { branchId: b.server.branchId, serviceId: service.id, startsAt: slot?.startsAt, name: 'Mariama Sow', phone: PHONE, email: EMAIL, visitorToken });
    expect(booked.status).toBe(201);
    code = booked.body.booking.code;
    await b.server.sync?.syncNow();
    await synced();
  });
  afterAll(async () => {
    await b?.destroy();
    await central?.destroy();
    await sms?.close();
  });

  it('keeps the contacts while needed, erases them at both ends after the period, keeps the tickets and figures', async () => {
    // Held while the period runs: at the branch and in what central received.
    expect(branchRow('SELECT phone, email FROM tickets WHERE id = ?', old.id)).toEqual({ phone: PHONE, email: EMAIL });
    expect(await centralCount('sync_events', 'payload', PHONE)).toBeGreaterThan(0);
    expect(await centralCount('bookings', 'phone', PHONE)).toBe(1);
    expect(await b.server.services.retention.eraseExpired()).toMatchObject({ tickets: 0 });
    expect((await central.server.retention.eraseExpired()).bookings).toBe(0);

    clock.advance(31 * 86_400_000);
    const fresh = (await b.api.issue(await b.kioskToken(), { serviceId: old.serviceId, phone: PHONE })).body; // a new visit: its contact is needed
    const atBranch = b.server.services.retention.eraseExpired();
    expect(atBranch.tickets).toBe(1);
    expect(atBranch.outbox).toBeGreaterThan(0);
    await central.server.retention.eraseExpired();

    // Branch: the ticket stays, served, without its contacts; nothing left in the outbox copies but the new visit's.
    expect(branchRow('SELECT status, phone, email FROM tickets WHERE id = ?', old.id)).toEqual({ status: 'served', phone: null, email: null });
    expect(branchRow('SELECT phone FROM tickets WHERE id = ?', fresh.id)).toEqual({ phone: PHONE });
    const outboxWith = b.server.services.ctx.store.sqlite.prepare('SELECT aggregate_id FROM outbox WHERE payload LIKE ? OR payload LIKE ?').all(`%${PHONE}%`, `%${EMAIL}%`) as Array<{ aggregate_id: string }>;
    expect(outboxWith.every((r) => r.aggregate_id === fresh.id)).toBe(true);
    expect(branchRow('SELECT phone, email FROM bookings WHERE code = ?', code)).toEqual({ phone: null, email: null });

    // Central: the booking stays without its contacts, the raw records and subscriptions lose them, figures stay.
    const booking = await central.server.db.selectFrom('bookings' as never).select(['status', 'phone', 'email'] as never).where('code' as never, '=', code as never).executeTakeFirst() as Record<string, unknown>;
    expect(booking).toMatchObject({ phone: null, email: null });
    expect(await centralCount('bookings', 'code', code)).toBe(1);
    await waitFor('the new visit at central', async () => (await centralCount('sync_events', 'aggregate_id', fresh.id)) > 0);
    const stillThere = await central.server.db.selectFrom('sync_events' as never).select(['aggregate_id', 'payload'] as never).execute() as Array<{ aggregate_id: string; payload: string }>;
    expect(stillThere.filter((r) => r.payload.includes(PHONE) || r.payload.includes(EMAIL)).every((r) => r.aggregate_id === fresh.id)).toBe(true);
    expect(await centralCount('tracking_subscriptions', 'recipient', EMAIL)).toBe(0);
    const stats = await central.admin<unknown>('GET', `/api/central/branches/${b.server.branchId}/stats?day=2026-02-10`);
    expect(stats.status).toBe(200);
    expect(JSON.stringify(stats.body)).toMatch(/"served":1/);
    expect(JSON.stringify(stats.body)).not.toContain(PHONE.slice(4));
  });
});
