// End-of-day expiry works out each branch day's closing once (not once per ticket): tickets of different days in the
// line each expire at the end of their own day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../shared/contracts/api.js';
import { startBranch, type TestBranch } from '../../../../test/support/branch.js';
import { TestClock } from '../../../../test/support/clock.js';

describe('end-of-day expiry with several days in the line', () => {
  const clock = new TestClock('2026-11-24T16:00:00Z'); // Tuesday 16:00 in Dakar
  let b: TestBranch;
  beforeAll(async () => { b = await startBranch({ clock }); });
  afterAll(async () => { await b.destroy(); });

  it("expires yesterday's waiting tickets, not today's, and today's at today's closing", async () => {
    const hours = { open: '08:00', close: '17:00' };
    await b.api.request('PATCH', '/api/admin/branch', { token: await b.login('admin'), body: { openingHours: { 1: [hours], 2: [hours], 3: [hours], 4: [hours], 5: [hours], 6: [], 7: [] } } });
    const kiosk = await b.kioskToken();
    const serviceA = (await b.service('A')).id;
    const issue = async () => (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    const status = async (t: TicketView) => (await b.api.get<TicketView>(`/api/tickets/${t.id}`)).body.status;
    const tuesday = [await issue(), await issue()];

    // Wednesday morning, before any sweep: Tuesday's tickets are still in the line with Wednesday's.
    clock.set('2026-11-25T09:00:00Z');
    const wednesday = [await issue(), await issue()];
    // (The server's own 30-second sweep may run too: the statuses, not the counts, are checked.)
    b.server.services.tickets.expireAtClosing();
    expect(await Promise.all(tuesday.map(status))).toEqual(['expired', 'expired']);
    expect(await Promise.all(wednesday.map(status))).toEqual(['waiting', 'waiting']);

    clock.set('2026-11-25T16:59:59Z');
    b.server.services.tickets.expireAtClosing();
    expect(await Promise.all(wednesday.map(status))).toEqual(['waiting', 'waiting']);
    clock.set('2026-11-25T17:00:00Z');
    b.server.services.tickets.expireAtClosing();
    expect(await Promise.all(wednesday.map(status))).toEqual(['expired', 'expired']);
  });
});
