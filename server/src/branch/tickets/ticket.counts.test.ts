// The waiting line's counts are kept by triggers (tickets.migration.ts: 0012_waiting_counts) so that a position and
// the queue summary never count over a long line. Through every command that moves a ticket (issue in every class,
// appointments, remote visitors, transfers to a line or a counter, call, recall, start, complete, no-show, cancel,
// park, unpark, check-in, the end of the day), they must stay what SQL counts over the tickets, and positions and the
// summary must be what the plain counts over the whole line give. A branch upgraded with tickets waiting gets them
// counted by the migration.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import type { Actor } from '../core/actor.js';
import { staffActor } from '../../../../test/support/actors.js';
import { seededRandom } from '../../../../test/support/random.js';
import { branchMigrations } from '../db/migrations.js';
import { migrate } from '../../shared/db/sqlite.js';
import { surelyAheadBefore } from '../../shared/domain/call-policy.js';
import { overTargetIssuedBy } from '../../shared/domain/wait-estimate.js';
import { IN_WAITING_LINE, waitingCandidates, waitingLineSplit, waitingLineStats } from './ticket.repository.js';

interface Counted { service_id: string; waiting: number; undated: number }

describe('waiting line counts', () => {
  let p: TestParts;
  beforeEach(async () => { p = await buildTestParts('2026-11-24T08:00:00Z'); });
  afterEach(() => p.close());

  /** What the triggers keep, and what SQL counts over the tickets (services with nobody waiting count 0 or are absent). */
  const kept = () => (p.ctx.store.sqlite.prepare('SELECT service_id, waiting, undated FROM waiting_line_counts WHERE waiting > 0 OR undated > 0 ORDER BY service_id').all() as Counted[]);
  const counted = () => (p.ctx.store.sqlite.prepare(
    `SELECT service_id, count(*) AS waiting, sum(due_at IS NULL AND target_counter_id IS NULL) AS undated FROM tickets WHERE ${IN_WAITING_LINE} GROUP BY service_id ORDER BY service_id`,
  ).all() as Counted[]);

  /** The statements the counts replaced: the whole line counted by SQLite. */
  const plainStats = (serviceId: string, overTargetAt: string) => {
    const r = p.ctx.store.sqlite.prepare(`SELECT count(*) AS n, min(issued_at) AS oldest, coalesce(sum(issued_at <= ?), 0) AS over FROM tickets WHERE ${IN_WAITING_LINE} AND service_id = ?`)
      .get(overTargetAt, serviceId) as { n: number; oldest: string | null; over: number };
    return { waiting: r.n, oldestIssuedAt: r.oldest, overTarget: r.over };
  };
  const plainCountedAhead = (serviceId: string, before: string, counterId: string | null) => (p.ctx.store.sqlite.prepare(
    `SELECT count(*) AS n FROM tickets WHERE ${IN_WAITING_LINE} AND service_id = ? AND due_at IS NULL AND issued_at < ? AND (target_counter_id IS NULL OR target_counter_id = ?)`,
  ).get(serviceId, before, counterId) as { n: number }).n;

  it('stay what SQL counts, through every command, and give the plain counts\' positions and summary', () => {
    const store = p.ctx.store;
    const supervisor = staffActor(store, 'aminata');
    const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
    const services = p.catalog.list();
    const serviceIds = services.map((s) => s.id);
    const counters = p.counters.list().map((c) => c.id);
    const random = seededRandom(20261203);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const done = new Map<string, number>();
    const tried = (what: string, f: () => unknown) => {
      try {
        f();
        done.set(what, (done.get(what) ?? 0) + 1);
      } catch { /* a command the state did not allow (a busy counter, a closed service): it changed nothing */ }
    };
    const ticketsAt = (status: string) => store.sqlite.prepare('SELECT id FROM tickets WHERE status = ?').all(status) as Array<{ id: string }>;
    const parked = () => store.sqlite.prepare('SELECT id FROM tickets WHERE parked_at IS NOT NULL AND status IN (\'waiting\',\'transferred\')').all() as Array<{ id: string }>;

    let checks = 0;
    const check = (at: string) => {
      expect(kept(), at).toEqual(counted());
      const now = p.clock.now();
      for (const s of services) {
        const overTargetAt = overTargetIssuedBy(s.targetWaitMinutes, now);
        expect(waitingLineStats(store, s.id, overTargetAt), `${at}: summary of ${s.prefix}`).toEqual(plainStats(s.id, overTargetAt));
      }
      // Positions as the ticket itself and as each counter would count them.
      for (const c of waitingCandidates(store, serviceIds).filter(() => random() < 0.3)) {
        for (const counterId of [c.targetCounterId, null, pick(counters)]) {
          const before = surelyAheadBefore(c, { now, counterId }).toISOString();
          expect(waitingLineSplit(store, c.serviceId, before, counterId).countedAhead, `${at}: ${c.id} for ${counterId}`).toBe(plainCountedAhead(c.serviceId, before, counterId));
          checks += 1;
        }
      }
    };

    for (let step = 0; step < 400; step++) {
      if (random() < 0.5) p.clock.advance(Math.floor(random() * 4 * 60_000));
      const r = random();
      const serviceId = pick(serviceIds);
      if (r < 0.3) tried('issue', () => p.tickets.issue({ serviceId }, kiosk));
      else if (r < 0.36) tried('issue priority', () => p.tickets.issue({ serviceId, priority: 'elderly' }, kiosk));
      else if (r < 0.4) tried('issue remote', () => p.tickets.issue({ serviceId, channel: 'web' }, supervisor));
      else if (r < 0.45) tried('issue appointment', () => p.tickets.issue({ serviceId, queueType: 'appointment', dueAt: new Date(p.clock.now().getTime() + Math.round((random() * 60 - 20) * 60_000)).toISOString() }, supervisor));
      else if (r < 0.5) tried('transfer to a counter', () => p.tickets.transfer(pick(waitingCandidates(store, serviceIds)).id, { counterId: pick(counters) }, supervisor));
      else if (r < 0.54) tried('transfer to a line', () => p.tickets.transfer(pick(waitingCandidates(store, serviceIds)).id, { serviceId: pick(serviceIds) }, supervisor));
      else if (r < 0.56) tried('check in', () => p.tickets.arrive(pick(waitingCandidates(store, serviceIds).filter((c) => c.arrivedAt === null)).id, supervisor));
      else if (r < 0.7) tried('call next', () => p.tickets.callNext(pick(counters), supervisor));
      else if (r < 0.73) tried('recall', () => p.tickets.recall(pick(ticketsAt('called')).id, supervisor));
      else if (r < 0.8) tried('start', () => p.tickets.start(pick(ticketsAt('called')).id, supervisor));
      else if (r < 0.86) tried('complete', () => p.tickets.complete(pick(ticketsAt('serving')).id, supervisor, {}));
      else if (r < 0.88) tried('no-show', () => p.tickets.noShow(pick(ticketsAt('called')).id, supervisor));
      else if (r < 0.9) tried('cancel', () => p.tickets.cancel(pick(waitingCandidates(store, serviceIds)).id, supervisor, 'left'));
      else if (r < 0.94) tried('park', () => p.tickets.park(pick(ticketsAt('serving')).id, supervisor));
      else if (r < 0.97) tried('unpark', () => p.tickets.unpark(pick(parked()).id, supervisor));
      else tried('transfer from a counter', () => p.tickets.transfer(pick(ticketsAt('serving')).id, { serviceId: pick(serviceIds) }, supervisor));
      check(`step ${step}`);
    }
    for (const what of ['issue', 'issue priority', 'issue remote', 'issue appointment', 'transfer to a counter', 'transfer to a line', 'check in', 'call next',
      'recall', 'start', 'complete', 'no-show', 'cancel', 'park', 'unpark', 'transfer from a counter']) {
      expect(done.get(what) ?? 0, `${what} ran`).toBeGreaterThan(0);
    }
    expect(checks).toBeGreaterThan(500);
    expect(counted().reduce((n, c) => n + c.waiting, 0), 'tickets were waiting at the end').toBeGreaterThan(10);
    // Over target: an hour later every one of them has waited past its service's target.
    p.clock.advanceMinutes(60);
    check('an hour later');
    p.tickets.expireNow();
    check('after the day was closed');
    expect(counted()).toEqual([]);
  });

  it('are counted by the migration on a branch that already has tickets waiting', async () => {
    const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
    const serviceIds = p.catalog.list().map((s) => s.id);
    for (let i = 0; i < 30; i++) {
      p.clock.advance(20_000);
      p.tickets.issue({ serviceId: serviceIds[i % serviceIds.length] as string, priority: i % 7 === 0 ? 'elderly' : undefined }, kiosk);
    }
    const sqlite = p.ctx.store.sqlite;
    const expected = counted();
    expect(expected.length).toBeGreaterThan(1);
    // The branch as it was before 0012: no table, no triggers (and what later migrations changed, as it was then).
    sqlite.exec(`DROP TRIGGER tickets_line_insert; DROP TRIGGER tickets_line_delete; DROP TRIGGER tickets_line_leave; DROP TRIGGER tickets_line_enter;
      DROP TABLE waiting_line_counts; CREATE INDEX tickets_day ON tickets(service_day);
      DELETE FROM kysely_migration WHERE name IN ('0012_waiting_counts', '0013_ticket_day_index');`);
    await migrate(p.ctx.store.db, branchMigrations);
    expect(kept()).toEqual(expected);
    expect(sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'tickets_day'").all()).toEqual([]);
    p.tickets.issue({ serviceId: serviceIds[0] as string }, kiosk);
    expect(kept()).toEqual(counted());
  });
});
