// Runs the real desktop app when an Electron binary is installed (node_modules/electron/dist, or
// ELECTRON_PATH). This machine only has Electron's types, so the test is skipped with its reason
// in its name. Needs `npm run build && npm run build:electron` first, and a display on Linux
// (xvfb-run works).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { appPaths } from './app-paths.js';
import { probeServer } from './health.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const paths = appPaths(root);

/** The Electron executable, without require('electron') (which would try to download it). */
function electronBinary(): string | null {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const skipReason =
  binary === null
    ? 'no Electron binary (node_modules/electron/dist or ELECTRON_PATH)'
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display (run under xvfb-run)'
      : null;

if (skipReason) console.warn(`electron-app.test.ts: real Electron test skipped: ${skipReason}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once('exit', (code) => done(code)));
}

describe('SmartQueue desktop app', () => {
  it.skipIf(skipReason !== null)(`starts the branch server for --role=server and stops it on quit${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
    expect(existsSync(paths.main), 'electron/dist/main.js missing: npm run build:electron').toBe(true);
    expect(existsSync(paths.serverModule), 'server/dist/index.js missing: npm run build:server').toBe(true);
    const userData = mkdtempSync(join(tmpdir(), 'sq-electron-'));
    cleanups.push(() => rmSync(userData, { recursive: true, force: true }));
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;

    const app = spawn(binary as string, [paths.main, '--role=server', `--port=${port}`, '--host=127.0.0.1', '--background', '--no-auto-start', `--user-data-dir=${userData}`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    let output = '';
    app.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cleanups.push(async () => {
      if (app.exitCode === null) {
        app.kill('SIGKILL');
        await exited(app);
      }
    });

    // Bounded by the test timeout; fails with the app's output if the server never answers.
    let health = await probeServer(origin);
    while (!health.ok && app.exitCode === null) {
      await sleep(250);
      health = await probeServer(origin);
    }
    expect(health.ok, output).toBe(true);
    expect(JSON.parse(readFileSync(join(userData, 'station.json'), 'utf8'))).toMatchObject({ version: 1, roles: ['server'], server: { port } });

    app.kill('SIGTERM');
    await exited(app);
    expect((await probeServer(origin)).ok).toBe(false);
  });
});
