// Who the rule tests act as: the demo branch's staff, as the commands see them.
import type { Actor } from '../../server/src/branch/core/actor.js';
import type { BranchStore } from '../../server/src/branch/db/store.js';
import { findUserByLogin } from '../../server/src/branch/users/user.repository.js';
import type { Role } from '../../server/src/shared/contracts/domain.js';

/** A demo staff member (awa, moussa, fatou: agents; aminata: supervisor) as the commands see them. */
export function staffActor(store: BranchStore, login: string): Extract<Actor, { kind: 'staff' }> {
  const user = findUserByLogin(store, login);
  if (!user) throw new Error(`no user ${login} in the demo branch`);
  return { kind: 'staff', userId: user.id, role: user.role as Role, displayName: user.display_name };
}
