// Plain synchronous functions over the outbox and the sync tables of the branch database. They are quick reads
// and small writes: the worker calls them between network requests, never while a request is in flight.
import type { Kysely } from 'kysely';
import type { CentralNotifications, RejectedEvent } from '../../shared/contracts/sync.js';
import { getSetting, setSetting } from '../settings/branch.repository.js';
import type { BranchStore } from '../db/store.js';
import type { BranchDatabase } from '../db/schema.js';

// Type aliases, not interfaces: Kysely's withTables wants types with an implicit index signature.
export type SyncStateTable = { id: number; acked_seq: number; pull_cursor: number; last_success_at: string | null };
export type SyncAppliedTable = { entity_type: string; entity_id: string; version: number };
export type SyncParkedTable = { version: number; entity_type: string; entity_id: string; op: string; payload: string | null; reason: string; received_at: string };
export type SyncRejectedTable = { seq: number; event_id: string | null; reason: string; rejected_at: string };
export type SyncTables = {
  sync_state: SyncStateTable;
  sync_applied: SyncAppliedTable;
  sync_parked: SyncParkedTable;
  sync_rejected: SyncRejectedTable;
};
export type SyncDb = Kysely<BranchDatabase & SyncTables>;

export function syncDb(store: BranchStore): SyncDb {
  return store.db.withTables<SyncTables>();
}

export interface OutboxRecord {
  seq: number; event_id: string; aggregate_type: string; aggregate_id: string; event_type: string; event_version: number;
  payload: string; occurred_at: string;
}

export function readSyncState(store: BranchStore, db: SyncDb): SyncStateTable {
  const row = store.first(db.selectFrom('sync_state').selectAll().where('id', '=', 1));
  if (!row) throw new Error('sync_state row is missing: was migration 0002_sync applied?');
  return row;
}

export function pendingRecords(store: BranchStore, afterSeq: number, limit: number): OutboxRecord[] {
  return store.all(store.db.selectFrom('outbox').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit));
}

export function headSeq(store: BranchStore): number {
  const row = store.first(store.db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('head')));
  return Number(row?.head ?? 0);
}

export function minSeq(store: BranchStore): number | null {
  const row = store.first(store.db.selectFrom('outbox').select((eb) => eb.fn.min('seq').as('low')));
  return row?.low === null || row?.low === undefined ? null : Number(row.low);
}

/** occurred_at of the first record after a seq, or null when there is none. */
export function occurredAfter(store: BranchStore, afterSeq: number): string | null {
  const row = store.first(store.db.selectFrom('outbox').select('occurred_at').where('seq', '>', afterSeq).orderBy('seq').limit(1));
  return row?.occurred_at ?? null;
}

export function backlogCount(store: BranchStore, ackedSeq: number): number {
  const row = store.first(store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', ackedSeq));
  return Number(row?.n ?? 0);
}

/** Record what central acknowledged (never moving backwards) and the records it quarantined, in one transaction. */
export function saveAck(store: BranchStore, db: SyncDb, ackedSeq: number, rejected: RejectedEvent[], now: string): void {
  store.transaction(() => {
    store.run(db.updateTable('sync_state').set((eb) => ({
      acked_seq: eb.fn('max', [eb.ref('acked_seq'), eb.val(ackedSeq)]),
    })).where('id', '=', 1));
    for (const r of rejected) {
      store.run(db.insertInto('sync_rejected').values({ seq: r.seq, event_id: r.eventId, reason: r.reason, rejected_at: now })
        .onConflict((oc) => oc.column('seq').doNothing()));
    }
  });
}

/** Central lost records it had acknowledged (restored from a backup): send them again from this seq on. */
export function rewindAck(store: BranchStore, db: SyncDb, ackedSeq: number): void {
  store.run(db.updateTable('sync_state').set({ acked_seq: ackedSeq }).where('id', '=', 1));
}

export function markSuccess(store: BranchStore, db: SyncDb, at: string): void {
  store.run(db.updateTable('sync_state').set({ last_success_at: at }).where('id', '=', 1));
}

export function rejectedRecords(store: BranchStore, db: SyncDb, limit = 50): SyncRejectedTable[] {
  return store.all(db.selectFrom('sync_rejected').selectAll().orderBy('seq', 'desc').limit(limit));
}

export function parkedCount(store: BranchStore, db: SyncDb): number {
  const row = store.first(db.selectFrom('sync_parked').select((eb) => eb.fn.countAll<number>().as('n')));
  return Number(row?.n ?? 0);
}

const CENTRAL_SMS_KEY = 'central_sms';

/** Whether central can send SMS to this branch's visitors, as it last said (null: it never said). Kept across restarts. */
export function readCentralSms(store: BranchStore): boolean | null {
  const v = getSetting(store, CENTRAL_SMS_KEY);
  return v === undefined ? null : v === '1';
}

/** Keep what central said it can send; true when it differs from what was known. */
export function saveCentralNotifications(store: BranchStore, said: CentralNotifications): boolean {
  if (readCentralSms(store) === said.sms) return false;
  setSetting(store, CENTRAL_SMS_KEY, said.sms ? '1' : '0');
  return true;
}
