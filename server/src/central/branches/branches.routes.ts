// Head-office routes about branches: enrolment and credentials, the call-board message pushed through the feed,
// and what central received from a branch (accepted records, quarantine).
import type { Router } from 'express';
import { z } from 'zod';
import { CentralBranchView, DISPLAY_MESSAGE_ENTITY, DisplayMessagePayload, EnrolBranchBody, EnrolResponse } from '../../shared/contracts/sync.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import type { Accounts } from '../accounts/accounts.js';
import { callerOrganization, callerUser, checkBranchScope, type CentralApi } from '../http/access.js';
import { CentralError } from '../http/errors.js';
import { appendFeed } from '../ingest/feed.js';
import { enrolBranch, getBranchView, issueCredential, listBranchViews, revokeBranch } from './branches.js';

const BranchParams = z.object({ id: z.string().min(1).max(64) });
const CredentialBody = z.strictObject({ revokeOthers: z.boolean().default(false) });
const MessageBody = DisplayMessagePayload.strict();
const EventsQuery = z.object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(5000).default(1000) });
const SyncEventView = z.object({
  seq: z.number().int(), eventId: z.string(), aggregateType: z.string(), aggregateId: z.string(), eventType: z.string(),
  eventVersion: z.number().int(), status: z.string(), occurredAt: z.string(), receivedAt: z.string(),
});
const QuarantineView = z.object({ seq: z.number().int(), eventId: z.string().nullable(), reason: z.string(), receivedAt: z.string() });
const small = { kind: 'json', limit: '64kb' } as const;

export function registerBranchRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock; accounts: Accounts }): void {
  const { cdb, clock, accounts } = deps;
  const orgOf = async (branchId: string) => (await cdb.db.selectFrom('branches').select('organization_id').where('id', '=', branchId).executeTakeFirst())?.organization_id ?? null;
  const nowIso = () => clock.now().toISOString();

  api.add(router, {
    method: 'post', path: '/api/central/branches', tag: 'branches', access: 'orgAdmin', summary: 'Enrol a branch; its credential is shown once',
    body: EnrolBranchBody, bodyKind: small, response: EnrolResponse, status: 201,
    description: 'An organization admin enrols branches of its own organization only.',
  }, async ({ body, actor }) => {
    const org = callerOrganization(actor);
    if (org && body.organization.id !== undefined && body.organization.id !== org) throw new CentralError(403, 'FORBIDDEN', 'you enrol branches of your own organization only');
    const enrolled = await enrolBranch(cdb, org ? { ...body, organization: { ...body.organization, id: org } } : body, nowIso());
    await accounts.audit(callerUser(actor), 'branch.enrolled', `branch:${enrolled.branch.id}`, enrolled.branch.organization.id, { name: enrolled.branch.name });
    return enrolled;
  });

  api.add(router, {
    method: 'get', path: '/api/central/branches', tag: 'branches', access: 'analyst', summary: 'Every enrolled branch with its sync state',
    response: z.array(CentralBranchView),
  }, ({ actor }) => listBranchViews(cdb, clock.now(), callerOrganization(actor)));

  api.add(router, {
    method: 'get', path: '/api/central/branches/:id', tag: 'branches', access: 'analyst', summary: 'One branch with its sync state',
    params: BranchParams, response: CentralBranchView,
  }, async ({ params, actor }) => {
    await checkBranchScope(cdb, actor, params.id as string);
    return getBranchView(cdb, params.id as string, clock.now());
  });

  api.add(router, {
    method: 'post', path: '/api/central/branches/:id/credentials', tag: 'branches', access: 'orgAdmin',
    summary: 'Issue a new credential (the old ones stay valid unless revokeOthers)',
    params: BranchParams, body: CredentialBody, bodyKind: small, response: z.object({ credential: z.string() }), status: 201,
  }, async ({ params, body, actor }) => {
    await checkBranchScope(cdb, actor, params.id as string);
    const credential = await issueCredential(cdb, params.id as string, body.revokeOthers, nowIso());
    await accounts.audit(callerUser(actor), 'branch.credential_issued', `branch:${params.id as string}`, await orgOf(params.id as string), { revokeOthers: body.revokeOthers });
    return { credential };
  });

  api.add(router, {
    method: 'post', path: '/api/central/branches/:id/revoke', tag: 'branches', access: 'orgAdmin', summary: "Revoke every credential of a branch",
    params: BranchParams, response: CentralBranchView,
  }, async ({ params, actor }) => {
    await checkBranchScope(cdb, actor, params.id as string);
    await revokeBranch(cdb, params.id as string, nowIso());
    await accounts.audit(callerUser(actor), 'branch.revoked', `branch:${params.id as string}`, await orgOf(params.id as string));
    return getBranchView(cdb, params.id as string, clock.now());
  });

  api.add(router, {
    method: 'put', path: '/api/central/branches/:id/display-message', tag: 'branches', access: 'orgAdmin',
    summary: "Set the branch's call-board message (empty text removes it); sent through the feed",
    params: BranchParams, body: MessageBody, bodyKind: small, response: z.object({ version: z.number().int(), text: z.string().nullable() }),
  }, async ({ params, body, actor }) => {
    await checkBranchScope(cdb, actor, params.id as string);
    const text = body.text.trim();
    const version = await cdb.db.transaction().execute((trx) => appendFeed(trx, cdb.dialect, params.id as string, {
      entityType: DISPLAY_MESSAGE_ENTITY, entityId: 'current', op: text ? 'upsert' : 'delete', payload: text ? { text } : null,
    }, nowIso()));
    await accounts.audit(callerUser(actor), 'branch.display_message', `branch:${params.id as string}`, await orgOf(params.id as string), { text });
    return { version, text: text || null };
  });

  api.add(router, {
    method: 'get', path: '/api/central/branches/:id/events', tag: 'branches', access: 'analyst', summary: 'Records central accepted from a branch',
    params: BranchParams, query: EventsQuery, response: z.array(SyncEventView),
  }, async ({ params, query, actor }) => {
    await checkBranchScope(cdb, actor, params.id as string);
    const rows = await cdb.db.selectFrom('sync_events')
      .select(['seq', 'event_id', 'aggregate_type', 'aggregate_id', 'event_type', 'event_version', 'status', 'occurred_at', 'received_at'])
      .where('branch_id', '=', params.id as string).where('seq', '>', query.afterSeq).orderBy('seq').limit(query.limit).execute();
    return rows.map((r) => ({
      seq: r.seq, eventId: r.event_id, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, eventType: r.event_type,
      eventVersion: r.event_version, status: r.status, occurredAt: r.occurred_at, receivedAt: r.received_at,
    }));
  });

  api.add(router, {
    method: 'get', path: '/api/central/branches/:id/quarantine', tag: 'branches', access: 'analyst', summary: 'Records of a branch set aside as malformed',
    params: BranchParams, response: z.array(QuarantineView),
  }, async ({ params, actor }) => {
    await checkBranchScope(cdb, actor, params.id as string);
    const rows = await cdb.db.selectFrom('sync_quarantine').select(['seq', 'event_id', 'reason', 'received_at'])
      .where('branch_id', '=', params.id as string).orderBy('seq').limit(1000).execute();
    return rows.map((r) => ({ seq: r.seq, eventId: r.event_id, reason: r.reason, receivedAt: r.received_at }));
  });
}
