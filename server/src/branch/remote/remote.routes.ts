// The branch's remote-ticket routes: its rules (admin, read by the supervisor too) and a remote visitor's
// check-in (the kiosk that scans the ticket's QR code, or the agent the visitor talks to).
import type { Router } from 'express';
import { z } from 'zod';
import { CommandId } from '../../shared/contracts/api.js';
import { ArrivalResult, RemoteSettings, RemoteSettingsPatch } from '../../shared/contracts/remote.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Actor } from '../core/actor.js';
import { readRemoteSettings, saveRemoteSettings } from './remote-joins.js';

export function registerRemoteRoutes(router: Router, api: BranchApi, parts: Pick<BranchParts, 'ctx' | 'tickets' | 'ticketViews' | 'audit'>): void {
  const { store, clock, events } = parts.ctx;
  api.add(router, {
    method: 'get', path: '/api/admin/remote', tag: 'remote', access: 'supervisor', summary: 'The branch’s rules for remote tickets', response: RemoteSettings,
  }, () => readRemoteSettings(store));
  api.add(router, {
    method: 'patch', path: '/api/admin/remote', tag: 'remote', access: 'admin', summary: 'Change the share of remote tickets per hour and what call-next does with absent ones',
    body: RemoteSettingsPatch, response: RemoteSettings,
  }, ({ body, actor }) => {
    if (Object.keys(body).length === 0) throw new DomainError('VALIDATION_ERROR', 'name at least one setting to change');
    return parts.audit.change(actor, { kind: 'remote', action: 'update' }, {
      before: () => readRemoteSettings(store),
      apply: () => parts.ctx.uow.run((tx) => {
        const saved = saveRemoteSettings(tx, body, clock.now().toISOString());
        // Staff screens order their "next" list by the absent rule: they get it with a fresh snapshot.
        tx.afterCommit(() => events.emit('catalog.changed'));
        return saved;
      }),
      patch: body,
    });
  });
  api.add(router, {
    method: 'post', path: '/api/tickets/:id/arrive', tag: 'remote', access: 'issuer',
    summary: 'A remote visitor is here: check the ticket in (kiosk scan of its QR code, or the agent)',
    params: z.object({ id: z.string().min(1).max(64) }), body: z.strictObject({ commandId: CommandId.optional() }), response: ArrivalResult, errors: [409],
    description: 'The ticket keeps its number, status and place; it stops being "pas encore arrivé". A ticket already arrived answers as it is, with alreadyArrived.',
  }, ({ params, body, actor }) => {
    const who = actorOf(actor);
    // Read and check-in run in one synchronous turn: nothing else can check the ticket in between.
    const before = parts.ticketViews.getTicket(params.id as string);
    const ticket = parts.tickets.arrive(params.id as string, who, body.commandId);
    return { ticket, alreadyArrived: before.arrivedAt !== null };
  });
}

function actorOf(actor: Actor | null): Actor {
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'sign in or pair the kiosk first');
  return actor;
}
