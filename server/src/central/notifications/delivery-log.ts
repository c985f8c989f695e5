// The delivery log: every message to send is a row, unique per (event_key, channel, recipient), so the same event
// never reaches the same person twice on the same channel, whoever queues it and however often. Workers claim due
// rows with a lease, send outside any transaction, then record the outcome; failures are retried with exponential
// backoff until they succeed, fail for good, or expire.
import { sql } from 'kysely';
import { newId } from '../../shared/ids.js';
import type { NotificationDb, NotificationDeliveriesTable } from './store.js';
import type { ChannelKind, NotificationKind, Recipient, RenderedNotification } from './types.js';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'expired';

export interface NewDelivery {
  eventKey: string;
  recipient: Recipient;
  message: RenderedNotification;
  /** Not sent after this (ISO). */
  expiresAt?: string | null;
  ref?: { type: string; id: string } | null;
  /** The branch it is about (head office reads the log per organization). */
  branchId?: string | null;
}

export interface Delivery {
  id: string;
  eventKey: string;
  channel: ChannelKind;
  recipient: Recipient;
  kind: NotificationKind;
  message: RenderedNotification;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  expiresAt: string | null;
  lastError: string | null;
  providerRef: string | null;
  refType: string | null;
  refId: string | null;
  branchId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export function toDelivery(r: NotificationDeliveriesTable): Delivery {
  return {
    id: r.id, eventKey: r.event_key, channel: r.channel as ChannelKind, recipient: JSON.parse(r.target) as Recipient,
    kind: r.kind as NotificationKind, message: JSON.parse(r.message) as RenderedNotification, status: r.status as DeliveryStatus,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, expiresAt: r.expires_at, lastError: r.last_error,
    providerRef: r.provider_ref, refType: r.ref_type, refId: r.ref_id, branchId: r.branch_id, createdAt: r.created_at, sentAt: r.sent_at,
  };
}

/** Queue messages; rows whose (event_key, channel, recipient) is already logged are left alone. */
export async function enqueueDeliveries(db: NotificationDb, items: readonly NewDelivery[], now: string): Promise<{ queued: string[]; duplicates: number }> {
  // The first of the same (event_key, channel, recipient) in one call wins, as it would queued one by one.
  const rows = new Map<string, NotificationDeliveriesTable>();
  for (const item of items) {
    const key = `${item.eventKey}\u0000${item.recipient.channel}\u0000${item.recipient.address}`;
    if (rows.has(key)) continue;
    rows.set(key, {
      id: newId(), event_key: item.eventKey, channel: item.recipient.channel, recipient: item.recipient.address, kind: item.message.kind,
      language: item.message.language, target: JSON.stringify(item.recipient), message: JSON.stringify(item.message), status: 'pending',
      attempts: 0, next_attempt_at: now, lease_until: null, expires_at: item.expiresAt ?? null, last_error: null, provider_ref: null,
      ref_type: item.ref?.type ?? null, ref_id: item.ref?.id ?? null, branch_id: item.branchId ?? null, created_at: now, updated_at: now, sent_at: null,
    });
  }
  const inserted = new Set<string>();
  const list = [...rows.values()];
  // Multi-row inserts (21 columns × 200 rows stay under both dialects' bound-parameter limits).
  for (let i = 0; i < list.length; i += 200) {
    const done = await db.insertInto('notification_deliveries').values(list.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['event_key', 'channel', 'recipient']).doNothing()).returning('id').execute();
    for (const r of done) inserted.add(r.id);
  }
  const queued = list.filter((r) => inserted.has(r.id)).map((r) => r.id);
  return { queued, duplicates: items.length - queued.length };
}

/**
 * Take up to `limit` due rows for sending: pending ones whose time has come, and rows left "sending" by a worker
 * whose lease ran out. Each row is taken by one worker only (conditional update), even across central instances.
 */
