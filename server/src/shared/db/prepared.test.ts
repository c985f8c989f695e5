// A prepared query gives what the same Kysely query built on every call gives, with the values of each call and the
// query's own constants, and is built once per database.
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createStore, openSqlite } from './sqlite.js';
import { preparedPatch, preparedQuery } from './prepared.js';

interface Db { things: { id: string; kind: string; size: number; gone: string | null } }

function store() {
  const s = createStore<Db>(openSqlite(':memory:'));
  s.sqlite.exec('CREATE TABLE things (id TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, gone TEXT)');
  const insert = s.sqlite.prepare('INSERT INTO things VALUES (?, ?, ?, ?)');
  for (const [id, kind, size, gone] of [['a', 'box', 3, null], ['b', 'box', 7, null], ['c', 'bag', 5, null], ['d', 'box', 9, '2026-01-01']] as const) insert.run(id, kind, size, gone);
  return s;
}

describe('preparedQuery', () => {
  let builds = 0;
  const bigOnes = preparedQuery((db: Kysely<Db>, p: { kind: string; min: number }) => {
    builds++;
    // 'gone is null' and the constant 'bag' stay in every call; kind and min are each call's.
    return db.selectFrom('things').select(['id', 'size']).where('gone', 'is', null).where('kind', '!=', 'bag')
      .where('kind', '=', p.kind).where('size', '>=', p.min).orderBy('id');
  });

  it('gives the rows of the query built with the same values, built once per database', () => {
    const s = store();
    for (const [kind, min] of [['box', 0], ['box', 5], ['bag', 0], ['box', 100]] as const) {
      const adHoc = s.all(s.db.selectFrom('things').select(['id', 'size']).where('gone', 'is', null).where('kind', '!=', 'bag')
        .where('kind', '=', kind).where('size', '>=', min).orderBy('id'));
      expect(s.all(bigOnes(s.db, { kind, min }))).toEqual(adHoc);
    }
    expect(s.all(bigOnes(s.db, { kind: 'box', min: 5 }))).toEqual([{ id: 'b', size: 7 }]);
    expect(builds).toBe(1);
    const other = store();
    expect(other.first(bigOnes(other.db, { kind: 'box', min: 8 }))).toBeUndefined();
    expect(builds).toBe(2);
  });

  it('refuses a call without one of its values', () => {
    const s = store();
    expect(() => s.all(bigOnes(s.db, { kind: 'box' } as never))).toThrow(/no value for "min"/);
  });

  it('inserts a whole row given as the stand-ins of its keys', () => {
    const s = store();
    const insertThing = preparedQuery((db: Kysely<Db>, p: Db['things']) => db.insertInto('things').values(p), ['id', 'kind', 'size', 'gone']);
    s.run(insertThing(s.db, { id: 'e', kind: 'crate', size: 2, gone: null }));
    s.run(insertThing(s.db, { id: 'f', kind: 'box', size: 4, gone: '2026-02-01' }));
    expect(s.sqlite.prepare("SELECT * FROM things WHERE id IN ('e', 'f') ORDER BY id").all()).toEqual([
      { id: 'e', kind: 'crate', size: 2, gone: null }, { id: 'f', kind: 'box', size: 4, gone: '2026-02-01' },
    ]);
  });

  it('updates the columns a patch names, one statement per set of columns, leaving undefined ones alone', () => {
    const s = store();
    let built = 0;
    const patchThing = preparedPatch((db: Kysely<Db>, set, id) => {
      built++;
      return db.updateTable('things').set(set as Partial<Db['things']>).where('id', '=', id);
    });
    s.run(patchThing(s.db, 'a', { size: 30, kind: undefined }));
    s.run(patchThing(s.db, 'b', { size: 70 }));
    s.run(patchThing(s.db, 'c', { kind: 'box', gone: '2026-03-01' }));
    s.run(patchThing(s.db, 'b', { gone: null, kind: 'bag' }));
    expect(s.sqlite.prepare("SELECT * FROM things WHERE id IN ('a', 'b', 'c') ORDER BY id").all()).toEqual([
      { id: 'a', kind: 'box', size: 30, gone: null }, { id: 'b', kind: 'bag', size: 70, gone: null }, { id: 'c', kind: 'box', size: 5, gone: '2026-03-01' },
    ]);
    expect(built, 'one build per set of columns: {size}, {gone, kind}').toBe(2);
  });
});
