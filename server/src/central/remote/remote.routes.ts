// Remote tickets' routes: the visitor's join (public: web only, with a verified phone; rate-limited per phone and per address) and the branch's side
// of it (branch credential): take the joins waiting for it, answer each with the ticket it issued or a refusal.
import type { Router } from 'express';
import { z } from 'zod';
import { PublicRemoteJoinBody, RemoteAnswerBody, RemoteTakeResponse, RemoteTicketView } from '../../shared/contracts/remote.js';
import { callerBranch, type CentralApi } from '../http/access.js';
import type { RemoteCancels } from './remote-cancels.js';
import type { RemoteJoins } from './remote-joins.js';
import type { VisitorCodes } from '../visitors/visitor-codes.js';

const JoinParams = z.object({ id: z.string().min(1).max(64) });

export function registerRemoteRoutes(router: Router, api: CentralApi, deps: { joins: RemoteJoins; cancels: RemoteCancels; visitors: VisitorCodes }): void {
  const { joins, cancels, visitors } = deps;

  api.add(router, {
    method: 'post', path: '/api/remote/joins', tag: 'remote', access: 'public', summary: 'Join a branch’s line from anywhere (a remote ticket)',
    body: PublicRemoteJoinBody, bodyKind: { kind: 'json', limit: '4kb' }, response: RemoteTicketView, errors: [401, 403, 409, 429, 503, 504],
    description: 'Channel web only, with the visitor token of this phone (a one-time code by SMS: POST /api/public/visitor-codes): '
      + '401 VISITOR_UNVERIFIED without a valid one, 403 VISITOR_PHONE_MISMATCH for another phone. SMS and USSD joins are made inside central. '
      + 'Forwarded to the branch over its live link; the branch issues a real ticket and the answer comes back. '
      + '503 BRANCH_OFFLINE when the branch did not take it in time (nothing is issued later); 409 REMOTE_TICKET_ACTIVE (one active remote '
      + 'ticket per phone and line), SERVICE_CLOSED, REMOTE_SHARE_FULL (the branch’s share of remote tickets this hour); 429 per phone per day '
      + 'and per address; 504 REMOTE_JOIN_PENDING (taken, not answered yet: ask again with the same idempotency key).',
  }, async ({ body, req }) => {
    // A retried join (same key) answers what the first got, but only to the holder of the phone's token too.
    await visitors.requirePhone(body.visitorToken, body.phone);
    const { visitorToken: _token, ...join } = body;
    return joins.join(join, req.socket.remoteAddress ?? 'unknown');
  });

  api.add(router, {
    method: 'get', path: '/api/remote/joins/:id', tag: 'remote', access: 'public', summary: 'A remote join’s ticket (after 504 REMOTE_JOIN_PENDING)',
    params: JoinParams, response: RemoteTicketView, errors: [409, 503, 504],
  }, ({ params }) => joins.get(params.id as string));

  api.add(router, {
    method: 'post', path: '/api/sync/remote/take', tag: 'sync', access: 'branch', summary: 'Take the remote joins and cancels waiting for this branch',
    bodyKind: { kind: 'json', limit: '1kb' }, response: RemoteTakeResponse,
    description: 'Pending joins (and visitors\' cancels of remote tickets) still within their deadline become claimed; claimed ones not answered yet come again (an answer may have been lost).',
  }, async ({ actor }) => ({ joins: await joins.take(callerBranch(actor)), cancels: await cancels.take(callerBranch(actor)) }));

  api.add(router, {
    method: 'post', path: '/api/sync/remote/answer', tag: 'sync', access: 'branch', summary: 'Answer a remote join (the ticket issued, or why not) or a cancel (done, or why not)',
    body: RemoteAnswerBody, bodyKind: { kind: 'json', limit: '4kb' }, errors: [409],
  }, async ({ body, actor }) => {
    if (body.outcome === 'cancelled') await cancels.answer(callerBranch(actor), body.joinId, { done: true });
    else if (body.outcome === 'cancel_refused') await cancels.answer(callerBranch(actor), body.joinId, { done: false, code: body.code });
    else await joins.answer(callerBranch(actor), body);
    return undefined;
  });
}
