// The command ids already run (see unit-of-work.ts): a retried command returns the result stored here.
import type { Selectable, Kysely } from 'kysely';
import type { BranchDatabase, CommandsTable } from './schema.js';
import { preparedQuery } from '../../shared/db/prepared.js';
import type { BranchStore } from './store.js';

// Every command looks its id up first.
const commandById = preparedQuery((db: Kysely<BranchDatabase>, p: { commandId: string }) => db.selectFrom('commands').selectAll().where('command_id', '=', p.commandId));

export function findCommand(store: BranchStore, commandId: string): Selectable<CommandsTable> | undefined {
  return store.first(commandById(store.db, { commandId }));
}

export function insertCommand(store: BranchStore, row: CommandsTable): void {
  store.run(store.db.insertInto('commands').values(row));
}
