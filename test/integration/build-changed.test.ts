// `npm start` builds only what changed (scripts/build-changed.mjs): in a copy of the parts the call board needs,
// the first run builds it, a second run with nothing changed builds nothing, a copy that only touches file times
// builds nothing, a changed source or a deleted dist builds again. (How long a restart takes is in the README.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COPIED = ['scripts/build-changed.mjs', 'display-ui', 'ui-shared', 'server/src/shared', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.ui.json'];

describe('build only what changed', () => {
  let dir: string;
  const run = () => {
    const r = spawnSync(process.execPath, ['scripts/build-changed.mjs', 'display'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const built = () => fs.statSync(path.join(dir, 'display-ui/dist/index.html')).mtimeMs;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-build-changed-'));
    for (const rel of COPIED) {
      fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true, filter: (src) => !/(^|\/)dist(\/|$)/.test(path.relative(ROOT, src)) });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('builds a part once, then only when its inputs change', () => {
    expect(run()).toContain('build: display changed, building');
    expect(fs.existsSync(path.join(dir, 'display-ui/dist/index.html'))).toBe(true);
    const first = built();

    expect(run()).toContain('build: display is up to date');
    expect(built()).toBe(first);

    // A fresh checkout gives new times, same contents: nothing to build.
    const board = path.join(dir, 'display-ui/src/Board.tsx');
    fs.utimesSync(board, new Date(), new Date(Date.now() + 60_000));
    expect(run()).toContain('build: display is up to date');

    // A source it uses changed (here the shared contracts the screens import): built again.
    fs.appendFileSync(path.join(dir, 'server/src/shared/domain/numbering.ts'), '\n// changed\n');
    expect(run()).toContain('build: display changed, building');
    expect(built()).toBeGreaterThan(first);
    expect(run()).toContain('build: display is up to date');

    // A removed dist is built again.
    fs.rmSync(path.join(dir, 'display-ui/dist'), { recursive: true });
    expect(run()).toContain('build: display changed, building');
    expect(fs.existsSync(path.join(dir, 'display-ui/dist/index.html'))).toBe(true);
  }, 120_000);
});
