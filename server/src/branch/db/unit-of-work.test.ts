// The unit of work over a real SQLite file: effects wait for the outermost commit, a rollback drops them, a command
// id is applied once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
