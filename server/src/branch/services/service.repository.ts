import type { Selectable, Kysely } from 'kysely';
import type { ServiceView } from '../../shared/contracts/api.js';
import type { OpeningHours, ServiceStatus } from '../../shared/contracts/domain.js';
import type { BranchDatabase, ServicesTable } from '../db/schema.js';
import { preparedQuery } from '../../shared/db/prepared.js';
import type { BranchStore } from '../db/store.js';
import { isOpenAt, rangesOn } from '../../shared/domain/opening-hours.js';

export type ServiceRow = Selectable<ServicesTable>;

// Both run in every issuance and every estimate.
const allServices = preparedQuery((db: Kysely<BranchDatabase>) => db.selectFrom('services').selectAll().where('deleted_at', 'is', null).orderBy('sort_order').orderBy('prefix'));
const serviceById = preparedQuery((db: Kysely<BranchDatabase>, p: { id: string }) => db.selectFrom('services').selectAll().where('id', '=', p.id).where('deleted_at', 'is', null));

export function listServices(store: BranchStore): ServiceRow[] {
  return store.all(allServices(store.db, {}));
}

export function findService(store: BranchStore, id: string): ServiceRow | undefined {
  return store.first(serviceById(store.db, { id }));
}

export function serviceHours(row: Pick<ServiceRow, 'opening_hours'>, branchHours: OpeningHours): OpeningHours {
  return row.opening_hours ? (JSON.parse(row.opening_hours) as OpeningHours) : branchHours;
}

/**
 * Issuing is possible when the line is active and the service is within its hours (or the branch's), on a day the
 * branch is not closed (`closedToday`: an admin's closure, BranchInfo.closureAt).
 */
export function isIssuable(row: ServiceRow, branchHours: OpeningHours, now: Date, timeZone: string, closedToday: boolean): boolean {
  return !closedToday && row.status === 'active' && isOpenAt(serviceHours(row, branchHours), now, timeZone);
}

export function toServiceView(row: ServiceRow, branchHours: OpeningHours, now: Date, timeZone: string, closedToday: boolean): ServiceView {
  const hours = serviceHours(row, branchHours);
  return {
    id: row.id,
    prefix: row.prefix,
    name: { fr: row.name_fr, wo: row.name_wo, en: row.name_en },
    icon: row.icon,
    targetWaitMinutes: row.target_wait_minutes,
    defaultServiceMinutes: row.default_service_minutes,
    express: row.express === 1,
    status: row.status as ServiceStatus,
    openingHours: row.opening_hours ? (JSON.parse(row.opening_hours) as OpeningHours) : null,
    openNow: isIssuable(row, branchHours, now, timeZone, closedToday),
    hoursToday: closedToday ? [] : rangesOn(hours, now, timeZone).map((r) => ({ open: r.open, close: r.close })),
    sortOrder: row.sort_order,
    feeXof: row.fee_xof,
    notifyAtPosition: row.notify_at_position,
    managedBy: row.central_key !== null ? 'central' : null,
    managedFields: row.managed_fields ? (JSON.parse(row.managed_fields) as string[]) : [],
  };
}

export function insertService(store: BranchStore, row: ServiceRow): void {
  store.run(store.db.insertInto('services').values(row));
}

export function updateService(store: BranchStore, id: string, patch: Partial<Omit<ServiceRow, 'id' | 'branch_id' | 'created_at'>>): void {
  store.run(store.db.updateTable('services').set(patch).where('id', '=', id));
}

/** A removed service keeps its row (past tickets name it); its letter becomes free and no counter serves it. */
export function softDeleteService(store: BranchStore, id: string, at: string): void {
  store.run(store.db.updateTable('services').set({ deleted_at: at, status: 'closed' }).where('id', '=', id));
  store.run(store.db.deleteFrom('counter_services').where('service_id', '=', id));
}

/** New services go after the others (the kiosk lists them in this order). */
export function nextSortOrder(store: BranchStore): number {
  const row = store.first(store.db.selectFrom('services').select((eb) => eb.fn.max('sort_order').as('max')).where('deleted_at', 'is', null));
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export function setSortOrders(store: BranchStore, ids: readonly string[], at: string): void {
  ids.forEach((id, index) => store.run(store.db.updateTable('services').set({ sort_order: index, updated_at: at }).where('id', '=', id)));
}
