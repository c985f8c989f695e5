import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { HEALTH_PATH, probeServer, waitForServer } from './health.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A real HTTP server on 127.0.0.1 answering /api/health with `reply`. */
async function serve(reply: (path: string) => { status: number; body: string }, port = 0): Promise<string> {
  const server = createServer((req, res) => {
    const { status, body } = reply(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const healthy = (path: string) =>
  path === HEALTH_PATH ? { status: 200, body: JSON.stringify({ status: 'ok', branchId: 'br_plateau', version: '0.1.0' }) } : { status: 404, body: '{}' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('probeServer', () => {
  it('recognises a SmartQueue branch server', async () => {
    expect(await probeServer(await serve(healthy))).toEqual({ ok: true, branchId: 'br_plateau' });
  });

  it('tells an error status, a foreign server and a closed port apart', async () => {
    expect(await probeServer(await serve(() => ({ status: 503, body: '{}' })))).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(await probeServer(await serve(() => ({ status: 200, body: '{"hello":"world"}' })))).toEqual({ ok: false, reason: 'not a SmartQueue branch server' });
    expect(await probeServer(`http://127.0.0.1:${await freePort()}`)).toEqual({ ok: false, reason: 'ECONNREFUSED' });
  });
});

describe('waitForServer', () => {
  it('keeps trying until the server comes up', async () => {
    const port = await freePort();
    const attempts: boolean[] = [];
    const waiting = waitForServer(`http://127.0.0.1:${port}`, {
      backoff: { initialMs: 20, maxMs: 50, factor: 2 },
      onAttempt: (result, attempt) => {
        attempts.push(result.ok);
        // The branch PC finishes booting after a few tries.
        if (attempt === 2) void serve(healthy, port);
      },
    });
    await expect(waiting).resolves.toEqual({ branchId: 'br_plateau' });
    expect(attempts.slice(0, 3)).toEqual([false, false, false]);
    expect(attempts.at(-1)).toBe(true);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForServer(`http://127.0.0.1:${await freePort()}`, {
      signal: controller.signal,
      backoff: { initialMs: 20, maxMs: 20, factor: 1 },
      onAttempt: (_result, attempt) => {
        if (attempt === 1) controller.abort(new Error('window closed'));
      },
    });
    await expect(waiting).rejects.toThrow('window closed');
  });
});

describe('backoffDelay', () => {
  it('grows by the factor up to the cap', () => {
    const policy = { initialMs: 1_000, maxMs: 60_000, factor: 2 };
    expect([0, 1, 2, 3, 5, 6, 20].map((n) => backoffDelay(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000]);
    expect(() => backoffDelay(-1, policy)).toThrow(RangeError);
  });
});
