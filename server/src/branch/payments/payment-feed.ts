// The `payment` entity of central's change feed, applied at the branch by the sync worker (sync/feed-apply.ts) in
// the transaction that also saves the pull cursor: the provider's verdict on a phone payment becomes a status
// change of the branch's payment, with its history row and outbox fact (so central's copy of the branch's
// payments, and the head-office totals, follow the branch's own records).
import { PaymentFeedPayload, type PaymentStatus } from '../../shared/contracts/payments.js';
import type { FeedChange } from '../../shared/contracts/sync.js';
import { nowIso, type BranchContext } from '../core/context.js';
import type { Tx } from '../db/unit-of-work.js';
import { amountDue, canMovePayment, paidTwiceReason, wouldOverpay } from '../../shared/domain/payment-state.js';
import { findService } from '../services/service.repository.js';
import {
  changePaymentStatus, findPayment, flagPayment, insertPayment, paymentsOfVisit, updatePaymentDetails, type ChangeBy, type PaymentRow,
} from './payment.repository.js';

export { PAYMENT_ENTITY } from '../../shared/contracts/payments.js';

const FROM_CENTRAL: ChangeBy = { userId: null, deviceId: null, source: 'central' };

/** A success for a visit its other payments had already paid: kept, never counted, flagged for refund at head office. */
function flagIfPaidTwice(store: Tx, row: PaymentRow, at: string): PaymentRow {
  const fee = row.service_id ? findService(store, row.service_id)?.fee_xof ?? null : null;
  const others = paymentsOfVisit(store, row).filter((o) => o.id !== row.id)
    .map((o) => ({ amountXof: o.amount_xof, status: o.status as PaymentStatus, review: o.review_reason }));
  if (!wouldOverpay(fee, others, row.amount_xof)) return row;
  return flagPayment(store, row, paidTwiceReason(amountDue(fee, others).paidXof, row.amount_xof), FROM_CENTRAL, at);
}

export function paymentFeedHandler(ctx: BranchContext): { apply(store: Tx, change: FeedChange): (() => void) | null; clear(store: Tx): void } {
  return {
    apply(store, change) {
      // Payments are facts of the branch: central never deletes one.
      if (change.op === 'delete') return null;
      const p = PaymentFeedPayload.parse(change.payload);
      const at = nowIso(ctx);
      let wrote = false;
      let row = findPayment(store, p.id);
      if (!row) {
        // Opened at central (a remote booking's deposit), or the branch lost its row: the branch records it now.
        row = insertPayment(store, {
          id: p.id, branchId: ctx.branchId, ticketId: p.ticketId, bookingId: p.bookingId, serviceId: p.serviceId,
          amountXof: p.amountXof, method: p.provider, channel: p.channel, origin: 'checkout', providerRef: p.providerRef,
          paymentUrl: p.paymentUrl, expiresAt: p.expiresAt,
        }, FROM_CENTRAL, at);
        wrote = true;
      } else if ((!row.provider_ref && p.providerRef) || (!row.payment_url && p.paymentUrl)) {
        updatePaymentDetails(store, row.id, { provider_ref: row.provider_ref ?? p.providerRef, payment_url: row.payment_url ?? p.paymentUrl, expires_at: row.expires_at ?? p.expiresAt });
        row = { ...row, provider_ref: row.provider_ref ?? p.providerRef, payment_url: row.payment_url ?? p.paymentUrl, expires_at: row.expires_at ?? p.expiresAt };
      }
      const mismatch = row.amount_xof !== p.amountXof || row.method !== p.provider
        ? `central reports ${p.amountXof} XOF by ${p.provider} for a payment of ${row.amount_xof} XOF by ${row.method}` : null;
      const review = p.review ?? mismatch;
      if (review && review !== row.review_reason) {
        row = flagPayment(store, row, review, FROM_CENTRAL, at);
        wrote = true;
      }
      const to = p.status as PaymentStatus;
      if (!mismatch && to !== 'pending' && to !== row.status) {
        // A refund means the money had arrived: a branch that never heard of the success (a feed snapshot carries only
        // the latest state) records it first, so that its history and totals hold both.
        if (to === 'refunded' && p.settledAt && canMovePayment(row.status as PaymentStatus, 'succeeded')) {
          row = changePaymentStatus(store, row, 'succeeded', FROM_CENTRAL, p.settledAt, { providerRef: p.providerRef });
          wrote = true;
        }
        if (canMovePayment(row.status as PaymentStatus, to)) {
          // The money arrived when the provider says so, not when the branch heard of it.
          row = changePaymentStatus(store, row, to, FROM_CENTRAL, to === 'succeeded' && p.settledAt ? p.settledAt : at, { providerRef: p.providerRef });
          wrote = true;
          if (to === 'succeeded' && row.review_reason === null) row = flagIfPaidTwice(store, row, at);
        } else {
          ctx.logger.warn({ paymentId: row.id, from: row.status, to }, 'central reports a payment status this branch cannot move to: kept as is');
        }
      }
      // Counted as applied; its outbox facts are announced by the unit of work once the page commits.
      return wrote ? () => {} : null;
    },
    clear() {
      // A feed snapshot replaces central-owned entities; payments are the branch's own facts and stay.
    },
  };
}
