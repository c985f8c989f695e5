import type { Selectable } from 'kysely';
import type { CounterView } from '../../shared/contracts/api.js';
import type { CounterStatus } from '../../shared/contracts/domain.js';
import type { CountersTable } from '../db/schema.js';
import type { BranchStore } from '../db/store.js';

export type CounterRow = Selectable<CountersTable>;

export function listCounters(store: BranchStore): CounterRow[] {
  return store.all(store.db.selectFrom('counters').selectAll().where('deleted_at', 'is', null).orderBy('number'));
}

export function findCounter(store: BranchStore, id: string): CounterRow | undefined {
  return store.first(store.db.selectFrom('counters').selectAll().where('id', '=', id).where('deleted_at', 'is', null));
}

/** The services a counter serves, in its order of preference. */
export function counterServiceIds(store: BranchStore, counterId: string): string[] {
  return store
    .all(store.db.selectFrom('counter_services').select('service_id').where('counter_id', '=', counterId).orderBy('position'))
    .map((r) => r.service_id);
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
