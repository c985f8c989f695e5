import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { BranchUpdateBody, BranchView } from '../../shared/contracts/api.js';
import type { OpeningHours, OrganizationType, Region } from '../../shared/contracts/domain.js';
import type { BranchDatabase } from '../db/schema.js';
import type { BranchStore } from '../db/store.js';
import { preparedQuery } from '../../shared/db/prepared.js';

// Read and written with many commands (the remote settings, the sync pace): built once.
const settingByKey = preparedQuery((db: Kysely<BranchDatabase>, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));

export function getSetting(store: BranchStore, key: string): string | undefined {
  return store.first(settingByKey(store.db, { key }))?.value;
}

const settingUpsert = preparedQuery((db: Kysely<BranchDatabase>, p: { key: string; value: string }) => db.insertInto('settings').values({ key: p.key, value: p.value })
  .onConflict((oc) => oc.column('key').doUpdateSet({ value: p.value })));

export function setSetting(store: BranchStore, key: string, value: string): void {
  store.run(settingUpsert(store.db, { key, value }));
}

export function deleteSetting(store: BranchStore, key: string): void {
  store.run(store.db.deleteFrom('settings').where('key', '=', key));
}

export function loadBranchView(store: BranchStore, branchId: string): BranchView {
  const row = store.first(
    store.db.selectFrom('branches')
      .innerJoin('organizations', 'organizations.id', 'branches.organization_id')
      .select([
        'branches.id', 'branches.name', 'branches.code', 'branches.time_zone', 'branches.opening_hours', 'branches.logo_url',
        'organizations.id as org_id', 'organizations.name as org_name', 'organizations.type as org_type', 'organizations.region as org_region',
      ])
      .where('branches.id', '=', branchId),
  );
  if (!row) throw new Error(`branch ${branchId} is missing from the database`);
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    timeZone: row.time_zone,
    openingHours: JSON.parse(row.opening_hours) as OpeningHours,
    logoUrl: row.logo_url,
    organization: { id: row.org_id, name: row.org_name, type: row.org_type as OrganizationType, region: row.org_region as Region },
  };
}

/** Branch and organization settings: in the caller's unit of work, so they change together or not at all. */
export function updateBranch(store: BranchStore, current: BranchView, body: z.output<typeof BranchUpdateBody>): void {
  const branch = {
    ...(body.name !== undefined && { name: body.name }),
    ...(body.timeZone !== undefined && { time_zone: body.timeZone }),
    ...(body.openingHours !== undefined && { opening_hours: JSON.stringify(body.openingHours) }),
    ...(body.logoUrl !== undefined && { logo_url: body.logoUrl }),
  };
  const org = {
    ...(body.organization?.name !== undefined && { name: body.organization.name }),
    ...(body.organization?.type !== undefined && { type: body.organization.type }),
    ...(body.organization?.region !== undefined && { region: body.organization.region }),
  };
  if (Object.keys(branch).length) store.run(store.db.updateTable('branches').set(branch).where('id', '=', current.id));
  if (Object.keys(org).length) store.run(store.db.updateTable('organizations').set(org).where('id', '=', current.organization.id));
}
