import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PAYMENT_XOF, PAYMENT_STATUSES, type PaymentStatus } from '../contracts/payments.js';
import { DomainError } from './errors.js';
import { amountDue, amountForNewPayment, canMovePayment, checkAmountXof, movePayment, wasReceived } from './payment-state.js';
import { dayWindow, localDay, paymentTotals, type PaymentFact } from './payment-totals.js';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
}

describe('payment state machine', () => {
  const legal: Array<[PaymentStatus, PaymentStatus]> = [
    ['pending', 'succeeded'], ['pending', 'failed'], ['pending', 'expired'],
    ['succeeded', 'refunded'],
    ['failed', 'succeeded'], ['expired', 'succeeded'],
  ];

  it('allows exactly the listed changes', () => {
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect(canMovePayment(from, to), `${from} → ${to}`).toBe(expected);
        if (expected) expect(movePayment(from, to)).toBe(to);
        else expect(codeOf(() => movePayment(from, to)), `${from} → ${to}`).toBe('INVALID_TRANSITION');
      }
    }
  });

  it('never moves money received back to unpaid, whatever the order of reports', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PAYMENT_STATUSES), { maxLength: 30 }), (reports) => {
      let status: PaymentStatus = 'pending';
      let received = false;
      for (const to of reports) {
        if (canMovePayment(status, to)) status = movePayment(status, to);
        if (received) expect(wasReceived(status)).toBe(true);
        received ||= wasReceived(status);
      }
    }), { seed: 7, numRuns: 500 });
  });

  it('refunded is final', () => {
    for (const to of PAYMENT_STATUSES) expect(canMovePayment('refunded', to)).toBe(false);
  });
});

describe('amounts', () => {
  it('takes whole positive francs only', () => {
    expect(checkAmountXof(1500)).toBe(1500);
    for (const bad of [0, -5, 10.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_PAYMENT_XOF + 1]) {
      expect(codeOf(() => checkAmountXof(bad)), String(bad)).toBe('VALIDATION_ERROR');
    }
  });

  it('counts succeeded payments not under review toward the fee', () => {
    const due = amountDue(5000, [
      { amountXof: 2000, status: 'succeeded', review: null },
      { amountXof: 1000, status: 'succeeded', review: 'amountXof expected 1000, got 900' },
      { amountXof: 500, status: 'refunded', review: null },
      { amountXof: 700, status: 'failed', review: null },
      { amountXof: 3000, status: 'pending', review: null },
    ]);
    expect(due).toEqual({ feeXof: 5000, paidXof: 2000, dueXof: 3000, pending: true });
    expect(amountDue(1000, [{ amountXof: 1500, status: 'succeeded', review: null }]).dueXof).toBe(0);
    expect(amountDue(null, []).dueXof).toBe(0);
  });

  it('defaults a new payment to what is due and refuses more than that', () => {
    const due = amountDue(3000, [{ amountXof: 1000, status: 'succeeded', review: null }]);
    expect(amountForNewPayment(undefined, due)).toBe(2000);
    expect(amountForNewPayment(1500, due)).toBe(1500);
    expect(codeOf(() => amountForNewPayment(2500, due))).toBe('CONFLICT');
    expect(codeOf(() => amountForNewPayment(undefined, amountDue(1000, [{ amountXof: 1000, status: 'succeeded', review: null }])))).toBe('CONFLICT');
    expect(codeOf(() => amountForNewPayment(undefined, amountDue(null, [])))).toBe('CONFLICT');
    expect(amountForNewPayment(750, amountDue(null, []))).toBe(750);
    expect(codeOf(() => amountForNewPayment(12.5, amountDue(null, [])))).toBe('VALIDATION_ERROR');
  });
});

describe('totals', () => {
  const zone = () => 'Africa/Dakar';
  const fact = (p: Partial<PaymentFact>): PaymentFact => ({
    branchId: 'b1', serviceId: 's1', method: 'cash', amountXof: 1000, status: 'succeeded', settledAt: '2025-03-10T09:00:00.000Z', review: null, ...p,
  });

  it('groups received payments per branch, local day, service and method', () => {
    const totals = paymentTotals([
      fact({}),
      fact({ amountXof: 2500, method: 'wave' }),
      fact({ amountXof: 500, status: 'refunded' }),
      fact({ amountXof: 4000, branchId: 'b2', serviceId: null, method: 'orange_money' }),
      fact({ status: 'pending', settledAt: null }),
      fact({ status: 'failed', settledAt: null }),
      fact({ review: 'currency expected XOF, got EUR' }),
      fact({ settledAt: '2025-03-11T23:59:59.000Z' }),
      fact({ settledAt: '2025-03-09T23:59:59.000Z' }),
    ], '2025-03-10', '2025-03-11', zone);
    expect(totals.total).toEqual({ count: 5, receivedXof: 9000, refundedCount: 1, refundedXof: 500, netXof: 8500 });
    expect(totals.rows).toEqual([
      { branchId: 'b1', day: '2025-03-10', serviceId: 's1', method: 'cash', count: 2, receivedXof: 1500, refundedCount: 1, refundedXof: 500, netXof: 1000 },
      { branchId: 'b1', day: '2025-03-10', serviceId: 's1', method: 'wave', count: 1, receivedXof: 2500, refundedCount: 0, refundedXof: 0, netXof: 2500 },
      { branchId: 'b1', day: '2025-03-11', serviceId: 's1', method: 'cash', count: 1, receivedXof: 1000, refundedCount: 0, refundedXof: 0, netXof: 1000 },
      { branchId: 'b2', day: '2025-03-10', serviceId: null, method: 'orange_money', count: 1, receivedXof: 4000, refundedCount: 0, refundedXof: 0, netXof: 4000 },
    ]);
    expect(totals.byMethod.map((m) => [m.method, m.netXof])).toEqual([['cash', 2000], ['orange_money', 4000], ['wave', 2500]]);
    expect(totals.byBranch.map((b) => [b.branchId, b.receivedXof])).toEqual([['b1', 5000], ['b2', 4000]]);
    expect(totals.byDay.map((d) => [d.day, d.count])).toEqual([['2025-03-10', 4], ['2025-03-11', 1]]);
  });

  it('uses the branch zone for the day', () => {
    expect(localDay('2025-03-10T23:30:00.000Z', 'Africa/Dakar')).toBe('2025-03-10');
    expect(localDay('2025-03-10T23:30:00.000Z', 'Europe/Paris')).toBe('2025-03-11');
    expect(dayWindow('2025-03-10', '2025-03-10', 'Africa/Dakar')).toEqual({ from: '2025-03-10T00:00:00.000Z', to: '2025-03-11T00:00:00.000Z' });
    expect(codeOf(() => dayWindow('2025-03-11', '2025-03-10', 'Africa/Dakar'))).toBe('VALIDATION_ERROR');
  });
});
