// The answer-vs-document check itself: the recorder keeps what a server really sent, and the checker finds each
// kind of disagreement with a document (and none where the answer agrees). The check over every test's answers
// runs at the end of the suite (test/support/answer-check.global.ts).
import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerRecorder, type RecordedAnswer } from '../../server/src/shared/http/answer-record.js';
import { AnswerChecker, checkRecordedAnswers } from '../support/answer-check.js';

const error = { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } } };
const doc = {
  openapi: '3.1.0',
  info: { title: 'test API', version: '1' },
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema: { type: 'object', required: ['id', 'count'], additionalProperties: false, properties: { id: { type: 'string', format: 'uuid' }, count: { type: 'integer' } } } } } },
          404: { description: 'Not found', content: { 'application/json': { schema: error } } },
        },
      },
      delete: { responses: { 204: { description: 'Done' } } },
    },
    '/api/things/{id}/page.html': { get: { responses: { 200: { description: 'OK', content: { 'text/html': { schema: { type: 'string' } } } } } } },
    '/api/things/special': { get: { responses: { 200: { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  },
};

const ID = '01a2345b-deb9-728a-abea-549bcf9d2470';
function answer(a: Partial<RecordedAnswer>): RecordedAnswer {
  const body = a.body ?? null;
  return { doc: 'doc.json', method: 'GET', path: `/api/things/${ID}`, query: '', status: 200, contentType: 'application/json; charset=utf-8', contentEncoding: '', size: body?.length ?? 0, body, ...a };
}

describe('answer-vs-document check', () => {
  const checker = new AnswerChecker(() => doc);
  const kinds = (a: RecordedAnswer) => checker.check(a).map((m) => m.kind);

  it('accepts answers that agree with the document', () => {
    expect(kinds(answer({ body: JSON.stringify({ id: ID, count: 2 }) }))).toEqual([]);
    expect(kinds(answer({ status: 404, body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such thing' } }) }))).toEqual([]);
    expect(kinds(answer({ method: 'DELETE', status: 204, contentType: '' }))).toEqual([]);
    expect(kinds(answer({ path: `/api/things/${ID}/page.html`, contentType: 'text/html; charset=utf-8', size: 120 }))).toEqual([]);
    // A concrete path is matched before a templated one.
    expect(kinds(answer({ path: '/api/things/special', contentType: 'text/plain', size: 3 }))).toEqual([]);
    // Routes nobody declared answer the usual 404 under /api; the screens' files are not the API's business.
    expect(kinds(answer({ path: '/api/nothing/here', status: 404, body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no route' } }) }))).toEqual([]);
    expect(kinds(answer({ path: '/kiosk/assets/index.js', contentType: 'text/javascript', size: 1000 }))).toEqual([]);
  });

  it('finds an undocumented status, content type, body or route, and a body off its schema', () => {
    expect(kinds(answer({ status: 429, body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'later' } }) }))).toEqual(['status not documented']);
    expect(kinds(answer({ path: `/api/things/${ID}/page.html`, contentType: 'application/json', body: '{}' }))).toEqual(['content type not documented']);
    expect(kinds(answer({ method: 'DELETE', status: 204, size: 12, contentType: 'application/json', body: '{"ok":true}' }))).toEqual(['body not documented']);
    expect(kinds(answer({ path: '/api/other', status: 200, body: '[]' }))).toEqual(['no documented operation']);
    const off = checker.check(answer({ body: JSON.stringify({ id: 'not-a-uuid', count: 1.5, extra: true }) }));
    expect(off.map((m) => m.kind)).toEqual(['body does not match its schema']);
    expect(off[0]?.detail).toMatch(/extra/);
    expect(off[0]?.detail).toMatch(/\/id must match format "uuid"/);
    expect(off[0]?.detail).toMatch(/\/count must be integer/);
    expect(off[0]?.operation).toBe('GET /api/things/{id}');
  });

  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('records what a real server sent, and the folder check reads it back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-record-'));
    dirs.push(dir);
    const recorder = answerRecorder({ SMARTQUEUE_API_RECORD_DIR: dir });
    if (!recorder) throw new Error('the recorder should be on');
    const app = express();
    app.use(recorder.middleware);
    app.get('/api/things/special', (_req, res) => { res.type('text/plain').send('hi!'); });
    app.get('/api/things/:id', (req, res) => { res.json(req.params.id === ID ? { id: ID, count: 1 } : { id: req.params.id }); });
    recorder.document(doc);
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const p of ['/api/things/special', `/api/things/${ID}?x=1`, '/api/things/nope']) await (await fetch(`http://127.0.0.1:${port}${p}`)).arrayBuffer();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => f.startsWith('doc-'))).toHaveLength(1);
    const lines = fs.readFileSync(path.join(dir, files.find((f) => f.startsWith('answers-')) as string), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordedAnswer);
    expect(lines.map((l) => [l.path, l.query, l.status, l.body])).toEqual([
      ['/api/things/special', '', 200, null],
      [`/api/things/${ID}`, 'x=1', 200, JSON.stringify({ id: ID, count: 1 })],
      ['/api/things/nope', '', 200, JSON.stringify({ id: 'nope' })],
    ]);
    expect(lines[0]?.size).toBe(3);
    const report = checkRecordedAnswers(dir);
    expect(report.answers).toBe(3);
    expect(report.mismatches.map((m) => [m.kind, m.example])).toEqual([['body does not match its schema', 'GET /api/things/nope']]);
  });
});
