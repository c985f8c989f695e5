import type { Insertable, Selectable, Kysely } from 'kysely';
import type { CounterView } from '../../shared/contracts/api.js';
import type { CounterStatus } from '../../shared/contracts/domain.js';
import type { BranchDatabase, CounterEventsTable, CountersTable } from '../db/schema.js';
import { preparedPatch, preparedQuery } from '../../shared/db/prepared.js';
import type { BranchStore } from '../db/store.js';

export type CounterRow = Selectable<CountersTable>;

export function listCounters(store: BranchStore): CounterRow[] {
  return store.all(store.db.selectFrom('counters').selectAll().where('deleted_at', 'is', null).orderBy('number'));
}

const counterById = preparedQuery((db: Kysely<BranchDatabase>, p: { id: string }) => db.selectFrom('counters').selectAll().where('id', '=', p.id).where('deleted_at', 'is', null));

export function findCounter(store: BranchStore, id: string): CounterRow | undefined {
  return store.first(counterById(store.db, { id }));
}

// Every call-next reads it: built once.
const servicesOfCounter = preparedQuery((db: Kysely<BranchDatabase>, p: { counterId: string }) => db.selectFrom('counter_services').select('service_id')
  .where('counter_id', '=', p.counterId).orderBy('position'));

/** The services a counter serves, in its order of preference. */
export function counterServiceIds(store: BranchStore, counterId: string): string[] {
  return store.all(servicesOfCounter(store.db, { counterId })).map((r) => r.service_id);
}

export function allCounterServices(store: BranchStore): Map<string, string[]> {
  const rows = store.all(store.db.selectFrom('counter_services').select(['counter_id', 'service_id']).orderBy('counter_id').orderBy('position'));
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const list = map.get(r.counter_id) ?? [];
    list.push(r.service_id);
    map.set(r.counter_id, list);
  }
  return map;
}

export function setCounterServices(store: BranchStore, counterId: string, serviceIds: readonly string[]): void {
  store.run(store.db.deleteFrom('counter_services').where('counter_id', '=', counterId));
  serviceIds.forEach((serviceId, position) => {
    store.run(store.db.insertInto('counter_services').values({ counter_id: counterId, service_id: serviceId, position }));
  });
}

export function toCounterView(
  row: CounterRow,
  serviceIds: string[],
  agentName: string | null,
  currentTicketNumber: string | null,
): CounterView {
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    status: row.status as CounterStatus,
    serviceIds,
    agentId: row.agent_id,
    agentName,
    currentTicketId: row.current_ticket_id,
    currentTicketNumber,
  };
}

/** The open counters' services: what "a counter open for the service" means, for one service or all at once. */
function openCounterServices(db: Kysely<BranchDatabase>) {
  return db.selectFrom('counters').innerJoin('counter_services', 'counter_services.counter_id', 'counters.id')
    .where('counters.status', '=', 'open')
    .where('counters.deleted_at', 'is', null);
}

// Both run for the estimated waits of every change the screens hear of: built once.
const openCountersFor = preparedQuery((db: Kysely<BranchDatabase>, p: { serviceId: string }) => openCounterServices(db)
  .select((eb) => eb.fn.countAll<number>().as('open')).where('counter_services.service_id', '=', p.serviceId));
const openCountersByService = preparedQuery((db: Kysely<BranchDatabase>) => openCounterServices(db)
  .select((eb) => ['counter_services.service_id', eb.fn.countAll<number>().as('open')]).groupBy('counter_services.service_id'));

/** Open counters serving a service: counted in SQL (it runs for every ticket shown with an estimated wait). */
export function countOpenCountersFor(store: BranchStore, serviceId: string): number {
  const row = store.first(openCountersFor(store.db, { serviceId }));
  return Number(row?.open ?? 0);
}

/** Open counters per service, in one query (services with none are absent). */
export function countOpenCountersByService(store: BranchStore): Map<string, number> {
  const rows = store.all(openCountersByService(store.db, {}));
  return new Map(rows.map((r) => [r.service_id, Number(r.open)]));
}

/** Every (counter, service) pair, unordered: for counting open counters per service. */
export function counterServicePairs(store: BranchStore): Array<{ counter_id: string; service_id: string }> {
  return store.all(store.db.selectFrom('counter_services').select(['counter_id', 'service_id']));
}

/** Another live counter with this number, if any. */
export function counterNumberTaken(store: BranchStore, number: number, exceptId: string | null): boolean {
  let q = store.db.selectFrom('counters').select('id').where('number', '=', number).where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return store.first(q) !== undefined;
}

export function insertCounter(store: BranchStore, row: CounterRow): void {
  store.run(store.db.insertInto('counters').values(row));
}

// Every call, start and completion holds or frees its counter: one prepared update per set of columns.
const counterUpdate = preparedPatch((db: Kysely<BranchDatabase>, set, id) => db.updateTable('counters').set(set as Partial<CounterRow>).where('id', '=', id));

export function updateCounter(store: BranchStore, id: string, patch: Partial<Pick<CounterRow, 'number' | 'name' | 'status' | 'agent_id' | 'current_ticket_id' | 'updated_at' | 'deleted_at'>>): void {
  store.run(counterUpdate(store.db, id, patch));
}

/** A removed counter keeps its row (past tickets name it) but serves nothing. */
export function softDeleteCounter(store: BranchStore, id: string, at: string): void {
  store.run(store.db.updateTable('counters').set({ deleted_at: at }).where('id', '=', id));
  store.run(store.db.deleteFrom('counter_services').where('counter_id', '=', id));
}

/** The history row of a counter's status change, for the unit of work to write (Tx.record). */
export function counterEventInsert(store: BranchStore, e: Insertable<CounterEventsTable>) {
  return store.db.insertInto('counter_events').values(e);
}
