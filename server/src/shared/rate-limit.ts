// The one home for limiting guessable and costly things, per target and not only per address (issue 14, points 6-8).
// Both servers use it: logins and pairing codes at the branch, anonymous bookings and their messages at central.
// In memory: a restart forgets the counts, which costs an attacker nothing he could not get by waiting, and the
// data-folder lock (one process per folder) keeps them from being counted twice.
import { DomainError } from './domain/errors.js';

/** RATE_LIMITED with the seconds to wait (the HTTP layer turns it into a 429 with Retry-After). */
export function rateLimited(message: string, retryAfterMs: number): DomainError {
  return new DomainError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

export interface ThrottleRule {
  /** Failures forgiven before any delay. */
  free: number;
  /** First delay once past `free`; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long is forgotten. */
  forgetAfterMs: number;
}

interface FailureState { failures: number; lockedUntil: number; lastAt: number }

/**
 * Failures per key with growing delays: `free` failures cost nothing, then each one locks the key for twice as long
 * as the one before (capped). A success clears the key. `now` is passed in so the caller's clock rules.
 */
export class FailureThrottle {
  private readonly keys = new Map<string, FailureState>();

  constructor(private readonly rule: ThrottleRule) {}

  /** Milliseconds the key must still wait (0: free to try). */
  waitMs(key: string, now: number): number {
    const s = this.state(key, now);
    return s ? Math.max(0, s.lockedUntil - now) : 0;
  }

  /** Count a failure; returns the lockout it starts (0 while still within the free failures). */
  fail(key: string, now: number): number {
    const s = this.state(key, now) ?? { failures: 0, lockedUntil: 0, lastAt: now };
    s.failures += 1;
    s.lastAt = now;
    const over = s.failures - this.rule.free;
    const delay = over > 0 ? Math.min(this.rule.maxDelayMs, this.rule.baseDelayMs * 2 ** (over - 1)) : 0;
    s.lockedUntil = now + delay;
    this.keys.set(key, s);
    return delay;
  }

  failures(key: string, now: number): number {
    return this.state(key, now)?.failures ?? 0;
  }

  clear(key: string): void {
    this.keys.delete(key);
  }

  private state(key: string, now: number): FailureState | undefined {
    const s = this.keys.get(key);
    if (s && now - s.lastAt > this.rule.forgetAfterMs && now >= s.lockedUntil) {
      this.keys.delete(key);
      return undefined;
    }
    if (this.keys.size > 50_000) this.prune(now);
    return s;
  }

  private prune(now: number): void {
    for (const [k, s] of this.keys) if (now - s.lastAt > this.rule.forgetAfterMs && now >= s.lockedUntil) this.keys.delete(k);
  }
}

/** At most `limit` events per key in a sliding window (bookings per phone, messages per recipient…). */
export class WindowLimit {
  private readonly events = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Milliseconds until the key may have one more event (0: now). */
  waitMs(key: string, now: number): number {
    const recent = this.recent(key, now);
    return recent.length < this.limit ? 0 : (recent[0] as number) + this.windowMs - now;
  }

  /** Record one event (call after waitMs said 0, in the same synchronous step). */
  add(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.events.set(key, recent);
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.events.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (kept.length === 0) this.events.delete(key);
    if (this.events.size > 50_000) {
      for (const [k, ts] of this.events) if (!ts.some((t) => t > now - this.windowMs)) this.events.delete(k);
    }
    return kept;
  }
}

/**
 * A bound on concurrent runs of something costly (the password KDF): `concurrency` at once, at most `queue` waiting
 * in arrival order, and anything beyond is refused at once instead of queueing, so that a flood cannot make a real
 * caller wait behind it for long.
 */
export class CostlyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Runs started so far (tests and diagnostics). */
  started = 0;

  constructor(readonly concurrency: number, readonly queue: number) {}

  /** Runs fn when a place is free; throws RATE_LIMITED when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw rateLimited('the server is busy checking other sign-ins: try again in a moment', 1000);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    this.started += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the place passes to the next in line
      else this.running -= 1;
    }
  }
}

/** Runs per key one at a time, in arrival order, with at most `maxWaiting` waiting per key (more: RATE_LIMITED). */
export class KeyedQueue {
  private readonly lines = new Map<string, { tail: Promise<unknown>; size: number }>();

  constructor(readonly maxWaiting: number) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const line = this.lines.get(key) ?? { tail: Promise.resolve(), size: 0 };
    if (line.size > this.maxWaiting) throw rateLimited('too many attempts at once from here: wait a moment', 1000);
    line.size += 1;
    this.lines.set(key, line);
    const before = line.tail;
    const mine = before.then(fn, fn);
    line.tail = mine.catch(() => undefined);
    try {
      return await mine;
    } finally {
      line.size -= 1;
      if (line.size === 0 && this.lines.get(key) === line) this.lines.delete(key);
    }
  }
}
