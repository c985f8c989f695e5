// Who may call a branch route: devices by role, staff by rank.
import { DomainError } from '../../shared/domain/errors.js';
import { ApiRegistry, type AccessPolicy, type AnswerGate } from '../../shared/http/route.js';
import type { Actor } from '../core/actor.js';

export type BranchAccess = 'public' | 'reader' | 'issuer' | 'staff' | 'supervisor' | 'admin';

const ROLE_RANK = { agent: 1, supervisor: 2, admin: 3 } as const;

/** 401 without a valid credential, 403 with one that may not do this. */
export function checkAccess(access: BranchAccess, actor: Actor | null): void {
  if (access === 'public') return;
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'sign in first: this needs an Authorization: Bearer token');
  if (access === 'reader') return;
  if (access === 'issuer') {
    if (actor.kind === 'staff' || (actor.kind === 'device' && actor.role === 'kiosk')) return;
    throw new DomainError('FORBIDDEN', 'only a kiosk or staff can issue tickets');
  }
  if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'this needs a staff account');
  const need = access === 'staff' ? 1 : access === 'supervisor' ? 2 : 3;
  if (ROLE_RANK[actor.role] < need) throw new DomainError('FORBIDDEN', `this needs the ${access} role`);
}

export const branchAccess: AccessPolicy<BranchAccess, Actor> = {
  check: checkAccess,
  describe: {
    public: 'No credential needed.',
    reader: 'Any paired device or staff token.',
    issuer: 'A kiosk device token or any staff token.',
    staff: 'A staff token (agent, supervisor or admin).',
    supervisor: 'A supervisor or admin token.',
    admin: 'An admin token.',
  },
};

/** The branch's route registry. */
export type BranchApi = ApiRegistry<BranchAccess, Actor>;
// The JSON parser on every /api route (create-branch-server.ts) answers 413 to a body over 16 KB, whatever the route.
// Answers wait for the group commit of their changes (db/unit-of-work.ts).
export const createBranchApi = (gate: AnswerGate | null = null): BranchApi => new ApiRegistry(branchAccess, [413], gate);
