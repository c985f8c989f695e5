import { describe, expect, it } from 'vitest';
import { checkPinAttempt, hashPin, isPinHash, isValidPin, PinAttemptLimiter, verifyPin } from './pin.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('kiosk PIN hashing', () => {
  it('verifies the right PIN and refuses others (default cost)', async () => {
    const stored = await hashPin('2580');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(isPinHash(stored)).toBe(true);
    expect(await verifyPin('2580', stored)).toBe(true);
    expect(await verifyPin('2581', stored)).toBe(false);
    expect(await verifyPin('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPin('1234', FAST)).not.toBe(await hashPin('1234', FAST));
  });

  it('never stores the PIN itself', async () => {
    expect(await hashPin('987654', FAST)).not.toContain('987654');
  });

  it('only accepts 4 to 12 digits', async () => {
    expect(['1234', '123456789012'].every(isValidPin)).toBe(true);
    expect(['123', '1234567890123', '12a4', ' 1234', ''].some(isValidPin)).toBe(false);
    await expect(hashPin('12', FAST)).rejects.toThrow('4 to 12 digits');
  });

  it('refuses tampered or malformed hashes', async () => {
    const stored = await hashPin('2580', FAST);
    const parts = stored.split('$');
    const otherSalt = [...parts.slice(0, 4), Buffer.alloc(16, 7).toString('base64'), parts[5]].join('$');
    expect(await verifyPin('2580', otherSalt)).toBe(false);
    expect(isPinHash(stored.replace('scrypt$1024', 'scrypt$1000'))).toBe(false); // N not a power of two
    expect(isPinHash(stored.replace('scrypt$1024', `scrypt$${2 ** 24}`))).toBe(false); // cost a check would hang on
    expect(isPinHash('bcrypt$whatever')).toBe(false);
    expect(await verifyPin('2580', 'scrypt$garbage')).toBe(false);
  });
});

describe('PIN attempt lockout', () => {
  it('locks after five failures, doubling each time, and resets on success', () => {
    let now = 0;
    const limiter = new PinAttemptLimiter({ maxFailures: 5, lockMs: 60_000, maxLockMs: 15 * 60_000 }, () => now);
    for (let i = 0; i < 4; i += 1) limiter.recordFailure();
    expect(limiter.retryAfterMs()).toBe(0);
    limiter.recordFailure();
    expect(limiter.retryAfterMs()).toBe(60_000);
    now += 60_000;
    expect(limiter.retryAfterMs()).toBe(0);
    for (let i = 0; i < 5; i += 1) limiter.recordFailure();
    expect(limiter.retryAfterMs()).toBe(120_000);
    limiter.recordSuccess();
    expect(limiter.retryAfterMs()).toBe(0);
  });

  it('caps the lockout', () => {
    let now = 0;
    const limiter = new PinAttemptLimiter({ maxFailures: 1, lockMs: 60_000, maxLockMs: 300_000 }, () => now);
    for (let i = 0; i < 10; i += 1) {
      limiter.recordFailure();
      now += limiter.retryAfterMs();
    }
    limiter.recordFailure();
    expect(limiter.retryAfterMs()).toBe(300_000);
  });

  it('refuses even the right PIN while locked out', async () => {
    let now = 0;
    const stored = await hashPin('2580', FAST);
    const limiter = new PinAttemptLimiter({ maxFailures: 2, lockMs: 30_000, maxLockMs: 60_000 }, () => now);
    expect(await checkPinAttempt('0000', stored, limiter)).toEqual({ ok: false, retryAfterSeconds: null });
    expect(await checkPinAttempt('0000', stored, limiter)).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(await checkPinAttempt('2580', stored, limiter)).toEqual({ ok: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(await checkPinAttempt('2580', stored, limiter)).toEqual({ ok: true });
  });

  it('refuses every PIN when none is configured', async () => {
    expect(await checkPinAttempt('1234', undefined, new PinAttemptLimiter())).toEqual({ ok: false, retryAfterSeconds: null });
  });
});
