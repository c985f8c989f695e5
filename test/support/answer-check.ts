// The answer-vs-document check: every answer a real server gave during the tests (recorded by
// server/src/shared/http/answer-record.ts) is judged against the OpenAPI document that server served, as a
// spec-driven client would judge it: the status is listed for the operation, the content type is one it lists for
// that status, and a JSON body matches its schema. It reads only the JSON documents (Ajv, JSON Schema 2020-12),
// never the zod declarations they were generated from, so a wrong generator or a wrong declaration shows.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RecordedAnswer } from '../../server/src/shared/http/answer-record.js';

// ajv-formats is CommonJS: imported from ESM, the plugin is the module's `default` property.
const addFormats = addFormatsModule.default;

interface MediaType { schema?: unknown }
interface ResponseObject { description?: string; content?: Record<string, MediaType> }
interface Operation { responses?: Record<string, ResponseObject> }
interface Document { info?: { title?: string }; paths?: Record<string, Record<string, Operation>> }

export interface Mismatch {
  /** What kind of disagreement, e.g. "status not documented". */
  kind: string;
  /** Which document (its title). */
  api: string;
  /** The operation as documented ("GET /api/tickets/{id}") or the request when none matches. */
  operation: string;
  status: number;
  detail: string;
  /** The request that got this answer. */
  example: string;
}

/** Paths that serve the document itself (and its reading page), not operations of it. */
const DOCUMENT_PATHS = [/^\/api\/openapi\.json$/, /^\/api\/docs(\/.*)?$/];

interface CompiledPath { template: string; regex: RegExp; params: number }

function compilePaths(doc: Document): CompiledPath[] {
  return Object.keys(doc.paths ?? {}).map((template) => ({
    template,
    regex: new RegExp(`^${template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  // A concrete path wins over a templated one (/t/track.js before /t/{ticketId}), as OpenAPI says.
  })).sort((a, b) => a.params - b.params);
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export class AnswerChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly docs = new Map<string, { doc: Document; paths: CompiledPath[] }>();

  constructor(private readonly readDoc: (name: string) => Document) {
    addFormats(this.ajv);
  }

  private document(name: string) {
    let d = this.docs.get(name);
    if (!d) {
      const doc = this.readDoc(name);
      d = { doc, paths: compilePaths(doc) };
      this.docs.set(name, d);
    }
    return d;
  }

  private validator(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.validators.get(key);
    if (!v) {
      // $schema in each schema names draft 2020-12; Ajv2020 knows it. Ajv compiles a copy (no shared $id).
      v = this.ajv.compile(JSON.parse(key) as object);
      this.validators.set(key, v);
    }
    return v;
  }

  /** The mismatches of one answer (none when it agrees with its document). */
  check(a: RecordedAnswer): Mismatch[] {
    const { doc, paths } = this.document(a.doc);
    const api = doc.info?.title ?? a.doc;
    const request = `${a.method} ${a.path}${a.query ? `?${a.query}` : ''}`;
    const method = a.method.toLowerCase() === 'head' ? 'get' : a.method.toLowerCase();
    if (method === 'options' || DOCUMENT_PATHS.some((r) => r.test(a.path))) return [];
    const found = paths.find((p) => p.regex.test(a.path) && doc.paths?.[p.template]?.[method]);
    const mismatch = (kind: string, operation: string, detail: string): Mismatch[] => [{ kind, api, operation, status: a.status, detail, example: request }];
    if (!found) {
      // Not an operation: the screens and their files are not the API's; under /api it must be the "no route" answer.
      if (!a.path.startsWith('/api/')) return [];
      if (a.status === 404 && mediaType(a.contentType) === 'application/json') return [];
      return mismatch('no documented operation', request, `answered ${a.status} ${a.contentType}`);
    }
    const operation = `${a.method === 'HEAD' ? 'GET' : a.method} ${found.template}`;
    const responses = doc.paths?.[found.template]?.[method]?.responses ?? {};
    // 304 is HTTP's cache revalidation (a browser's If-None-Match), the same for every GET, not an API answer.
    if (a.status === 304 && method === 'get') return [];
    const documented = responses[String(a.status)] ?? responses[`${String(a.status).charAt(0)}XX`] ?? responses.default;
    if (!documented) return mismatch('status not documented', operation, `documented: ${Object.keys(responses).join(', ')}`);
    const content = documented.content;
    if (!content || Object.keys(content).length === 0) {
      return a.size === 0 ? [] : mismatch('body not documented', operation, `documented without a body, answered ${a.size} bytes of ${a.contentType || 'no type'}`);
    }
    const type = mediaType(a.contentType);
    const media = content[type];
    if (!media) return mismatch('content type not documented', operation, `answered ${a.contentType || 'no Content-Type'}, documented: ${Object.keys(content).join(', ')}`);
    if (!type.includes('json') || a.body === null || a.method === 'HEAD') return [];
    let value: unknown;
    try {
      value = JSON.parse(a.body);
    } catch {
      return mismatch('body is not JSON', operation, a.body.slice(0, 200));
    }
    if (media.schema === undefined) return [];
    const validate = this.validator(media.schema);
    if (validate(value)) return [];
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    return mismatch('body does not match its schema', operation, errors.join('; '));
  }
}

export interface CheckReport {
  answers: number;
  /** One entry per kind of disagreement and operation and status, with how many answers showed it. */
  mismatches: (Mismatch & { count: number })[];
}

/** Checks every answer recorded in the folder (answers-*.jsonl beside doc-*.json). */
export function checkRecordedAnswers(dir: string): CheckReport {
  const checker = new AnswerChecker((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Document);
  const grouped = new Map<string, Mismatch & { count: number }>();
  let answers = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('answers-') && f.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      // A process killed in the middle of a line leaves it cut: that line is not an answer.
      if (!line.trim()) continue;
      let answer: RecordedAnswer;
      try { answer = JSON.parse(line) as RecordedAnswer; } catch { continue; }
      answers++;
      for (const m of checker.check(answer)) {
        const key = `${m.api}|${m.kind}|${m.operation}|${m.status}`;
        const seen = grouped.get(key);
        if (seen) seen.count++;
        else grouped.set(key, { ...m, count: 1 });
      }
    }
  }
  return { answers, mismatches: [...grouped.values()] };
}

export function formatReport(report: CheckReport): string {
  return report.mismatches.map((m) => `${m.api}: ${m.operation} → ${m.status}: ${m.kind} (${m.count}×): ${m.detail}\n    e.g. ${m.example}`).join('\n');
}
