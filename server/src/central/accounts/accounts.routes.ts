// The console's accounts API: bootstrap of the first platform admin (admin token), sign-in and sign-out, the
// signed-in user, users of an organization, and the audit log.
import type { Router } from 'express';
import { z } from 'zod';
import {
  AuditEntry, BootstrapBody, OfficeLoginBody, OfficeLoginResponse, OfficeUserCreateBody, OfficeUserUpdateBody, OfficeUserView,
} from '../../shared/contracts/office.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { callerOrganization, callerUser, type CentralApi } from '../http/access.js';
import type { Accounts } from './accounts.js';

const small = { kind: 'json', limit: '8kb' } as const;

export function registerAccountRoutes(router: Router, api: CentralApi, deps: { accounts: Accounts }): void {
  const { accounts } = deps;

  api.add(router, {
    method: 'post', path: '/api/office/bootstrap', tag: 'office', access: 'admin', summary: 'Create the first platform admin (admin token)',
    body: BootstrapBody, bodyKind: small, response: OfficeUserView, status: 201,
    description: 'Refused (409 ALREADY_BOOTSTRAPPED) once a platform admin exists: further users are created from the console.',
  }, ({ body }) => accounts.bootstrap(body));

  api.add(router, {
    method: 'post', path: '/api/office/login', tag: 'office', access: 'public', summary: 'Sign in to the head-office console',
    body: OfficeLoginBody, bodyKind: small, response: OfficeLoginResponse, errors: [401, 429],
    description: 'Failures are limited per login and per address with a growing delay: 429 with Retry-After.',
  }, ({ body, req }) => accounts.login(body.login, body.password, req.socket.remoteAddress ?? 'unknown'));

  api.add(router, {
    method: 'post', path: '/api/office/logout', tag: 'office', access: 'analyst', summary: 'End this session',
  }, async ({ req }) => {
    const token = bearerToken(req);
    if (token) await accounts.logout(token);
  });

  api.add(router, {
    method: 'get', path: '/api/office/me', tag: 'office', access: 'analyst', summary: 'The signed-in user',
    response: OfficeUserView.nullable(),
  }, async ({ actor }) => {
    const user = callerUser(actor);
    return user ? (await accounts.listUsers(user.organizationId)).find((u) => u.id === user.userId) ?? null : null;
  });

  api.add(router, {
    method: 'get', path: '/api/office/users', tag: 'office', access: 'orgAdmin', summary: 'Head-office users (of your organization)',
    response: z.array(OfficeUserView),
  }, ({ actor }) => accounts.listUsers(callerOrganization(actor)));

  api.add(router, {
    method: 'post', path: '/api/office/users', tag: 'office', access: 'orgAdmin', summary: 'Create a head-office user',
    body: OfficeUserCreateBody, bodyKind: small, response: OfficeUserView, status: 201,
  }, ({ actor, body }) => accounts.createUser(callerUser(actor), body));

  api.add(router, {
    method: 'patch', path: '/api/office/users/:id', tag: 'office', access: 'orgAdmin', summary: 'Change a user: name, password, role, active',
    params: z.object({ id: z.string().min(1).max(64) }), body: OfficeUserUpdateBody, bodyKind: small, response: OfficeUserView,
    description: 'A new password, a role change or disabling the account ends every session of that user at once.',
  }, ({ actor, params, body }) => accounts.updateUser(callerUser(actor), params.id as string, body));

  api.add(router, {
    method: 'get', path: '/api/office/audit', tag: 'office', access: 'orgAdmin', summary: 'Who did what, when (newest first)',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }), response: z.array(AuditEntry),
  }, ({ actor, query }) => accounts.listAudit(callerOrganization(actor), query.limit));
}
