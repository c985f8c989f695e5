// The ticket flow never scans the tickets table: every query that reads tickets by status goes through a partial
// index (tickets_active for the live queue, tickets_served_recent for service times), so call-next, issuing and the
// sweepers cost the same with a year of history as on the first day. SQLite uses a partial index only when the
// query repeats the index's WHERE term with the same literals (IN_ACTIVE_QUEUE, IS_SERVED): a bound parameter does
// not count, which is easy to lose in a refactor — hence this test on the query plans of a real server's queries,
// Kysely's (`from "tickets"`) and the hand-written ones of the waiting line (`FROM tickets`) alike. The waiting line's
// hot reads (call-next's candidates, positions, the queue summary, the end-of-day sweep) must also stay on the
// covering indexes made for them (tickets.migration.ts): a plan that reads the table there costs the whole line.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../shared/contracts/api.js';
import { startBranch, type TestBranch } from '../../../../test/support/branch.js';
import { QUEUE_TYPES } from '../../shared/contracts/domain.js';
import { IN_WAITING_LINE } from './ticket.repository.js';

describe('ticket queries use the partial indexes', () => {
  let b: TestBranch;
  const seen = new Set<string>();

  const originalPrepare = Database.prototype.prepare;

  beforeAll(async () => {
    // Record every SQL text the server prepares, from its first start on (the store caches statements by text).
    Database.prototype.prepare = function prepare(this: Database.Database, source: string) {
      seen.add(source);
      return originalPrepare.call(this, source);
    } as typeof originalPrepare;
    b = await startBranch();
    const kiosk = await b.kioskToken();
    const awa = await b.login('awa');
    const serviceA = (await b.service('A')).id;
    const counter1 = (await b.counter(1)).id;
    for (let i = 0; i < 3; i++) expect((await b.api.issue(kiosk, { serviceId: serviceA })).status).toBe(201);
    // A ticket sent to a counter: its position is counted for that counter.
    const aminata = await b.login('aminata');
    const sent = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    expect((await b.api.post(`/api/tickets/${sent.id}/transfer`, { counterId: (await b.counter(2)).id }, aminata)).status).toBe(200);
    expect((await b.api.get(`/api/tickets/${sent.id}`)).status).toBe(200);
    const called = await b.api.post<CommandResult>(`/api/counters/${counter1}/call-next`, {}, awa);
    const id = called.body.ticket?.id as string;
    expect((await b.api.post(`/api/tickets/${id}/start`, {}, awa)).status).toBe(200);
    expect((await b.api.post(`/api/tickets/${id}/complete`, {}, awa)).status).toBe(200);
    expect((await b.api.get(`/api/tickets/${id}`)).status).toBe(200);
    expect((await b.api.get('/api/tickets', awa)).status).toBe(200);
    expect((await b.api.get('/api/queue')).status).toBe(200);
    const s = b.server.services;
    s.tickets.sweepNoShows();
    s.tickets.expireAtClosing();
    s.state.snapshot(true);
  });
  afterAll(async () => {
    Database.prototype.prepare = originalPrepare;
    await b.destroy();
  });

  const planOf = (q: string): string[] => {
    const params = (q.match(/\?/g) ?? []).map(() => null);
    return (b.server.services.ctx.store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
  };
  const overTickets = () => [...seen].filter((q) => /\bfrom\s+"?tickets"?(\s|$)/i.test(q) && /^\s*select/i.test(q));

  it('no query over tickets by status scans the table', () => {
    const byStatus = overTickets().filter((q) => /(^|[^_"\w])"?status"?\s*(=|in\b)/i.test(q));
    expect(byStatus.length).toBeGreaterThanOrEqual(10);
    expect(byStatus.filter((q) => /FROM tickets/.test(q)).length, 'hand-written queries are checked too').toBeGreaterThanOrEqual(5);
    const scans = byStatus.flatMap((q) => {
      const plan = planOf(q);
      // A scan is of a partial index (the live queue, the served history), never of the table or a whole-history index.
      const whole = (d: string) => /^SCAN tickets/.test(d) && !/USING (COVERING )?INDEX tickets_(active|waiting_line|waiting_special|parked|served_recent)\b/.test(d);
      return plan.some(whole) ? [`${q}\n  → ${plan.join(' | ')}`] : [];
    });
    expect(scans).toEqual([]);
  });

  it("the waiting line's reads stay on its covering indexes", () => {
    const line = overTickets().filter((q) => q.includes(IN_WAITING_LINE));
    const find = (what: string, test: (q: string) => boolean) => {
      const q = line.find(test);
      expect(q, what).toBeDefined();
      return planOf(q as string);
    };
    // Call-next: the head of each class by one seek, the special tickets from their own index.
    const candidates = find('call-next candidates', (q) => q.includes('issued_at = (SELECT min(issued_at)'));
    expect(candidates).toContain('SEARCH tickets USING COVERING INDEX tickets_waiting_line (service_id=? AND queue_type=? AND issued_at=?)');
    expect(candidates).toContain('SEARCH tickets USING COVERING INDEX tickets_waiting_line (service_id=? AND queue_type=?)');
    expect(candidates).toContain('SEARCH tickets USING COVERING INDEX tickets_waiting_special (target_counter_id=? AND service_id=?)');
    expect(candidates).toContain('SEARCH tickets USING COVERING INDEX tickets_waiting_special (target_counter_id=?)');
    // The queue summary: the count comes from waiting_line_counts, the oldest ticket from one seek per class.
    const oldest = find('queue summary', (q) => q.startsWith('SELECT min(issued_at) AS oldest'));
    expect(oldest.filter((d) => /^SEARCH tickets/.test(d))).toEqual(QUEUE_TYPES.map(() => 'SEARCH tickets USING COVERING INDEX tickets_waiting_line (service_id=? AND queue_type=?)'));
    // A position: the recent arrivals by one range per class, the special tickets from their own index, and the
    // tickets sent to the counter counted there; nothing counts over the whole line (the count is the triggers').
    const split = find('position', (q) => q.includes('issued_at >= ?'));
    expect(split.filter((d) => /^(SEARCH|SCAN) tickets/.test(d))).toEqual([
      ...QUEUE_TYPES.map(() => 'SEARCH tickets USING COVERING INDEX tickets_waiting_line (service_id=? AND queue_type=? AND issued_at>?)'),
      'SCAN tickets USING COVERING INDEX tickets_waiting_special',
    ]);
    const counts = line.filter((q) => /^SELECT count\(\*\) AS n FROM tickets/.test(q));
    expect(counts.length, 'only the tickets sent to a counter are counted over tickets').toBe(1);
    for (const q of counts) expect(planOf(q)).toEqual(['SEARCH tickets USING COVERING INDEX tickets_waiting_special (target_counter_id=? AND service_id=?)']);
    expect([...seen].some((q) => q.includes('FROM waiting_line_counts')), 'the line counts are read from the triggers\' table').toBe(true);
    // Every lean read of the line (whole rows, read for a few tickets, come from the table by nature).
    for (const q of line.filter((x) => !/SELECT \* FROM tickets/.test(x))) {
      for (const step of planOf(q).filter((d) => /^(SEARCH|SCAN) tickets/.test(d))) expect(step, q).toMatch(/USING COVERING INDEX tickets_waiting_(line|special)/);
    }
    // The end-of-day sweep groups the waiting tickets by day over tickets_active alone.
    const days = overTickets().find((q) => q.includes('GROUP BY service_day'));
    expect(planOf(days as string)[0]).toBe('SCAN tickets USING COVERING INDEX tickets_active');
  });
});
