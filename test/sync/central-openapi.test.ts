// Central's API document is generated from the same declarations that check access and validate requests: every
// route is in it with its query parameters and real content types, /api/docs shows it, and real answers use the
// statuses and content types it lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type TestCentral } from '../support/central.js';

type Operation = {
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
  description?: string;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('central OpenAPI document', () => {
  let central: TestCentral;
  let doc: Doc;

  beforeAll(async () => {
    central = await startCentral('sqlite');
    doc = (await central.api.get<Doc>('/api/openapi.json')).body;
  });
  afterAll(async () => {
    await central?.destroy();
  });

  const op = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return found;
  };

  it('lists every central route, with query parameters and the access it needs', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, method] of [
      ['/api/health', 'get'], ['/api/sync/push', 'post'], ['/api/sync/pull', 'get'], ['/api/central/branches', 'post'],
      ['/api/central/branches/{id}/credentials', 'post'], ['/api/central/branches/{id}/events', 'get'], ['/api/central/stats', 'get'],
      ['/api/central/payments/totals', 'get'], ['/api/payments/webhooks/{provider}', 'post'], ['/api/public/bookings', 'post'],
      ['/api/sync/bookings/{code}', 'get'], ['/api/track/{ticketId}', 'get'], ['/t/{ticketId}', 'get'], ['/api/central/notifications', 'get'],
    ] as const) op(path, method);
    const pull = op('/api/sync/pull', 'get');
    expect(pull.parameters?.filter((p) => p.in === 'query').map((p) => [p.name, p.required])).toEqual([['cursor', true], ['limit', false], ['protocolVersion', true]]);
    expect(Object.keys(pull.responses)).toEqual(expect.arrayContaining(['200', '401', '410', '426']));
    expect(op('/api/sync/push', 'post').security).toEqual([{ bearer: [] }]);
    expect(op('/api/health', 'get').security).toEqual([]);
    expect(op('/api/central/notifications', 'get').parameters?.map((p) => p.name)).toEqual(['ticketId', 'branchId', 'status', 'channel', 'limit']);
    // Scoped by organization (issue 17): another organization's branch or payment answers 404; refunds need an organization admin.
    for (const [path, method] of [
      ['/api/central/payments/totals', 'get'], ['/api/central/payments/checkouts', 'get'], ['/api/central/payments/checkouts/{paymentId}', 'get'],
      ['/api/central/payments/{paymentId}/refund', 'post'], ['/api/central/notifications', 'get'],
    ] as const) expect(Object.keys(op(path, method).responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403', '404']));
    expect(op('/api/central/payments/{paymentId}/refund', 'post').description).toMatch(/organization admin/);
  });

  it('documents the real content types: raw signed webhooks, the tracking page, QR images', () => {
    expect(Object.keys(op('/api/payments/webhooks/{provider}', 'post').requestBody?.content ?? {})).toEqual(['application/json']);
    expect(Object.keys(op('/t/{ticketId}', 'get').responses['200']?.content ?? {})).toEqual(['text/html']);
    expect(Object.keys(op('/api/public/bookings/{code}/qr.png', 'get').responses['200']?.content ?? {})).toEqual(['image/png']);
    expect(Object.keys(op('/api/public/bookings/{code}/qr.svg', 'get').responses['200']?.content ?? {})).toEqual(['image/svg+xml']);
    expect(Object.keys(op('/t/track.js', 'get').responses['200']?.content ?? {})).toEqual(['text/javascript']);
  });

  it('serves a docs page', async () => {
    const page = await fetch(`${central.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    expect((await fetch(`${central.url}/api/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('validates query parameters as declared, with the usual error shape', async () => {
    const bad = await central.admin<{ error: { code: string; message: string } }>('GET', '/api/central/notifications?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    expect(bad.body.error.message).toMatch(/limit/);
    const ok = await central.admin<unknown[]>('GET', '/api/central/notifications?limit=5');
    expect(ok.status).toBe(200);
    expect(Object.keys(op('/api/central/notifications', 'get').responses)).toContain(String(ok.status));
  });

  it('answers with the statuses and content types it documents', async () => {
    const credential = await central.enrol('br-openapi');
    const checks: { path: string; docPath: string; method: string; token?: string; type: string }[] = [
      { path: '/api/health', docPath: '/api/health', method: 'get', type: 'application/json' },
      { path: '/api/sync/pull?cursor=0&protocolVersion=1', docPath: '/api/sync/pull', method: 'get', token: credential, type: 'application/json' },
      { path: '/api/sync/pull?cursor=0&protocolVersion=9', docPath: '/api/sync/pull', method: 'get', token: credential, type: 'application/json' },
      { path: '/api/central/branches', docPath: '/api/central/branches', method: 'get', token: central.adminToken, type: 'application/json' },
      { path: '/api/central/branches', docPath: '/api/central/branches', method: 'get', token: credential, type: 'application/json' },
      { path: '/t/nope', docPath: '/t/{ticketId}', method: 'get', type: 'text/html' },
      { path: '/t/track.js', docPath: '/t/track.js', method: 'get', type: 'text/javascript' },
    ];
    for (const c of checks) {
      const res = await fetch(`${central.url}${c.path}`, { headers: c.token ? { authorization: `Bearer ${c.token}` } : {} });
      const documented = op(c.docPath, c.method).responses[String(res.status)];
      expect(documented, `${c.path} answered ${res.status}`).toBeTruthy();
      const type = res.headers.get('content-type') ?? '';
      const documentedTypes = Object.keys(documented?.content ?? {});
      expect(documentedTypes.some((t) => type.startsWith(t)) || (res.status >= 400 && type.startsWith('application/json')), `${c.path}: ${type}`).toBe(true);
      await res.arrayBuffer();
    }
  });
});
