// The outbox: every fact that leaves the branch is written here in the same transaction as the change it records
// (see ../shared/design/SYNC.md). The sync worker ships rows in seq order; central de-duplicates by seq and event_id.
import type { Insertable, Kysely } from 'kysely';
import type { ReplicatedFact } from '../../shared/contracts/replicated.js';
import { preparedQuery, rowKeys } from '../../shared/db/prepared.js';
import type { BranchDatabase, OutboxTable } from './schema.js';
import type { BranchStore } from './store.js';

export const OUTBOX_EVENT_VERSION = 1;

/** One outbox record: what it carries is typed by its aggregate's replicated schema (shared/contracts/replicated.ts). */
export type OutboxFact = ReplicatedFact & { eventId: string; aggregateId: string; occurredAt: string };

type OutboxRow = Required<Omit<Insertable<OutboxTable>, 'seq'>>;
// Every change writes one: built once (`seq` is SQLite's).
const outboxInsert = preparedQuery((db: Kysely<BranchDatabase>, p: OutboxRow) => db.insertInto('outbox').values(p), rowKeys<OutboxRow>({
  event_id: true, aggregate_type: true, aggregate_id: true, event_type: true, event_version: true, payload: true, occurred_at: true,
}));

/** Called by the unit of work (Tx.record), inside the transaction of the change. */
export function appendOutbox(store: BranchStore, fact: OutboxFact): void {
  store.run(outboxInsert(store.db, {
    event_id: fact.eventId,
    aggregate_type: fact.aggregateType,
    aggregate_id: fact.aggregateId,
    event_type: fact.eventType,
    event_version: OUTBOX_EVENT_VERSION,
    payload: JSON.stringify(fact.payload),
    occurred_at: fact.occurredAt,
  }));
}
