// The ticket flow never scans the tickets table: every query that reads tickets by status goes through a partial
// index (tickets_active for the live queue, tickets_served_recent for service times), so call-next, issuing and the
// sweepers cost the same with a year of history as on the first day. SQLite uses a partial index only when the
// query repeats the index's WHERE term with the same literals (IN_ACTIVE_QUEUE, IS_SERVED): a bound parameter does
// not count, which is easy to lose in a refactor — hence this test on the query plans of a real server's queries.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../shared/contracts/api.js';
import { startBranch, type TestBranch } from '../../../../test/support/branch.js';

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

  it('no query over tickets by status scans the table', () => {
    const sqlite = b.server.services.ctx.store.sqlite;
    const byStatus = [...seen].filter((q) => /from "tickets"/i.test(q) && /"status"/.test(q) && /^\s*select/i.test(q));
    expect(byStatus.length).toBeGreaterThanOrEqual(5);
    const scans = byStatus.flatMap((q) => {
      const params = (q.match(/\?/g) ?? []).map(() => null);
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      return plan.some((d) => /^SCAN tickets$/.test(d)) ? [`${q}\n  → ${plan.join(' | ')}`] : [];
    });
    expect(scans).toEqual([]);
  });
});
