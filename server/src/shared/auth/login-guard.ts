// Sign-in protection for both servers (issue 14, point 6): wrong passwords are limited per login and per address
// with growing delays (429 with Retry-After), attempts from one address run one at a time, and the password KDF runs
// behind a small gate with a short queue, so that a flood of wrong logins cannot make a real one wait.
import { CostlyGate, FailureThrottle, KeyedQueue, rateLimited, type ThrottleRule } from '../rate-limit.js';

export interface LoginGuardOptions {
  /** Per login: 5 free failures, then 1 s, 2 s, 4 s … up to 15 min. */
  perLogin?: ThrottleRule;
  /** Per address: 20 free failures (a LAN shared by a few agents), then the same growth. */
  perAddress?: ThrottleRule;
  /** KDF runs at once (scrypt uses the libuv pool of 4 threads): default 2, with 16 waiting at most. */
  kdfConcurrency?: number;
  kdfQueue?: number;
  /** Told once when a login or an address becomes locked (a supervisor alert). */
  onLockout?: (lockout: { kind: 'login' | 'address'; key: string; failures: number; retryAfterSeconds: number }) => void;
}

const HOUR = 3_600_000;
export const LOGIN_THROTTLE: ThrottleRule = { free: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: HOUR };
export const ADDRESS_THROTTLE: ThrottleRule = { free: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: HOUR };

export class LoginGuard {
  private readonly logins: FailureThrottle;
  private readonly addresses: FailureThrottle;
  private readonly perAddress = new KeyedQueue(4);
  readonly kdf: CostlyGate;

  constructor(private readonly now: () => number, private readonly opts: LoginGuardOptions = {}) {
    this.logins = new FailureThrottle(opts.perLogin ?? LOGIN_THROTTLE);
    this.addresses = new FailureThrottle(opts.perAddress ?? ADDRESS_THROTTLE);
    this.kdf = new CostlyGate(opts.kdfConcurrency ?? 2, opts.kdfQueue ?? 16);
  }

  /**
   * Run one sign-in attempt: `check` verifies the password (through the KDF gate) and answers whether it was right.
   * Throws RATE_LIMITED before any KDF when the login or the address must still wait.
   */
  async attempt<T>(login: string, address: string, check: (kdf: CostlyGate) => Promise<{ ok: boolean; value: T }>): Promise<T | null> {
    return this.perAddress.run(address, async () => {
      const now = this.now();
      const wait = Math.max(this.logins.waitMs(login, now), this.addresses.waitMs(address, now));
      if (wait > 0) throw rateLimited(`too many wrong passwords: try again in ${Math.ceil(wait / 1000)} s`, wait);
      const { ok, value } = await check(this.kdf);
      const after = this.now();
      if (ok) {
        this.logins.clear(login);
        return value;
      }
      this.failed('login', this.logins, login, after);
      this.failed('address', this.addresses, address, after);
      return null;
    });
  }

  private failed(kind: 'login' | 'address', throttle: FailureThrottle, key: string, now: number): void {
    const delay = throttle.fail(key, now);
    const failures = throttle.failures(key, now);
    const rule = kind === 'login' ? (this.opts.perLogin ?? LOGIN_THROTTLE) : (this.opts.perAddress ?? ADDRESS_THROTTLE);
    // Told when the lock starts, not at each further failure.
    if (delay > 0 && failures === rule.free + 1) this.opts.onLockout?.({ kind, key, failures, retryAfterSeconds: Math.ceil(delay / 1000) });
  }
}
