// Who may call a central route. Callers are resolved per route from the bearer token: a branch credential (sqb_…)
// for the sync routes, the head-office admin token for head-office routes. Head-office user sessions with their
// roles (platform admin, organization admin, analyst) are further kinds of caller checked by the same policy.
import type { Request } from 'express';
import { ApiRegistry, type AccessPolicy } from '../../shared/http/route.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { authenticateBranch, sameHash, sha256 } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { SESSION_PREFIX, type Accounts, type OfficeUser } from '../accounts/accounts.js';
import { CentralError } from './errors.js';

/**
 * public; branch (a branch credential); analyst (any head-office user: reads, scoped to its organization);
 * orgAdmin (organization admin or platform admin: manages its organization); admin (platform admin). The admin
 * token (SMARTQUEUE_CENTRAL_ADMIN_TOKEN, for scripts and the first platform admin) passes every head-office level.
 */
export type CentralAccess = 'public' | 'branch' | 'analyst' | 'orgAdmin' | 'admin';

export type CentralCaller =
  /** A branch server, by its credential. */
  | { kind: 'branch'; branchId: string }
  /** SMARTQUEUE_CENTRAL_ADMIN_TOKEN: scripts and the first platform admin; every organization. */
  | { kind: 'admin-token' }
  /** A head-office user signed in to the console. */
  | { kind: 'user'; user: OfficeUser };

export interface CentralAccessDeps {
  cdb: CentralDb;
  /** SHA-256 of the accepted admin tokens. */
  adminTokenHashes: string[];
  accounts: Accounts;
}

const RANK = { analyst: 1, org_admin: 2, platform_admin: 3 } as const;
const NEED = { analyst: 1, orgAdmin: 2, admin: 3 } as const;

async function headOffice(deps: CentralAccessDeps, req: Request): Promise<CentralCaller> {
  const token = bearerToken(req);
  if (!token) throw new CentralError(401, 'UNAUTHENTICATED', 'head-office routes need a session or the admin token: Authorization: Bearer …');
  if (token.startsWith(`${SESSION_PREFIX}_`)) {
    const user = await deps.accounts.authenticate(token);
    if (!user) throw new CentralError(401, 'UNAUTHENTICATED', 'this session has ended: sign in again');
    return { kind: 'user', user };
  }
  const hash = sha256(token);
  if (!deps.adminTokenHashes.some((h) => sameHash(h, hash))) throw new CentralError(403, 'FORBIDDEN', 'this token is not the central admin token');
  return { kind: 'admin-token' };
}

/** The organization a caller is limited to; null for the admin token and platform admins (every organization). */
export function callerOrganization(caller: CentralCaller | null): string | null {
  return caller?.kind === 'user' && caller.user.role !== 'platform_admin' ? caller.user.organizationId : null;
}

/** The signed-in user (null for the admin token), for the audit. */
export function callerUser(caller: CentralCaller | null): OfficeUser | null {
  return caller?.kind === 'user' ? caller.user : null;
}

/** 404 for a branch outside the caller's organization (as if it did not exist: ids of others are not confirmed). */
export async function checkBranchScope(cdb: CentralDb, caller: CentralCaller | null, branchId: string): Promise<void> {
  const org = callerOrganization(caller);
  if (!org) return;
  const b = await cdb.db.selectFrom('branches').select('organization_id').where('id', '=', branchId).executeTakeFirst();
  if (!b || b.organization_id !== org) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
}

export function centralAccess(deps: CentralAccessDeps): AccessPolicy<CentralAccess, CentralCaller> {
  return {
    async authenticate(req, access) {
      if (access === 'branch') return { kind: 'branch', branchId: await authenticateBranch(deps.cdb, bearerToken(req)) };
      if (access === 'public') return null;
      return headOffice(deps, req);
    },
    check(access, caller) {
      if (access === 'public') return;
      if (!caller) throw new CentralError(401, 'UNAUTHENTICATED', 'this needs an Authorization: Bearer credential');
      if (access === 'branch') {
        if (caller.kind !== 'branch') throw new CentralError(403, 'FORBIDDEN', 'this needs a branch credential');
        return;
      }
      if (caller.kind === 'admin-token') return;
      if (caller.kind !== 'user' || RANK[caller.user.role] < NEED[access]) {
        throw new CentralError(403, 'FORBIDDEN', `this needs the ${access === 'admin' ? 'platform admin' : access === 'orgAdmin' ? 'organization admin' : 'analyst'} role`);
      }
    },
    describe: {
      public: 'No credential needed.',
      branch: 'A branch credential (sqb_…) issued at enrolment.',
      analyst: 'A head-office session (any role; limited to its organization) or the admin token.',
      orgAdmin: 'A head-office session of an organization admin (its organization) or platform admin, or the admin token.',
      admin: 'A head-office session of a platform admin, or the admin token (SMARTQUEUE_CENTRAL_ADMIN_TOKEN).',
    },
  };
}

/** Central's route registry. */
export type CentralApi = ApiRegistry<CentralAccess, CentralCaller>;
export const createCentralApi = (deps: CentralAccessDeps): CentralApi => new ApiRegistry(centralAccess(deps));

/** The branch of a caller on a 'branch' route (the policy has checked it is one). */
export function callerBranch(caller: CentralCaller | null): string {
  if (caller?.kind !== 'branch') throw new CentralError(403, 'FORBIDDEN', 'this needs a branch credential');
  return caller.branchId;
}
