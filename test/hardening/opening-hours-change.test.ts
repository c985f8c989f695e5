// Issue 14, point 14: changing the branch's opening hours mid-day never ends a waiting visitor's ticket by itself;
// the admin can see first how many tickets the change concerns (POST /api/admin/branch/preview).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BranchChangePreview, CommandResult, TicketView } from '../../server/src/shared/contracts/api.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { TestClock } from '../support/clock.js';

const day = (open: string, close: string) => [{ open, close }];
const week = (open: string, close: string) => ({ 1: day(open, close), 2: day(open, close), 3: day(open, close), 4: day(open, close), 5: day(open, close), 6: day(open, close), 7: day(open, close) });

describe('opening hours changed mid-day', () => {
  const clock = new TestClock('2026-11-24T19:36:00Z'); // a Tuesday, 19:36 in Dakar
  let b: TestBranch;
  let admin: string;
  let aminata: string;
  let kiosk: string;
  const status = async (id: string) => (await b.api.get<TicketView>(`/api/tickets/${id}`)).body.status;

  beforeAll(async () => {
    b = await startBranch({ clock });
    admin = await b.login('admin');
    aminata = await b.login('aminata');
    kiosk = await b.kioskToken();
    expect((await b.api.request('PATCH', '/api/admin/branch', { token: admin, body: { openingHours: week('00:00', '24:00') } })).status).toBe(200);
    for (const s of await b.services()) await b.api.request('PATCH', `/api/admin/services/${s.id}`, { token: admin, body: { openingHours: null } });
  });
  afterAll(async () => { await b?.destroy(); });

  it('the admin is told first; the waiting tickets stay callable until a supervisor closes the day', async () => {
    // The demo branch is open all day: its day ends at midnight.
    const service = await b.service('A');
    const tickets: TicketView[] = [];
    for (let i = 0; i < 3; i++) tickets.push((await b.api.issue(kiosk, { serviceId: service.id })).body);

    const preview = await b.api.post<BranchChangePreview>('/api/admin/branch/preview', { openingHours: week('08:00', '16:00') }, admin);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ waitingTickets: 3, pastClosing: 3, openNow: false, closesAt: '2026-11-24T16:00:00.000Z' });
    expect(await Promise.all(tickets.map((t) => status(t.id)))).toEqual(['waiting', 'waiting', 'waiting']); // a preview changes nothing

    expect((await b.api.request('PATCH', '/api/admin/branch', { token: admin, body: { openingHours: week('08:00', '16:00') } })).status).toBe(200);
    expect(b.server.services.tickets.expireAtClosing()).toBe(0);
    clock.advanceMinutes(30);
    expect(b.server.services.tickets.expireAtClosing()).toBe(0);
    expect(await Promise.all(tickets.map((t) => status(t.id)))).toEqual(['waiting', 'waiting', 'waiting']);
    // Still callable…
    const counter = await b.counter(1);
    expect((await b.api.post(`/api/counters/${counter.id}/status`, { status: 'open' }, aminata)).status).toBe(200);
    const called = await b.api.post<CommandResult>(`/api/counters/${counter.id}/call-next`, {}, aminata);
    expect(called.body.ticket?.id).toBe(tickets[0]?.id);
    // …until the supervisor closes the day.
    const closed = await b.api.post<{ expired: number }>('/api/branch/close-day', {}, aminata);
    expect(closed.body.expired).toBe(2);
  });

  it('the next day the new hours apply as usual', async () => {
    clock.set('2026-11-25T15:00:00Z'); // Wednesday 15:00
    const ticket = (await b.api.issue(kiosk, { serviceId: (await b.service('B')).id })).body;
    expect(b.server.services.tickets.expireAtClosing()).toBe(0);
    clock.set('2026-11-25T16:00:00Z');
    expect(b.server.services.tickets.expireAtClosing()).toBe(1);
    expect(await status(ticket.id)).toBe('expired');
  });
});
