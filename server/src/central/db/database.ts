// The central database: SQLite (embedded default, one file) or PostgreSQL (production, several central instances).
// Both go through Kysely's async dialects with the same migrations and queries; what differs between the two
// dialects lives here and nowhere else.
import { Kysely, PostgresDialect, SqliteDialect, sql, type Insertable, type InsertQueryBuilder, type InsertResult, type Transaction } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import { migrate, openSqlite } from '../../shared/db/sqlite.js';
import { centralMigrations } from './migrations.js';
import type { BranchSyncTable, CentralDatabase } from './schema.js';

export type CentralDialect = 'sqlite' | 'postgres';

export interface CentralDb {
  db: Kysely<CentralDatabase>;
  dialect: CentralDialect;
  /** Where the data lives, for logs (no password). */
  location: string;
  close(): Promise<void>;
}

export interface CentralDbOptions {
  /** postgres://… or postgresql://… selects PostgreSQL; anything else is a SQLite file path (sqlite: prefix allowed). */
  databaseUrl?: string;
  /** Folder of the default SQLite file (central.sqlite). Default ./data-central. */
  dataDir?: string;
  /** Connections per instance to PostgreSQL. Default 10. */
  poolSize?: number;
}

export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

export async function openCentralDatabase(opts: CentralDbOptions = {}): Promise<CentralDb> {
  let central: CentralDb;
  if (opts.databaseUrl && isPostgresUrl(opts.databaseUrl)) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client that loses its connection must not crash the process: the pool replaces it.
    pool.on('error', () => undefined);
    const db = new Kysely<CentralDatabase>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(opts.databaseUrl);
    central = { db, dialect: 'postgres', location: `postgres://${u.host}${u.pathname}`, close: () => db.destroy() };
  } else {
    const file = opts.databaseUrl
      ? path.resolve(opts.databaseUrl.replace(/^sqlite:(\/\/)?/i, ''))
      : path.resolve(opts.dataDir ?? 'data-central', 'central.sqlite');
    const sqlite = openSqlite(file);
    const db = new Kysely<CentralDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    central = { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
  }
  try {
    await migrate(central.db, centralMigrations);
  } catch (err) {
    await central.close();
    throw err;
  }
  return central;
}

export type CentralTrx = Transaction<CentralDatabase>;
export type BranchSyncRow = BranchSyncTable;

/**
 * Lock a branch's sync row for the rest of the transaction and read it: pushes of one branch (and feed writes for
 * it) are applied one after the other even when several central instances share the database.
 * PostgreSQL: a row lock (SELECT … FOR UPDATE). SQLite: a no-op write, which takes the database write lock at once
 * (a deferred transaction that reads first could otherwise fail to upgrade its lock under contention).
 */
export async function lockBranchSync(trx: CentralTrx, dialect: CentralDialect, branchId: string): Promise<BranchSyncRow | undefined> {
  if (dialect === 'postgres') {
    return trx.selectFrom('branch_sync').selectAll().where('branch_id', '=', branchId).forUpdate().executeTakeFirst();
  }
  await trx.updateTable('branch_sync').set((eb) => ({ last_seq: eb.ref('last_seq') })).where('branch_id', '=', branchId).execute();
  return trx.selectFrom('branch_sync').selectAll().where('branch_id', '=', branchId).executeTakeFirst();
}

/** PostgreSQL answers count(*) and integer sums as strings (bigint); SQLite as numbers. */
export function toNumber(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Split a list for IN (…) lists and multi-row inserts: both dialects cap the number of bound parameters. */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Every column of a row an insert writes: the compiler checks that none is left out. */
export type Columns<R> = { readonly [K in keyof R & string]-?: true };

/**
 * An insert of many rows of one table (chunks of a push). PostgreSQL gets them as one JSON text,
 * `SELECT … FROM json_populate_recordset(null::table, $1::json)`, typed by the table itself: one short statement
 * and one parameter that V8 serialises natively. Per-column arrays (`unnest`) took 1.2–3.5× the JavaScript CPU per row
 * (pg escapes every element with regular expressions) for 4–10 % less PostgreSQL CPU (docs/benchmarks.md, 8 December);
 * VALUES takes a parameter per value in a statement as long as the batch. SQLite keeps VALUES. Callers add their ON
 * CONFLICT to the builder.
 */
export function insertRows<T extends keyof CentralDatabase & string>(
  trx: CentralTrx, dialect: CentralDialect, table: T, columns: Columns<Insertable<CentralDatabase[T]>>, rows: ReadonlyArray<Insertable<CentralDatabase[T]>>,
): InsertQueryBuilder<CentralDatabase, T, InsertResult> {
  const insert = trx.insertInto(table);
  if (dialect !== 'postgres') return insert.values(rows as Insertable<CentralDatabase[T]>[]);
  const names = Object.keys(columns);
  const list = sql.join(names.map((n) => sql.ref(n)));
  return insert.columns(names as never)
    .expression(sql`SELECT ${list} FROM json_populate_recordset(null::${sql.table(table)}, ${pgJsonText(rows)}::json)`);
}

/**
 * JSON text PostgreSQL accepts as text values: JSON.stringify writes a NUL as \u0000 and a lone UTF-16 surrogate as
 * \udXXX, which PostgreSQL refuses to turn into text (the whole push would fail, and again at every retry). Both
 * become U+FFFD, as a lone surrogate already did when strings were sent as UTF-8.
 */
export function pgJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  if (!text.includes('\\u')) return text;
  // Tokenise escapes from the left so that an escaped backslash followed by "u0000" stays what it is.
  return text.replace(/\\(?:\\|u0000|u[dD][89a-fA-F][0-9a-fA-F]{2})/g, (m) => (m === '\\\\' ? m : '\\ufffd'));
}
