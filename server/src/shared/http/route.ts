// Routes are declared with their zod schemas once; the same declaration checks access, validates requests and feeds
// OpenAPI. Both servers use it, each with its own access policy (who may call what) and its own kind of caller.
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { parseWith } from './errors.js';

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
      const params = spec.params ? parseWith(spec.params, req.params) as Record<string, string> : req.params as Record<string, string>;
      const query = (spec.query ? parseWith(spec.query, req.query) : req.query) as z.output<Q>;
      const body = spec.body && spec.bodyKind?.kind !== 'raw' ? parseWith(spec.body, req.body ?? {}) : undefined;
      const input = { body: body as z.output<B>, params, query, raw, actor, req, res };
      const result = await (this.gate ? this.gate.run(() => handler(input)) : handler(input));
      await this.gate?.durable();
      if (res.headersSent) return;
      if (result === undefined) res.status(spec.status ?? 204).end();
      else res.status(spec.status ?? 200).json(result);
    };
    router[spec.method](spec.path, run);
  }
}

/** Parse the body as the route declares it (a server-wide JSON parser may have done it already: then nothing). */
function readBody(kind: BodyKind | undefined, req: Request, res: Response): Promise<void> {
  if (!kind) return Promise.resolve();
  const parser = kind.kind === 'raw' ? express.raw({ type: () => true, limit: kind.limit }) : jsonParser(kind.limit ?? '16kb');
  return new Promise((resolve, reject) => parser(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve())));
}
