// A ticket's position is counted partly by SQLite (the tickets sure to be ahead, see surelyAheadBefore) and partly
// by the call rule over the others: on a real database, with every class, appointments early and late, tickets sent
// to a counter and a clock that moves, it must be the place the call rule gives over the whole line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffActor } from '../../../../test/support/actors.js';
import { seededRandom } from '../../../../test/support/random.js';
import { positionForCall } from '../../shared/domain/call-policy.js';
import { startBranch, type TestBranch } from '../../../../test/support/branch.js';
import { TestClock } from '../../../../test/support/clock.js';
import { waitingCandidates } from './ticket.repository.js';

describe('ticket position on a long, mixed line', () => {
  const clock = new TestClock('2026-11-24T08:00:00Z'); // a Tuesday, 08:00 in Dakar
  let b: TestBranch;
  beforeAll(async () => { b = await startBranch({ clock }); });
  afterAll(async () => { await b.destroy(); });

  it('is the call rule\'s place over the whole line, for every waiting ticket, as time passes', async () => {
    const s = b.server.services;
    const store = s.ctx.store;
    const serviceA = (await b.service('A')).id;
    const counters = (await b.counters()).map((c) => c.id);
    const supervisor = staffActor(store, 'aminata');
    const random = seededRandom(20261124);

    for (let i = 0; i < 120; i++) {
      clock.advance(Math.floor(random() * 90_000)); // up to a minute and a half between arrivals, often the same second
      const r = random();
      const t = r < 0.6 ? s.tickets.issue({ serviceId: serviceA }, supervisor)
        : r < 0.75 ? s.tickets.issue({ serviceId: serviceA, priority: 'elderly' }, supervisor)
          : r < 0.82 ? s.tickets.issue({ serviceId: serviceA, priority: 'vip' }, supervisor)
            : s.tickets.issue({ serviceId: serviceA, queueType: 'appointment', dueAt: new Date(clock.now().getTime() + Math.round((random() * 80 - 20) * 60_000)).toISOString() }, supervisor);
      if (random() < 0.1) s.tickets.transfer(t.id, { counterId: counters[Math.floor(random() * counters.length)] as string }, supervisor);
    }

    for (const minutes of [0, 7, 45, 130]) {
      clock.advanceMinutes(minutes);
      const whole = waitingCandidates(store, [serviceA]);
      expect(whole.length).toBe(120);
      let positioned = 0;
      for (const c of whole) {
        const expected = positionForCall(c.id, whole, { now: clock.now(), counterId: c.targetCounterId });
        expect(s.ticketViews.getTicket(c.id).position, `${c.id} (${c.queueType}) at +${minutes} min`).toBe(expected);
        if (expected !== null) positioned += 1;
      }
      expect(positioned).toBe(120);
    }
  });
});
