// Money figures per branch, day, service and method, computed the same way at the branch and at central so that
// the two can be compared line by line. A payment counts on the day its money was received, in its branch's zone.
import { DateTime } from 'luxon';
import { CURRENCY_XOF, type PaymentFigures, type PaymentMethod, type PaymentStatus, type PaymentTotals, type PaymentTotalsRow } from '../contracts/payments.js';
import { DomainError } from './errors.js';
import { wasReceived } from './payment-state.js';

export interface PaymentFact {
  branchId: string;
  serviceId: string | null;
  method: PaymentMethod;
  amountXof: number;
  status: PaymentStatus;
  /** When the money was received (ISO); null while pending or after a failure. */
  settledAt: string | null;
  /** Kept for review (amount reported by the provider differs): not counted. */
  review: string | null;
}

export function localDay(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: timeZone }).toISODate() ?? iso.slice(0, 10);
}

/** The UTC instants [from, to) covering local days `fromDay` to `toDay` inclusive, in a zone. */
export function dayWindow(fromDay: string, toDay: string, timeZone: string): { from: string; to: string } {
  const start = DateTime.fromISO(fromDay, { zone: timeZone });
  const end = DateTime.fromISO(toDay, { zone: timeZone });
  if (!start.isValid || !end.isValid) throw new DomainError('VALIDATION_ERROR', `invalid day range ${fromDay}..${toDay} or time zone ${timeZone}`);
  if (end < start) throw new DomainError('VALIDATION_ERROR', `to (${toDay}) is before from (${fromDay})`);
  if (end.diff(start, 'days').days > 366) throw new DomainError('VALIDATION_ERROR', 'at most one year at a time');
  return { from: start.startOf('day').toUTC().toISO() as string, to: end.startOf('day').plus({ days: 1 }).toUTC().toISO() as string };
}

function empty(): PaymentFigures {
  return { count: 0, receivedXof: 0, refundedCount: 0, refundedXof: 0, netXof: 0 };
}

function add(f: PaymentFigures, p: PaymentFact): void {
  f.count += 1;
  f.receivedXof += p.amountXof;
  if (p.status === 'refunded') {
    f.refundedCount += 1;
    f.refundedXof += p.amountXof;
  }
  f.netXof = f.receivedXof - f.refundedXof;
}

function group<K extends string>(facts: ReadonlyArray<{ fact: PaymentFact; day: string }>, key: (x: { fact: PaymentFact; day: string }) => K): Map<K, PaymentFigures> {
  const map = new Map<K, PaymentFigures>();
  for (const x of facts) {
    const k = key(x);
    let f = map.get(k);
    if (!f) map.set(k, (f = empty()));
    add(f, x.fact);
  }
  return map;
}

const cmp = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/**
 * Totals of received payments whose local day is within [fromDay, toDay]. `zoneOf` gives each branch's zone.
 * Facts outside the range, not received, or waiting for review are left out.
 */
export function paymentTotals(facts: readonly PaymentFact[], fromDay: string, toDay: string, zoneOf: (branchId: string) => string): PaymentTotals {
  const kept: Array<{ fact: PaymentFact; day: string }> = [];
  for (const fact of facts) {
    if (!wasReceived(fact.status) || fact.review !== null || fact.settledAt === null) continue;
    const day = localDay(fact.settledAt, zoneOf(fact.branchId));
    if (day < fromDay || day > toDay) continue;
    kept.push({ fact, day });
  }
  const sep = '\u0000';
  const rows: PaymentTotalsRow[] = [...group(kept, (x) => [x.fact.branchId, x.day, x.fact.serviceId ?? '', x.fact.method].join(sep))]
    .map(([k, f]) => {
      const [branchId = '', day = '', serviceId = '', method = 'cash'] = k.split(sep);
      return { branchId, day, serviceId: serviceId || null, method: method as PaymentMethod, ...f };
    })
    .sort((a, b) => cmp(a.branchId, b.branchId) || cmp(a.day, b.day) || cmp(a.serviceId, b.serviceId) || cmp(a.method, b.method));
  const total = empty();
  for (const x of kept) add(total, x.fact);
  return {
    from: fromDay,
    to: toDay,
    currency: CURRENCY_XOF,
    rows,
    byBranch: [...group(kept, (x) => x.fact.branchId)].map(([branchId, f]) => ({ branchId, ...f })).sort((a, b) => cmp(a.branchId, b.branchId)),
    byMethod: [...group(kept, (x) => x.fact.method)].map(([method, f]) => ({ method, ...f })).sort((a, b) => cmp(a.method, b.method)),
    byService: [...group(kept, (x) => `${x.fact.branchId}${sep}${x.fact.serviceId ?? ''}`)].map(([k, f]) => {
      const [branchId = '', serviceId = ''] = k.split(sep);
      return { branchId, serviceId: serviceId || null, ...f };
    }).sort((a, b) => cmp(a.branchId, b.branchId) || cmp(a.serviceId, b.serviceId)),
    byDay: [...group(kept, (x) => x.day)].map(([day, f]) => ({ day, ...f })).sort((a, b) => cmp(a.day, b.day)),
    total,
  };
}
