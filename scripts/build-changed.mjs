// Builds only the parts whose sources changed since their last build (npm start, npm run central): a restart with
// an unchanged checkout starts at once instead of rebuilding everything (95 s on 2 cores). Each part's inputs are
// hashed by content (a checkout or a copy that only touches times rebuilds nothing); the hash is kept in the part's
// output folder, so a deleted or emptied dist, a changed lockfile or a changed source rebuilds that part.
//   node scripts/build-changed.mjs server kiosk agent display office
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMMON = ['package-lock.json', 'package.json', 'tsconfig.base.json'];
const screen = (name) => ({
  inputs: [`${name}-ui`, 'ui-shared', 'server/src/shared', 'tsconfig.ui.json', ...COMMON],
  output: `${name}-ui/dist`,
  built: `${name}-ui/dist/index.html`,
  command: [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', `${name}-ui/vite.config.ts`],
});
const PARTS = {
  server: {
    inputs: ['server/src', 'server/tsconfig.build.json', ...COMMON],
    output: 'server/dist',
    built: 'server/dist/branch/main.js',
    command: [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'server/tsconfig.build.json'],
  },
  kiosk: screen('kiosk'), agent: screen('agent'), display: screen('display'), office: screen('office'),
};
const STAMP = '.build-inputs';
// Never inputs: build outputs, tests (not built into dist), editor and OS litter.
const SKIP = /(^|\/)(dist|node_modules|\.DS_Store)(\/|$)|\.test\.tsx?$/;

function files(rel) {
  const abs = path.join(ROOT, rel);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return [rel];
  return fs.readdirSync(abs).sort().flatMap((name) => {
    const child = `${rel}/${name}`;
    return SKIP.test(child) ? [] : files(child);
  });
}

function fingerprint(part) {
  const hash = createHash('sha256').update(`node ${process.versions.node.split('.')[0]}\n`);
  for (const file of [...new Set(part.inputs.flatMap(files))].sort()) {
    hash.update(`${file}\0`).update(fs.readFileSync(path.join(ROOT, file))).update('\0');
  }
  return hash.digest('hex');
}

const names = process.argv.slice(2);
for (const name of names) if (!PARTS[name]) throw new Error(`unknown part ${name}: one of ${Object.keys(PARTS).join(', ')}`);
for (const name of names) {
  const part = PARTS[name];
  const stamp = path.join(ROOT, part.output, STAMP);
  const want = fingerprint(part);
  const have = fs.existsSync(path.join(ROOT, part.built)) && fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
  if (have === want) {
    console.log(`build: ${name} is up to date`);
    continue;
  }
  const started = Date.now();
  console.log(`build: ${name} changed, building…`);
  const run = spawnSync(process.execPath, part.command, { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${want}\n`);
  console.log(`build: ${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
