// End-of-day expiry works out each branch day's closing once (not once per ticket): tickets of different days in the
// line each expire at the end of their own day. A long line at closing is expired in bounded batches, one commit
// each, the sweep running again on the next turns of the event loop until none is left.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper, SWEEP_MORE } from '../sweeper.js';
import { EXPIRY_BATCH } from './ticket.commands.js';
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

  it('expires a long line at closing in batches, on successive turns of the event loop', async () => {
    clock.set('2026-11-26T09:00:00Z'); // Thursday: Wednesday's line is gone
    const kiosk = await b.kioskToken();
    const serviceA = (await b.service('A')).id;
    const line = EXPIRY_BATCH * 2 + 5;
    const ids: string[] = [];
    for (let i = 0; i < line; i++) ids.push((await b.api.issue(kiosk, { serviceId: serviceA })).body.id);
    const waiting = () => ids.filter((id) => b.server.services.ticketViews.getTicket(id).status === 'waiting').length;
    clock.set('2026-11-26T17:00:00Z');
    const tickets = b.server.services.tickets;
    expect(tickets.expireAtClosing()).toBe(EXPIRY_BATCH);
    expect(waiting()).toBe(line - EXPIRY_BATCH);

    // The sweep's step, as the server lists it: the rest go on the next turns, not 30 s later.
    const runs: number[] = [];
    const sweeper = startSweeper([() => {
      const n = tickets.expireAtClosing();
      runs.push(n);
      return n === EXPIRY_BATCH ? SWEEP_MORE : undefined;
    }], pino({ level: 'silent' }), 60_000);
    expect(runs).toEqual([EXPIRY_BATCH]); // the first run is synchronous, one batch only
    await new Promise((resolve) => setTimeout(resolve, 50));
    sweeper.stop();
    expect(runs).toEqual([EXPIRY_BATCH, 5]);
    expect(waiting()).toBe(0);
  });

  it('a stopped sweep runs no pending batch', async () => {
    let runs = 0;
    const sweeper = startSweeper([() => { runs += 1; return SWEEP_MORE; }], pino({ level: 'silent' }), 60_000);
    sweeper.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toBe(1);
  });
});
