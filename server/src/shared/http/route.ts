// Routes are declared with their zod schemas once; the same declaration checks access, validates requests and feeds
// OpenAPI. Both servers use it, each with its own access policy (who may call what) and its own kind of caller.
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { errorAnswer, parseWith } from './errors.js';

/** How a route reads its request body. */
export type BodyKind =
  /** JSON, parsed here (or by a server-wide parser already) and validated by `body`. */
  | { kind: 'json'; limit?: string | number }
  /** The exact bytes (a Buffer in `raw`), e.g. a webhook whose signature covers them; `body` documents it. */
  | { kind: 'raw'; limit: string | number; contentType: string };

/** An answer other than the main one that carries a body worth documenting (errors are documented by status). */
export interface ExtraResponse {
  status: number;
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<A extends string = string, B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  /** The operation's name in the API document; by default from the method and the path (see operationIdOf). */
  operationId?: string;
  tag: string;
  /** Who may call it; 'public' needs no credential. */
  access: A;
  body?: B;
  /** JSON by default; raw bytes for routes that must see them as sent. */
  bodyKind?: BodyKind;
  /** Query parameters: validated (the handler gets the parsed values) and documented one by one. */
  query?: Q;
  /** Path parameters, when they need more than "a non-empty string". */
  params?: z.ZodType;
  response?: z.ZodType;
  /**
   * Content type of the main answer: application/json unless the route answers a page or an image itself (several
   * when a query parameter chooses, e.g. HTML or SVG). A route with neither `response` nor `produces` answers 204.
   */
  produces?: string | string[];
  status?: number;
  /** Error statuses this route answers besides the ones every route may (400, 401/403 when not public, 404…). */
  errors?: number[];
  /** Other answers with a body (e.g. 410 with a snapshot). */
  responses?: ExtraResponse[];
  description?: string;
}

export interface RouteInput<B extends z.ZodType, Caller, Q extends z.ZodType = z.ZodType> {
  body: z.output<B>;
  params: Record<string, string>;
  query: z.output<Q>;
  /** The body's exact bytes, for routes declared with bodyKind raw. */
  raw: Buffer;
  actor: Caller | null;
  req: Request;
  res: Response;
}

/** What a direct route's handler gets: neither express's request nor its response, so the direct lane can serve it. */
export type DirectInput<B extends z.ZodType, Caller> = Pick<RouteInput<B, Caller>, 'body' | 'params' | 'actor'>;

/** A connect-style step that works on node's own request and response (express's JSON parser, the answer recorder). */
export type NodeStep = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface DirectLaneOptions<Caller> {
  /** What the express app runs before its routes, in the same order and the same instances. */
  steps: readonly NodeStep[];
  /** The caller, as the express app's authentication middleware resolves it. */
  actorOf(req: IncomingMessage): Caller | null;
  /** Every failed request, as the express app's error middlewares see it (5xx are logged through `log`). */
  onError?(err: unknown): void;
  log(err: unknown): void;
}

interface DirectRoute<A extends string, Caller> {
  method: string;
  /** The path's segments; a `:name` segment takes any non-empty segment as that parameter. */
  segments: string[];
  spec: RouteSpec<A>;
  handler(input: DirectInput<z.ZodType, Caller>): unknown;
}

/** A server's rule of who may call a route: throws (401/403) when the caller may not. */
export interface AccessPolicy<A extends string, Caller> {
  /**
   * Who is calling, for servers that resolve the caller per route (e.g. from the database) rather than in a
   * middleware that sets res.locals.actor. Called only for routes that are not public.
   */
  authenticate?(req: Request, access: A): Promise<Caller | null> | Caller | null;
  check(access: A, caller: Caller | null): void;
  /** One sentence per access level, for the API document. */
  describe: Record<A, string>;
}

const jsonParsers = new Map<string | number, RequestHandler>();
function jsonParser(limit: string | number): RequestHandler {
  let parser = jsonParsers.get(limit);
  if (!parser) jsonParsers.set(limit, (parser = express.json({ limit })));
  return parser;
}

/**
 * How a server holds a handler's answer until what it changed is on disk: the branch commits the changes of one
 * turn together (db/unit-of-work.ts), so a handler returns before its commit and its answer waits for `durable`.
 */
export interface AnswerGate {
  /** Runs the handler as a caller that answers only after `durable()`. */
  run<T>(fn: () => T): T;
  /** Resolves once every change made so far is durable; rejects when that commit failed. */
  durable(): Promise<void>;
}

export class ApiRegistry<A extends string, Caller> {
  readonly routes: RouteSpec<A>[] = [];
  private readonly direct: DirectRoute<A, Caller>[] = [];

  /**
   * `commonErrors`: statuses any route of this server may answer whatever its declaration says, e.g. 413 from a
   * server-wide body parser that reads a body sent to any route. `gate`: see AnswerGate.
   */
  constructor(readonly policy: AccessPolicy<A, Caller>, readonly commonErrors: readonly number[] = [], readonly gate: AnswerGate | null = null) {}

