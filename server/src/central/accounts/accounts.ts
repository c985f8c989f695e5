// Head-office accounts: sign-in (scrypt through the shared LoginGuard: bounded concurrent checks, limits per login
// and per address with growing delays), sessions of a working day, users scoped by organization, and the audit of
// every console action (who, when, what).
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { hashPassword, verifyPassword } from '../../shared/auth/password.js';
import { hashToken, newToken } from '../../shared/auth/tokens.js';
import { LoginGuard } from '../../shared/auth/login-guard.js';
import type { BootstrapBody, OfficeRole, OfficeUserCreateBody, OfficeUserUpdateBody, OfficeUserView } from '../../shared/contracts/office.js';
import type { CentralDb, CentralTrx } from '../db/database.js';
import type { OfficeUsersTable } from '../db/schema.js';
import { CentralError } from '../http/errors.js';

export const SESSION_PREFIX = 'sqo';
const SESSION_HOURS = 12;
/** A hash to check against when the login does not exist: the answer takes as long either way. */
let dummyHash: Promise<string> | null = null;

export interface OfficeUser { userId: string; login: string; displayName: string; role: OfficeRole; organizationId: string | null }

export function userView(r: OfficeUsersTable): OfficeUserView {
  return {
    id: r.id, login: r.login, displayName: r.display_name, role: r.role as OfficeRole, organizationId: r.organization_id,
    active: r.active === 1, createdAt: r.created_at,
  };
}

export class Accounts {
  private readonly guard: LoginGuard;

  constructor(private readonly cdb: CentralDb, private readonly clock: { now(): Date }) {
    this.guard = new LoginGuard(() => clock.now().getTime());
  }

  private get db() { return this.cdb.db; }
  private nowIso() { return this.clock.now().toISOString(); }

  /** The first platform admin, created with the admin token; refused once one exists. */
  async bootstrap(body: z.output<typeof BootstrapBody>): Promise<OfficeUserView> {
    const existing = await this.db.selectFrom('office_users').select('id').where('role', '=', 'platform_admin').executeTakeFirst();
    if (existing) throw new CentralError(409, 'ALREADY_BOOTSTRAPPED', 'a platform admin exists already: sign in and create users from the console');
    const user = await this.insertUser({ ...body, role: 'platform_admin', organizationId: null });
    await this.audit(null, 'office.bootstrap', `user:${user.id}`, null, { login: user.login });
    return user;
  }

  private async insertUser(u: { login: string; displayName: string; password: string; role: OfficeRole; organizationId: string | null }): Promise<OfficeUserView> {
    const now = this.nowIso();
    const row: OfficeUsersTable = {
      id: randomUUID(), login: u.login, display_name: u.displayName, password_hash: await hashPassword(u.password), role: u.role,
      organization_id: u.role === 'platform_admin' ? null : u.organizationId, active: 1, created_at: now, updated_at: now,
    };
    const inserted = await this.db.insertInto('office_users').values(row).onConflict((oc) => oc.column('login').doNothing()).returning('id').execute();
    if (!inserted.length) throw new CentralError(409, 'CONFLICT', `login ${u.login} is taken`);
    return userView(row);
  }

  /** Sign in. Throws 401 for a wrong login or password, 429 (with retryAfterSeconds) while a limit holds. */
  async login(loginRaw: string, password: string, address: string): Promise<{ token: string; expiresAt: string; user: OfficeUserView }> {
    const login = loginRaw.trim().toLowerCase();
    const row = await this.db.selectFrom('office_users').selectAll().where('login', '=', login).executeTakeFirst();
    const signedIn = await this.guard.attempt(login, address, async (kdf) => {
      const dummy = (dummyHash ??= hashPassword('not a password of anyone'));
      const ok = await kdf.run(async () => verifyPassword(password, row?.password_hash ?? await dummy));
      return { ok: ok && row?.active === 1, value: row };
    });
    if (!signedIn) {
      await this.audit(null, 'office.login_failed', `login:${login}`, row?.organization_id ?? null, { address }, login);
      throw new CentralError(401, 'INVALID_CREDENTIALS', 'wrong login or password');
    }
    const token = newToken(SESSION_PREFIX);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
    await this.db.insertInto('office_sessions').values({ token_hash: hashToken(token), user_id: signedIn.id, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null }).execute();
    await this.audit(toOfficeUser(signedIn), 'office.login', `user:${signedIn.id}`, signedIn.organization_id, { address });
    return { token, expiresAt, user: userView(signedIn) };
  }

