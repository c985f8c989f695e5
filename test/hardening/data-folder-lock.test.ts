// Issue 14, point 16: one server per data folder. A second process on the same folder refuses to start with a
// message naming the folder and the process that holds it; a killed server (-9) leaves no lock behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killHard, startChild, type Child } from '../support/child.js';
import { startBranch } from '../support/branch.js';

const ENTRY = 'test/fixtures/branch-process.ts';
type Info = { url: string; port: number };

describe('the data folder lock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-lock-'));
  const children: Child<Info>[] = [];
  const start = async () => { const c = await startChild<Info>(ENTRY, { SMARTQUEUE_DATA_DIR: dir }); children.push(c); return c; };
  afterAll(async () => {
    for (const c of children) await killHard(c.process);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a second server on the same folder refuses to start, naming the folder and the other process', async () => {
    const first = await start();
    expect((await fetch(`${first.info.url}/api/health`)).status).toBe(200);
    const second = start();
    await expect(second).rejects.toThrow(new RegExp(`data folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another SmartQueue branch server \\(process ${first.process.pid} on `));
    // In the same process too (the library's own caller, e.g. the Electron shell's server process).
    await expect(startBranch({ dataDir: dir })).rejects.toThrow(/is in use by another SmartQueue branch server/);
    // The first one never noticed.
    expect((await fetch(`${first.info.url}/api/health`)).status).toBe(200);
  });

  it('a server killed with -9 leaves no lock: the next one starts', async () => {
    const first = children[0] as Child<Info>;
    await killHard(first.process);
    const next = await start();
    expect((await fetch(`${next.info.url}/api/health`)).status).toBe(200);
  });
});
