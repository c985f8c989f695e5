// Plain functions over the devices table.
import type { Selectable } from 'kysely';
import type { DevicesTable } from '../db/schema.js';
import type { BranchStore } from '../db/store.js';

export type DeviceRow = Selectable<DevicesTable>;

export function listDevices(store: BranchStore): DeviceRow[] {
  return store.all(store.db.selectFrom('devices').selectAll().orderBy('created_at'));
}

export function findDevice(store: BranchStore, id: string): DeviceRow | undefined {
  return store.first(store.db.selectFrom('devices').selectAll().where('id', '=', id));
}

export function findDeviceByToken(store: BranchStore, tokenHash: string): DeviceRow | undefined {
  return store.first(store.db.selectFrom('devices').selectAll().where('token_hash', '=', tokenHash));
}

/** Devices holding a pairing code still valid at `now`. */
export function devicesPairableAt(store: BranchStore, now: string): DeviceRow[] {
  return store.all(store.db.selectFrom('devices').selectAll().where('pairing_code_hash', 'is not', null).where('pairing_expires_at', '>', now));
}

export function insertDevice(store: BranchStore, row: DeviceRow): void {
  store.run(store.db.insertInto('devices').values(row));
}

export function updateDevice(store: BranchStore, id: string, patch: Partial<Omit<DeviceRow, 'id' | 'created_at'>>): void {
  store.run(store.db.updateTable('devices').set(patch).where('id', '=', id));
}
