// Plain functions over the devices table.
import type { Selectable, Kysely } from 'kysely';
import type { BranchDatabase, DevicesTable } from '../db/schema.js';
import { preparedQuery } from '../../shared/db/prepared.js';
import type { BranchStore } from '../db/store.js';

export type DeviceRow = Selectable<DevicesTable>;

export function listDevices(store: BranchStore): DeviceRow[] {
  return store.all(store.db.selectFrom('devices').selectAll().orderBy('created_at'));
}

export function findDevice(store: BranchStore, id: string): DeviceRow | undefined {
  return store.first(store.db.selectFrom('devices').selectAll().where('id', '=', id));
}

// Every device request is authenticated by this query.
const deviceByToken = preparedQuery((db: Kysely<BranchDatabase>, p: { tokenHash: string }) => db.selectFrom('devices').selectAll().where('token_hash', '=', p.tokenHash));

export function findDeviceByToken(store: BranchStore, tokenHash: string): DeviceRow | undefined {
  return store.first(deviceByToken(store.db, { tokenHash }));
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
