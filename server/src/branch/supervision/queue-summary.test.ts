// The queue summary (kiosks, call boards, GET /api/queue, the long-wait monitor) is one SQL aggregate per service over
// the waiting line's index: on a mixed line (every class, tickets sent to counters, parked, called, served,
// transferred to another line, remote visitors not checked in) and at the exact minute a ticket goes over its target,
// it must say what the per-ticket rule (wait-estimate.ts over the callable waiting tickets) says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import type { Actor } from '../core/actor.js';
import { staffActor } from '../../../../test/support/actors.js';
import { seededRandom } from '../../../../test/support/random.js';
import { overTargetCount, waitedMinutes } from '../../shared/domain/wait-estimate.js';
import { waitingCandidates } from '../tickets/ticket.repository.js';

describe('queue summary', () => {
  let p: TestParts;
  beforeEach(async () => { p = await buildTestParts('2026-11-24T08:00:00Z'); });
  afterEach(() => p.close());

  it('counts what the per-ticket rule counts, to the minute', () => {
    const store = p.ctx.store;
    const supervisor = staffActor(store, 'aminata');
    const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
    const services = p.catalog.list();
    const counters = p.counters.list().map((c) => c.id);
    const random = seededRandom(424242);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

    for (let i = 0; i < 120; i++) {
      p.clock.advance(Math.floor(random() * 45_000) + (random() < 0.2 ? 0 : 1));
      const serviceId = pick(services).id;
      const r = random();
      const t = r < 0.5 ? p.tickets.issue({ serviceId }, kiosk)
        : r < 0.65 ? p.tickets.issue({ serviceId, priority: 'pregnant' }, kiosk)
          : r < 0.75 ? p.tickets.issue({ serviceId, channel: 'sms' }, supervisor)
            : p.tickets.issue({ serviceId, queueType: 'appointment', dueAt: new Date(p.clock.now().getTime() + 15 * 60_000).toISOString() }, supervisor);
      const move = random();
      if (move < 0.1) p.tickets.transfer(t.id, { counterId: pick(counters) }, supervisor);
      else if (move < 0.2) p.tickets.transfer(t.id, { serviceId: pick(services.filter((s) => s.id !== serviceId)).id }, supervisor);
      if (random() < 0.15) {
        // Some are called: served, parked at the counter, or left called.
        const counterId = pick(counters);
        const called = p.tickets.callNext(counterId, supervisor);
        const what = random();
        if (called && what < 0.4) p.tickets.complete(p.tickets.start(called.id, supervisor).id, supervisor, {});
        else if (called && what < 0.7) p.tickets.park(called.id, supervisor);
        else if (called) p.tickets.noShow(called.id, supervisor);
      }
    }
    const parked = store.sqlite.prepare('SELECT count(*) AS n FROM tickets WHERE parked_at IS NOT NULL').get() as { n: number };
    expect(parked.n, 'the line has parked tickets, which are not waiting').toBeGreaterThan(0);

    const expected = (now: Date) => services.map((s) => {
      const mine = waitingCandidates(store, [s.id]);
      const oldest = mine.reduce<string | null>((min, t) => (min === null || t.issuedAt < min ? t.issuedAt : min), null);
      return {
        serviceId: s.id, waitingCount: mine.length, oldestIssuedAt: oldest, longestWaitMinutes: oldest ? waitedMinutes(oldest, now) : 0,
        overTargetCount: overTargetCount(mine.map((t) => t.issuedAt), s.targetWaitMinutes, now),
      };
    });
    const checkAt = (what: string) => {
      const now = p.clock.now();
      const got = p.state.queueSummary().services.map(({ serviceId, waitingCount, oldestIssuedAt, longestWaitMinutes, overTargetCount: over }) => ({ serviceId, waitingCount, oldestIssuedAt, longestWaitMinutes, overTargetCount: over }));
      expect(got, what).toEqual(expected(now));
    };
    checkAt('now');
    // Just before, at and just after the minute each of some tickets reaches its service's target.
    const waiting = waitingCandidates(store, services.map((s) => s.id));
    const overs = new Set<number>();
    for (const t of waiting.slice(0, 12)) {
      const target = services.find((s) => s.id === t.serviceId)?.targetWaitMinutes ?? 0;
      overs.add(Date.parse(t.issuedAt) + target * 60_000);
    }
    for (const at of [...overs].sort((a, b) => a - b)) {
      for (const offset of [-1, 0, 1]) {
        if (at + offset < p.clock.now().getTime()) continue;
        p.clock.set(new Date(at + offset));
        checkAt(`at ${new Date(at + offset).toISOString()}`);
      }
    }
    const summary = p.state.queueSummary().services;
    expect(summary.some((s) => s.overTargetCount > 0 && s.overTargetCount < s.waitingCount), 'a line partly over its target was checked').toBe(true);
  });
});
