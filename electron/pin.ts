// Kiosk admin PIN: stored as an scrypt hash in station.json, verified in the main process only,
// with a lockout after repeated failures (a 4-digit PIN is otherwise guessable at the screen).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PREFIX = 'scrypt';
const KEY_LENGTH = 32;
/** N = 2^14, r = 8, p = 1: about 16 MiB and a few tens of ms per check, fine for a PIN prompt. */
const DEFAULT_COST = { N: 16384, r: 8, p: 1 } as const;
const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

export const PIN_RULE = 'PIN: 4 to 12 digits';

export function isValidPin(pin: string): boolean {
  return /^\d{4,12}$/.test(pin);
}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64), self-describing so the cost can grow without breaking old hashes. */
export async function hashPin(pin: string, cost: { N: number; r: number; p: number } = DEFAULT_COST): Promise<string> {
  if (!isValidPin(pin)) throw new Error(PIN_RULE);
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, KEY_LENGTH, { ...cost, maxmem: 128 * cost.N * cost.r * 2 });
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export function isPinHash(value: string): boolean {
  const match = HASH_PATTERN.exec(value);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // N must be a power of two; cap the cost so a tampered file cannot make a check take minutes.
  return N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  if (!isPinHash(stored) || !isValidPin(pin)) return false;
  const [, N, r, p, salt, hash] = HASH_PATTERN.exec(stored) as RegExpExecArray;
  const expected = Buffer.from(hash as string, 'base64');
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  const key = await scrypt(pin, Buffer.from(salt as string, 'base64'), expected.length, { ...cost, maxmem: 128 * cost.N * cost.r * 2 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export interface PinLockoutPolicy {
  /** Consecutive failures allowed before a lockout. */
  maxFailures: number;
  /** First lockout; doubles with each further lockout, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
}

export const DEFAULT_PIN_LOCKOUT: PinLockoutPolicy = { maxFailures: 5, lockMs: 60_000, maxLockMs: 15 * 60_000 };

/** Counts failed PIN attempts and locks the prompt for a while after too many. */
export class PinAttemptLimiter {
  private failures = 0;
  private lockouts = 0;
  private lockedUntil = 0;

  constructor(
    private readonly policy: PinLockoutPolicy = DEFAULT_PIN_LOCKOUT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the next attempt is allowed; 0 when an attempt may be made now. */
  retryAfterMs(): number {
    return Math.max(0, this.lockedUntil - this.now());
  }

  recordFailure(): void {
    this.failures += 1;
    if (this.failures >= this.policy.maxFailures) {
      this.lockouts += 1;
      this.failures = 0;
      const lock = Math.min(this.policy.maxLockMs, this.policy.lockMs * 2 ** (this.lockouts - 1));
      this.lockedUntil = this.now() + lock;
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.lockouts = 0;
    this.lockedUntil = 0;
  }
}

export type PinCheck = { ok: true } | { ok: false; retryAfterSeconds: number | null };

/** One attempt through the limiter: refuses without hashing while locked out. */
export async function checkPinAttempt(pin: string, stored: string | undefined, limiter: PinAttemptLimiter): Promise<PinCheck> {
  const wait = limiter.retryAfterMs();
  if (wait > 0) return { ok: false, retryAfterSeconds: Math.ceil(wait / 1000) };
  if (stored !== undefined && (await verifyPin(pin, stored))) {
    limiter.recordSuccess();
    return { ok: true };
  }
  limiter.recordFailure();
  const locked = limiter.retryAfterMs();
  return { ok: false, retryAfterSeconds: locked > 0 ? Math.ceil(locked / 1000) : null };
}
