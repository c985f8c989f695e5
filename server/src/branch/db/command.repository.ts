// The command ids already run (see unit-of-work.ts): a retried command returns the result stored here.
import type { Selectable } from 'kysely';
import type { CommandsTable } from './schema.js';
import type { BranchStore } from './store.js';

export function findCommand(store: BranchStore, commandId: string): Selectable<CommandsTable> | undefined {
  return store.first(store.db.selectFrom('commands').selectAll().where('command_id', '=', commandId));
}

export function insertCommand(store: BranchStore, row: CommandsTable): void {
  store.run(store.db.insertInto('commands').values(row));
}
