// The staff coalescing window of the fan-out, on a fake clock: the rule is about milliseconds, which a loaded CI
// machine cannot promise (test/integration/branch-fanout.test.ts shows the batches over real Socket.IO).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CounterView, QueueSummary, TicketView } from '../../shared/contracts/api.js';
import type { Audience, BranchSnapshot, CallEvent, ChangeBatch } from '../../shared/contracts/events.js';
import type { TicketRow } from '../tickets/ticket.repository.js';
import { Fanout, STAFF_COALESCE_MS } from './fanout.js';

const ticket = (id: string, status = 'waiting'): TicketRow => ({ id, service_id: 's1', status } as TicketRow);
const view = (row: TicketRow): TicketView => ({ id: row.id, status: row.status } as TicketView);
const call = (ticketId: string): CallEvent => ({
  ticketId, number: 'A001', serviceId: 's1', queueType: 'normal', counterId: 'c1', counterNumber: 1, counterName: 'Guichet 1', at: '2026-03-10T09:00:00.000Z', recall: false,
});

describe('fan-out: staff coalescing window', () => {
  let sent: Array<{ audience: Audience; batch: ChangeBatch }>;
  let fanout: Fanout;
  const staffTickets = () => sent.filter((s) => s.audience === 'staff' && s.batch.tickets).map((s) => s.batch.tickets?.map((t) => t.id));
  const turn = () => vi.advanceTimersToNextTimerAsync(); // runs the next setImmediate or timer

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
    sent = [];
    const queue = { services: [] } as unknown as QueueSummary;
    fanout = new Fanout({
      state: { snapshot: () => ({ queue } as unknown as BranchSnapshot), queueSummary: () => queue },
      ticketViews: { view, lineEdges: () => [] },
      counters: { find: (id: string) => ({ id } as CounterView) },
      size: (audience) => (audience === 'kiosks' ? 0 : 1),
      emit: (audience, batch) => { sent.push({ audience, batch }); },
      now: () => Date.now(), // the fake clock: real time under CI load must not end a window early
    });
  });
  afterEach(() => {
    fanout.close();
    vi.useRealTimers();
  });

  it('sends the first change at once, then lets staff-only changes within the window share one batch', async () => {
    fanout.issued(ticket('t1'));
    await turn();
    expect(staffTickets()).toEqual([['t1']]);
    vi.advanceTimersByTime(2);
    fanout.issued(ticket('t2'));
    fanout.changed(ticket('t0', 'served'));
    fanout.counterChanged('c1');
    vi.advanceTimersByTime(STAFF_COALESCE_MS - 4); // still inside the window: nothing sent yet
    expect(staffTickets()).toEqual([['t1']]);
    vi.advanceTimersByTime(4);
    expect(staffTickets()).toEqual([['t1'], ['t2', 't0']]);
    expect(sent.filter((s) => s.audience === 'displays' && (s.batch.tickets || s.batch.calls))).toEqual([]);
  });

  it('sends a call to the boards at the end of its turn, and to staff with the changes of its window', async () => {
    const callsTo = (audience: Audience) => sent.filter((s) => s.audience === audience).flatMap((s) => s.batch.calls ?? []).map((c) => c.ticketId);
    fanout.issued(ticket('t1'));
    await turn();
    fanout.issued(ticket('t2')); // inside the window: waits
    fanout.called(ticket('t3', 'called'), call('t3'));
    await turn(); // the call's setImmediate, long before the window ends
    expect(callsTo('displays')).toEqual(['t3']);
    expect(staffTickets()).toEqual([['t1']]);
    expect(callsTo('staff')).toEqual([]);
    vi.advanceTimersByTime(STAFF_COALESCE_MS);
    expect(staffTickets()).toEqual([['t1'], ['t2', 't3']]);
    expect(callsTo('staff')).toEqual(['t3']);
    expect(callsTo('displays')).toEqual(['t3']); // announced once
  });

  it('sends an alert to staff at once, with the changes that waited', async () => {
    fanout.issued(ticket('t1'));
    await turn();
    fanout.issued(ticket('t2'));
    fanout.alertRaised({ id: 'a1', kind: 'long_wait', severity: 'warning', message: 'A: 40 min', at: '2026-03-10T09:00:00.000Z' });
    await turn();
    const staff = sent.filter((s) => s.audience === 'staff');
    expect(staff.map((s) => [s.batch.tickets?.map((t) => t.id), s.batch.alerts?.map((a) => a.id)])).toEqual([[['t1'], undefined], [['t2'], ['a1']]]);
  });

  it('flushes what waits before a snapshot, so a connecting screen neither misses it nor gets it twice', async () => {
    fanout.issued(ticket('t1'));
    await turn();
    fanout.issued(ticket('t2'));
    fanout.snapshotFor('staff');
    expect(staffTickets()).toEqual([['t1'], ['t2']]);
    vi.advanceTimersByTime(STAFF_COALESCE_MS * 2);
    expect(staffTickets()).toEqual([['t1'], ['t2']]);
  });
});
