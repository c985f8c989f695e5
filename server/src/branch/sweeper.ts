// The branch's periodic sweep: no-shows, end-of-day expiry, missed bookings, stale checkouts and long-wait alerts.
// A timer over the branch's own time-zone rules, not a cron job; a failing step is logged and retried next time.
import type { Logger } from 'pino';

const SWEEP_MS = 30_000;

export interface Sweeper { stop(): void }

/**
 * What a step returns when it stopped at its batch's bound with more to do: it runs again on the next turn of the
 * event loop (requests and broadcasts waiting go first), not a whole interval later.
 */
export const SWEEP_MORE = Symbol('sweep: more to do');

/** Runs every step once now, then every 30 s; the timer does not keep the process alive. */
export function startSweeper(steps: ReadonlyArray<() => unknown>, logger: Logger, intervalMs = SWEEP_MS, onError: (err: unknown) => void = () => {}): Sweeper {
  let stopped = false;
  const again = new Set<NodeJS.Immediate>();
  const run = (step: () => unknown) => {
    // Each step on its own: one that fails (a full disk) must not keep the others from running.
    try {
      if (step() === SWEEP_MORE && !stopped) {
        const next = setImmediate(() => {
          again.delete(next);
          if (!stopped) run(step);
        });
        again.add(next);
      }
    } catch (err) {
      onError(err);
      logger.error({ err }, 'sweep step failed');
    }
  };
  const sweep = () => {
    for (const step of steps) run(step);
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
      for (const next of again) clearImmediate(next);
      again.clear();
    },
  };
}
