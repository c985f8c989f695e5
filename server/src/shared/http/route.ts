// Routes are declared with their zod schemas once; the same declaration checks access, validates requests and feeds
// OpenAPI. Both servers use it, each with its own access policy (who may call what) and its own kind of caller.
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { parseWith } from './errors.js';

export interface RouteSpec<A extends string = string, B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** Who may call it; 'public' needs no credential. */
  access: A;
  body?: B;
  response?: z.ZodType;
  status?: number;
  description?: string;
}

export interface RouteInput<B extends z.ZodType, Caller> {
  body: z.output<B>;
  params: Record<string, string>;
  query: Request['query'];
  actor: Caller | null;
  req: Request;
  res: Response;
}

/** A server's rule of who may call a route: throws (401/403) when the caller may not. */
export interface AccessPolicy<A extends string, Caller> {
  check(access: A, caller: Caller | null): void;
  /** One sentence per access level, for the API document. */
  describe: Record<A, string>;
}

export class ApiRegistry<A extends string, Caller> {
  readonly routes: RouteSpec<A>[] = [];

  constructor(readonly policy: AccessPolicy<A, Caller>) {}

  add<B extends z.ZodType = z.ZodUndefined>(
    router: Router,
    spec: RouteSpec<A, B>,
    handler: (input: RouteInput<B, Caller>) => unknown,
  ): void {
    this.routes.push(spec as unknown as RouteSpec<A>);
    router[spec.method](spec.path, async (req: Request, res: Response) => {
      // The server's authentication middleware puts the caller (or nothing) in res.locals.actor.
      const actor = (res.locals.actor as Caller | undefined) ?? null;
      this.policy.check(spec.access, actor);
      const body = spec.body ? parseWith(spec.body, req.body ?? {}) : undefined;
      const result = await handler({ body: body as z.output<B>, params: req.params as Record<string, string>, query: req.query, actor, req, res });
      if (res.headersSent) return;
      if (result === undefined) res.status(spec.status ?? 204).end();
      else res.status(spec.status ?? 200).json(result);
    });
  }
}
