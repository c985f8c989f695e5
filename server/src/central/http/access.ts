// Who may call a central route. Callers are resolved per route from the bearer token: a branch credential (sqb_…)
// for the sync routes, the head-office admin token for head-office routes. Head-office user sessions with their
// roles (platform admin, organization admin, analyst) are further kinds of caller checked by the same policy.
import type { Request } from 'express';
import { ApiRegistry, type AccessPolicy } from '../../shared/http/route.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { authenticateBranch, sameHash, sha256 } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from './errors.js';

export type CentralAccess = 'public' | 'branch' | 'admin';

export type CentralCaller =
  /** A branch server, by its credential. */
  | { kind: 'branch'; branchId: string }
  /** SMARTQUEUE_CENTRAL_ADMIN_TOKEN: scripts and the first platform admin; every organization. */
  | { kind: 'admin-token' };

export interface CentralAccessDeps {
  cdb: CentralDb;
  /** SHA-256 of the accepted admin tokens. */
  adminTokenHashes: string[];
}

function adminToken(deps: CentralAccessDeps, req: Request): CentralCaller {
  const token = bearerToken(req);
  if (!token) throw new CentralError(401, 'UNAUTHENTICATED', 'head-office routes need the admin token: Authorization: Bearer …');
  const hash = sha256(token);
  if (!deps.adminTokenHashes.some((h) => sameHash(h, hash))) throw new CentralError(403, 'FORBIDDEN', 'this token is not the central admin token');
  return { kind: 'admin-token' };
}

export function centralAccess(deps: CentralAccessDeps): AccessPolicy<CentralAccess, CentralCaller> {
  return {
    async authenticate(req, access) {
      if (access === 'branch') return { kind: 'branch', branchId: await authenticateBranch(deps.cdb, bearerToken(req)) };
      if (access === 'admin') return adminToken(deps, req);
      return null;
    },
    check(access, caller) {
      if (access === 'public') return;
      if (!caller) throw new CentralError(401, 'UNAUTHENTICATED', 'this needs an Authorization: Bearer credential');
      if (access === 'branch' && caller.kind !== 'branch') throw new CentralError(403, 'FORBIDDEN', 'this needs a branch credential');
      if (access === 'admin' && caller.kind !== 'admin-token') throw new CentralError(403, 'FORBIDDEN', 'this needs the head-office admin token');
    },
    describe: {
      public: 'No credential needed.',
      branch: 'A branch credential (sqb_…) issued at enrolment.',
      admin: 'The head-office admin token (SMARTQUEUE_CENTRAL_ADMIN_TOKEN).',
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
