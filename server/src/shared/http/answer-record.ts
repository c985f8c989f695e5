// Off unless SMARTQUEUE_API_RECORD_DIR names a folder (the test suite sets it, see vitest.config.ts): then every
// answer this server gives is appended there, beside the server's own API document, so that the answers real
// clients received can be checked against the document afterwards (test/support/answer-check.ts). It records;
// it never judges, and it changes no answer.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeStep } from './route.js';

export const ANSWER_RECORD_ENV = 'SMARTQUEUE_API_RECORD_DIR';

/** One answer, as a line of answers-*.jsonl. */
export interface RecordedAnswer {
  /** File name of the document of the server that answered (doc-<hash>.json in the same folder). */
  doc: string;
  method: string;
  /** The request's path, without the query string. */
  path: string;
  query: string;
  status: number;
  /** The Content-Type header as sent ('' when none). */
  contentType: string;
  contentEncoding: string;
  /** Bytes sent in the body. */
  size: number;
  /** The body as text, for JSON answers up to BODY_LIMIT bytes (null otherwise). */
  body: string | null;
}

const BODY_LIMIT = 2 * 1024 * 1024;

export interface AnswerRecorder {
  /** A step of node's own request and response: express runs it, and so does the direct lane (route.ts). */
  middleware: NodeStep;
  /** The document this server serves; answers are recorded from then on. */
  document(doc: unknown): void;
}

export function answerRecorder(env: NodeJS.ProcessEnv = process.env): AnswerRecorder | null {
  const dir = env[ANSWER_RECORD_ENV];
  if (!dir) return null;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `answers-${process.pid}-${crypto.randomBytes(4).toString('hex')}.jsonl`);
  let docName: string | null = null;
  const middleware: NodeStep = (req: IncomingMessage & { originalUrl?: string }, res, next) => {
    if (!docName) return next();
    const doc = docName;
    const url = req.originalUrl ?? req.url ?? '';
    const body = teeBody(res);
    res.once('finish', () => {
      const kept = body();
      const answer: RecordedAnswer = {
        doc,
        method: req.method ?? '',
        path: url.split('?')[0] ?? '',
        query: url.includes('?') ? url.slice(url.indexOf('?') + 1) : '',
        status: res.statusCode,
        contentType: sentHeader(res, 'content-type'),
        contentEncoding: sentHeader(res, 'content-encoding'),
        size: kept.size,
        body: kept.text,
      };
      // Synchronous: a test may kill this process right after the answer, and the line must be there.
      fs.appendFileSync(file, `${JSON.stringify(answer)}\n`);
    });
    next();
  };
  return {
    middleware,
    document(doc) {
      const text = JSON.stringify(doc);
      docName = `doc-${crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`;
      const target = path.join(dir, docName);
      if (!fs.existsSync(target)) {
        // Written whole then renamed: another process may be writing the same document at the same moment.
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, target);
      }
    },
  };
}

/**
 * A header as it went out. Headers given to writeHead directly (a server-sent-events stream) are not in getHeader:
 * the head Node wrote is the truth, and getHeader is the fallback before it is written.
 */
function sentHeader(res: ServerResponse, name: string): string {
  const head = (res as unknown as { _header?: unknown })._header;
  if (typeof head === 'string' && head) {
    const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name}:`));
    return line ? line.slice(name.length + 1).trim() : '';
  }
  return String(res.getHeader(name) ?? '');
}

/** Copies what the handler writes (JSON bodies only, up to the limit) while it goes out unchanged. */
function teeBody(res: ServerResponse): () => { size: number; text: string | null } {
  const chunks: Buffer[] = [];
  let size = 0;
  let keep: boolean | null = null;
  const take = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof encoding === 'string' ? encoding as BufferEncoding : 'utf8');
    size += bytes.length;
    keep ??= /json/i.test(sentHeader(res, 'content-type')) && !sentHeader(res, 'content-encoding');
    if (keep && size <= BODY_LIMIT) chunks.push(bytes);
    else if (keep) { keep = false; chunks.length = 0; }
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => { take(args[0], args[1]); return write(...args); }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => { take(args[0], args[1]); return end(...args); }) as ServerResponse['end'];
  return () => ({ size, text: keep ? Buffer.concat(chunks).toString('utf8') : null });
}
