// The payment state machine and the money rules of a visit: the one place that decides which status change is
// legal and what is still due. Amounts are whole francs CFA (XOF): integers, never floats.
import { MAX_PAYMENT_XOF, type PaymentStatus } from '../contracts/payments.js';
import { DomainError } from './errors.js';

/**
 * from-status → the statuses it may move to. Anything absent is illegal.
 * - pending → succeeded | failed | expired: the provider's (or the agent's) verdict.
 * - succeeded → refunded: the money was given back.
 * - failed | expired → succeeded: a late success. The provider took the money after we had given up (Wave keeps a
 *   session open after a failed attempt; a webhook or a status poll arrives after the expiry). Money received is
 *   never ignored; nothing ever moves back from succeeded or refunded.
 */
const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['succeeded', 'failed', 'expired'],
  failed: ['succeeded'],
  expired: ['succeeded'],
  succeeded: ['refunded'],
  refunded: [],
};

export const FINAL_PAYMENT_STATUSES: readonly PaymentStatus[] = ['refunded'];

export function canMovePayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The status after the change, or DomainError INVALID_TRANSITION (also for a "change" to the same status). */
export function movePayment(from: PaymentStatus, to: PaymentStatus): PaymentStatus {
  if (!canMovePayment(from, to)) {
    throw new DomainError('INVALID_TRANSITION', `a ${from} payment cannot become ${to}`, { from, to });
  }
  return to;
}

/** The money was received (and possibly given back later). */
export function wasReceived(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'refunded';
}

/** Throws VALIDATION_ERROR unless the amount is a whole, positive number of francs CFA within the limit. */
export function checkAmountXof(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_PAYMENT_XOF) {
    throw new DomainError('VALIDATION_ERROR', `${what} must be a whole number of francs CFA between 1 and ${MAX_PAYMENT_XOF}, got ${amount}`);
  }
  return amount;
}

export interface PaymentLike { amountXof: number; status: PaymentStatus; review: string | null }

export interface AmountDue {
  feeXof: number | null;
  /** Money received and kept (succeeded, not refunded, not waiting for review). */
  paidXof: number;
  dueXof: number;
  /** A payment is still pending: the visitor may be paying right now. */
  pending: boolean;
}

/** What a visit still owes: the fee minus what was paid (never below zero). */
export function amountDue(feeXof: number | null, payments: readonly PaymentLike[]): AmountDue {
  let paid = 0;
  for (const p of payments) if (p.status === 'succeeded' && p.review === null) paid += p.amountXof;
  const fee = feeXof ?? 0;
  return { feeXof, paidXof: paid, dueXof: Math.max(0, fee - paid), pending: payments.some((p) => p.status === 'pending') };
}

/** The review reason of a success that came for a visit already paid: head office gives it back. */
const PAID_TWICE = 'paid twice';
export function paidTwiceReason(paidXof: number, amountXof: number): string {
  return `${PAID_TWICE}: this visit was already paid (${paidXof} F CFA); give these ${amountXof} F CFA back (refund at head office)`;
}
export function isPaidTwice(review: string | null): boolean {
  return review !== null && review.startsWith(PAID_TWICE);
}

/** A success of `amountXof` on top of the visit's other payments would pay more than its fee. */
export function wouldOverpay(feeXof: number | null, others: readonly PaymentLike[], amountXof: number): boolean {
  return feeXof !== null && amountDue(feeXof, others).paidXof + amountXof > feeXof;
}

/**
 * The amount of a new payment: the one asked for, else what is due. Refuses a payment when nothing is due and no
 * amount was given, and one above what is due when the visit has a fee (an agent's typing mistake).
 */
export function amountForNewPayment(requested: number | undefined, due: AmountDue): number {
  if (requested === undefined) {
    if (due.dueXof <= 0) {
      throw new DomainError('CONFLICT', due.feeXof === null ? 'this service has no fee: give the amount' : 'nothing is due for this ticket', { paidXof: due.paidXof });
    }
    return due.dueXof;
  }
  checkAmountXof(requested);
  if (due.feeXof !== null && requested > due.dueXof) {
    throw new DomainError('CONFLICT', due.dueXof === 0 ? 'nothing is due for this ticket' : `only ${due.dueXof} F CFA are due for this ticket`, { dueXof: due.dueXof });
  }
  return requested;
}
