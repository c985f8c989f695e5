// Position and estimated wait of a waiting ticket, from measured service times (not a constant).
//
//   average service time = (sum of the last N measured times + default × PRIOR_WEIGHT) / (N + PRIOR_WEIGHT)
//   estimated wait      = position × average service time / counters open for the service
//   no counter open     → no estimate: the visitor is told the service has no open counter, never a number
//
// The default service time acts as a prior so that the first few measured times of the day do not swing the
// estimate; as soon as real times accumulate, they dominate.

export const SERVICE_TIME_SAMPLES = 20;
export const PRIOR_WEIGHT = 2;

export function averageServiceMinutes(recentMinutes: readonly number[], defaultMinutes: number): number {
  const samples = recentMinutes.slice(0, SERVICE_TIME_SAMPLES);
  const sum = samples.reduce((a, b) => a + b, 0);
  return (sum + defaultMinutes * PRIOR_WEIGHT) / (samples.length + PRIOR_WEIGHT);
}

/** Nobody serves the line: no wait can be promised (kiosk, paper, tracking page and messages say so instead). */
export function noOpenCounter(openCounters: number): boolean {
  return openCounters < 1;
}

/** position is 1 for the next ticket to be called; null when no counter of the service is open. */
export function estimateWaitMinutes(position: number, averageMinutes: number, openCounters: number): number | null {
  if (noOpenCounter(openCounters)) return null;
  if (position <= 0) return 0;
  return Math.round((position * averageMinutes) / openCounters);
}

/** Whole minutes a ticket has waited since `sinceIso` (never negative: clocks of screens drift). */
export function waitedMinutes(sinceIso: string, now: Date | number): number {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  return Math.max(0, Math.floor((nowMs - Date.parse(sinceIso)) / 60_000));
}

/** A ticket is over its service's target wait once it has waited the target's minutes. */
export function isOverTarget(issuedAt: string, targetWaitMinutes: number, now: Date | number): boolean {
  return waitedMinutes(issuedAt, now) >= targetWaitMinutes;
}

/** How many of these waiting tickets (by issue time) are over the target: the supervisor's figure. */
export function overTargetCount(issuedAts: readonly string[], targetWaitMinutes: number, now: Date | number): number {
  return issuedAts.filter((at) => isOverTarget(at, targetWaitMinutes, now)).length;
}

/**
 * The latest issue time that is over the target at `now` (isOverTarget as a bound, for a count in SQL): a ticket issued
 * at or before it has waited the target's minutes. With no target (0 or less) every waiting ticket is over, even one
 * stamped after `now` by a clock ahead: the bound is then the latest time there is.
 */
export function overTargetIssuedBy(targetWaitMinutes: number, now: Date | number): string {
  // The last four-digit year: issue times are compared as text, and a later year's "+275760-…" sorts first.
  if (targetWaitMinutes <= 0) return '9999-12-31T23:59:59.999Z';
  const nowMs = typeof now === 'number' ? now : now.getTime();
  return new Date(nowMs - targetWaitMinutes * 60_000).toISOString();
}
