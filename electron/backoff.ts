// Exponential backoff shared by the server supervisor, the reconnect loop and crash reloads.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2 };

/** Delay before retry number `attempt` (0-based): initial × factor^attempt, capped at maxMs. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** attempt);
}
