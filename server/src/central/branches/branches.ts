// Branch enrolment at central: an admin registers a branch (its own id) and receives a branch credential, a random
// secret of which only the SHA-256 is stored. Every sync request authenticates with it.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { CentralBranchView, EnrolBranchBody } from '../../shared/contracts/sync.js';
import { toNumber, type CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { hintLink } from '../ingest/link.js';

export const CREDENTIAL_PREFIX = 'sqb_';

export function newBranchCredential(): string {
  return `${CREDENTIAL_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function enrolBranch(cdb: CentralDb, body: z.output<typeof EnrolBranchBody>, now: string): Promise<{ branch: CentralBranchView; credential: string }> {
  const credential = newBranchCredential();
  await cdb.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('branches').select('id').where('id', '=', body.id).executeTakeFirst();
    if (existing) throw new CentralError(409, 'CONFLICT', `branch ${body.id} is already enrolled: issue a new credential with POST /api/central/branches/${body.id}/credentials`);
    const orgId = body.organization.id ?? randomUUID();
    // Branches of one organisation may be enrolled at the same moment: the first one creates it.
    await trx.insertInto('organizations').values({ id: orgId, name: body.organization.name, type: body.organization.type, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing()).execute();
    await trx.insertInto('branches').values({
      id: body.id, organization_id: orgId, name: body.name, code: body.code ?? null, region: body.region, time_zone: body.timeZone,
      status: 'active', created_at: now, updated_at: now,
    }).execute();
    await trx.insertInto('branch_sync').values({
      branch_id: body.id, last_seq: 0, head_seq: 0, oldest_pending_at: null, last_push_at: null, last_pull_at: null, pull_cursor: null,
      rejected_count: 0, feed_version: 0, feed_floor: 0,
    }).execute();
    await trx.insertInto('branch_credentials').values({ id: randomUUID(), branch_id: body.id, token_hash: sha256(credential), created_at: now, revoked_at: null }).execute();
  });
  return { branch: await getBranchView(cdb, body.id, new Date(now)), credential };
}

/** A new credential for an enrolled branch (lost or rotated); the old ones stay valid unless revokeOthers. */
export async function issueCredential(cdb: CentralDb, branchId: string, revokeOthers: boolean, now: string): Promise<string> {
  const credential = newBranchCredential();
  await cdb.db.transaction().execute(async (trx) => {
    const branch = await trx.selectFrom('branches').select(['id', 'status']).where('id', '=', branchId).executeTakeFirst();
    if (!branch) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
    if (revokeOthers) await trx.updateTable('branch_credentials').set({ revoked_at: now }).where('branch_id', '=', branchId).where('revoked_at', 'is', null).execute();
    await trx.updateTable('branches').set({ status: 'active', updated_at: now }).where('id', '=', branchId).execute();
    await trx.insertInto('branch_credentials').values({ id: randomUUID(), branch_id: branchId, token_hash: sha256(credential), created_at: now, revoked_at: null }).execute();
  });
  // Live links of revoked credentials close now, not at the hub's next look.
  if (revokeOthers) hintLink({ kind: 'credentials', branchId });
  return credential;
}

/** Revoke every credential of a branch: its sync requests are refused from now on. */
export async function revokeBranch(cdb: CentralDb, branchId: string, now: string): Promise<void> {
  await cdb.db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('branches').set({ status: 'revoked', updated_at: now }).where('id', '=', branchId).executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
    await trx.updateTable('branch_credentials').set({ revoked_at: now }).where('branch_id', '=', branchId).where('revoked_at', 'is', null).execute();
  });
  hintLink({ kind: 'credentials', branchId });
}

/** The branch a sync credential belongs to; 401 for an unknown or revoked one, 403 for a revoked branch. */
export async function authenticateBranch(cdb: CentralDb, credential: string | null): Promise<string> {
  if (!credential) throw new CentralError(401, 'UNAUTHENTICATED', 'a branch credential is required: Authorization: Bearer sqb_…');
  const row = await cdb.db.selectFrom('branch_credentials as c').innerJoin('branches as b', 'b.id', 'c.branch_id')
    .select(['c.branch_id', 'c.revoked_at', 'b.status'])
    .where('c.token_hash', '=', sha256(credential)).executeTakeFirst();
  if (!row) throw new CentralError(401, 'UNAUTHENTICATED', 'unknown branch credential');
  if (row.revoked_at) throw new CentralError(401, 'CREDENTIAL_REVOKED', 'this branch credential was revoked: ask head office for a new one');
  if (row.status !== 'active') throw new CentralError(403, 'BRANCH_REVOKED', 'this branch is disabled at central');
  return row.branch_id;
}

type BranchJoinRow = {
  id: string; name: string; code: string | null; region: string; time_zone: string; status: string; created_at: string;
  org_id: string; org_name: string; org_type: string; last_seq: number; head_seq: number; oldest_pending_at: string | null;
  last_push_at: string | null; last_pull_at: string | null; pull_cursor: number | null; rejected_count: number; feed_version: number;
};

function branchQuery(cdb: CentralDb) {
  return cdb.db.selectFrom('branches as b')
    .innerJoin('organizations as o', 'o.id', 'b.organization_id')
    .innerJoin('branch_sync as s', 's.branch_id', 'b.id')
    .select(['b.id', 'b.name', 'b.code', 'b.region', 'b.time_zone', 'b.status', 'b.created_at', 'o.id as org_id', 'o.name as org_name',
      'o.type as org_type', 's.last_seq', 's.head_seq', 's.oldest_pending_at', 's.last_push_at', 's.last_pull_at', 's.pull_cursor',
      's.rejected_count', 's.feed_version']);
}

function toView(r: BranchJoinRow, now: Date): CentralBranchView {
  const secondsSince = (iso: string | null) => (iso ? Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000)) : null);
  const backlog = Math.max(0, toNumber(r.head_seq) - toNumber(r.last_seq));
  return {
    id: r.id, name: r.name, code: r.code, region: r.region, timeZone: r.time_zone, status: r.status === 'active' ? 'active' : 'revoked',
    organization: { id: r.org_id, name: r.org_name, type: r.org_type },
    enrolledAt: r.created_at,
    sync: {
      lastSeq: toNumber(r.last_seq),
      lastSyncAt: r.last_push_at,
      lastPullAt: r.last_pull_at,
      backlog,
      lagSeconds: r.last_push_at === null ? null : backlog > 0 ? secondsSince(r.oldest_pending_at) : 0,
      secondsSinceSync: secondsSince(r.last_push_at),
      rejected: toNumber(r.rejected_count),
      feedVersion: toNumber(r.feed_version),
      pullCursor: r.pull_cursor === null ? null : toNumber(r.pull_cursor),
    },
  };
}

/** Every branch, or those of one organization. */
export async function listBranchViews(cdb: CentralDb, now: Date, organizationId: string | null = null): Promise<CentralBranchView[]> {
  let q = branchQuery(cdb).orderBy('b.name').orderBy('b.id');
  if (organizationId) q = q.where('b.organization_id', '=', organizationId);
  const rows = await q.execute();
  return rows.map((r) => toView(r, now));
}

export async function getBranchView(cdb: CentralDb, branchId: string, now: Date): Promise<CentralBranchView> {
  const row = await branchQuery(cdb).where('b.id', '=', branchId).executeTakeFirst();
  if (!row) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
  return toView(row, now);
}
