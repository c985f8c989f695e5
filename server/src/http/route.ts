// Routes are declared with their zod schemas once; the same declaration validates requests and feeds OpenAPI.
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../core/actor.js';
import { parseWith } from './errors.js';

/** Who may call a route. */
export type Access = 'public' | 'reader' | 'issuer' | 'staff' | 'supervisor' | 'admin';

export interface RouteSpec<B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  response?: z.ZodType;
  status?: number;
  description?: string;
}

export interface RouteInput<B extends z.ZodType> {
  body: z.output<B>;
  params: Record<string, string>;
  query: Request['query'];
  actor: Actor | null;
  req: Request;
  res: Response;
}

const ROLE_RANK = { agent: 1, supervisor: 2, admin: 3 } as const;

/** 401 without a valid credential, 403 with one that may not do this. */
export function checkAccess(access: Access, actor: Actor | null): void {
  if (access === 'public') return;
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'sign in first: this needs an Authorization: Bearer token');
  if (access === 'reader') return;
  if (access === 'issuer') {
    if (actor.kind === 'staff' || (actor.kind === 'device' && actor.role === 'kiosk')) return;
    throw new DomainError('FORBIDDEN', 'only a kiosk or staff can issue tickets');
  }
  if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'this needs a staff account');
  const need = access === 'staff' ? 1 : access === 'supervisor' ? 2 : 3;
  if (ROLE_RANK[actor.role] < need) throw new DomainError('FORBIDDEN', `this needs the ${access} role`);
}

export class ApiRegistry {
  readonly routes: RouteSpec[] = [];

  add<B extends z.ZodType = z.ZodUndefined>(
    router: Router,
    spec: RouteSpec<B>,
    handler: (input: RouteInput<B>) => unknown,
  ): void {
    this.routes.push(spec as unknown as RouteSpec);
    router[spec.method](spec.path, async (req: Request, res: Response) => {
      const actor = (res.locals.actor as Actor | undefined) ?? null;
      checkAccess(spec.access, actor);
      const body = spec.body ? parseWith(spec.body, req.body ?? {}) : undefined;
      const result = await handler({ body: body as z.output<B>, params: req.params as Record<string, string>, query: req.query, actor, req, res });
      if (res.headersSent) return;
      if (result === undefined) res.status(spec.status ?? 204).end();
      else res.status(spec.status ?? 200).json(result);
    });
  }
}
