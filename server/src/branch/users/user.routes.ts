import type { Router } from 'express';
import { LoginBody, LoginResponse, UserCreateBody, UserUpdateBody, UserView } from '../../shared/contracts/api.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { PasswordReset, UserAdminView } from '../../shared/contracts/admin.js';
import { randomPassword } from '../../shared/auth/password.js';

export function registerUserRoutes(router: Router, api: BranchApi, s: Pick<BranchParts, 'users' | 'audit'>): void {
  const audit = s.audit;
  api.add(router, { method: 'post', path: '/api/auth/login', tag: 'auth', access: 'public', summary: 'Sign in; returns a bearer token for a working day', body: LoginBody, response: LoginResponse,
    // 401: wrong login or password; 429: too many failures (Retry-After), see docs on sign-in limits.
    errors: [401, 429] },
    ({ body, req }) => s.users.login(body.login, body.password, req.socket.remoteAddress ?? 'unknown'));
  api.add(router, { method: 'post', path: '/api/auth/logout', tag: 'auth', access: 'staff', summary: 'End this session' },
    ({ req }) => { const token = bearerToken(req); if (token) s.users.logout(token); return undefined; });
  api.add(router, { method: 'get', path: '/api/auth/me', tag: 'auth', access: 'staff', summary: 'Who this token belongs to', response: UserView },
    ({ actor }) => { if (actor?.kind !== 'staff') throw new DomainError('UNAUTHENTICATED', 'sign in first'); return s.users.get(actor.userId); });

  // Passwords are hashed before the change's transaction and never written to the audit log.
  api.add(router, { method: 'get', path: '/api/admin/users', tag: 'admin', access: 'admin', summary: 'List staff accounts with their last sign-in', response: UserAdminView.array() },
    () => s.users.listWithSignIn());
  api.add(router, { method: 'post', path: '/api/admin/users', tag: 'admin', access: 'admin', status: 201, summary: 'Create a staff account', body: UserCreateBody, response: UserView },
    async ({ body, actor }) => {
      const hash = await s.users.hash(body.password);
      return audit.change(actor, (v) => ({ kind: 'user', action: 'create', entityId: v.id }), { apply: () => s.users.createHashed(body, hash) });
    });
  api.add(router, {
    method: 'patch', path: '/api/admin/users/:id', tag: 'admin', access: 'admin', summary: 'Change role, name, password or active flag', body: UserUpdateBody, response: UserView,
    errors: [409], description: 'The last active admin cannot be disabled or lose the admin role (409).',
  }, async ({ params, body, actor }) => {
    const { password, ...rest } = body;
    const hash = password ? await s.users.hash(password) : undefined;
    return audit.change(actor, { kind: 'user', action: 'update', entityId: params.id as string }, {
      before: () => s.users.get(params.id as string),
      apply: () => s.users.updateHashed(params.id as string, rest, hash),
      patch: { ...rest, ...(password !== undefined && { password: '(changed)' }) },
    });
  });
  api.add(router, {
    method: 'post', path: '/api/admin/users/:id/reset-password', tag: 'admin', access: 'admin', response: PasswordReset,
    summary: 'Give a user a new random password, shown once', description: 'Ends the user\'s sessions; the password is not stored in clear and cannot be shown again.',
  }, async ({ params, actor }) => {
    s.users.get(params.id as string);
    const password = randomPassword();
    const hash = await s.users.hash(password);
    audit.change(actor, { kind: 'user', action: 'reset-password', entityId: params.id as string }, {
      apply: () => s.users.updateHashed(params.id as string, {}, hash), after: () => null,
    });
    return { user: s.users.adminView(params.id as string), password };
  });
  api.add(router, { method: 'delete', path: '/api/admin/users/:id', tag: 'admin', access: 'admin', summary: 'Deactivate a staff account (kept for history)', response: UserView, errors: [409] },
    ({ params, actor }) => audit.change(actor, { kind: 'user', action: 'disable', entityId: params.id as string }, {
      before: () => ({ active: s.users.get(params.id as string).active }), apply: () => s.users.deactivate(params.id as string), after: (v) => ({ active: v.active }),
    }));
}