export async function claimDue(db: NotificationDb, now: string, limit: number, leaseUntil: string): Promise<{ claimed: Delivery[]; contended: number }> {
  const due = await db.selectFrom('notification_deliveries').select(['id', 'status'])
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
    ]))
    .orderBy('next_attempt_at').limit(limit).execute();
  const claimed: Delivery[] = [];
  let contended = 0;
  for (const row of due) {
    const r = await db.updateTable('notification_deliveries')
      .set((eb) => ({ status: 'sending', lease_until: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', '=', row.id)
      .where((eb) => (row.status === 'pending'
        ? eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)])
        : eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      contended++; // another worker took it between our read and our update
      continue;
    }
    const full = await db.selectFrom('notification_deliveries').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    claimed.push(toDelivery(full));
  }
  return { claimed, contended };
}

/** Sent. last_error stays: the log shows why the earlier attempts failed. */
export async function markSent(db: NotificationDb, id: string, providerRef: string | null, now: string): Promise<void> {
  await db.updateTable('notification_deliveries')
    .set({ status: 'sent', provider_ref: providerRef, sent_at: now, lease_until: null, updated_at: now })
    .where('id', '=', id).where('status', '=', 'sending').execute();
}

export async function markFailed(db: NotificationDb, id: string, error: string, now: string, status: 'failed' | 'expired' = 'failed'): Promise<void> {
  await db.updateTable('notification_deliveries')
    .set({ status, last_error: error.slice(0, 1000), lease_until: null, updated_at: now })
    .where('id', '=', id).where('status', 'in', ['sending', 'pending']).execute();
}

export async function scheduleRetry(db: NotificationDb, id: string, error: string, nextAttemptAt: string, now: string): Promise<void> {
  await db.updateTable('notification_deliveries')
    .set({ status: 'pending', last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt, lease_until: null, updated_at: now })
    .where('id', '=', id).where('status', '=', 'sending').execute();
}

export interface DeliveryFilter {
  refId?: string;
  eventKey?: string;
  channel?: ChannelKind;
  status?: DeliveryStatus;
  /** Only the deliveries about these branches (an organization's, for its head office); every one when absent. */
  branchIds?: readonly string[];
  limit?: number;
  /** The latest first (the console's log: what happened last is what a manager looks for); the oldest first otherwise. */
  newestFirst?: boolean;
}

export async function listDeliveries(db: NotificationDb, filter: DeliveryFilter = {}): Promise<Delivery[]> {
  if (filter.branchIds && filter.branchIds.length === 0) return [];
  let q = db.selectFrom('notification_deliveries').selectAll();
  if (filter.branchIds) q = q.where('branch_id', 'in', filter.branchIds);
  if (filter.refId) q = q.where('ref_id', '=', filter.refId);
  if (filter.eventKey) q = q.where('event_key', '=', filter.eventKey);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.status) q = q.where('status', '=', filter.status);
  const order = filter.newestFirst ? 'desc' : 'asc';
  const rows = await q.orderBy('created_at', order).orderBy('id', order).limit(filter.limit ?? 500).execute();
  return rows.map(toDelivery);
}

/** Counts by status, for health and the head-office view. */
export async function deliveryCounts(db: NotificationDb): Promise<Record<DeliveryStatus, number>> {
  const rows = await db.selectFrom('notification_deliveries').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute();
  const out: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, expired: 0 };
  for (const r of rows) out[r.status as DeliveryStatus] = Number(r.n);
  return out;
}

export interface BackoffPolicy {
  /** First retry after this; doubles each attempt. Default 5 s. */
  minMs: number;
  /** Never longer than this. Default 10 min. */
  maxMs: number;
  /** Attempts in all before giving up. Default 6. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { minMs: 5_000, maxMs: 600_000, maxAttempts: 6 };

/** Delay before attempt `attempts + 1`: exponential, with jitter in [½, 1] of the step so retries spread out. */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.minMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
  return Math.round(step / 2 + (random() * step) / 2);
}
