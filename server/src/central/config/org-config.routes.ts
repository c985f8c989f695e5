// Head-office routes of the configuration pushed to branches: read it (with where each branch stands), save a
// revision (organization admin), apply it to chosen branches through their feed.
import type { Router } from 'express';
import { z } from 'zod';
import { ApplyConfigBody, OrgConfigBody, OrgConfigView } from '../../shared/contracts/org-config.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import type { Accounts } from '../accounts/accounts.js';
import { callerOrganization, callerUser, type CentralApi, type CentralCaller } from '../http/access.js';
import { CentralError } from '../http/errors.js';
import { applyOrgConfig, orgConfigView, saveOrgConfig } from './org-config.js';

const OrgQuery = z.object({ organizationId: z.string().min(1).max(64).optional() });
const body = { kind: 'json', limit: '256kb' } as const;

/** The organization a request is about: the caller's own, or for a platform admin the one it names. */
function organizationOf(actor: CentralCaller | null, named: string | undefined): string {
  const own = callerOrganization(actor);
  if (own) {
    if (named !== undefined && named !== own) throw new CentralError(404, 'NOT_FOUND', `organization ${named} does not exist`);
    return own;
  }
  if (!named) throw new CentralError(400, 'VALIDATION_ERROR', 'name the organization: organizationId');
  return named;
}

export function registerOrgConfigRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock; accounts: Accounts }): void {
  const { cdb, clock, accounts } = deps;
  api.add(router, {
    method: 'get', path: '/api/office/config', tag: 'office', access: 'analyst',
    summary: "The organization's service catalog and call-board message, and which branches applied which revision",
    query: OrgQuery, response: OrgConfigView,
  }, ({ actor, query }) => orgConfigView(cdb, organizationOf(actor, query.organizationId)));

  api.add(router, {
    method: 'put', path: '/api/office/config', tag: 'office', access: 'orgAdmin',
    summary: "Save a new revision of the organization's configuration (applied to branches separately)",
    query: OrgQuery, body: OrgConfigBody, bodyKind: body, response: OrgConfigView,
  }, async ({ actor, query, body: doc }) => {
    const org = organizationOf(actor, query.organizationId);
    const user = callerUser(actor);
    const revision = await saveOrgConfig(cdb, org, doc, user?.login ?? 'admin-token', clock.now().toISOString());
    await accounts.audit(user, 'config.saved', `organization:${org}`, org, { revision, services: doc.services.length });
    return orgConfigView(cdb, org);
  });

  api.add(router, {
    method: 'post', path: '/api/office/config/apply', tag: 'office', access: 'orgAdmin',
    summary: 'Push the current revision to chosen branches through their feed (an offline branch gets it when it reconnects)',
    body: ApplyConfigBody, bodyKind: { kind: 'json', limit: '64kb' }, response: OrgConfigView,
    // 404: a branch that is not this organization's, or no revision saved yet.
    errors: [404],
  }, async ({ actor, body: req }) => {
    const org = organizationOf(actor, req.organizationId);
    const revision = await applyOrgConfig(cdb, org, req.branchIds, clock.now().toISOString());
    await accounts.audit(callerUser(actor), 'config.applied', `organization:${org}`, org, { revision, branchIds: req.branchIds });
    return orgConfigView(cdb, org);
  });
}
