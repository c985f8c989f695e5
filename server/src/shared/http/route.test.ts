// The direct lane of the route registry: it takes a direct route's exact path, answers it as express would (same
// steps, access rule, validation and error answers), and leaves everything else to express.
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { errorHandler } from './errors.js';
import { ApiRegistry, type AccessPolicy } from './route.js';

type Access = 'public' | 'member';
interface Caller { name: string }
const policy: AccessPolicy<Access, Caller> = {
  check(access, caller) {
    if (access === 'member' && !caller) throw new DomainError('UNAUTHENTICATED', 'sign in first');
  },
  describe: { public: 'anyone', member: 'a member' },
};

describe('ApiRegistry direct lane', () => {
  let server: http.Server;
  let base: string;
  const logged: unknown[] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    const api = new ApiRegistry(policy);
    const app = express();
    const jsonBody = express.json({ limit: '1kb' });
    const actorOf = (req: http.IncomingMessage) => (req.headers.authorization ? { name: req.headers.authorization } : null);
    app.use(jsonBody);
    app.use((req, res, next) => { res.locals.actor = actorOf(req); next(); });
    const router = express.Router();
    api.addDirect(router, {
      method: 'post', path: '/things/:id/go', tag: 't', access: 'member', summary: 'go',
      body: z.object({ speed: z.number().int().max(10) }), response: z.object({ id: z.string(), speed: z.number(), by: z.string() }),
    }, ({ params, body, actor }) => {
      if (params.id === 'missing') throw new DomainError('NOT_FOUND', 'no such thing');
      if (params.id === 'broken') throw new Error('disk on fire');
      return { id: params.id as string, speed: body.speed, by: actor?.name ?? '' };
    });
    api.addDirect(router, { method: 'post', path: '/things', tag: 't', access: 'public', summary: 'make', status: 201 }, () => undefined);
    app.use(router);
    app.use(errorHandler((err) => logged.push(err)));
    const lane = api.directLane({ steps: [jsonBody], actorOf, log: (err) => logged.push(err) });
    server = http.createServer((req, res) => {
      const took = lane(req, res);
      seen.push(`${took ? 'lane' : 'express'} ${req.url}`);
      if (!took) app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'awa', ...headers }, body });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), text, by: seen.at(-1)?.split(' ')[0] };
  };

  it('takes the exact path of a direct route, and leaves other paths, query strings and escapes to express', async () => {
    expect((await post('/things/t1/go', '{"speed":3}')).by).toBe('lane');
    expect((await post('/things/t1/go/', '{"speed":3}')).by).toBe('express');
    expect((await post('/things/t1/go?x=1', '{"speed":3}')).by).toBe('express');
    expect((await post('/things/t%31/go', '{"speed":3}')).by).toBe('express');
    expect((await post('/things//go', '{"speed":3}')).by).toBe('express');
    expect((await fetch(`${base}/things/t1/go`)).status).toBe(404); // GET: not a direct route
    expect(seen.at(-1)).toBe('express /things/t1/go');
  });

  it('answers every case as express answers it: success, no body, bad JSON, too large, invalid, unauthenticated, domain and server errors', async () => {
    const cases: Array<[path: string, body: string, headers?: Record<string, string>]> = [
      ['/things/t1/go', '{"speed":3}'],
      ['/things', ''],
      ['/things/t1/go', '{"speed":'],
      ['/things/t1/go', JSON.stringify({ speed: 1, pad: 'x'.repeat(2_000) })],
      ['/things/t1/go', '{"speed":"fast"}'],
      ['/things/t1/go', '{"speed":3}', { authorization: '' }],
      ['/things/missing/go', '{"speed":3}'],
      ['/things/broken/go', '{"speed":3}'],
      ['/things/t1/go', 'speed=3', { 'content-type': 'text/plain' }],
    ];
    for (const [path, body, headers] of cases) {
      const lane = await post(path, body, headers);
      const viaExpress = await post(`${path}/`, body, headers);
      expect(lane.by).toBe('lane');
      expect(viaExpress.by).toBe('express');
      expect({ ...lane, by: null }, `${path} ${body.slice(0, 20)}`).toEqual({ ...viaExpress, by: null });
    }
    const statuses = await Promise.all(cases.map(async ([path, body, headers]) => (await post(path, body, headers)).status));
    expect(statuses).toEqual([200, 201, 400, 413, 400, 401, 404, 500, 400]);
    // The server error was logged (once per answer), the others not.
    expect(logged.filter((e) => e instanceof Error && e.message === 'disk on fire').length).toBe(3);
    expect(logged.length).toBe(3);
  });
});
