// The branch's database handle: one SQLite file, typed by the branch schema.
import type { SqliteStore } from '../../shared/db/sqlite.js';
import type { BranchDatabase } from './schema.js';

export type BranchStore = SqliteStore<BranchDatabase>;
