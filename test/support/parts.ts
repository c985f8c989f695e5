// The branch's parts over a SQLite file, without HTTP or Socket.IO: for fast service-level tests of the rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildBranchParts, type BranchParts } from '../../server/src/branch/build.js';
import { branchMigrations } from '../../server/src/branch/db/migrations.js';
import type { BranchDatabase } from '../../server/src/branch/db/schema.js';
import { bootstrapBranch } from '../../server/src/branch/settings/bootstrap.js';
import { createStore, migrate, openSqlite } from '../../server/src/shared/db/sqlite.js';
import { TestClock } from './clock.js';

export interface TestParts extends BranchParts {
  clock: TestClock;
  close(): void;
}

let template: Promise<{ file: string; branchId: string }> | null = null;

/** The demo branch's database made once per test process (its scrypt hashes take a second), copied for each test. */
function demoTemplate(start: string): Promise<{ file: string; branchId: string }> {
  template ??= (async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sq-parts-template-')), 'branch.sqlite');
    const store = createStore<BranchDatabase>(openSqlite(file));
    await migrate(store.db, branchMigrations);
    const { branchId } = await bootstrapBranch(store, { demo: true, adminPassword: 'admin-test-password', now: new Date(start) });
    store.close(); // checkpoints the WAL: the file alone is the database
    return { file, branchId };
  })();
  return template;
}

/** A demo branch (four services, four counters, agents awa/moussa/fatou, supervisor aminata) in a fresh file. */
export async function buildTestParts(start = '2026-03-10T09:00:00Z'): Promise<TestParts> {
  const { file, branchId } = await demoTemplate(start);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-parts-'));
  fs.copyFileSync(file, path.join(dir, 'branch.sqlite'));
  const store = createStore<BranchDatabase>(openSqlite(path.join(dir, 'branch.sqlite')));
  const clock = new TestClock(start);
  const parts = buildBranchParts({ store, branchId, clock, logger: pino({ level: 'silent' }) });
  parts.ctx.uow.settle(); // what the parts wrote in the background while starting (the services' pace) is on disk
  return {
    ...parts, clock,
    close() {
      parts.ctx.uow.settle();
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