  add<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodType<Request['query']>>(
    router: Router,
    spec: RouteSpec<A, B, Q>,
    handler: (input: RouteInput<B, Caller, Q>) => unknown,
  ): void {
    this.routes.push(spec as unknown as RouteSpec<A>);
    const run = async (req: Request, res: Response) => {
      // A server's authentication middleware puts the caller (or nothing) in res.locals.actor; a policy that
      // resolves callers itself does it here, before the body is read.
      let actor: Caller | null = (res.locals.actor as Caller | undefined) ?? null;
      if (this.policy.authenticate && spec.access !== 'public') actor = (await this.policy.authenticate(req, spec.access)) as Caller | null;
      this.policy.check(spec.access, actor);
      await readBody(spec.bodyKind, req, res);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await this.execute(spec, { params: req.params, query: req.query, body: req.body as unknown },
        (parsed) => handler({ ...parsed, body: parsed.body as z.output<B>, query: parsed.query as z.output<Q>, raw, actor, req, res }));
      if (res.headersSent) return;
      if (result === undefined) res.status(spec.status ?? 204).end();
      else res.status(spec.status ?? 200).json(result);
    };
    router[spec.method](spec.path, run);
  }

  /**
   * A route whose handler needs neither express's request nor its response (a command): declared, documented and
   * served by express like any other, and also by the direct lane (directLane), which answers its exact path without
   * express's per-request work. Its path may hold `:name` parameters and no other pattern; it takes no query.
   */
  addDirect<B extends z.ZodType = z.ZodUndefined>(
    router: Router,
    spec: RouteSpec<A, B> & { query?: never; bodyKind?: never; params?: never },
    handler: (input: DirectInput<B, Caller>) => unknown,
  ): void {
    if (this.policy.authenticate) throw new Error('a direct route needs the caller resolved before the route (DirectLaneOptions.actorOf)');
    if (/[^\w/:-]/.test(spec.path)) throw new Error(`a direct route's path takes only :name parameters: ${spec.path}`);
    this.add(router, spec, handler);
    this.direct.push({
      method: spec.method.toUpperCase(), segments: spec.path.split('/'), spec: spec as unknown as RouteSpec<A>,
      handler: handler as DirectRoute<A, Caller>['handler'],
    });
  }

  /**
   * Serves the direct routes at node's level, before express: `(req, res) => true` when it took the request. It runs
   * the app's own steps (the same JSON parser, so the same limits and errors), the same access rule, validation and
   * gate as express would, and answers the same JSON. Anything else (another path, a query string, an escaped or
   * trailing-slash path) is left to express, which serves it as before.
   */
  directLane(o: DirectLaneOptions<Caller>): (req: IncomingMessage, res: ServerResponse) => boolean {
    return (req, res) => {
      const url = req.url ?? '';
      if (url.includes('?') || url.includes('%')) return false;
      const segments = url.split('/');
      for (const route of this.direct) {
        if (route.method !== req.method || route.segments.length !== segments.length) continue;
        const params = matchSegments(route.segments, segments);
        if (!params) continue;
        void this.serveDirect(route, params, req, res, o);
        return true;
      }
      return false;
    };
  }

  private async serveDirect(route: DirectRoute<A, Caller>, params: Record<string, string>, req: IncomingMessage, res: ServerResponse, o: DirectLaneOptions<Caller>): Promise<void> {
    try {
      for (const step of o.steps) await new Promise<void>((resolve, reject) => step(req, res, (err) => (err ? reject(err as Error) : resolve())));
      const actor = o.actorOf(req);
      this.policy.check(route.spec.access, actor);
      const body = (req as IncomingMessage & { body?: unknown }).body;
      const result = await this.execute(route.spec, { params, query: {}, body }, (parsed) => route.handler({ body: parsed.body, params: parsed.params, actor }));
      if (result === undefined) writeJson(res, route.spec.status ?? 204, undefined);
      else writeJson(res, route.spec.status ?? 200, result);
    } catch (err) {
      o.onError?.(err);
      const answer = errorAnswer(err, o.log);
      if (res.headersSent) return void res.destroy();
      writeJson(res, answer.status, answer.body, answer.retryAfter === null ? {} : { 'Retry-After': String(answer.retryAfter) });
    }
  }

  /** Validates what the route declares, then runs the handler through the gate: both lanes, one rule. */
  private async execute(spec: RouteSpec<A>, raw: { params: unknown; query: unknown; body: unknown }, call: (parsed: { body: unknown; params: Record<string, string>; query: unknown }) => unknown): Promise<unknown> {
    const params = (spec.params ? parseWith(spec.params, raw.params) : raw.params) as Record<string, string>;
    const query = spec.query ? parseWith(spec.query, raw.query) : raw.query;
    const body = spec.body && spec.bodyKind?.kind !== 'raw' ? parseWith(spec.body, raw.body ?? {}) : undefined;
    const parsed = { body, params, query };
    const result = await (this.gate ? this.gate.run(() => call(parsed)) : call(parsed));
    await this.gate?.durable();
    return result;
  }
}

/** The parameters of a path whose segments match a route's (same count), or null. */
function matchSegments(route: readonly string[], path: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.length; i++) {
    const want = route[i] as string;
    const got = path[i] as string;
    if (want.startsWith(':')) {
      if (!got) return null;
      params[want.slice(1)] = got;
    } else if (want !== got) return null;
  }
  return params;
}

/** A JSON answer as express's res.json writes it (no body for 204; node adds Content-Length: 0 to an empty one). */
function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Parse the body as the route declares it (a server-wide JSON parser may have done it already: then nothing). */
function readBody(kind: BodyKind | undefined, req: Request, res: Response): Promise<void> {
  if (!kind) return Promise.resolve();
  const parser = kind.kind === 'raw' ? express.raw({ type: () => true, limit: kind.limit }) : jsonParser(kind.limit ?? '16kb');
  return new Promise((resolve, reject) => parser(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve())));
}
