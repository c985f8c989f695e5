// GET /api/counters/:id/stats against a real branch server: today's served count, no-shows and average service
// time of a counter and of its agent, counted in the branch's own day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, CounterStats } from '../../shared/contracts/api.js';
import { startBranch, type TestBranch } from '../../../../test/support/branch.js';
import { TestClock } from '../../../../test/support/clock.js';
import { branchDayRange } from './counter-stats.repository.js';

describe('counter stats', () => {
  let b: TestBranch;
  let kiosk: string;
  let awa: string;
  let moussa: string;
  let serviceA: string;
  let counter1: string;
  let counter2: string;
  const clock = new TestClock('2026-03-10T09:00:00Z'); // a Tuesday morning in Dakar (UTC+0)

  beforeAll(async () => {
    b = await startBranch({ clock });
    kiosk = await b.kioskToken();
    awa = await b.login('awa');
    moussa = await b.login('moussa');
    serviceA = (await b.service('A')).id;
    counter1 = (await b.counter(1)).id;
    counter2 = (await b.counter(2)).id;
  });
  afterAll(async () => { await b.destroy(); });

  async function serve(token: string, counterId: string, minutes: number | 'no-show'): Promise<void> {
    expect((await b.api.issue(kiosk, { serviceId: serviceA })).status).toBe(201);
    const called = await b.api.post<CommandResult>(`/api/counters/${counterId}/call-next`, {}, token);
    expect(called.status).toBe(200);
    const id = called.body.ticket?.id as string;
    if (minutes === 'no-show') {
      expect((await b.api.post(`/api/tickets/${id}/no-show`, {}, token)).status).toBe(200);
      return;
    }
    expect((await b.api.post(`/api/tickets/${id}/start`, {}, token)).status).toBe(200);
    clock.advanceMinutes(minutes);
    expect((await b.api.post(`/api/tickets/${id}/complete`, { outcome: 'done' }, token)).status).toBe(200);
  }

  const stats = async (counterId: string, token: string) => {
    const res = await b.api.get<CounterStats>(`/api/counters/${counterId}/stats`, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('counts what was served and missed today at the counter and by the agent', async () => {
    await serve(awa, counter1, 4);
    await serve(awa, counter1, 6);
    await serve(awa, counter1, 'no-show');
    await serve(moussa, counter2, 3);

    const mine = await stats(counter1, awa);
    expect(mine.day).toBe('2026-03-10');
    expect(mine.counter).toEqual({ served: 2, noShows: 1, averageServiceMinutes: 5 });
    expect(mine.agent).toMatchObject({ served: 2, noShows: 1, averageServiceMinutes: 5 });

    const other = await stats(counter2, moussa);
    expect(other.counter).toEqual({ served: 1, noShows: 0, averageServiceMinutes: 3 });
    expect(other.agent).toMatchObject({ served: 1, noShows: 0, averageServiceMinutes: 3 });

    // Another agent looking at counter 1 sees the counter's numbers and their own.
    const cross = await stats(counter1, moussa);
    expect(cross.counter.served).toBe(2);
    expect(cross.agent?.served).toBe(1);
  });

  it('starts from zero on the next branch day', async () => {
    clock.set('2026-03-11T00:05:00Z');
    awa = await freshLogin('awa'); // yesterday's session has expired
    const next = await stats(counter1, awa);
    expect(next.day).toBe('2026-03-11');
    expect(next.counter).toEqual({ served: 0, noShows: 0, averageServiceMinutes: null });
    expect(next.agent).toMatchObject({ served: 0, noShows: 0, averageServiceMinutes: null });
  });

  async function freshLogin(login: string): Promise<string> {
    const res = await b.api.post<{ token: string }>('/api/auth/login', { login, password: b.passwords[login] });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  it('needs a staff token and a real counter', async () => {
    expect((await b.api.get(`/api/counters/${counter1}/stats`)).status).toBe(401);
    expect((await b.api.get(`/api/counters/${counter1}/stats`, kiosk)).status).toBe(403);
    expect((await b.api.get('/api/counters/nope/stats', awa)).status).toBe(404);
  });

  it('cuts days at midnight in the branch time zone, not UTC', () => {
    const nairobi = branchDayRange(new Date('2026-03-10T22:30:00Z'), 'Africa/Nairobi'); // 01:30 on the 11th there
    expect(nairobi).toEqual({ day: '2026-03-11', previousDay: '2026-03-10', fromIso: '2026-03-10T21:00:00.000Z', toIso: '2026-03-11T21:00:00.000Z' });
    const dakar = branchDayRange(new Date('2026-03-10T22:30:00Z'), 'Africa/Dakar');
    expect(dakar.day).toBe('2026-03-10');
  });
});
