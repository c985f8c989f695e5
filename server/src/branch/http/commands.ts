// A branch command is declared once: its name (the Socket.IO event), the HTTP path, who may run it, its zod body
// and its result. Its HTTP route (through the route registry, so OpenAPI follows) and its socket handler both come
// from that declaration: the same access check, the same validation, the same code.
import type { Router } from 'express';
import type { z } from 'zod';
import { Id } from '../../shared/contracts/api.js';
import type { SocketCommandName } from '../../shared/contracts/events.js';
import { DomainError } from '../../shared/domain/errors.js';
import { parseWith } from '../../shared/http/errors.js';
import type { Actor } from '../core/actor.js';
import type { BranchAccess, BranchApi } from './access.js';

export interface CommandSpec<B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The Socket.IO event, `entity:verb`. */
  name: SocketCommandName;
  /** POST path; its `:id` is the `target` field of a socket payload. */
  path: string;
  /** Which id the command acts on: `ticketId` or `counterId` in a socket payload, `:id` in the path. */
  target: 'ticketId' | 'counterId';
  access: BranchAccess;
  tag: string;
  summary: string;
  description?: string;
  body: B;
  result: R;
  run(input: { id: string; body: z.output<B> }, actor: Actor): z.output<R>;
}

/** Declares a command (a helper only for type inference). */
export function command<B extends z.ZodType, R extends z.ZodType>(spec: CommandSpec<B, R>): CommandSpec {
  return spec as unknown as CommandSpec;
}

/** The command's HTTP route: POST path with the body, answered with the result (a direct route: see route.ts). */
export function registerCommandRoutes(router: Router, api: BranchApi, commands: readonly CommandSpec[]): void {
  for (const c of commands) {
    api.addDirect(router, { method: 'post', path: c.path, tag: c.tag, access: c.access, summary: c.summary, description: c.description, body: c.body, response: c.result },
      ({ params, body, actor }) => c.run({ id: params.id as string, body }, actor as Actor));
  }
}

/**
 * Runs a socket command as its HTTP route would: the caller (checked again on every command, so a revoked session
 * stops at once), the access rule, then the payload: `{ [target]: id, ...body }`. Throws the same errors.
 */
export function runSocketCommand(c: CommandSpec, api: BranchApi, actor: Actor | null, payload: unknown): unknown {
  api.policy.check(c.access, actor);
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new DomainError('VALIDATION_ERROR', 'command payload must be an object');
  const { [c.target]: id, ...rest } = payload as Record<string, unknown>;
  const target = Id.safeParse(id);
  if (!target.success) throw new DomainError('VALIDATION_ERROR', `${c.target} must be a string id`);
  return c.run({ id: target.data, body: parseWith(c.body, rest) }, actor as Actor);
}
