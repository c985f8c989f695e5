// Give an existing table a new primary key (and unique constraints), in both dialects: SQLite cannot alter a
// primary key, so the table is copied into a new one with the same columns, dropped and the copy renamed.
// Used by migrations only: it reads the columns as they are in the database, not from today's schema.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

export interface RekeySpec {
  table: string;
  primaryKey: string[];
  unique?: { name: string; columns: string[] }[];
  /** Indexes to create again (dropping the old table drops its indexes). */
  indexes?: { name: string; columns: string[] }[];
}

export async function rekeyTable(db: Kysely<any>, spec: RekeySpec): Promise<void> {
  const tables = await db.introspection.getTables();
  const table = tables.find((t) => t.name === spec.table);
  if (!table) throw new Error(`rekey: no table ${spec.table}`);
  const copy = `${spec.table}_rekeyed`;
  let create = db.schema.createTable(copy);
  for (const c of table.columns) {
    const type = /int/i.test(c.dataType) ? 'integer' : /double|real|float|numeric/i.test(c.dataType) ? 'double precision' : 'text';
    create = create.addColumn(c.name, type, (col) => (c.isNullable ? col : col.notNull()));
  }
  create = create.addPrimaryKeyConstraint(`${spec.table}_pk_branch`, spec.primaryKey as any);
  for (const u of spec.unique ?? []) create = create.addUniqueConstraint(u.name, u.columns as any);
  await create.execute();
  const columns = sql.join(table.columns.map((c) => sql.ref(c.name)));
  await sql`insert into ${sql.table(copy)} (${columns}) select ${columns} from ${sql.table(spec.table)}`.execute(db);
  await db.schema.dropTable(spec.table).execute();
  await db.schema.alterTable(copy).renameTo(spec.table).execute();
  for (const i of spec.indexes ?? []) await db.schema.createIndex(i.name).on(spec.table).columns(i.columns).execute();
}
