// The ticket and counter rules on the service layer alone (a SQLite file, no HTTP): fast, and the same code the
// HTTP routes and socket commands run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import type { Actor } from '../core/actor.js';
import { counterCallOrder } from '../../shared/domain/call-policy.js';
import { isWaitingStatus } from '../../shared/domain/ticket-state.js';

describe('ticket and counter rules (service level)', () => {
  let p: TestParts;
  let awa: Actor;
  let moussa: Actor;
  let aminata: Actor;
  let serviceA: string;
  let counter1: string;
  let counter2: string;

  beforeEach(async () => {
    p = await buildTestParts('2026-03-10T09:00:00Z');
    const staff = (login: string): Actor => {
      const u = p.ctx.store.sqlite.prepare('SELECT id, role, display_name FROM users WHERE login = ?').get(login) as { id: string; role: 'agent' | 'supervisor'; display_name: string };
      return { kind: 'staff', userId: u.id, role: u.role, displayName: u.display_name };
    };
    awa = staff('awa');
    moussa = staff('moussa');
    aminata = staff('aminata');
    serviceA = p.catalog.list().find((s) => s.prefix === 'A')?.id as string;
    counter1 = p.counters.list().find((c) => c.number === 1)?.id as string;
    counter2 = p.counters.list().find((c) => c.number === 2)?.id as string;
  });
  afterEach(() => p.close());

  const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
  const issue = () => p.tickets.issue({ serviceId: serviceA }, kiosk);
  const code = (fn: () => unknown) => { try { fn(); } catch (err) { return (err as { code?: string }).code; } return 'no error'; };

  it('call-next opens a closed counter for the agent, once, with its history row', () => {
    const t = issue();
    const called = p.tickets.callNext(counter1, awa);
    expect(called).toMatchObject({ id: t.id, status: 'called', counterId: counter1 });
    expect(p.counters.get(counter1)).toMatchObject({ status: 'open', agentId: (awa as { userId: string }).userId, currentTicketId: t.id });
    const history = p.ctx.store.sqlite.prepare('SELECT type, to_status FROM counter_events WHERE counter_id = ?').all(counter1);
    expect(history).toEqual([{ type: 'opened', to_status: 'open' }]);
  });

  it('a busy counter calls nobody new and cannot close until its ticket is finished', () => {
    issue();
    issue();
    const first = p.tickets.callNext(counter1, awa);
    expect(code(() => p.tickets.callNext(counter1, awa))).toBe('COUNTER_BUSY');
    expect(code(() => p.counters.setStatus(counter1, 'closed', awa))).toBe('COUNTER_BUSY');
    p.tickets.noShow(first?.id as string, awa);
    expect(p.counters.setStatus(counter1, 'closed', awa)).toMatchObject({ status: 'closed', agentId: null });
  });

  it('an agent works only at the counter they hold; a supervisor anywhere', () => {
    issue();
    issue();
    p.tickets.callNext(counter1, awa);
    expect(code(() => p.tickets.callNext(counter1, moussa))).toBe('FORBIDDEN');
    const t = p.counters.get(counter1).currentTicketId as string;
    expect(p.tickets.start(t, aminata)).toMatchObject({ status: 'serving' });
  });

  it('taking a counter releases the idle one the agent held', () => {
    p.counters.setStatus(counter1, 'open', awa);
    p.counters.setStatus(counter2, 'open', awa);
    expect(p.counters.get(counter1)).toMatchObject({ status: 'closed', agentId: null });
    expect(p.counters.get(counter2)).toMatchObject({ status: 'open' });
  });

  it('an illegal transition changes nothing (409 before 403)', () => {
    const t = issue();
    expect(code(() => p.tickets.start(t.id, awa))).toBe('INVALID_TRANSITION');
    expect(code(() => p.tickets.complete(t.id, aminata, {}))).toBe('INVALID_TRANSITION');
    expect(p.ticketViews.getTicket(t.id).status).toBe('waiting');
  });

  it('a repeated command id calls once and answers the same ticket', () => {
    issue();
    issue();
    const commandId = crypto.randomUUID();
    const first = p.tickets.callNext(counter2, moussa, commandId);
    const again = p.tickets.callNext(counter2, moussa, commandId);
    expect(again?.id).toBe(first?.id);
    const waiting = p.ticketViews.activeViews().filter((v) => v.status === 'waiting');
    expect(waiting).toHaveLength(1);
  });

  it('positions follow the call rule and estimates the measured service times', () => {
    const a = issue();
    const b = issue();
    expect(p.ticketViews.getTicket(b.id).position).toBe(2);
    p.tickets.callNext(counter2, moussa);
    p.tickets.start(a.id, moussa);
    p.clock.advanceMinutes(10);
    p.tickets.complete(a.id, moussa, {});
    expect(p.ticketViews.getTicket(b.id)).toMatchObject({ position: 1 });
    // (10 min measured + 4 min default × 2) / 3 = 6 min, one open counter
    expect(p.ticketViews.getTicket(b.id).estimatedWaitMinutes).toBe(6);
  });

  it('screens hear of a call after its commit, counter after ticket', () => {
    issue();
    const heard: string[] = [];
    p.ctx.events.on('ticket.called', () => heard.push(`called:${p.ctx.store.sqlite.inTransaction}`));
    p.ctx.events.on('counter.changed', () => heard.push(`counter:${p.ctx.store.sqlite.inTransaction}`));
    p.tickets.callNext(counter1, awa);
    expect(heard).toEqual(['called:false', 'counter:false']);
  });
  it("the agent's next list is the order call-next follows at a counter serving several lines", () => {
    const serviceC = p.catalog.list().find((s) => s.prefix === 'C')?.id as string;
    const counter = p.counters.get(counter1); // A then C
    expect(counter.serviceIds).toContain(serviceC);
    for (const [serviceId, priority] of [[serviceA, undefined], [serviceC, undefined], [serviceA, 'elderly'], [serviceC, undefined], [serviceA, undefined]] as const) {
      p.tickets.issue({ serviceId, ...(priority && { priority }) }, kiosk);
      p.clock.advanceMinutes(4);
    }
    const called: string[] = [];
    for (;;) {
      const closed = new Set(p.catalog.list().filter((s) => s.status === 'closed').map((s) => s.id));
      const waiting = p.ticketViews.activeViews().filter((x) => isWaitingStatus(x.status) && !x.parkedAt);
      const shown = counterCallOrder(waiting, p.counters.get(counter1), closed, p.clock.now());
      const next = p.tickets.callNext(counter1, awa);
      if (!next) { expect(shown).toEqual([]); break; }
      expect(next.id, `call ${called.length + 1}`).toBe(shown[0]?.id);
      called.push(next.number);
      p.tickets.start(next.id, awa);
      p.clock.advanceMinutes(1);
      p.tickets.complete(next.id, awa, {});
    }
    // Not each line's own order (A001, A002, A003 then C001, C002): the lines interleave by the rule.
    expect(called).toHaveLength(5);
    expect(called).not.toEqual(['A001', 'A002', 'A003', 'C001', 'C002']);
  });

  it('promises no minutes while no counter of the service is open', () => {
    const t = issue();
    expect(p.ticketViews.getTicket(t.id)).toMatchObject({ position: 1, estimatedWaitMinutes: null, noOpenCounter: true });
    p.counters.setStatus(counter2, 'open', moussa);
    expect(p.ticketViews.getTicket(t.id)).toMatchObject({ position: 1, estimatedWaitMinutes: 4, noOpenCounter: false });
  });
});
