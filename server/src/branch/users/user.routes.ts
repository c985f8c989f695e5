import type { Router } from 'express';
import { LoginBody, LoginResponse, UserCreateBody, UserUpdateBody, UserView } from '../../shared/contracts/api.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { bearerToken } from '../../shared/http/bearer.js';

export function registerUserRoutes(router: Router, api: BranchApi, s: Pick<BranchParts, 'users'>): void {
  api.add(router, { method: 'post', path: '/api/auth/login', tag: 'auth', access: 'public', summary: 'Sign in; returns a bearer token for a working day', body: LoginBody, response: LoginResponse },
    ({ body, req }) => s.users.login(body.login, body.password, req.socket.remoteAddress ?? 'unknown'));
  api.add(router, { method: 'post', path: '/api/auth/logout', tag: 'auth', access: 'staff', summary: 'End this session' },
    ({ req }) => { const token = bearerToken(req); if (token) s.users.logout(token); return undefined; });
  api.add(router, { method: 'get', path: '/api/auth/me', tag: 'auth', access: 'staff', summary: 'Who this token belongs to', response: UserView },
    ({ actor }) => { if (actor?.kind !== 'staff') throw new DomainError('UNAUTHENTICATED', 'sign in first'); return s.users.get(actor.userId); });

  api.add(router, { method: 'get', path: '/api/admin/users', tag: 'admin', access: 'admin', summary: 'List staff accounts', response: UserView.array() }, () => s.users.list());
  api.add(router, { method: 'post', path: '/api/admin/users', tag: 'admin', access: 'admin', status: 201, summary: 'Create a staff account', body: UserCreateBody, response: UserView },
    ({ body }) => s.users.create(body));
  api.add(router, { method: 'patch', path: '/api/admin/users/:id', tag: 'admin', access: 'admin', summary: 'Change role, name, password or active flag', body: UserUpdateBody, response: UserView },
    ({ params, body }) => s.users.update(params.id as string, body));
  api.add(router, { method: 'delete', path: '/api/admin/users/:id', tag: 'admin', access: 'admin', summary: 'Deactivate a staff account (kept for history)', response: UserView },
    ({ params }) => s.users.deactivate(params.id as string));
}
