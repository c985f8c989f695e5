// Who is called next at a counter. The rule, written once (also in README "Call-next rule"):
//
//   score = minutes waited + class bonus − 10 min × (position of the service in the counter's list)
//                          + 60 if the ticket was transferred to this very counter
//   The highest score is called; ties go to the earliest issue time, then the smallest id (FIFO).
//
// Class bonuses: appointment 30 (60 once due, see below), vip 20, priority 15, express 5, normal 0 (minutes).
// "Minutes waited" counts from the issue time (kept across transfers, for fairness); for an appointment from its
// booked time (dueAt), or from its check-in when the visitor checked in late, so that a visitor who checks in early
// is not called before walk-ins that were there first and one who comes late gains nothing by it.
// Appointments are called at or near their time: from 5 minutes before its booked time on (it is "due"), an
// appointment's bonus is 60, so it goes ahead of the walk-ins of its service who arrived less than 60 minutes before
// that time; a walk-in who had been waiting longer than that still goes first.
// Aging: a bonus is a head start, not a lane. A normal ticket is overtaken only by priority tickets issued less
// than 15 minutes after it and by appointments booked less than 60 minutes after its arrival, so it never waits
// forever behind a stream of priority ones or of appointments (whose number per slot is bounded anyway).
// Absent remote tickets: under the branch's `absent: skip` rule, call-next passes over a remote ticket whose visitor
// has not checked in (arrivedAt null). It keeps its score, so it is called first once its visitor checks in; the
// first time it is passed over its grace time starts, and a visitor still absent graceMinutes later is a no-show
// (the branch's sweep). Under `absent: call` it is called like the others.
import type { QueueType } from '../contracts/domain.js';

export const CLASS_BONUS_MINUTES: Readonly<Record<QueueType, number>> = {
  appointment: 30,
  vip: 20,
  priority: 15,
  express: 5,
  normal: 0,
};
/** An appointment is due this many minutes before its booked time. */
export const APPOINTMENT_DUE_LEAD_MINUTES = 5;
/** The bonus of a due appointment: it goes ahead of walk-ins who arrived less than this before its booked time. */
export const APPOINTMENT_DUE_BONUS_MINUTES = 60;
export const SERVICE_ORDER_STEP_MINUTES = 10;
export const OWN_TRANSFER_BONUS_MINUTES = 60;

export interface CallCandidate {
  id: string;
  serviceId: string;
  queueType: QueueType;
  issuedAt: string; // ISO
  /** Appointment time; counts instead of issuedAt when present (unless the visitor checked in after it). */
  dueAt: string | null;
  targetCounterId: string | null;
  /** When its visitor checked in; null for a remote ticket whose visitor is not here yet (undefined: here). */
  arrivedAt?: string | null;
}

export interface CallContext {
  now: Date;
  counterId: string | null;
  /** Services the counter serves, in its order of preference; absent → all equal. */
  serviceOrder?: readonly string[];
  /** The branch's `absent: skip` rule: pass over tickets whose visitor has not checked in. */
  skipAbsent?: boolean;
}

/** The class bonus of a candidate at `now`: an appointment's grows once it is due. */
export function classBonus(c: CallCandidate, now: Date): number {
  if (c.queueType === 'appointment' && c.dueAt !== null && now.getTime() >= Date.parse(c.dueAt) - APPOINTMENT_DUE_LEAD_MINUTES * 60_000) {
    return APPOINTMENT_DUE_BONUS_MINUTES;
  }
  return CLASS_BONUS_MINUTES[c.queueType];
}

export function callScore(c: CallCandidate, ctx: CallContext): number {
  const issued = Date.parse(c.issuedAt);
  const since = c.dueAt === null ? issued : Math.max(Date.parse(c.dueAt), issued);
  const waitedMinutes = (ctx.now.getTime() - since) / 60_000;
  const orderIndex = ctx.serviceOrder ? Math.max(0, ctx.serviceOrder.indexOf(c.serviceId)) : 0;
  const ownTransfer = ctx.counterId !== null && c.targetCounterId === ctx.counterId ? OWN_TRANSFER_BONUS_MINUTES : 0;
  return waitedMinutes + classBonus(c, ctx.now) - orderIndex * SERVICE_ORDER_STEP_MINUTES + ownTransfer;
}

const callableHere = (c: CallCandidate, ctx: CallContext) => c.targetCounterId === null || c.targetCounterId === ctx.counterId;
/** Passed over for now: the skip rule is on and the visitor has not checked in. */
export const isPassedOver = (c: CallCandidate, ctx: CallContext): boolean => ctx.skipAbsent === true && c.arrivedAt === null;

interface Scored<T extends CallCandidate> { c: T; score: number }
/** Best first: highest score, then earliest issue time, then smallest id. */
const byRank = <T extends CallCandidate>(a: Scored<T>, b: Scored<T>) =>
  b.score - a.score || a.c.issuedAt.localeCompare(b.c.issuedAt) || a.c.id.localeCompare(b.c.id);

