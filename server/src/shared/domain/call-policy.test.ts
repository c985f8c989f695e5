import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QueueType } from '../contracts/domain.js';
import {
  APPOINTMENT_DUE_BONUS_MINUTES, APPOINTMENT_DUE_LEAD_MINUTES, CLASS_BONUS_MINUTES, counterCallContext, counterCallOrder, decideCall, isCandidateAt, pickNext, rankForCall,
  type CallCandidate,
} from './call-policy.js';

const T0 = Date.parse('2026-11-24T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
let n = 0;
const ticket = (queueType: QueueType, issuedMinute: number, extra: Partial<CallCandidate> = {}): CallCandidate => ({
  id: `t${String(++n).padStart(4, '0')}`, serviceId: 'A', queueType, issuedAt: at(issuedMinute), dueAt: null, targetCounterId: null, ...extra,
});

describe('call-next policy', () => {
  it('is FIFO within a class', () => {
    const a = ticket('normal', 0), b = ticket('normal', 1), c = ticket('normal', 2);
    expect(rankForCall([c, a, b], { now: new Date(at(10)), counterId: 'k1' }).map((t) => t.id)).toEqual([a.id, b.id, c.id]);
  });

  it('calls priority classes first when waits are comparable', () => {
    const normal = ticket('normal', 0), priority = ticket('priority', 5), vip = ticket('vip', 6);
    expect(rankForCall([normal, priority, vip], { now: new Date(at(10)), counterId: 'k1' }).map((t) => t.queueType)).toEqual(['vip', 'priority', 'normal']);
  });

  it('ages: a normal ticket is not overtaken by priority tickets issued more than 15 minutes after it', () => {
    const normal = ticket('normal', 0);
    const latePriority = ticket('priority', 16);
    expect(pickNext([latePriority, normal], { now: new Date(at(20)), counterId: 'k1' })?.id).toBe(normal.id);
    const closePriority = ticket('priority', 14);
    expect(pickNext([closePriority, normal], { now: new Date(at(20)), counterId: 'k1' })?.id).toBe(closePriority.id);
  });

  it('never lets a stream of priority tickets starve a normal one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 600 }), (priorityMinutes, normalMinute) => {
        const normal = ticket('normal', normalMinute);
        const priorities = priorityMinutes.map((m) => ticket('priority', m));
        const now = new Date(at(700));
        const order = rankForCall([...priorities, normal], { now, counterId: 'k1' });
        const ahead = order.slice(0, order.findIndex((t) => t.id === normal.id));
        // Only priority tickets issued less than the class bonus after the normal one may be ahead of it.
        return ahead.every((t) => Date.parse(t.issuedAt) - Date.parse(normal.issuedAt) <= CLASS_BONUS_MINUTES.priority * 60_000);
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it("follows the counter's order of services, with aging across services", () => {
    const a = ticket('normal', 5, { serviceId: 'A' });
    const b = ticket('normal', 0, { serviceId: 'B' });
    expect(pickNext([a, b], { now: new Date(at(10)), counterId: 'k1', serviceOrder: ['A', 'B'] })?.id).toBe(a.id);
    const oldB = ticket('normal', -20, { serviceId: 'B' });
    expect(pickNext([a, oldB], { now: new Date(at(10)), counterId: 'k1', serviceOrder: ['A', 'B'] })?.id).toBe(oldB.id);
  });

  it('a ticket transferred to a counter is called only there, and first there', () => {
    const normal = ticket('normal', 0);
    const toK2 = ticket('normal', 5, { targetCounterId: 'k2' });
    expect(rankForCall([normal, toK2], { now: new Date(at(10)), counterId: 'k1' }).map((t) => t.id)).toEqual([normal.id]);
    expect(pickNext([normal, toK2], { now: new Date(at(10)), counterId: 'k2' })?.id).toBe(toK2.id);
  });

  it('an appointment counts from its booked time, not from an early check-in', () => {
    const walkIn = ticket('normal', 0);
    const early = ticket('appointment', 1, { dueAt: at(60) });
    expect(pickNext([walkIn, early], { now: new Date(at(10)), counterId: 'k1' })?.id).toBe(walkIn.id);
    const laterWalkIn = ticket('normal', 40);
    expect(pickNext([laterWalkIn, early], { now: new Date(at(55)), counterId: 'k1' })?.id).toBe(early.id);
  });

  it('a due appointment goes ahead of the walk-ins of its service who arrived less than 60 minutes before its time', () => {
    // Booked for minute 60, checked in at minute 30; walk-ins from minutes 10 and 50.
    const appointment = ticket('appointment', 30, { dueAt: at(60) });
    const walkIn10 = ticket('normal', 10);
    const walkIn50 = ticket('normal', 50);
    const priority = ticket('priority', 45);
    // Due from 5 minutes before its time on.
    const due = new Date(at(60 - APPOINTMENT_DUE_LEAD_MINUTES));
    expect(rankForCall([walkIn10, walkIn50, priority, appointment], { now: due, counterId: 'k1' })[0]?.id).toBe(appointment.id);
    // A walk-in who arrived more than 60 minutes before the booked time still goes first.
    const longWaiting = ticket('normal', 60 - APPOINTMENT_DUE_BONUS_MINUTES - 1);
    expect(pickNext([appointment, longWaiting], { now: due, counterId: 'k1' })?.id).toBe(longWaiting.id);
  });

  it('an appointment not yet due does not jump walk-ins who came before its time minus its class bonus', () => {
    const appointment = ticket('appointment', 0, { dueAt: at(60) });
    const walkIn = ticket('normal', 60 - CLASS_BONUS_MINUTES.appointment - 1);
    const now = new Date(at(60 - APPOINTMENT_DUE_LEAD_MINUTES - 1));
    expect(pickNext([appointment, walkIn], { now, counterId: 'k1' })?.id).toBe(walkIn.id);
  });

  it('a visitor who checks in late counts from the check-in, not from the booked time', () => {
    const late = ticket('appointment', 70, { dueAt: at(60) }); // 10 minutes late
    const walkIn = ticket('normal', 70 - APPOINTMENT_DUE_BONUS_MINUTES - 5); // arrived 65 minutes before the check-in
    expect(pickNext([late, walkIn], { now: new Date(at(71)), counterId: 'k1' })?.id).toBe(walkIn.id);
    const recent = ticket('normal', 30);
    expect(pickNext([late, recent], { now: new Date(at(71)), counterId: 'k1' })?.id).toBe(late.id);
  });

  it('an appointment goes ahead of walk-ins of its own service only: the counter\'s service order still applies', () => {
    const appointmentB = ticket('appointment', 50, { serviceId: 'B', dueAt: at(60) });
    const walkInA = ticket('normal', 0, { serviceId: 'A' }); // waited 60 minutes in the counter's first service
    expect(pickNext([appointmentB, walkInA], { now: new Date(at(60)), counterId: 'k1', serviceOrder: ['A', 'B'] })?.id).toBe(walkInA.id);
  });

  it('never lets a stream of appointments starve a normal ticket (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ due: fc.integer({ min: 0, max: 600 }), checkIn: fc.integer({ min: -60, max: 30 }) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 700 }),
        (appointments, normalMinute, nowMinute) => {
          const normal = ticket('normal', normalMinute);
          const list = appointments.map((a) => ticket('appointment', a.due + a.checkIn, { dueAt: at(a.due) }));
          const order = rankForCall([...list, normal], { now: new Date(at(Math.max(nowMinute, normalMinute))), counterId: 'k1' });
          const ahead = order.slice(0, order.findIndex((t) => t.id === normal.id));
          // Only appointments booked at most the due bonus after the normal ticket's arrival may be ahead of it.
          return ahead.every((t) => Date.parse(t.dueAt as string) - Date.parse(normal.issuedAt) <= APPOINTMENT_DUE_BONUS_MINUTES * 60_000);
        },
      ),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it('returns null on an empty queue', () => {
    expect(pickNext([], { now: new Date(), counterId: 'k1' })).toBeNull();
  });
});

describe("a counter's call order (the agent's next list)", () => {
  const counter = { id: 'k1', serviceIds: ['C', 'A'] }; // prefers C, then A

  it('is the order across the lines it serves, not each line\'s own order', () => {
    // A001 has waited 5 minutes longer, but A is second in the counter's list (−10): C001 is called first.
    const a1 = ticket('normal', 0, { serviceId: 'A' }), c1 = ticket('normal', 5, { serviceId: 'C' });
    const order = counterCallOrder([a1, c1], counter, new Set(), new Date(at(6)));
    expect(order.map((t) => t.id)).toEqual([c1.id, a1.id]);
    expect(pickNext([a1, c1], counterCallContext(counter, new Date(at(6))))?.id).toBe(c1.id);
  });

  it('leaves out closed lines and tickets sent to another counter; keeps those sent here from any open line', () => {
    const closed = ticket('normal', 0, { serviceId: 'C' });
    const elsewhere = ticket('normal', 0, { serviceId: 'A', targetCounterId: 'k2' });
    const sentHere = ticket('normal', 3, { serviceId: 'B', targetCounterId: 'k1' });
    const notServed = ticket('normal', 0, { serviceId: 'B' });
    const a = ticket('normal', 1, { serviceId: 'A' });
    expect(counterCallOrder([closed, elsewhere, sentHere, notServed, a], counter, new Set(['C']), new Date(at(10))).map((t) => t.id))
      .toEqual([sentHere.id, a.id]);
  });

  it('starts with the ticket call-next picks, whatever the line', () => {
    const services = ['A', 'B', 'C'];
    const arb = fc.array(fc.record({
      serviceId: fc.constantFrom(...services), queueType: fc.constantFrom<QueueType>('normal', 'priority', 'vip', 'express', 'appointment'),
      minute: fc.integer({ min: 0, max: 120 }), due: fc.option(fc.integer({ min: 0, max: 180 })), target: fc.option(fc.constantFrom('k1', 'k2')),
    }), { maxLength: 30 });
    fc.assert(fc.property(arb, fc.subarray(services), fc.subarray(services), (rows, served, closedList) => {
      const line = rows.map((r) => ticket(r.queueType, r.minute, {
        serviceId: r.serviceId, dueAt: r.queueType === 'appointment' && r.due !== null ? at(r.due) : null, targetCounterId: r.target,
      }));
      const k = { id: 'k1', serviceIds: served };
      const closed = new Set(closedList);
      const now = new Date(at(130));
      const candidates = line.filter((c) => isCandidateAt(c, k, closed));
      expect(counterCallOrder(line, k, closed, now)[0]?.id).toBe(pickNext(candidates, counterCallContext(k, now))?.id);
    }));
  });

  it('starts with the ticket call-next picks under the skip rule too, absent visitors last', () => {
    const arb = fc.array(fc.record({ minute: fc.integer({ min: 0, max: 120 }), absent: fc.boolean(), queueType: fc.constantFrom<QueueType>('normal', 'priority') }), { maxLength: 20 });
    fc.assert(fc.property(arb, (rows) => {
      const line = rows.map((r) => ticket(r.queueType, r.minute, { arrivedAt: r.absent ? null : at(r.minute) }));
      const k = { id: 'k1', serviceIds: ['A'] };
      const now = new Date(at(130));
      const order = counterCallOrder(line, k, new Set(), now, true);
      const here = order.filter((c) => c.arrivedAt !== null);
      expect(pickNext(line, counterCallContext(k, now, true))?.id ?? null).toBe(here[0]?.id ?? null);
      if (here.length > 0) expect(order[0]).toBe(here[0]);
      const firstAbsent = order.findIndex((c) => c.arrivedAt === null);
      if (firstAbsent >= 0) expect(order.slice(firstAbsent).every((c) => c.arrivedAt === null)).toBe(true);
    }));
  });
});

describe('absent remote visitors (the branch\'s absent rule)', () => {
  const now = new Date(at(30));
  const k = { id: 'k1', serviceIds: ['A'] };

  it('skip: passes over a remote ticket whose visitor has not checked in, and says it passed over it', () => {
    const remote = ticket('normal', 0, { arrivedAt: null });
    const walkIn = ticket('normal', 5, { arrivedAt: at(5) });
    const decision = decideCall([remote, walkIn], counterCallContext(k, now, true));
    expect(decision.next?.id).toBe(walkIn.id);
    expect(decision.passedOver.map((c) => c.id)).toEqual([remote.id]);
  });

  it('skip: an absent ticket behind the one called is not passed over (its grace does not start early)', () => {
    const walkIn = ticket('normal', 0, { arrivedAt: at(0) });
    const remote = ticket('normal', 5, { arrivedAt: null });
    expect(decideCall([remote, walkIn], counterCallContext(k, now, true))).toEqual({ next: walkIn, passedOver: [] });
  });

  it('skip: with only absent visitors waiting, nobody is called and every one is passed over', () => {
    const r1 = ticket('normal', 0, { arrivedAt: null }), r2 = ticket('normal', 2, { arrivedAt: null });
    const decision = decideCall([r2, r1], counterCallContext(k, now, true));
    expect(decision.next).toBeNull();
    expect(decision.passedOver.map((c) => c.id).sort()).toEqual([r1.id, r2.id].sort());
  });

  it('skip: once checked in, the visitor keeps the place earned by waiting', () => {
    const remote = ticket('normal', 0, { arrivedAt: at(25) });
    const walkIn = ticket('normal', 5, { arrivedAt: at(5) });
    expect(decideCall([walkIn, remote], counterCallContext(k, now, true)).next?.id).toBe(remote.id);
  });

  it('call: an absent remote ticket is called like the others', () => {
    const remote = ticket('normal', 0, { arrivedAt: null });
    const walkIn = ticket('normal', 5, { arrivedAt: at(5) });
    expect(decideCall([remote, walkIn], counterCallContext(k, now, false))).toEqual({ next: remote, passedOver: [] });
    expect(counterCallOrder([walkIn, remote], k, new Set(), now, false).map((c) => c.id)).toEqual([remote.id, walkIn.id]);
    expect(counterCallOrder([walkIn, remote], k, new Set(), now, true).map((c) => c.id)).toEqual([walkIn.id, remote.id]);
  });
});
