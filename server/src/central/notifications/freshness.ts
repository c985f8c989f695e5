// How old central's picture of a branch is, and the rules that refuse to tell a visitor anything from old data.
// Pure: callers pass the branch's sync state and the time.
import { WAITING_STATUSES } from '../../shared/domain/ticket-state.js';
import type { TicketStatus } from '../../shared/contracts/domain.js';

/** Default: a branch pushes at least every 30 s (an empty push is its heartbeat); three missed beats is stale. */
export const DEFAULT_STALE_AFTER_SECONDS = 90;

export interface BranchSyncState {
  /** Central's time of the branch's last accepted push (heartbeats included); null if it never pushed. */
  lastPushAt: string | null;
  /** Highest seq central holds, and the highest the branch said it had when it last pushed. */
  lastSeq: number;
  headSeq: number;
  /** occurred_at of the oldest record the branch still had to send when it last pushed (null: none). */
  oldestPendingAt: string | null;
}

export type StaleReason = 'never_synced' | 'link_down' | 'catching_up';

export interface Freshness {
  /** Central knows the branch as it was at this time. */
  dataAsOf: string | null;
  ageSeconds: number | null;
  stale: boolean;
  reason: StaleReason | null;
}

/**
 * Data is as old as the branch's last push; while the branch still has records to send, as old as the oldest of
 * them. Past `staleAfterSeconds` it is stale: no position is shown as current and no "your turn" is sent.
 */
export function branchFreshness(sync: BranchSyncState | null, now: Date, staleAfterSeconds: number): Freshness {
  if (!sync || sync.lastPushAt === null) return { dataAsOf: null, ageSeconds: null, stale: true, reason: 'never_synced' };
  let asOf = Date.parse(sync.lastPushAt);
  const behind = sync.headSeq > sync.lastSeq && sync.oldestPendingAt !== null;
  if (behind) asOf = Math.min(asOf, Date.parse(sync.oldestPendingAt as string));
  const ageMs = Math.max(0, now.getTime() - asOf);
  // Decided on the exact age (the rounded seconds are for display): the hub and the page flip at the same instant.
  const stale = ageMs > staleAfterSeconds * 1000;
  const ageSeconds = Math.round(ageMs / 1000);
  return { dataAsOf: new Date(asOf).toISOString(), ageSeconds, stale, reason: stale ? (behind ? 'catching_up' : 'link_down') : null };
}

export type Decision = { send: true } | { send: false; reason: 'stale' | 'not_waiting' | 'not_reached' | 'event_too_old' | 'no_longer_called' };

const WAITING = WAITING_STATUSES; // the domain's set: one home

/**
 * "Your turn is near": a waiting ticket at position ≤ N, from fresh data only. A remote ticket's visitor (web, SMS,
 * USSD) is not in the hall: they are also told once the estimated wait is down to the time it takes to come
 * (`leadMinutes`), however many are still ahead, so that the travel fits before the call.
 */
export function decideTurnNear(input: {
  status: TicketStatus; position: number | null; notifyAtPosition: number; freshness: Freshness;
  remote?: { estimatedWaitMinutes: number | null; leadMinutes: number };
}): Decision {
  if (input.freshness.stale) return { send: false, reason: 'stale' };
  if (!WAITING.includes(input.status) || input.position === null) return { send: false, reason: 'not_waiting' };
  if (input.position <= input.notifyAtPosition) return { send: true };
  const wait = input.remote?.estimatedWaitMinutes;
  if (input.remote && wait !== null && wait !== undefined && wait <= input.remote.leadMinutes) return { send: true };
  return { send: false, reason: 'not_reached' };
}

/**
 * "You are called at counter X": only for a recent call (a call replayed after a long outage is old news) of a
 * ticket that is still called now (not already at the counter, served or gone).
 */
export function decideCalled(input: { eventAt: string; now: Date; currentStatus: TicketStatus; maxEventAgeSeconds: number }): Decision {
  if (input.now.getTime() - Date.parse(input.eventAt) > input.maxEventAgeSeconds * 1000) return { send: false, reason: 'event_too_old' };
  if (input.currentStatus !== 'called') return { send: false, reason: 'no_longer_called' };
  return { send: true };
}
