// OpenAPI 3.1 document generated from the route declarations and their zod schemas (zod's own JSON Schema output).
import { z } from 'zod';
import { ErrorBody } from '../contracts/api.js';
import type { ApiRegistry, RouteSpec } from './route.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request', 402: 'Payment declined', 401: 'Not authenticated', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 410: 'Gone',
  413: 'Payload too large', 422: 'Unprocessable', 426: 'Upgrade required', 429: 'Too many requests', 502: 'Bad gateway', 503: 'Try again',
};

/** Query parameters one by one, from the route's query schema (an object schema). */
function queryParameters(r: RouteSpec): unknown[] {
  if (!r.query) return [];
  const schema = jsonSchema(r.query, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name, in: 'query', required: schema.required?.includes(name) ?? false, schema: s, ...(s.description && { description: s.description }),
  }));
}

function pathParameters(r: RouteSpec): unknown[] {
  const declared = r.params ? (jsonSchema(r.params, 'input') as { properties?: Record<string, unknown> }).properties ?? {} : {};
  return [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => {
    const name = m[1] as string;
    return { name, in: 'path', required: true, schema: declared[name] ?? { type: 'string' } };
  });
}

function content(contentTypes: string | string[], schema: z.ZodType | undefined, io: 'input' | 'output'): unknown {
  return Object.fromEntries([contentTypes].flat().map((contentType) => {
    // Without a schema, text (HTML, SVG, scripts) is a string and anything else bytes of that media type.
    const text = contentType.includes('json') || contentType.startsWith('text/') || contentType.endsWith('+xml');
    return [contentType, { schema: schema ? jsonSchema(schema, io) : text ? { type: 'string' } : { type: 'string', contentMediaType: contentType } }];
  }));
}

/**
 * A stable operationId from the method and the path, for client generators: GET /api/tickets/:id/ticket.html is
 * getTicketsByIdTicketHtml. A declaration may name its own (RouteSpec.operationId).
 */
export function operationIdOf(r: Pick<RouteSpec, 'method' | 'path' | 'operationId'>): string {
  if (r.operationId) return r.operationId;
  const words = r.path.split('/').filter((seg) => seg && seg !== 'api').flatMap((seg) => {
    const param = /^:([A-Za-z_]+)$/.exec(seg);
    return param ? ['by', param[1] as string] : seg.split(/[^A-Za-z0-9]+/).filter(Boolean);
  });
  return r.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export interface ApiInfo {
  version: string;
  title: string;
  description: string;
  /** One sentence per tag (a tag without one is still listed). */
  tags?: Record<string, string>;
}

export function buildOpenApi<A extends string, C>(registry: ApiRegistry<A, C>, info: ApiInfo): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Map<string, string>();
  const tags = new Set<string>();
  const errorResponse = (status: number) => ({ description: STATUS_TEXT[status] ?? 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } } });
  for (const r of registry.routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const params = [...pathParameters(r), ...queryParameters(r)];
    const produces = r.produces ?? 'application/json';
    const hasBody = r.response !== undefined || r.produces !== undefined;
    const responses: Record<string, unknown> = {
      [String(r.status ?? (hasBody ? 200 : 204))]: hasBody ? { description: 'OK', content: content(produces, r.response, 'output') } : { description: 'Done' },
      '400': errorResponse(400),
    };
    if (r.access !== 'public') Object.assign(responses, { '401': errorResponse(401), '403': errorResponse(403) });
    if (r.path.includes(':')) responses['404'] = errorResponse(404);
    // Any change may conflict with the state it finds (a duplicate, a line not empty, a setting head office manages).
    if (r.method !== 'get') responses['409'] = errorResponse(409);
    // A body over its size limit.
    if (r.body) responses['413'] = errorResponse(413);
    // Any write may find the database's disk full (503 STORAGE_FULL, shared/http/errors.ts).
    if (r.method !== 'get') responses['503'] = errorResponse(503);
    for (const status of [...registry.commonErrors, ...(r.errors ?? [])]) responses[String(status)] = errorResponse(status);
    for (const extra of r.responses ?? []) {
      responses[String(extra.status)] = { description: extra.description, content: content(extra.contentType ?? 'application/json', extra.schema, 'output') };
    }
    const bodyType = r.bodyKind?.kind === 'raw' ? r.bodyKind.contentType : 'application/json';
    const operationId = operationIdOf(r);
    const other = operationIds.get(operationId);
    // Two operations with one id would give a generated client two functions of one name.
    if (other) throw new Error(`operationId ${operationId} of ${r.method.toUpperCase()} ${r.path} is also ${other}'s: give one an operationId`);
    operationIds.set(operationId, `${r.method.toUpperCase()} ${r.path}`);
    tags.add(r.tag);
    paths[path] ??= {};
    paths[path][r.method] = {
      operationId,
      summary: r.summary,
      description: [r.description, registry.policy.describe[r.access]].filter(Boolean).join('\n\n'),
      tags: [r.tag],
      ...(params.length && { parameters: params }),
      // Public operations say so (an empty list), so that no tool assumes a credential is needed.
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      ...(r.body && { requestBody: { required: true, content: content(bodyType, r.body, 'input') } }),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description, license: { name: 'MIT', identifier: 'MIT' } },
    // The document is served by the server it describes: paths are relative to wherever it was fetched from.
    servers: [{ url: '/', description: 'this server' }],
    tags: [...tags].sort().map((name) => ({ name, ...(info.tags?.[name] && { description: info.tags[name] }) })),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
