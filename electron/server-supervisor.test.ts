// The server process and its supervisor, with real processes and the real branch server:
// server-process.ts runs under Node (tsx) exactly as it runs in Electron's utility process,
// only the parent channel differs (process.send instead of parentPort).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { forkNodeServerChild, ServerSupervisor, type ServerChild, type ServerStatus } from './server-supervisor.js';
import type { ServerLaunchOptions } from './server-protocol.js';

const here = dirname(fileURLToPath(import.meta.url));
const ENTRY = join(here, 'server-process.ts');
const SERVER_MODULE = resolve(here, '..', 'server', 'src', 'index.ts');
const FAST_BACKOFF = { initialMs: 50, maxMs: 400, factor: 2 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sq-supervisor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function supervise(options: ServerLaunchOptions, serverModule = SERVER_MODULE): { supervisor: ServerSupervisor; children: ServerChild[]; output: () => string } {
  const children: ServerChild[] = [];
  const chunks: Buffer[] = [];
  const supervisor = new ServerSupervisor({
    spawn: () => {
      const child = forkNodeServerChild(ENTRY, { execArgv: ['--import', 'tsx'], onOutput: (chunk) => chunks.push(chunk) });
      children.push(child);
      return child;
    },
    start: { type: 'start', serverModule, options },
    backoff: FAST_BACKOFF,
    stopTimeoutMs: 20_000,
  });
  cleanups.push(() => supervisor.stop());
  return { supervisor, children, output: () => Buffer.concat(chunks).toString('utf8') };
}

/** Resolves with the first status that matches (the test timeout bounds the wait). */
function statusWhere(supervisor: ServerSupervisor, predicate: (status: ServerStatus) => boolean): Promise<ServerStatus> {
  if (predicate(supervisor.status)) return Promise.resolve(supervisor.status);
  return new Promise((done) => {
    const off = supervisor.onStatus((status) => {
      if (predicate(status)) {
        off();
        done(status);
      }
    });
  });
}

async function health(url: string): Promise<{ status: string; branchId: string }> {
  const response = await fetch(`${url}/api/health`);
  expect(response.status).toBe(200);
  return (await response.json()) as { status: string; branchId: string };
}

describe('branch server process under the supervisor', () => {
  it('starts the branch server, reports its address and first-start logins, and stops it cleanly', async () => {
    const dataDir = tempDir();
    const { supervisor, output } = supervise({ port: 0, host: '127.0.0.1', dataDir });
    supervisor.start();
    const running = await statusWhere(supervisor, (s) => s.state === 'running' || s.restarts > 0);
    expect(running.state, output()).toBe('running');
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    expect(await health(running.url as string)).toMatchObject({ status: 'ok', branchId: running.branchId });
    expect(running.firstStartCredentials).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'admin' })]));
    expect(existsSync(join(dataDir, 'first-start-logins.txt'))).toBe(true);

    await supervisor.stop();
    expect(supervisor.status).toMatchObject({ state: 'stopped', url: null, restarts: 0 });
    await expect(fetch(`${running.url}/api/health`)).rejects.toThrow();
  });

  it('restarts the server when its process dies, on the same data', async () => {
    const port = await freePort();
    const { supervisor, children, output } = supervise({ port, host: '127.0.0.1', dataDir: tempDir() });
    supervisor.start();
    const first = await statusWhere(supervisor, (s) => s.state === 'running' || s.restarts > 0);
    expect(first.state, output()).toBe('running');

    children[0]?.kill();
    const restarting = await statusWhere(supervisor, (s) => s.state === 'restarting');
    expect(restarting).toMatchObject({ restarts: 1, lastError: 'the server process exited (killed)', url: null });

    const again = await statusWhere(supervisor, (s) => s.state === 'running');
    expect(children).toHaveLength(2);
    expect(again).toMatchObject({ port, branchId: first.branchId });
    // The random admin password is only returned on the first start: the status keeps it.
    expect(again.firstStartCredentials).toEqual(first.firstStartCredentials);
    expect((await health(again.url as string)).branchId).toBe(first.branchId);
  });

  it('keeps retrying while the port is taken and starts once it is free', async () => {
    const port = await freePort();
    const blocker: NetServer = createNetServer();
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', done));
    const { supervisor } = supervise({ port, host: '127.0.0.1', dataDir: tempDir() });
    supervisor.start();

    const failing = await statusWhere(supervisor, (s) => s.restarts >= 2);
    expect(failing.lastError).toContain('EADDRINUSE');
    await new Promise((done) => blocker.close(done));

    const running = await statusWhere(supervisor, (s) => s.state === 'running');
    expect(running.port).toBe(port);
  });

  it('reports a server library that cannot be loaded', async () => {
    const { supervisor } = supervise({ port: 0, host: '127.0.0.1', dataDir: tempDir() }, join(tempDir(), 'missing', 'index.js'));
    supervisor.start();
    const failing = await statusWhere(supervisor, (s) => s.restarts >= 1);
    expect(failing).toMatchObject({ state: 'restarting', url: null });
    expect(failing.lastError).toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
    await supervisor.stop();
    expect(supervisor.status.state).toBe('stopped');
  });
});
