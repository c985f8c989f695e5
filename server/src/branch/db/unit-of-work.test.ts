// The unit of work over a real SQLite file: effects wait for the outermost commit, a rollback drops them, a command
// id is applied once.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerOnceDurable } from './unit-of-work.js';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';

describe('unit of work', () => {
  let p: TestParts;
  beforeEach(async () => { p = await buildTestParts(); });
  afterEach(() => p.close());

  const outboxCount = () => (p.ctx.store.sqlite.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

  it('runs after-commit effects only once the outermost transaction commits', () => {
    const seen: string[] = [];
    p.ctx.uow.run((outer) => {
      outer.afterCommit(() => seen.push('outer'));
      p.ctx.uow.run((inner) => { inner.afterCommit(() => seen.push('inner')); });
      expect(seen).toEqual([]); // the inner one committed a savepoint only
    });
    expect(seen).toEqual(['outer', 'inner']);
  });

  it('drops the effects of a rolled-back part, keeps the others', () => {
    const seen: string[] = [];
    p.ctx.uow.run((outer) => {
      outer.afterCommit(() => seen.push('kept'));
      expect(() => p.ctx.uow.run((inner) => { inner.afterCommit(() => seen.push('dropped')); throw new Error('no'); })).toThrow('no');
    });
    expect(seen).toEqual(['kept']);
    expect(() => p.ctx.uow.run((tx) => { tx.afterCommit(() => seen.push('never')); throw new Error('rolled back'); })).toThrow('rolled back');
    expect(seen).toEqual(['kept']);
  });

  it('announces new outbox rows after the commit, and never for a rollback', () => {
    let announced = 0;
    p.ctx.events.on('outbox.appended', () => { announced += 1; });
    const serviceId = p.catalog.list()[0]?.id as string;
    const before = outboxCount();
    expect(() => p.ctx.uow.run(() => {
      p.tickets.issue({ serviceId }, { kind: 'system' });
      throw new Error('the check-in failed after the ticket');
    })).toThrow();
    expect(outboxCount()).toBe(before);
    expect(announced).toBe(0);
    p.tickets.issue({ serviceId }, { kind: 'system' });
    expect(outboxCount()).toBe(before + 1);
    expect(announced).toBe(1);
  });

  it('returns the first result to a repeated command id and refuses it for another command', () => {
    let runs = 0;
    const key = { commandId: crypto.randomUUID(), principal: 'user:x', kind: 'test:1' };
    expect(p.ctx.uow.command(key, () => ({ n: ++runs }))).toEqual({ n: 1 });
    expect(p.ctx.uow.command(key, () => ({ n: ++runs }))).toEqual({ n: 1 });
    expect(runs).toBe(1);
    expect(() => p.ctx.uow.command({ ...key, kind: 'other:1' }, () => ({ n: ++runs }))).toThrow(/already used/);
  });

  it('refuses to start inside a transaction it does not own', () => {
    expect(() => p.ctx.store.transaction(() => p.ctx.uow.run(() => 1))).toThrow(/cannot start inside/);
  });

  describe('group commit', () => {
    const serviceId = () => p.catalog.list()[0]?.id as string;
    const key = (kind: string) => ({ commandId: undefined, principal: 'system', kind });
    const onDisk = (): number => {
      // What another connection sees: only committed rows.
      const other = new Database(p.ctx.store.sqlite.name, { readonly: true });
      try { return (other.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n; } finally { other.close(); }
    };

    it('commits the grouped commands of one turn together, and their effects run after that commit', async () => {
      const seen: string[] = [];
      p.ctx.events.on('ticket.issued', ({ ticket }) => { seen.push(ticket.number); });
      const before = onDisk();
      const issued = answerOnceDurable(() => [1, 2, 3].map(() => p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' })));
      expect(issued).toHaveLength(3);
      expect(p.ctx.uow.pendingCommit).toBe(true);
      expect(onDisk()).toBe(before); // answered by nobody yet: nothing may be announced
      expect(seen).toEqual([]);
      await p.ctx.uow.durable();
      expect(p.ctx.uow.pendingCommit).toBe(false);
      expect(onDisk()).toBe(before + 3);
      expect(seen).toHaveLength(3);
    });

    it('commits by itself after the turn, with nobody awaiting', async () => {
      const before = onDisk();
      answerOnceDurable(() => p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(p.ctx.uow.pendingCommit).toBe(false);
      expect(onDisk()).toBe(before + 1);
    });

    it('undoes a failing command alone: the others of its group commit', async () => {
      const seen: string[] = [];
      const before = onDisk();
      answerOnceDurable(() => {
        p.ctx.uow.command(key('test:kept'), (tx) => { p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }); tx.afterCommit(() => seen.push('kept')); });
        expect(() => p.ctx.uow.command(key('test:dropped'), (tx) => {
          p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' });
          tx.afterCommit(() => seen.push('dropped'));
          throw new Error('refused');
        })).toThrow('refused');
      });
      await p.ctx.uow.durable();
      expect(onDisk()).toBe(before + 1);
      expect(seen).toEqual(['kept']);
    });

    it('makes an ungrouped change durable when it returns, committing the waiting group with it, effects in order', () => {
      const seen: string[] = [];
      const before = onDisk();
      answerOnceDurable(() => p.ctx.uow.command(key('test:grouped'), (tx) => { p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }); tx.afterCommit(() => seen.push('grouped')); }));
      p.ctx.uow.run((tx) => { p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }); tx.afterCommit(() => seen.push('timer')); });
      expect(p.ctx.uow.pendingCommit).toBe(false);
      expect(onDisk()).toBe(before + 2);
      expect(seen).toEqual(['grouped', 'timer']);
    });

    it('answers nobody as done when the commit fails: durable() rejects, no effect runs, nothing is kept', async () => {
      const sqlite = p.ctx.store.sqlite;
      sqlite.exec('CREATE TABLE gc_parent (id TEXT PRIMARY KEY); CREATE TABLE gc_child (parent TEXT REFERENCES gc_parent(id))');
      const seen: string[] = [];
      const before = onDisk();
      answerOnceDurable(() => {
        p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' });
        // A deferred foreign key fails at COMMIT, the one way to make a commit fail on demand.
        p.ctx.uow.command(key('test:bad'), (tx) => {
          sqlite.pragma('defer_foreign_keys = ON');
          sqlite.prepare("INSERT INTO gc_child (parent) VALUES ('missing')").run();
          tx.afterCommit(() => seen.push('effect'));
        });
      });
      await expect(p.ctx.uow.durable()).rejects.toThrow(/FOREIGN KEY/);
      expect(sqlite.inTransaction).toBe(false);
      expect(onDisk()).toBe(before);
      expect(seen).toEqual([]);
      // The next command starts clean.
      p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' });
      expect(onDisk()).toBe(before + 1);
    });

    it('never holds a plain run (an admin change): it is on disk, its effects done, when run returns', () => {
      const seen: string[] = [];
      const before = onDisk();
      answerOnceDurable(() => p.ctx.uow.run((tx) => { p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }); tx.afterCommit(() => seen.push('done')); }));
      expect(p.ctx.uow.pendingCommit).toBe(false);
      expect(onDisk()).toBe(before + 1);
      expect(seen).toEqual(['done']);
    });

    it('lets a background change share the turn\'s commit, or open one', async () => {
      const before = onDisk();
      p.ctx.uow.background(() => { p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }); });
      expect(p.ctx.uow.pendingCommit).toBe(true);
      answerOnceDurable(() => p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }));
      const commits = p.ctx.uow.commits;
      await p.ctx.uow.durable();
      expect(p.ctx.uow.commits).toBe(commits + 1);
      expect(onDisk()).toBe(before + 2);
    });

    it('commits what waits when asked (before the database closes)', () => {
      const before = onDisk();
      answerOnceDurable(() => p.tickets.issue({ serviceId: serviceId() }, { kind: 'system' }));
      p.ctx.uow.settle();
      expect(onDisk()).toBe(before + 1);
    });
  });
});