  /** The user of a session token, or null (unknown, expired, revoked, or the user disabled). */
  async authenticate(token: string): Promise<OfficeUser | null> {
    const row = await this.db.selectFrom('office_sessions as s').innerJoin('office_users as u', 'u.id', 's.user_id')
      .selectAll('u').select(['s.expires_at', 's.revoked_at'])
      .where('s.token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row || row.revoked_at || row.active !== 1 || row.expires_at <= this.nowIso()) return null;
    return toOfficeUser(row);
  }

  async logout(token: string): Promise<void> {
    await this.db.updateTable('office_sessions').set({ revoked_at: this.nowIso() }).where('token_hash', '=', hashToken(token)).where('revoked_at', 'is', null).execute();
  }

  async listUsers(organizationId: string | null): Promise<OfficeUserView[]> {
    let q = this.db.selectFrom('office_users').selectAll().orderBy('login');
    if (organizationId) q = q.where('organization_id', '=', organizationId);
    return (await q.execute()).map(userView);
  }

  async createUser(actor: OfficeUser | null, body: z.output<typeof OfficeUserCreateBody>): Promise<OfficeUserView> {
    const org = body.role === 'platform_admin' ? null : (body.organizationId ?? actor?.organizationId ?? null);
    this.checkManages(actor, body.role, org);
    if (org) {
      const exists = await this.db.selectFrom('organizations').select('id').where('id', '=', org).executeTakeFirst();
      if (!exists) throw new CentralError(404, 'NOT_FOUND', `organization ${org} does not exist`);
    }
    const user = await this.insertUser({ ...body, organizationId: org });
    await this.audit(actor, 'office.user_created', `user:${user.id}`, org, { login: user.login, role: user.role });
    return user;
  }

  async updateUser(actor: OfficeUser | null, id: string, body: z.output<typeof OfficeUserUpdateBody>): Promise<OfficeUserView> {
    const row = await this.db.selectFrom('office_users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new CentralError(404, 'NOT_FOUND', `no user ${id}`);
    this.checkManages(actor, row.role as OfficeRole, row.organization_id);
    if (body.role) this.checkManages(actor, body.role, row.organization_id);
    if (body.role === 'platform_admin' && row.organization_id) throw new CentralError(400, 'VALIDATION_ERROR', 'a platform admin belongs to no organization: create a new user');
    const now = this.nowIso();
    const changes: Partial<OfficeUsersTable> = { updated_at: now };
    if (body.displayName !== undefined) changes.display_name = body.displayName;
    if (body.role !== undefined) changes.role = body.role;
    if (body.active !== undefined) changes.active = body.active ? 1 : 0;
    if (body.password !== undefined) changes.password_hash = await hashPassword(body.password);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('office_users').set(changes).where('id', '=', id).execute();
      // A new password, a role taken away or a disabled account: every open session ends now.
      if (body.password !== undefined || body.active === false || body.role !== undefined) {
        await trx.updateTable('office_sessions').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      }
    });
    const { password: _p, ...logged } = body;
    await this.audit(actor, 'office.user_updated', `user:${id}`, row.organization_id, { ...logged, ...(body.password !== undefined && { password: 'changed' }) });
    return userView({ ...row, ...changes } as OfficeUsersTable);
  }

  /** An organization admin manages only its organization's org admins and analysts; a platform admin everyone. */
  private checkManages(actor: OfficeUser | null, role: OfficeRole, organizationId: string | null): void {
    if (!actor || actor.role === 'platform_admin') return;
    if (role === 'platform_admin' || organizationId !== actor.organizationId) {
      throw new CentralError(403, 'FORBIDDEN', 'an organization admin manages the users of its own organization only');
    }
  }

  /**
   * One line of the audit: who (null: the admin token), what, on what, in which organization. `trx`: written in the
   * transaction of the change it records.
   */
  async audit(actor: OfficeUser | null, action: string, target: string | null, organizationId: string | null, details?: unknown, login?: string, trx?: CentralTrx): Promise<void> {
    await (trx ?? this.db).insertInto('office_audit').values({
      id: randomUUID(), at: this.nowIso(), actor_id: actor?.userId ?? null, actor_login: actor?.login ?? login ?? 'admin-token',
      organization_id: organizationId, action, target, details: details === undefined ? null : JSON.stringify(details),
    }).execute();
  }

  async listAudit(organizationId: string | null, limit: number) {
    let q = this.db.selectFrom('office_audit').selectAll().orderBy('at', 'desc').orderBy('id').limit(limit);
    if (organizationId) q = q.where('organization_id', '=', organizationId);
    return (await q.execute()).map((r) => ({
      id: r.id, at: r.at, actorLogin: r.actor_login, organizationId: r.organization_id, action: r.action, target: r.target,
      details: r.details ? (JSON.parse(r.details) as unknown) : null,
    }));
  }
}

function toOfficeUser(r: OfficeUsersTable): OfficeUser {
  return { userId: r.id, login: r.login, displayName: r.display_name, role: r.role as OfficeRole, organizationId: r.organization_id };
}
