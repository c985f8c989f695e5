// Issue 14, point 6: wrong passwords are limited per login and per address with growing delays (429 + Retry-After),
// a supervisor is told of a lockout, and a flood of wrong logins cannot make a real one wait behind it (the KDF runs
// behind a bounded gate, one attempt at a time per address). Ordering is asserted, never a wall-clock time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/src/shared/contracts/events.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { TestClock } from '../support/clock.js';
import { requestFrom } from '../support/from-address.js';

describe('sign-in limits', () => {
  const clock = new TestClock('2026-11-24T10:00:00Z');
  let b: TestBranch;
  let aminata: string;
  const login = (from: string, body: { login: string; password: string }) => requestFrom<{ token?: string; error?: { code: string } }>(from, `${b.url}/api/auth/login`, 'POST', body);

  beforeAll(async () => {
    b = await startBranch({ clock });
    aminata = await b.login('aminata');
  });
  afterAll(async () => { await b?.destroy(); });

  it('67 wrong passwords in a row for one login: 6 are checked, the rest answer 429 with Retry-After; the supervisor is told', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 67; i++) {
      const res = await login('127.0.0.1', { login: 'awa', password: `wrong-${i}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers['retry-after'] as string | undefined;
    }
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(6))).toEqual(new Set([429]));
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Even the right password waits out the lock…
    expect((await login('127.0.0.2', { login: 'awa', password: b.passwords.awa as string })).status).toBe(429);
    const alerts = (await b.api.get<Alert[]>('/api/alerts', aminata)).body;
    expect(alerts.find((a) => a.kind === 'security' && a.data?.reason === 'login_locked' && a.data.key === 'awa')).toBeTruthy();
    // …which grows with each further failure once it has passed, and a success clears it.
    clock.advance(1_500);
    expect((await login('127.0.0.1', { login: 'awa', password: 'wrong-again' })).status).toBe(401);
    const locked = await login('127.0.0.1', { login: 'awa', password: b.passwords.awa as string });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(2);
    clock.advance(2_500);
    expect((await login('127.0.0.1', { login: 'awa', password: b.passwords.awa as string })).status).toBe(200);
    expect((await login('127.0.0.1', { login: 'awa', password: 'one-typo' })).status).toBe(401);
  });

  it('a flood of 32 concurrent wrong logins from one address runs one at a time; a real login from elsewhere is not queued behind it', async () => {
    const order: string[] = [];
    const started = b.server.services.users.guard.kdf.started;
    const flood = Array.from({ length: 32 }, (_, i) => login('127.0.0.50', { login: `intruder${i}`, password: 'guess' })
      .then((r) => { order.push(`flood:${r.status}`); return r; }));
    const real = login('127.0.0.60', { login: 'moussa', password: b.passwords.moussa as string }).then((r) => { order.push('real'); return r; });
    const [floodAnswers, realAnswer] = await Promise.all([Promise.all(flood), real]);
    expect(realAnswer.status).toBe(200);
    // One address may have one attempt running and four waiting: the rest are refused at once, without any KDF (a
    // place that frees up while the flood is still arriving may take one or two more).
    const checked = floodAnswers.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(8);
    expect(floodAnswers.filter((r) => r.status === 429).length).toBe(32 - checked);
    expect(b.server.services.users.guard.kdf.started - started).toBe(checked + 1);
    // The real login was answered before most of the flood's queued attempts: it reaches the server a little after
    // the flood, so one or two of them may have finished by then, never the whole line.
    const realAt = order.indexOf('real');
    expect(order.slice(0, realAt).filter((o) => o === 'flood:401').length).toBeLessThanOrEqual(2);
    expect(order.slice(realAt + 1).filter((o) => o === 'flood:401').length).toBeGreaterThanOrEqual(checked - 2);
  });
});
