// Call-next reads only the tickets that can be first (callCandidates: the oldest of each class of each line, and
// every appointment, ticket sent to a counter or absent remote visitor); the call rule decides among them. On random
// mixed lines, at every counter, as time passes and with the skip rule on and off, the rule over those must call the
// ticket, and pass over the absent ones, that the rule over the whole line does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import type { Actor } from '../core/actor.js';
import { staffActor } from '../../../../test/support/actors.js';
import { seededRandom } from '../../../../test/support/random.js';
import { counterCallContext, decideCall, isCandidateAt, rankForCall, type CallCandidate } from '../../shared/domain/call-policy.js';
import { counterServiceIds } from '../counters/counter.repository.js';
import { callCandidates, waitingCandidates } from './ticket.repository.js';

describe('call-next candidates', () => {
  let p: TestParts;
  beforeEach(async () => { p = await buildTestParts('2026-11-24T08:00:00Z'); });
  afterEach(() => p.close());

  const ids = (list: readonly CallCandidate[]) => list.map((c) => c.id).sort();

  for (const seedStart of [1, 2, 3, 4, 5, 6]) {
    it(`pick the ticket ranking the whole line picks (random line ${seedStart})`, () => {
      const store = p.ctx.store;
      const supervisor = staffActor(store, 'aminata');
      const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
      const services = p.catalog.list().map((s) => s.id);
      const counters = p.counters.list().map((c) => c.id);
      const random = seededRandom(seedStart * 7919);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

      for (let i = 0; i < 150; i++) {
        // Often the same millisecond: ties on the issue time are the rule's to break, not SQL's.
        if (random() < 0.6) p.clock.advance(Math.floor(random() * 120_000));
        const serviceId = pick(services);
        const r = random();
        const t = r < 0.45 ? p.tickets.issue({ serviceId }, kiosk)
          : r < 0.6 ? p.tickets.issue({ serviceId, priority: 'elderly' }, kiosk)
            : r < 0.67 ? p.tickets.issue({ serviceId, priority: 'vip' }, supervisor)
              : r < 0.8 ? p.tickets.issue({ serviceId, channel: 'web' }, supervisor) // remote: not checked in
                : p.tickets.issue({ serviceId, queueType: 'appointment', dueAt: new Date(p.clock.now().getTime() + Math.round((random() * 80 - 20) * 60_000)).toISOString() }, supervisor);
        const move = random();
        if (move < 0.08) p.tickets.transfer(t.id, { counterId: pick(counters) }, supervisor);
        else if (move < 0.14) p.tickets.transfer(t.id, { serviceId: pick(services.filter((s) => s !== serviceId)) }, supervisor);
        else if (move < 0.2 && t.channel === 'web') p.tickets.arrive(t.id, supervisor);
      }

      // Compare at every counter, then call once somewhere, until the line is empty: the heads move, and absent
      // visitors, appointments and tickets sent to counters come to the front in their turn.
      let compared = 0;
      let passedOver = 0;
      for (let step = 0; step < 400; step++) {
        if (random() < 0.3) p.clock.advance(Math.floor(random() * 20 * 60_000));
        const whole = waitingCandidates(store, services);
        if (whole.length === 0) break;
        for (const counterId of counters) {
          const calling = { id: counterId, serviceIds: counterServiceIds(store, counterId) };
          const closed = new Set<string>();
          const everyone = whole.filter((c) => isCandidateAt(c, calling, closed));
          const narrowed = callCandidates(store, counterId, calling.serviceIds).filter((c) => isCandidateAt(c, calling, closed));
          expect(new Set(ids(narrowed)).size, 'no ticket read twice').toBe(narrowed.length);
          expect(ids(narrowed).every((id) => everyone.some((c) => c.id === id))).toBe(true);
          for (const skipAbsent of [false, true]) {
            const ctx = counterCallContext(calling, p.clock.now(), skipAbsent);
            const full = decideCall(everyone, ctx);
            const fast = decideCall(narrowed, ctx);
            const at = `counter ${counterId}, step ${step}, skip ${skipAbsent}`;
            expect(fast.next?.id, at).toBe(full.next?.id);
            expect(ids(fast.passedOver), at).toEqual(ids(full.passedOver));
            expect(rankForCall(narrowed, ctx)[0]?.id, at).toBe(rankForCall(everyone, ctx)[0]?.id);
            if (full.next) compared += 1;
            passedOver += full.passedOver.length;
          }
        }
        const counterId = pick(counters);
        const called = p.tickets.callNext(counterId, supervisor);
        if (called) p.tickets.complete(p.tickets.start(called.id, supervisor).id, supervisor, {});
      }
      expect(waitingCandidates(store, services).length, 'the line was called to its end').toBeLessThan(10);
      expect(passedOver, 'absent visitors were passed over').toBeGreaterThan(0);
      expect(compared).toBeGreaterThan(200);
    });
  }
});
