// The branch's `absent` rule for remote tickets, on the service layer over a SQLite file: under `skip` call-next
// passes over a visitor who has not checked in (one history row, the grace time starts), calls them first once they
// check in, and the sweep makes them a no-show when the grace time is over; under `call` they are called in turn.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import { staffActor } from '../../../../test/support/actors.js';
import type { Actor } from '../core/actor.js';
import { saveRemoteSettings } from './remote-joins.js';

describe('absent remote visitors at call-next', () => {
  let p: TestParts;
  let awa: Actor;
  let serviceA: string;
  let counter1: string;
  const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
  const system: Actor = { kind: 'system' };

  beforeEach(async () => {
    p = await buildTestParts('2026-03-10T09:00:00Z');
    awa = staffActor(p.ctx.store, 'awa');
    serviceA = p.catalog.list().find((s) => s.prefix === 'A')?.id as string;
    counter1 = p.counters.list().find((c) => c.number === 1)?.id as string;
  });
  afterEach(() => p.close());

  const events = (ticketId: string) => p.ctx.store.sqlite.prepare('SELECT type FROM ticket_events WHERE ticket_id = ? ORDER BY rowid').all(ticketId).map((r) => (r as { type: string }).type);
  const remote = () => p.tickets.issue({ serviceId: serviceA, channel: 'web', phone: '+221771234567' }, system);
  const walkIn = () => p.tickets.issue({ serviceId: serviceA }, kiosk);
  const minutes = (n: number) => p.clock.advance(n * 60_000);
  const finish = (ticketId: string) => { p.tickets.start(ticketId, awa); p.tickets.complete(ticketId, awa, {}); };

  it('skip: the absent visitor is passed over once, keeps the place, and is called first after checking in', () => {
    saveRemoteSettings(p.ctx.store, { absent: 'skip', graceMinutes: 20 }, p.clock.now().toISOString());
    const r = remote();
    minutes(1);
    const w1 = walkIn();
    const w2 = walkIn();
    expect(r.arrivedAt).toBeNull();

    const first = p.tickets.callNext(counter1, awa);
    expect(first?.id).toBe(w1.id);
    const passed = p.ticketViews.getTicket(r.id);
    expect(passed).toMatchObject({ status: 'waiting', passedOverAt: p.clock.now().toISOString() });
    finish(w1.id);

    // Passed over again: its grace keeps counting from the first time (one history row).
    minutes(2);
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(w2.id);
    expect(p.ticketViews.getTicket(r.id).passedOverAt).toBe(passed.passedOverAt);
    finish(w2.id);
    const w3 = walkIn();
    p.tickets.arrive(r.id, kiosk);
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(r.id);
    expect(events(r.id)).toEqual(['issued', 'passed_over', 'arrived', 'called']);
    finish(r.id);
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(w3.id);
  });

  it('skip: a visitor still absent when the grace time is over becomes a no-show, not before', () => {
    saveRemoteSettings(p.ctx.store, { absent: 'skip', graceMinutes: 10 }, p.clock.now().toISOString());
    const r = remote();
    const w = walkIn();
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(w.id);
    minutes(9);
    expect(p.tickets.sweepAbsent()).toBe(0);
    expect(p.ticketViews.getTicket(r.id).status).toBe('waiting');
    minutes(2);
    expect(p.tickets.sweepAbsent()).toBe(1);
    expect(p.ticketViews.getTicket(r.id)).toMatchObject({ status: 'no_show' });
    expect(events(r.id)).toEqual(['issued', 'passed_over', 'no_show']);
    const outbox = p.ctx.store.sqlite.prepare("SELECT event_type FROM outbox WHERE aggregate_id = ? ORDER BY rowid").all(r.id).map((x) => (x as { event_type: string }).event_type);
    expect(outbox).toEqual(['ticket.issued', 'ticket.passed_over', 'ticket.no_show']);
  });

  it('skip: a remote ticket nobody passed over yet is not swept (its grace has not started)', () => {
    saveRemoteSettings(p.ctx.store, { absent: 'skip', graceMinutes: 1 }, p.clock.now().toISOString());
    const r = remote();
    minutes(30);
    expect(p.tickets.sweepAbsent()).toBe(0);
    expect(p.ticketViews.getTicket(r.id).status).toBe('waiting');
  });

  it('call (the default): the absent visitor is called in turn, and the sweep does nothing', () => {
    const r = remote();
    minutes(1);
    walkIn();
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(r.id);
    expect(p.ticketViews.getTicket(r.id).passedOverAt).toBeNull();
    expect(p.tickets.sweepAbsent()).toBe(0);
  });
});
