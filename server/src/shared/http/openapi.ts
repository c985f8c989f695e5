// OpenAPI 3.1 document generated from the route declarations and their zod schemas (zod's own JSON Schema output).
import { z } from 'zod';
import { ErrorBody } from '../contracts/api.js';
import type { ApiRegistry } from './route.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

export function buildOpenApi<A extends string, C>(registry: ApiRegistry<A, C>, info: { version: string; title: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { description: 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } } };
  for (const r of registry.routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = {
      [String(r.status ?? (r.response ? 200 : 204))]: r.response
        ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } }
        : { description: 'Done' },
      '400': errorResponse,
    };
    if (r.access !== 'public') Object.assign(responses, { '401': errorResponse, '403': errorResponse });
    if (r.path.includes(':')) responses['404'] = errorResponse;
    if (r.method === 'post') responses['409'] = errorResponse;
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      description: [r.description, registry.policy.describe[r.access]].filter(Boolean).join('\n\n'),
      tags: [r.tag],
      ...(params.length && { parameters: params }),
      ...(r.access !== 'public' && { security: [{ bearer: [] }] }),
      ...(r.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
