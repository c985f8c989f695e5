// The command ids already run (see unit-of-work.ts): a retried command returns the result stored here.
import type { Selectable, Kysely } from 'kysely';
import type { BranchDatabase, CommandsTable } from './schema.js';
import { preparedQuery, rowKeys } from '../../shared/db/prepared.js';
import type { BranchStore } from './store.js';

// Every command looks its id up first.
const commandById = preparedQuery((db: Kysely<BranchDatabase>, p: { commandId: string }) => db.selectFrom('commands').selectAll().where('command_id', '=', p.commandId));

export function findCommand(store: BranchStore, commandId: string): Selectable<CommandsTable> | undefined {
  return store.first(commandById(store.db, { commandId }));
}

const commandInsert = preparedQuery((db: Kysely<BranchDatabase>, p: Selectable<CommandsTable>) => db.insertInto('commands').values(p), rowKeys<CommandsTable>({
  command_id: true, principal_id: true, kind: true, result: true, created_at: true,
}));

export function insertCommand(store: BranchStore, row: CommandsTable): void {
  store.run(commandInsert(store.db, row));
}
