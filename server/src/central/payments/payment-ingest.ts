// Central's side of the branch's payment facts (outbox aggregate `payment`), applied by the push ingest
// (central/ingest.ts) in the transaction that stores the records and advances last_seq: each fact takes effect once,
// and central's copy of a branch's payments is exactly what the branch pushed (a newer seq replaces an older one).
// A record it cannot read stays parked (kept as received), like any record central does not understand yet.
import { PAYMENT_AGGREGATE, PaymentFactV1 } from '../../shared/contracts/payments.js';
import { chunks, type CentralTrx } from '../db/database.js';
import { isPaidTwice } from '../../shared/domain/payment-state.js';
import type { SyncEventsTable } from '../db/schema.js';
import type { CentralPaymentsTable, CentralPaymentTables } from './payments.central-migration.js';

const utc = (iso: string) => new Date(iso).toISOString();
const utcOrNull = (iso: string | null) => (iso === null ? null : utc(iso));

/** Apply the payment facts among a push's accepted records; marks the ones applied. Returns how many. */
export async function applyPaymentFacts(trx: CentralTrx, branchId: string, records: readonly SyncEventsTable[], _now: string): Promise<number> {
  const t = trx.withTables<CentralPaymentTables>();
  const applied: string[] = [];
  for (const r of records) {
    if (r.status !== 'parked' || r.aggregate_type !== PAYMENT_AGGREGATE || r.event_version !== 1) continue;
    const parsed = PaymentFactV1.safeParse(JSON.parse(r.payload) as unknown);
    if (!parsed.success) continue;
    const { payment: p, event: e } = parsed.data;
    if (p.id !== r.aggregate_id || p.branch_id !== branchId || e.id !== r.event_id || r.event_type !== `payment.${e.type}` || e.to !== p.status) continue;
    const row: CentralPaymentsTable = {
      id: p.id, branch_id: p.branch_id, ticket_id: p.ticket_id, booking_id: p.booking_id, service_id: p.service_id,
      amount_xof: p.amount_xof, currency: p.currency, method: p.method, channel: p.channel, status: p.status,
      provider_ref: p.provider_ref, review_reason: p.review_reason, recorded_by: p.recorded_by, created_at: utc(p.created_at),
      updated_at: utc(p.updated_at), settled_at: utcOrNull(p.settled_at), source_seq: r.seq,
    };
    const { id: _id, branch_id: _branch, ...rest } = row;
    await t.insertInto('payments').values(row)
      .onConflict((oc) => oc.columns(['branch_id', 'id']).doUpdateSet(rest)
        // Only a newer record replaces the row (the key holds the branch: never another branch's row).
        .where((eb) => eb('payments.source_seq', '<', r.seq)))
      .execute();
    await t.insertInto('payment_events').values({
      id: e.id, payment_id: p.id, branch_id: branchId, type: e.type, from_status: e.from, to_status: e.to, at: utc(e.at),
      user_id: e.userId, device_id: e.deviceId, source: e.source, data: e.data ? JSON.stringify(e.data) : null,
    }).onConflict((oc) => oc.columns(['branch_id', 'id']).doNothing()).execute();
    // The branch found this success paid a visit twice: head office's checkout shows it, to refund.
    if (e.type === 'flagged' && isPaidTwice(p.review_reason)) {
      await t.updateTable('payment_checkouts').set({ review_reason: p.review_reason, updated_at: utc(p.updated_at) })
        .where('payment_id', '=', p.id).where('branch_id', '=', branchId).where('review_reason', 'is', null).execute();
    }
    applied.push(r.event_id);
  }
  for (const part of chunks(applied, 100)) await trx.updateTable('sync_events').set({ status: 'applied' }).where('branch_id', '=', branchId).where('event_id', 'in', part).execute();
  return applied.length;
}
