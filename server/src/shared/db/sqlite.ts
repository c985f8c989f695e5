// The branch database: one better-sqlite3 connection, Kysely as the typed query builder.
//
// Queries are built with Kysely and executed synchronously through better-sqlite3 (exec.all/first/run), and each
// state change runs in a synchronous better-sqlite3 transaction. Node runs one synchronous block at a time, so two
// "call next" commands can never interleave: no ticket is called twice, and no network or printer I/O can be
// awaited inside a transaction by construction.
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Compilable, type Migration, type MigrationProvider } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';

export type SqliteDb = Database.Database;

/** A database on one better-sqlite3 connection: Kysely builds the queries, better-sqlite3 runs them synchronously. */
export interface SqliteStore<DB> {
  sqlite: SqliteDb;
  db: Kysely<DB>;
  /** Rows of a query. */
  all<R>(query: Compilable<R>): R[];
  /** First row of a query, or undefined. */
  first<R>(query: Compilable<R>): R | undefined;
  /** Run a statement; returns the number of changed rows. */
  run(query: Compilable<unknown>): number;
  /** Run fn in one write transaction (BEGIN IMMEDIATE). fn must be synchronous. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openSqlite(file: string): SqliteDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer, so a power cut loses nothing that was answered as done.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

export function createStore<DB>(sqlite: SqliteDb): SqliteStore<DB> {
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  const statements = new Map<string, Database.Statement>();
  const prepare = (sqlText: string): Database.Statement => {
    let stmt = statements.get(sqlText);
    if (!stmt) {
      stmt = sqlite.prepare(sqlText);
      statements.set(sqlText, stmt);
    }
    return stmt;
  };
  const params = (q: Compilable<unknown>) => {
    const compiled = q.compile();
    return { stmt: prepare(compiled.sql), values: compiled.parameters as unknown[] };
  };
  return {
    sqlite,
    db,
    all<R>(query: Compilable<R>): R[] {
      const { stmt, values } = params(query);
      return stmt.all(...values) as R[];
    },
    first<R>(query: Compilable<R>): R | undefined {
      const { stmt, values } = params(query);
      return (stmt.reader ? stmt.get(...values) : undefined) as R | undefined;
    },
    run(query: Compilable<unknown>): number {
      const { stmt, values } = params(query);
      if (stmt.reader) return stmt.all(...values).length;
      return stmt.run(...values).changes;
    },
    transaction<T>(fn: () => T): T {
      return sqlite.transaction(fn).immediate();
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

export async function migrate<DB>(db: Kysely<DB>, migrations: Record<string, Migration>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`database migration failed: ${reason}`);
  }
}
