// One-time codes for visitors (public): which ways of sending one this central has, ask for a code for a phone or
// an e-mail address, send it back for a short-lived token (central/visitors/visitor-codes.ts).
import type { Router } from 'express';
import { z } from 'zod';
import { MyBooking, MyTicket, MyTicketsBody, VisitorCodeChannels, VisitorCodeCheck, VisitorCodeRequest, VisitorCodeSent, VisitorToken } from '../../shared/contracts/visitor.js';
import { Language } from '../../shared/contracts/domain.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import { myBookings, myTickets } from './my-tickets.js';
import type { CentralApi } from '../http/access.js';
import type { VisitorCodes } from './visitor-codes.js';

const CodeParams = z.object({ codeId: z.string().min(1).max(64) });
const small = { kind: 'json', limit: '2kb' } as const;

export function registerVisitorRoutes(router: Router, api: CentralApi, deps: { codes: VisitorCodes; cdb: CentralDb; clock: Clock }): void {
  const { codes } = deps;

  api.add(router, {
    method: 'get', path: '/api/public/visitor-codes/channels', tag: 'remote', access: 'public', summary: 'Ways a visitor can get a one-time code here',
    response: VisitorCodeChannels,
    description: 'sms: false when this central has no SMS channel configured (the visitor site then does not offer SMS).',
  }, () => codes.channels());

  api.add(router, {
    method: 'post', path: '/api/public/visitor-codes', tag: 'remote', access: 'public', summary: 'Send a one-time code to a phone (SMS) or an e-mail address',
    body: VisitorCodeRequest, bodyKind: small, response: VisitorCodeSent, status: 201, errors: [409, 429],
    description: 'The code (6 digits) stands 10 minutes and 5 tries; it goes through the delivery log. 409 CHANNEL_OFF: no SMS (or e-mail) '
      + 'channel here; 429: too many codes for this phone or address in the hour, or from this network.',
  }, ({ body, req }) => codes.request(body, req.socket.remoteAddress ?? 'unknown'));

  api.add(router, {
    method: 'post', path: '/api/public/visitor-codes/:codeId/verify', tag: 'remote', access: 'public', summary: 'Send the code back: a short-lived token of the phone or address',
    params: CodeParams, body: VisitorCodeCheck, bodyKind: small, response: VisitorToken, errors: [410, 422, 429],
    description: '422 CODE_WRONG (details.attemptsLeft); 410 CODE_EXPIRED (details.reason: expired, used, or tries when no tries are left: ask for a new code); '
      + '429: too many wrong codes from this network.',
  }, ({ params, body, req }) => codes.verify(params.codeId as string, body.code, req.socket.remoteAddress ?? 'unknown'));

  api.add(router, {
    method: 'post', path: '/api/public/my-tickets', tag: 'remote', access: 'public', summary: "A confirmed visitor's remote tickets (the phone of the token)",
    body: MyTicketsBody, bodyKind: small, query: z.object({ lang: Language.optional() }), response: z.array(MyTicket), errors: [401, 403],
    description: 'The remote tickets of the last day that are not over, as central last heard from each branch, with their tracking links.',
  }, async ({ body, query }) => myTickets(deps.cdb, await codes.phoneOf(body.visitorToken), deps.clock.now(), query.lang));

  api.add(router, {
    method: 'post', path: '/api/public/my-bookings', tag: 'remote', access: 'public', summary: "A confirmed visitor's bookings (the phone or e-mail address of the token)",
    body: MyTicketsBody, bodyKind: small, query: z.object({ lang: Language.optional() }), response: z.array(MyBooking), errors: [401],
    description: 'The bookings of the phone (or, for an e-mail address\'s token, those made with that address, in any case) still to come, '
      + 'and today\'s while they can be checked in (booked ones: not cancelled, checked in or missed), '
      + 'soonest first, with the site\'s page of each (code, QR code, cancel, move). Cancel and move with the same visitorToken '
      + '(POST /api/public/bookings/{code}/cancel and /move). 401 VISITOR_UNVERIFIED without a valid token.',
  }, async ({ body, query }) => myBookings(deps.cdb, await codes.contactOf(body.visitorToken), deps.clock.now(), query.lang));
}
