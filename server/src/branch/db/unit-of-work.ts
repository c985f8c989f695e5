// The one way a change is written at the branch. A unit of work owns:
// - the transaction: BEGIN IMMEDIATE for the outermost one, a savepoint for one run inside it;
// - the command-id check: a command id already seen by the same principal for the same kind of command returns what
//   the first run returned instead of acting twice (a retried click, a re-sent socket message, a kiosk's resent
//   request); the same id used for anything else is a CONFLICT;
// - the history row and the outbox row of each fact, written in that transaction (see ../shared/design/SYNC.md);
// - a queue of after-commit effects (broadcasts, printing, caches): they run once the OUTERMOST transaction has
//   committed, and are dropped when it, or the savepoint that queued them, rolls back. A booking check-in that
//   issues a ticket therefore announces nothing before the check-in itself has committed.
import { createHash } from 'node:crypto';
import type { Compilable } from 'kysely';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { BranchStore } from './store.js';
import { insertCommand, findCommand } from './command.repository.js';
import { appendOutbox, type OutboxFact } from './outbox.js';

export type { OutboxFact } from './outbox.js';

/** The store inside a running unit of work, with what only a transaction may do. */
export interface Tx extends BranchStore {
  /** Run `effect` once the outermost transaction has committed; dropped on rollback. */
  afterCommit(effect: () => void): void;
  /** Write a fact's history row (an insert built by its repository) and, when it leaves the branch, its outbox row. */
  record(history: Compilable<unknown> | null, fact?: OutboxFact): void;
}

/** Who runs a command and which one: `kind` is `<action>:<target or request fingerprint>`. */
export interface CommandKey {
  commandId: string | undefined;
  principal: string;
  kind: string;
}

/**
 * What makes two requests of one command "the same": every field but the command id, in a fixed order, hashed (no
 * phone number kept twice). Put in the command's `kind`, so the same id with another body is a CONFLICT.
 */
export function requestFingerprint(input: { commandId?: string | undefined } & Record<string, unknown>): string {
  const { commandId: _commandId, ...fields } = input;
  const canonical = JSON.stringify(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export class UnitOfWork {
  private depth = 0;
  private effects: Array<() => void> = [];
  private outboxWritten = false;
  private readonly tx: Tx;

  /** `onOutbox` runs after a commit that wrote outbox rows (the sync worker pushes soon after). */
  constructor(private readonly store: BranchStore, private readonly clock: Clock, private readonly onOutbox: () => void = () => {}) {
    this.tx = {
      ...store,
      afterCommit: (effect) => {
        this.assertOpen();
        this.effects.push(effect);
      },
      record: (history, fact) => {
        this.assertOpen();
        if (history) store.run(history);
        if (fact) {
          appendOutbox(store, fact);
          this.outboxWritten = true;
        }
      },
    };
  }

  /** True while a unit of work runs (its effects wait for the outermost commit). */
  get active(): boolean {
    return this.depth > 0;
  }

  /** Run fn in one transaction (a savepoint when nested); its effects run after the outermost commit. */
  run<T>(fn: (tx: Tx) => T): T {
    if (this.depth === 0 && this.store.sqlite.inTransaction) {
      // A transaction opened beside the unit of work would commit our writes without running their effects.
      throw new Error('a unit of work cannot start inside a transaction it does not own');
    }
    const outer = this.depth === 0;
    const mark = this.effects.length;
    this.depth += 1;
    let result: T;
    try {
      result = this.store.transaction(() => fn(this.tx));
    } catch (err) {
      this.effects.length = outer ? 0 : mark; // what the rolled-back part queued never happens
      if (outer) this.outboxWritten = false;
      throw err;
    } finally {
      this.depth -= 1;
    }
    if (outer) this.flush();
    return result;
  }

  /**
   * Run a command once per command id (see the header): the result of the first run is stored with the id and
   * returned again to a repeat, which runs nothing and so announces nothing. Results must be JSON.
   */
  command<T>(key: CommandKey, fn: (tx: Tx) => T): T {
    return this.run((tx) => {
      if (key.commandId) {
        const seen = findCommand(tx, key.commandId);
        if (seen) {
          if (seen.principal_id !== key.principal || seen.kind !== key.kind) {
            const sameAction = seen.principal_id === key.principal && seen.kind.split(':')[0] === key.kind.split(':')[0];
            throw new DomainError('CONFLICT', sameAction
              ? `command ${key.commandId} was already used with a different request: a new request needs a new command id`
              : `command ${key.commandId} was already used for another command`, { commandId: key.commandId });
          }
          return JSON.parse(seen.result) as T;
        }
      }
      const result = fn(tx);
      if (key.commandId) {
        insertCommand(tx, { command_id: key.commandId, principal_id: key.principal, kind: key.kind, result: JSON.stringify(result), created_at: this.clock.now().toISOString() });
      }
      return result;
    });
  }

  private flush(): void {
    const effects = this.effects;
    const wroteOutbox = this.outboxWritten;
    this.effects = [];
    this.outboxWritten = false;
    if (wroteOutbox) effects.push(this.onOutbox);
    let failure: unknown = null;
    for (const effect of effects) {
      // The change is committed: one failing effect (a broken socket listener) must not stop the others.
      try {
        effect();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure) throw failure;
  }

  private assertOpen(): void {
    if (this.depth === 0) throw new Error('this needs a running unit of work');
  }
}
