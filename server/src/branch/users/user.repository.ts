// Plain functions over the users and sessions tables.
import type { Selectable, Kysely } from 'kysely';
import type { BranchDatabase, SessionsTable, UsersTable } from '../db/schema.js';
import { preparedQuery } from '../../shared/db/prepared.js';
import type { BranchStore } from '../db/store.js';

export type UserRow = Selectable<UsersTable>;

export function findUser(store: BranchStore, id: string): UserRow | undefined {
  return store.first(store.db.selectFrom('users').selectAll().where('id', '=', id));
}

export function findUserByLogin(store: BranchStore, login: string): UserRow | undefined {
  return store.first(store.db.selectFrom('users').selectAll().where('login', '=', login));
}

export function listUsers(store: BranchStore): UserRow[] {
  return store.all(store.db.selectFrom('users').selectAll().orderBy('login'));
}

/** Display names by user id (every user: a counter may name an agent disabled since). */
export function userNames(store: BranchStore, ids?: readonly string[]): Map<string, string> {
  if (ids && ids.length === 0) return new Map();
  let q = store.db.selectFrom('users').select(['id', 'display_name']);
  if (ids) q = q.where('id', 'in', ids);
  return new Map(store.all(q).map((u) => [u.id, u.display_name]));
}

export function insertUser(store: BranchStore, row: UserRow): void {
  store.run(store.db.insertInto('users').values(row));
}

export function updateUser(store: BranchStore, id: string, patch: Partial<Omit<UserRow, 'id' | 'login' | 'created_at'>>): void {
  store.run(store.db.updateTable('users').set(patch).where('id', '=', id));
}

export function insertSession(store: BranchStore, row: Selectable<SessionsTable>): void {
  store.run(store.db.insertInto('sessions').values(row));
}

export function revokeSession(store: BranchStore, tokenHash: string, at: string): void {
  store.run(store.db.updateTable('sessions').set({ revoked_at: at }).where('token_hash', '=', tokenHash));
}

/** Ends every open session of a user (disabled, or a new password). */
export function revokeUserSessions(store: BranchStore, userId: string, at: string): void {
  store.run(store.db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null));
}

/** The session behind a token hash with its user's standing. */
// Every staff request is authenticated by this query.
const sessionByToken = preparedQuery((db: Kysely<BranchDatabase>, p: { tokenHash: string }) => db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
  .select(['users.id', 'users.role', 'users.display_name', 'users.active', 'sessions.expires_at', 'sessions.revoked_at'])
  .where('sessions.token_hash', '=', p.tokenHash));

export function findSession(store: BranchStore, tokenHash: string) {
  return store.first(sessionByToken(store.db, { tokenHash }));
}

export function activeAdminCount(store: BranchStore): number {
  const row = store.first(store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('active', '=', 1));
  return Number(row?.n ?? 0);
}

/** The start of each user's newest session. */
export function lastSignIns(store: BranchStore): Map<string, string> {
  const rows = store.all(store.db.selectFrom('sessions').select(['user_id', (eb) => eb.fn.max('created_at').as('at')]).groupBy('user_id'));
  return new Map(rows.map((r) => [r.user_id, String(r.at)]));
}
