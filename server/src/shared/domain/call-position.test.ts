// positionForCall and pickNext answer in one pass what rankForCall answers with a full sort: they must agree with it
// on every line, including ties, transfers to a counter, appointments and the counter's order of services.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QueueType } from '../contracts/domain.js';
import { pickNext, positionForCall, rankForCall, surelyAheadBefore, type CallCandidate, type CallContext } from './call-policy.js';

const T0 = Date.parse('2026-11-24T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const QUEUE_TYPES: QueueType[] = ['normal', 'express', 'priority', 'vip', 'appointment'];

const candidate = fc.record({
  queueType: fc.constantFrom(...QUEUE_TYPES),
  issuedMinute: fc.integer({ min: 0, max: 120 }), // small range: many equal issue times, so ties are exercised
  dueMinute: fc.option(fc.integer({ min: 0, max: 180 }), { nil: null }),
  serviceId: fc.constantFrom('A', 'B', 'C'),
  targetCounterId: fc.constantFrom(null, null, null, 'k1', 'k2'),
});
const line = fc.array(candidate, { maxLength: 40 }).map((list) => list.map((c, i): CallCandidate => ({
  id: `t${String(i).padStart(3, '0')}`,
  serviceId: c.serviceId,
  queueType: c.queueType,
  issuedAt: at(c.issuedMinute),
  dueAt: c.queueType === 'appointment' && c.dueMinute !== null ? at(c.dueMinute) : null,
  targetCounterId: c.targetCounterId,
})));
const context = fc.record({
  nowMinute: fc.integer({ min: 120, max: 300 }),
  counterId: fc.constantFrom(null, 'k1', 'k2'),
  serviceOrder: fc.option(fc.shuffledSubarray(['A', 'B', 'C']), { nil: undefined }),
}).map((c): CallContext => ({ now: new Date(at(c.nowMinute)), counterId: c.counterId, ...(c.serviceOrder && { serviceOrder: c.serviceOrder }) }));

describe('one-pass call order', () => {
  it('pickNext is the first of rankForCall', () => {
    fc.assert(fc.property(line, context, (tickets, ctx) => {
      expect(pickNext(tickets, ctx)?.id ?? null).toBe(rankForCall(tickets, ctx)[0]?.id ?? null);
    }), { seed: 20261124, numRuns: 500 });
  });

  it("positionForCall is the ticket's place in rankForCall, or null when it is not callable there", () => {
    fc.assert(fc.property(line, context, (tickets, ctx) => {
      const ranked = rankForCall(tickets, ctx).map((t) => t.id);
      for (const t of tickets) {
        const index = ranked.indexOf(t.id);
        expect(positionForCall(t.id, tickets, ctx)).toBe(index < 0 ? null : index + 1);
      }
    }), { seed: 20261124, numRuns: 300 });
  });

  it('a position counted as "issued before surelyAheadBefore" plus positionForCall over the others is the same position', () => {
    fc.assert(fc.property(line, context, (tickets, ctx) => {
      for (const t of tickets) {
        const full = positionForCall(t.id, tickets, ctx);
        if (full === null) continue;
        const before = surelyAheadBefore(t, ctx).toISOString();
        // What the database counts: callable, no appointment, issued before the bound (compared as ISO text).
        const counted = tickets.filter((c) => c.dueAt === null && (c.targetCounterId === null || c.targetCounterId === ctx.counterId) && c.issuedAt < before);
        const rest = tickets.filter((c) => !counted.includes(c));
        expect(counted).not.toContain(t);
        expect(counted.length + (positionForCall(t.id, rest, ctx) ?? Number.NaN)).toBe(full);
      }
    }), { seed: 20261124, numRuns: 300 });
  });

  it('an unknown ticket has no position', () => {
    expect(positionForCall('nobody', [], { now: new Date(at(0)), counterId: null })).toBeNull();
  });
});
