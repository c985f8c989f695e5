import { DomainError } from '../../shared/domain/errors.js';
import { actorId, type Actor } from './actor.js';
import { nowIso, type BranchContext } from './context.js';

/**
 * Run a change once per command id, inside one transaction: a command id already seen by the same principal for the
 * same kind of command returns what the first run returned instead of acting twice, so a retried click, a re-sent
 * socket message or a kiosk's resent request is safe. The same id used for anything else is a CONFLICT.
 * `kind` is `<action>:<target or request fingerprint>`; only the action part decides which message a mismatch gets.
 */
export function runCommandOnce<T>(
  ctx: Pick<BranchContext, 'store' | 'clock'>,
  commandId: string | undefined,
  actor: Actor,
  kind: string,
  fn: () => T,
): T {
  const store = ctx.store;
  const principal = actorId(actor);
  return store.transaction(() => {
    if (commandId) {
      const seen = store.first(store.db.selectFrom('commands').selectAll().where('command_id', '=', commandId));
      if (seen) {
        if (seen.principal_id !== principal || seen.kind !== kind) {
          const sameAction = seen.principal_id === principal && seen.kind.split(':')[0] === kind.split(':')[0];
          throw new DomainError('CONFLICT', sameAction
            ? `command ${commandId} was already used with a different request: a new request needs a new command id`
            : `command ${commandId} was already used for another command`, { commandId });
        }
        return JSON.parse(seen.result) as T;
      }
    }
    const result = fn();
    if (commandId) {
      store.run(store.db.insertInto('commands').values({
        command_id: commandId, principal_id: principal, kind, result: JSON.stringify(result), created_at: nowIso(ctx),
      }));
    }
    return result;
  });
}