/** Candidates ordered best first. Candidates transferred to another counter are not callable here. */
export function rankForCall<T extends CallCandidate>(candidates: readonly T[], ctx: CallContext): T[] {
  const scored = candidates.filter((c) => callableHere(c, ctx)).map((c) => ({ c, score: callScore(c, ctx) }));
  scored.sort(byRank);
  return scored.map((s) => s.c);
}

/**
 * The 1-based place of the candidate with `id` in rankForCall's order, or null when it is not among the callable
 * candidates. One pass that counts who ranks ahead: a position is asked for every ticket shown, so no full sort.
 */
export function positionForCall(id: string, candidates: readonly CallCandidate[], ctx: CallContext): number | null {
  const target = candidates.find((c) => c.id === id);
  if (!target || !callableHere(target, ctx)) return null;
  const mine = { c: target, score: callScore(target, ctx) };
  let ahead = 0;
  for (const c of candidates) {
    if (c.id !== id && callableHere(c, ctx) && byRank({ c, score: callScore(c, ctx) }, mine) < 0) ahead += 1;
  }
  return ahead + 1;
}

/**
 * An instant such that every callable candidate without an appointment (dueAt null) issued before it ranks ahead of
 * `target`, whatever its class: its wait alone beats the target's score by a millisecond or more (far above any
 * rounding of the scores), after the largest service-order handicap. A caller with a long line counts those in its
 * database and gives positionForCall only the others (issued since, or with an appointment), with the same answer:
 * a position then costs the recent arrivals, not the whole line.
 */
export function surelyAheadBefore(target: CallCandidate, ctx: CallContext): Date {
  const handicap = ctx.serviceOrder ? Math.max(0, ctx.serviceOrder.length - 1) * SERVICE_ORDER_STEP_MINUTES : 0;
  const minutes = callScore(target, ctx) + handicap;
  return new Date(Math.floor(ctx.now.getTime() - minutes * 60_000) - 1);
}

/**
 * Who call-next calls, found in one pass (it runs over the whole line of its services): the first of rankForCall's
 * order whose visitor is here, and the absent tickets passed over on the way (ranked ahead of it, or every absent
 * one when nobody else is waiting), whose grace time starts now if it has not yet.
 */
export function decideCall<T extends CallCandidate>(candidates: readonly T[], ctx: CallContext): { next: T | null; passedOver: T[] } {
  let best: Scored<T> | null = null;
  const absent: Array<Scored<T>> = [];
  for (const c of candidates) {
    if (!callableHere(c, ctx)) continue;
    const scored = { c, score: callScore(c, ctx) };
    if (isPassedOver(c, ctx)) absent.push(scored);
    else if (best === null || byRank(scored, best) < 0) best = scored;
  }
  const chosen = best;
  return { next: chosen?.c ?? null, passedOver: absent.filter((a) => chosen === null || byRank(a, chosen) < 0).map((a) => a.c) };
}

/** The ticket call-next calls (decideCall's `next`). */
export function pickNext<T extends CallCandidate>(candidates: readonly T[], ctx: CallContext): T | null {
  return decideCall(candidates, ctx).next;
}

/** A counter as the call-next rule sees it: the services it serves, in its order of preference. */
export interface CallingCounter { id: string; serviceIds: readonly string[] }

/** The context of a call at this counter: its order of services and its own transfers. */
export function counterCallContext(counter: CallingCounter, now: Date, skipAbsent = false): CallContext {
  return { now, counterId: counter.id, serviceOrder: counter.serviceIds, skipAbsent };
}

/**
 * Whether a waiting ticket is a candidate at this counter: its service is not closed, and the counter serves it or
 * the ticket was transferred to this very counter (called there even when the counter does not serve its line).
 */
export function isCandidateAt(c: CallCandidate, counter: CallingCounter, closedServiceIds: ReadonlySet<string>): boolean {
  if (closedServiceIds.has(c.serviceId)) return false;
  return c.targetCounterId === counter.id || (c.targetCounterId === null && counter.serviceIds.includes(c.serviceId));
}

/**
 * The order in which this counter will call the waiting tickets (the agent's "next" list): call-next's own rule over
 * call-next's own candidates, so the first of the list is the ticket the next call gets. Under the skip rule the
 * absent ones come last, in their order: they are called only once their visitor checks in.
 */
export function counterCallOrder<T extends CallCandidate>(waiting: readonly T[], counter: CallingCounter, closedServiceIds: ReadonlySet<string>, now: Date, skipAbsent = false): T[] {
  const ctx = counterCallContext(counter, now, skipAbsent);
  const ranked = rankForCall(waiting.filter((c) => isCandidateAt(c, counter, closedServiceIds)), ctx);
  return [...ranked.filter((c) => !isPassedOver(c, ctx)), ...ranked.filter((c) => isPassedOver(c, ctx))];
}
