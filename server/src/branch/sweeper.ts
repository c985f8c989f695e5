// The branch's periodic sweep: no-shows, end-of-day expiry, missed bookings, stale checkouts and long-wait alerts.
// A timer over the branch's own time-zone rules, not a cron job; a failing step is logged and retried next time.
import type { Logger } from 'pino';

const SWEEP_MS = 30_000;

export interface Sweeper { stop(): void }

/** Runs every step once now, then every 30 s; the timer does not keep the process alive. */
export function startSweeper(steps: ReadonlyArray<() => unknown>, logger: Logger, intervalMs = SWEEP_MS, onError: (err: unknown) => void = () => {}): Sweeper {
  const sweep = () => {
    // Each step on its own: one that fails (a full disk) must not keep the others from running.
    for (const step of steps) {
      try {
        step();
      } catch (err) {
        onError(err);
        logger.error({ err }, 'sweep step failed');
      }
    }
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
