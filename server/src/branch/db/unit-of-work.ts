// The one way a change is written at the branch. A unit of work owns:
// - the transaction: BEGIN IMMEDIATE for the outermost one, a savepoint for one run inside it;
// - the command-id check: a command id already seen by the same principal for the same kind of command returns what
//   the first run returned instead of acting twice (a retried click, a re-sent socket message, a kiosk's resent
//   request); the same id used for anything else is a CONFLICT;
// - the history row and the outbox row of each fact, written in that transaction (see ../shared/design/SYNC.md);
// - a queue of after-commit effects (broadcasts, printing, caches): they run once the OUTERMOST transaction has
//   committed, and are dropped when it, or the savepoint that queued them, rolls back. A booking check-in that
//   issues a ticket therefore announces nothing before the check-in itself has committed;
// - group commit: the commands (`command()`: the kiosks' and counters' hot path) run by a caller that
//   answers only once they are durable (an HTTP route or a socket command, through `answerOnceDurable`) share ONE
//   transaction, each in its own savepoint, committed right after that turn of the event loop (setImmediate): one
//   fsync for all of them, `synchronous = FULL` kept, every answer sent after `durable()`. Everything else (a plain
//   `run()`: admin changes, whose callers may read caches its effects refresh; timers; the sync worker; tests) is on
//   disk when its call returns: it commits a waiting group together with its own change. `background()` (a change
//   nobody is answered about) joins or opens a group.
import { AsyncLocalStorage } from 'node:async_hooks';
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

/** Callers that answer only after `durable()`: the commands they run may share a commit (see the header). */
const answering = new AsyncLocalStorage<true>();

/** Run fn (and everything it awaits) as a caller that awaits `UnitOfWork.durable()` before it answers. */
export function answerOnceDurable<T>(fn: () => T): T {
  return answering.run(true, fn);
}

/** The transaction shared by the grouped commands of one turn. */
interface CommitGroup {
  done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
  timer: NodeJS.Immediate;
}

export class UnitOfWork {
  private depth = 0;
  private effects: Array<() => void> = [];
  private outboxWritten = false;
  private group: CommitGroup | null = null;
  private committed = 0;
  private readonly tx: Tx;
  private readonly begin: { run(): unknown };
  private readonly commit: { run(): unknown };
  private readonly rollback: { run(): unknown };

  /**
   * `onOutbox` runs after a commit that wrote outbox rows (the sync worker pushes soon after); `onLostError`
   * hears what failed with no caller left to tell: an effect after a group commit, or the group commit itself.
   */
  constructor(
    private readonly store: BranchStore,
    private readonly clock: Clock,
    private readonly onOutbox: () => void = () => {},
    private readonly onLostError: (err: unknown) => void = () => {},
  ) {
    this.begin = store.sqlite.prepare<[]>('BEGIN IMMEDIATE');
    this.commit = store.sqlite.prepare<[]>('COMMIT');
    this.rollback = store.sqlite.prepare<[]>('ROLLBACK');
    // The store's own methods, looked up at each call (not copied): whoever wraps the store sees the tx's queries too.
    this.tx = Object.assign(Object.create(store) as BranchStore, {
      afterCommit: (effect: () => void) => {
        this.assertOpen();
        this.effects.push(effect);
      },
      record: (history: Compilable<unknown> | null, fact?: OutboxFact) => {
        this.assertOpen();
        if (history) store.run(history);
        if (fact) {
          appendOutbox(store, fact);
          this.outboxWritten = true;
        }
      },
    });
  }

  /** True while a unit of work runs (its effects wait for the outermost commit). */
  get active(): boolean {
    return this.depth > 0;
  }

  /** Outermost commits so far (each is one fsync): the bench divides them by the commands answered. */
  get commits(): number {
    return this.committed;
  }

  /** True while grouped commands wait for their commit. */
  get pendingCommit(): boolean {
    return this.group !== null;
  }

  /** Resolves once every change made so far is on disk (at once when nothing waits); rejects if that commit failed. */
  durable(): Promise<void> {
    return this.group ? this.group.done : Promise.resolve();
  }

  /** Commit what waits now (before the database closes). */
  settle(): void {
    if (this.group && this.depth === 0) this.commitGroup(false);
  }

  /**
   * Run fn in one transaction (a savepoint when nested, or inside a commit group); its effects run after the
   * outermost commit.
   */
  run<T>(fn: (tx: Tx) => T): T {
    return this.runIn(fn, 'now');
  }

  /**
   * A change nobody is answered about and that a crash may lose (it is worked out again), e.g. the services' pace
   * for head office: it joins the turn's commit group, opening one if none is open, instead of costing a commit.
   */
  background(fn: (tx: Tx) => void): void {
    this.runIn(fn, 'background');
  }

  /** 'command' (see command()) joins the turn's group when its caller answers once durable; 'now' never waits. */
  private runIn<T>(fn: (tx: Tx) => T, mode: 'now' | 'command' | 'background'): T {
    const outer = this.depth === 0;
    if (outer && !this.group && this.store.sqlite.inTransaction) {
      // A transaction opened beside the unit of work would commit our writes without running their effects.
      throw new Error('a unit of work cannot start inside a transaction it does not own');
    }
    const grouped = outer && (mode === 'background' || (mode === 'command' && answering.getStore() === true));
    if (grouped && !this.group) this.openGroup();
    const mark = this.effects.length;
    const outboxMark = this.outboxWritten;
    this.depth += 1;
    let result: T;
    try {
      // Inside a group (or nested), better-sqlite3 makes this a savepoint: a failing command undoes only itself.
      result = this.store.transaction(() => fn(this.tx));
    } catch (err) {
      this.effects.length = mark; // what the rolled-back part queued never happens
      this.outboxWritten = outboxMark;
      throw err;
    } finally {
      this.depth -= 1;
    }
    if (outer && !this.group) {
      this.committed += 1;
      this.flush(true);
    } else if (outer && !grouped) {
      this.commitGroup(true); // this caller answers when run returns: commit now
    }
    return result;
  }

  /**
   * Run a command once per command id (see the header): the result of the first run is stored with the id and
   * returned again to a repeat, which runs nothing and so announces nothing. Results must be JSON.
   */
  command<T>(key: CommandKey, fn: (tx: Tx) => T): T {
    return this.runIn((tx) => {
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
    }, 'command');
  }

  private openGroup(): void {
    this.begin.run();
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    done.catch(() => {}); // a failed commit is told to those who await it; nobody awaiting is not a crash
    this.group = { done, resolve, reject, timer: setImmediate(() => this.commitGroup(false)) };
  }

  /** COMMIT the group, then run its effects; `rethrow` for a caller that is waiting on it synchronously. */
  private commitGroup(rethrow: boolean): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    clearImmediate(group.timer);
    try {
      this.commit.run();
    } catch (err) {
      // Nothing of the group is on disk: none of its commands is answered as done, none of its effects runs.
      if (this.store.sqlite.inTransaction) this.rollback.run();
      this.effects = [];
      this.outboxWritten = false;
      group.reject(err);
      if (rethrow) throw err;
      this.onLostError(err);
      return;
    }
    this.committed += 1;
    group.resolve();
    this.flush(rethrow);
  }

  private flush(rethrow: boolean): void {
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
    if (failure) {
      if (rethrow) throw failure;
      this.onLostError(failure);
    }
  }

  private assertOpen(): void {
    if (this.depth === 0) throw new Error('this needs a running unit of work');
  }
}
