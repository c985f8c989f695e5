// A hot query built and compiled by Kysely once per database, not on every call. Building and compiling a Kysely
// query costs tens of microseconds, a command runs ten or more, and a branch runs every command on its one thread:
// the typed builder stays, its work is done once. The query is built with stand-ins for its named parameters; each
// call puts the real values where the stand-ins are (constants of the query stay as they were).
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/** The values a prepared query may take: scalars only (a list for `in` changes the SQL text, so it cannot be prepared). */
export type QueryValue = string | number | bigint | null;

const STAND_IN = '\u0000sq-param:';

interface Template<R> {
  compiled: CompiledQuery<R>;
  /** For each parameter of the SQL, the name of the value to put there, or null for a constant of the query. */
  names: Array<string | null>;
}

/**
 * `build` gets the database and stand-ins for the parameters (use each as a value, never in a computation); the
 * result, called with a database and the values, is a Compilable for store.all/first/run. With `keys`, the stand-ins
 * are a plain object of those keys, which can be given whole where Kysely lists an object's keys (an insert's row).
 */
export function preparedQuery<DB, P extends Record<string, QueryValue>, R>(
  build: (db: Kysely<DB>, p: P) => Compilable<R>,
  keys?: readonly (keyof P & string)[],
): (db: Kysely<DB>, values: P) => Compilable<R> {
  const templates = new WeakMap<Kysely<DB>, Template<R>>();
  const template = (db: Kysely<DB>): Template<R> => {
    let t = templates.get(db);
    if (!t) {
      const standIns = (keys ? Object.fromEntries(keys.map((k) => [k, `${STAND_IN}${k}`]))
        : new Proxy({}, { get: (_, key) => `${STAND_IN}${String(key)}` })) as P;
      const compiled = build(db, standIns).compile();
      const names = compiled.parameters.map((v) => (typeof v === 'string' && v.startsWith(STAND_IN) ? v.slice(STAND_IN.length) : null));
      t = { compiled, names };
      templates.set(db, t);
    }
    return t;
  };
  return (db, values) => ({
    compile(): CompiledQuery<R> {
      const t = template(db);
      const parameters = t.names.map((name, i) => {
        if (name === null) return t.compiled.parameters[i];
        if (!(name in values)) throw new Error(`prepared query: no value for "${name}"`);
        return values[name];
      });
      return { ...t.compiled, parameters };
    },
  });
}

const ROW_ID = '\u0000row-id';

/**
 * An update of one row by id whose columns vary with the call (each command changes its own few): one prepared
 * query per set of columns, built the first time that set is seen. Columns given as undefined are left alone.
 */
export function preparedPatch<DB, R>(
  build: (db: Kysely<DB>, set: Record<string, QueryValue>, id: string) => Compilable<R>,
): (db: Kysely<DB>, id: string, patch: Record<string, QueryValue | undefined>) => Compilable<R> {
  const byColumns = new Map<string, (db: Kysely<DB>, values: Record<string, QueryValue>) => Compilable<R>>();
  return (db, id, patch) => {
    const values: Record<string, QueryValue> = {};
    for (const [column, value] of Object.entries(patch)) if (value !== undefined) values[column] = value;
    const columns = Object.keys(values).sort();
    const shape = columns.join(',');
    let update = byColumns.get(shape);
    if (!update) {
      update = preparedQuery((d: Kysely<DB>, p: Record<string, QueryValue>) => build(d, Object.fromEntries(columns.map((c) => [c, p[c] ?? null])), p[ROW_ID] as string));
      byColumns.set(shape, update);
    }
    return update(db, { ...values, [ROW_ID]: id });
  };
}

/** Every key of a row type, checked complete by the compiler: the `keys` of a prepared insert. */
export function rowKeys<T>(all: Record<keyof T & string, true>): Array<keyof T & string> {
  return Object.keys(all) as Array<keyof T & string>;
}
