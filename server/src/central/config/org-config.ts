// An organization's configuration (service catalog and call-board message) kept at central and pushed to the
// branches head office chooses through their feed (ingest/feed.ts), in the same transaction as the record of what
// was pushed. A branch answers with a `config.applied` fact (outcome applied or refused), applied by the push ingest:
// that is how the console shows which branches have applied which revision. A branch offline reads the change from
// its feed when it comes back.
import {
  CONFIG_APPLIED, ConfigAppliedV1, ORG_CONFIG_ENTITY, OrgConfigBody, type OrgConfigPayloadV1, type OrgConfigView,
} from '../../shared/contracts/org-config.js';
import type { CentralDb, CentralTrx } from '../db/database.js';
import type { SyncEventsTable } from '../db/schema.js';
import { CentralError } from '../http/errors.js';
import { appendFeed } from '../ingest/feed.js';

const EMPTY: OrgConfigBody = { services: [], displayMessage: '' };

export async function orgConfigView(cdb: CentralDb, organizationId: string): Promise<OrgConfigView> {
  const org = await cdb.db.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw new CentralError(404, 'NOT_FOUND', `organization ${organizationId} does not exist`);
  const row = await cdb.db.selectFrom('org_configs').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  const doc = row ? OrgConfigBody.parse(JSON.parse(row.document)) : EMPTY;
  const branches = await cdb.db.selectFrom('branches as b').leftJoin('org_config_branches as c', 'c.branch_id', 'b.id')
    .select(['b.id', 'b.name', 'b.region', 'c.pushed_revision', 'c.pushed_at', 'c.applied_revision', 'c.applied_at', 'c.outcome', 'c.reason'])
    .where('b.organization_id', '=', organizationId).where('b.status', '=', 'active').orderBy('b.name').execute();
  return {
    organizationId, revision: row?.revision ?? 0, services: doc.services, displayMessage: doc.displayMessage,
    updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null,
    branches: branches.map((b) => ({
      branchId: b.id, name: b.name, region: b.region, pushedRevision: b.pushed_revision ?? null, pushedAt: b.pushed_at ?? null,
      appliedRevision: b.applied_revision ?? null, appliedAt: b.applied_at ?? null,
      outcome: (b.outcome as 'applied' | 'refused' | null) ?? null, reason: b.reason ?? null,
    })),
  };
}

/** Save a new revision of the organization's configuration (nothing reaches a branch until it is applied to it). */
export async function saveOrgConfig(cdb: CentralDb, organizationId: string, body: OrgConfigBody, by: string, now: string): Promise<number> {
  return cdb.db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
    if (!org) throw new CentralError(404, 'NOT_FOUND', `organization ${organizationId} does not exist`);
    const held = await trx.selectFrom('org_configs').select('revision').where('organization_id', '=', organizationId).executeTakeFirst();
    const revision = (held?.revision ?? 0) + 1;
    const values = { revision, document: JSON.stringify(body), updated_at: now, updated_by: by };
    if (held) await trx.updateTable('org_configs').set(values).where('organization_id', '=', organizationId).where('revision', '=', held.revision).execute();
    else await trx.insertInto('org_configs').values({ organization_id: organizationId, ...values }).execute();
    return revision;
  });
}

/** Push the current revision to branches of the organization: one feed change each, in one transaction. */
export async function applyOrgConfig(cdb: CentralDb, organizationId: string, branchIds: string[], now: string): Promise<number> {
  return cdb.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('org_configs').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
    if (!row) throw new CentralError(409, 'NOTHING_TO_APPLY', 'save the configuration before applying it to branches');
    const doc = OrgConfigBody.parse(JSON.parse(row.document));
    const mine = await trx.selectFrom('branches').select('id').where('organization_id', '=', organizationId).where('id', 'in', branchIds).execute();
    const unknown = branchIds.filter((id) => !mine.some((b) => b.id === id));
    // Ids of other organizations' branches are not confirmed: the same answer as a branch that does not exist.
    if (unknown.length) throw new CentralError(404, 'NOT_FOUND', `not branches of this organization: ${unknown.join(', ')}`);
    const payload: OrgConfigPayloadV1 = { organizationId, revision: row.revision, services: doc.services, displayMessage: doc.displayMessage };
    for (const branchId of [...new Set(branchIds)]) {
      await appendFeed(trx, cdb.dialect, branchId, { entityType: ORG_CONFIG_ENTITY, entityId: 'current', op: 'upsert', payload }, now);
      const pushed = { organization_id: organizationId, pushed_revision: row.revision, pushed_at: now };
      await trx.insertInto('org_config_branches').values({ branch_id: branchId, ...pushed, applied_revision: null, applied_at: null, outcome: null, reason: null })
        .onConflict((oc) => oc.column('branch_id').doUpdateSet(pushed)).execute();
    }
    return row.revision;
  });
}

/** The branches' answers among a push's accepted records (ingest, same transaction); marks them applied. */
export async function applyConfigFacts(trx: CentralTrx, branchId: string, records: readonly SyncEventsTable[]): Promise<number> {
  const applied: string[] = [];
  for (const r of records) {
    if (r.status !== 'parked' || r.event_version !== 1 || r.event_type !== CONFIG_APPLIED) continue;
    const fact = ConfigAppliedV1.safeParse(JSON.parse(r.payload));
    if (!fact.success || r.aggregate_id !== branchId) continue;
    const f = fact.data;
    // Answers arrive in the branch's order; an older revision's answer never hides a newer one's.
    await trx.updateTable('org_config_branches')
      .set({ applied_revision: f.revision, applied_at: new Date(f.at).toISOString(), outcome: f.outcome, reason: f.reason })
      .where('branch_id', '=', branchId).where('organization_id', '=', f.organizationId)
      .where((eb) => eb.or([eb('applied_revision', 'is', null), eb('applied_revision', '<=', f.revision)]))
      .execute();
    applied.push(r.event_id);
  }
  if (applied.length) await trx.updateTable('sync_events').set({ status: 'applied' }).where('branch_id', '=', branchId).where('event_id', 'in', applied).execute();
  return applied.length;
}
