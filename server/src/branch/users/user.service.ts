// Staff accounts and their sessions. Agents sign in at the start of a shift; a session lasts a working day.
import type { z } from 'zod';
import type { LoginResponse, UserCreateBody, UserUpdateBody, UserView } from '../../shared/contracts/api.js';
import type { Role } from '../../shared/contracts/domain.js';
import type { UserAdminView } from '../../shared/contracts/admin.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../core/actor.js';
import { nowIso, type BranchContext } from '../core/context.js';
import { hashPassword, verifyPassword } from '../../shared/auth/password.js';
import { LoginGuard } from '../../shared/auth/login-guard.js';
import { hashToken, newToken } from '../../shared/auth/tokens.js';

import {
  activeAdminCount, findSession, findUser, findUserByLogin, insertSession, insertUser, lastSignIns, listUsers, revokeSession, revokeUserSessions, updateUser, type UserRow,
} from './user.repository.js';

function toView(u: UserRow): UserView {
  return { id: u.id, login: u.login, displayName: u.display_name, role: u.role as Role, active: u.active === 1 };
}

// A fixed hash to compare against when the login is unknown, so timing does not reveal which logins exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class UserService {
  /** Wrong passwords limited per login and per address, and a bound on concurrent KDF runs (see login-guard.ts). */
  readonly guard: LoginGuard;

  constructor(private readonly ctx: BranchContext) {
    this.guard = new LoginGuard(() => ctx.clock.now().getTime(), {
      onLockout: ({ kind, key, failures, retryAfterSeconds }) => ctx.events.emit('alert.wanted', {
        kind: 'security', severity: 'warning',
        message: kind === 'login'
          ? `Connexion bloquée pour « ${key} » après ${failures} mots de passe erronés (délai croissant, prochain essai dans ${retryAfterSeconds} s).`
          : `Connexions bloquées depuis l'adresse ${key} après ${failures} mots de passe erronés (délai croissant).`,
        data: { reason: kind === 'login' ? 'login_locked' : 'address_locked', key, failures, retryAfterSeconds },
      }),
    });
  }

  /** `address`: where the attempt comes from (the socket's remote address). */
  async login(login: string, password: string, address = 'unknown'): Promise<LoginResponse> {
    const store = this.ctx.store;
    const name = login.trim().toLowerCase();
    const user = await this.guard.attempt(name, address, async (kdf) => {
      const found = findUserByLogin(store, name);
      const ok = await kdf.run(() => verifyPassword(password, found?.password_hash ?? DUMMY_HASH));
      return { ok: Boolean(found && ok && found.active === 1), value: found };
    });
    if (!user) throw new DomainError('UNAUTHENTICATED', 'wrong login or password');
    const token = newToken('sqs');
    const now = this.ctx.clock.now();
    const expiresAt = new Date(now.getTime() + this.ctx.config.sessionTtlSeconds * 1000).toISOString();
    insertSession(store, { token_hash: hashToken(token), user_id: user.id, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null });
    return { token, expiresAt, user: toView(user) };
  }

  logout(token: string): void {
    const store = this.ctx.store;
    revokeSession(store, hashToken(token), nowIso(this.ctx));
    this.ctx.events.emit('credentials.changed');
  }

  /** The staff actor behind a bearer token, or null when it is unknown, expired, revoked or its user is disabled. */
  authenticate(token: string): Extract<Actor, { kind: 'staff' }> | null {
    const store = this.ctx.store;
    const row = findSession(store, hashToken(token));
    if (!row || row.revoked_at || row.active !== 1 || row.expires_at <= nowIso(this.ctx)) return null;
    return { kind: 'staff', userId: row.id, role: row.role as Role, displayName: row.display_name };
  }

  list(): UserView[] {
    const store = this.ctx.store;
    return listUsers(store).map(toView);
  }

  get(id: string): UserView {
    const store = this.ctx.store;
    const u = findUser(store, id);
    if (!u) throw new DomainError('NOT_FOUND', `user ${id} does not exist`);
    return toView(u);
  }

  /** The password's hash, made before the change's transaction (a transaction never waits on the KDF). */
  hash(password: string): Promise<string> {
    return hashPassword(password);
  }

  async create(input: z.output<typeof UserCreateBody>): Promise<UserView> {
    return this.createHashed(input, await this.hash(input.password));
  }

  createHashed(input: z.output<typeof UserCreateBody>, hash: string): UserView {
    const store = this.ctx.store;
    const at = nowIso(this.ctx);
    const id = newId();
    this.ctx.uow.run((tx) => {
      tx.afterCommit(() => this.ctx.events.emit('staff.changed'));
      if (findUserByLogin(store, input.login)) {
        throw new DomainError('CONFLICT', `login ${input.login} is taken`);
      }
      insertUser(store, { id, login: input.login, display_name: input.displayName, role: input.role, password_hash: hash, active: 1, created_at: at, updated_at: at });
    });
    return this.get(id);
  }

  async update(id: string, input: z.output<typeof UserUpdateBody>): Promise<UserView> {
    return this.updateHashed(id, input, input.password ? await this.hash(input.password) : undefined);
  }

  updateHashed(id: string, input: Omit<z.output<typeof UserUpdateBody>, 'password'>, hash: string | undefined): UserView {
    const store = this.ctx.store;
    this.ctx.uow.run((tx) => {
      const was = this.get(id);
      // The branch always keeps one admin who can sign in: nobody can lock everyone out of the set-up.
      const losesAdmin = was.role === 'admin' && was.active && (input.active === false || (input.role !== undefined && input.role !== 'admin'));
      if (losesAdmin && activeAdminCount(store) <= 1) {
        throw new DomainError('CONFLICT', 'this is the last active admin: make another admin first');
      }
      tx.afterCommit(() => this.ctx.events.emit('staff.changed'));
      updateUser(store, id, {
        ...(input.displayName !== undefined && { display_name: input.displayName }),
        ...(input.role !== undefined && { role: input.role }),
        ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
        ...(hash !== undefined && { password_hash: hash }),
        updated_at: nowIso(this.ctx),
      });
      // A disabled account or a new password ends every open session of that user.
      if (input.active === false || hash !== undefined) {
        revokeUserSessions(store, id, nowIso(this.ctx));
      }
      // A new role changes what the user's open sockets may receive: they reconnect with it.
      if (input.active === false || hash !== undefined || input.role !== undefined) tx.afterCommit(() => this.ctx.events.emit('credentials.changed'));
    });
    return this.get(id);
  }

  /** Users with the start of their newest session (the admin screen's "last sign-in"). */
  listWithSignIn(): UserAdminView[] {
    const last = lastSignIns(this.ctx.store);
    return listUsers(this.ctx.store).map((u) => ({ ...toView(u), lastSignInAt: last.get(u.id) ?? null }));
  }

  adminView(id: string): UserAdminView {
    return { ...this.get(id), lastSignInAt: lastSignIns(this.ctx.store).get(id) ?? null };
  }

  /** Users are deactivated rather than deleted: their name stays on the tickets they served. */
  deactivate(id: string): UserView {
    return this.updateHashed(id, { active: false }, undefined);
  }
}
