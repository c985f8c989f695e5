// Issue 14, point 7: pairing codes are 6 digits, so wrong codes are counted per code and branch-wide whatever the
// address: guesses from 40 addresses neither find a code nor keep it alive, and pairing pauses after many.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/src/shared/contracts/events.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { TestClock } from '../support/clock.js';
import { requestFrom } from '../support/from-address.js';

describe('pairing code guesses', () => {
  const clock = new TestClock('2026-11-24T10:00:00Z');
  let b: TestBranch;
  let admin: string;
  const device = async (name: string) => (await b.api.post<{ device: { id: string }; pairingCode: string }>('/api/admin/devices', { name, role: 'kiosk' }, admin)).body;
  const pair = (from: string, code: string) => requestFrom<{ deviceToken?: string; error?: { code: string } }>(from, `${b.url}/api/devices/pair`, 'POST', { code });

  beforeAll(async () => {
    b = await startBranch({ clock, demo: false });
    admin = await b.login('admin');
  });
  afterAll(async () => { await b?.destroy(); });

  it('an honest kiosk pairs at once with its code', async () => {
    const d = await device('Borne entrée');
    expect((await pair('127.0.0.1', d.pairingCode)).status).toBe(200);
  });

  it('wrong codes from 40 addresses kill the valid codes after a few tries, then pause pairing branch-wide', async () => {
    const one = await device('Borne 1');
    const two = await device('Borne 2');
    const real = new Set([one.pairingCode, two.pairingCode]);
    const statuses: number[] = [];
    for (let i = 0; statuses.length < 400; i++) {
      const guess = String((i * 7919) % 1_000_000).padStart(6, '0');
      if (real.has(guess)) continue;
      statuses.push((await pair(`127.0.0.${100 + (i % 40)}`, guess)).status);
    }
    // 20 wrong codes are checked (401), then pairing is paused (429) for everyone.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(new Set(statuses.slice(20))).toEqual(new Set([429]));
    // Both codes died after 5 wrong tries: the right one no longer pairs, even once the pause is over.
    clock.advanceMinutes(16);
    expect((await pair('127.0.0.1', one.pairingCode)).status).toBe(401);
    expect((await pair('127.0.0.1', two.pairingCode)).status).toBe(401);
    const alerts = (await b.api.get<Alert[]>('/api/alerts', admin)).body;
    expect(alerts.some((a) => a.kind === 'security' && a.data?.reason === 'pairing_paused')).toBe(true);
    // A new code from the admin works once pairing resumes.
    const three = await device('Borne 3');
    expect((await pair('127.0.0.1', three.pairingCode)).status).toBe(200);
  });
});
