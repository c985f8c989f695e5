// Central's booking routes. Public (no account): the visitor finds a branch, a service and a free slot, books
// with a name and a phone number or an email, and keeps a code (and its QR code) to cancel, move or check in.
// One route for branches (branch credential): the lookup of a code the branch does not hold.
import type { Router } from 'express';
import { z } from 'zod';
import {
  BookBody, BookingCreated, BookingEmailCodeBody, BranchBookingLookup, CancelBody, MoveBody, PublicBookingView, PublicBranchView, PublicOrganizationView, PublicServiceView, SlotsResponse,
} from '../../shared/contracts/appointments.js';
import { LocalDate, Region } from '../../shared/contracts/domain.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import { callerBranch, type CentralApi } from '../http/access.js';
import type { BookingNotices } from './booking-notices.js';
import type { BookingLimits } from './booking-limits.js';
import type { VisitorCodes } from '../visitors/visitor-codes.js';
import { VisitorCodeSent } from '../../shared/contracts/visitor.js';
import { book, bookingQr, cancel, changeableBookingEmail, freeSlots, getBooking, listBranches, listOrganizations, listServices, lookupForBranch, move } from './booking.service.js';

export interface BookingRouteDeps {
  cdb: CentralDb;
  clock: Clock;
  /** Confirmations to the visitor (SMS / e-mail), queued with the booking; none when absent. */
  notices?: Pick<BookingNotices, 'confirm' | 'queued'>;
  /** Anonymous booking limits (per phone, e-mail and address). */
  limits?: BookingLimits;
  /**
   * Checks the visitor token of a booking, a cancel or a move: the booking's phone or e-mail, confirmed by a one-time
   * code (issue 18: nothing is booked in the name of a phone or an address the visitor does not hold); and sends the
   * code to a booking's e-mail address from its page.
   */
  visitors: Pick<VisitorCodes, 'requireContact' | 'request'>;
}

const RegionQuery = z.object({ region: Region.optional() });
const BranchQuery = z.object({ region: Region.optional(), organizationId: z.string().max(64).optional() });
const SlotsQuery = z.object({ from: LocalDate.optional(), to: LocalDate.optional() });
const Ref = z.string().min(1).max(64);
const CodeParams = z.object({ code: Ref });
const small = { kind: 'json', limit: '8kb' } as const;

export function registerBookingRoutes(router: Router, api: CentralApi, deps: BookingRouteDeps): void {
  const { cdb, clock, notices } = deps;

  api.add(router, {
    method: 'get', path: '/api/public/organizations', tag: 'bookings', access: 'public', summary: 'Organizations that take bookings',
    query: RegionQuery, response: z.array(PublicOrganizationView),
  }, ({ query }) => listOrganizations(cdb, query.region));
  api.add(router, {
    method: 'get', path: '/api/public/branches', tag: 'bookings', access: 'public', summary: 'Branches that take bookings',
    query: BranchQuery, response: z.array(PublicBranchView),
  }, ({ query }) => listBranches(cdb, query));
  api.add(router, {
    method: 'get', path: '/api/public/branches/:branchId/services', tag: 'bookings', access: 'public', summary: "A branch's bookable services",
    params: z.object({ branchId: Ref }), response: z.array(PublicServiceView),
  }, ({ params }) => listServices(cdb, params.branchId as string));
  api.add(router, {
    method: 'get', path: '/api/public/branches/:branchId/services/:serviceId/slots', tag: 'bookings', access: 'public', summary: 'Free slots of a service',
    params: z.object({ branchId: Ref, serviceId: Ref }), query: SlotsQuery, response: SlotsResponse,
  }, ({ params, query }) => freeSlots(cdb, params.branchId as string, params.serviceId as string, clock.now(), query));

  api.add(router, {
    method: 'post', path: '/api/public/bookings', tag: 'bookings', access: 'public', summary: 'Book a slot',
    body: BookBody, bodyKind: small, response: BookingCreated, status: 201,
    // 404: no such branch or service; 422: the slot is not offered (full, past, closed); 429: booking limits;
    // 401: no visitorToken, or an expired one; 403: the token of another phone or address.
    errors: [401, 403, 404, 422, 429],
    description: 'visitorToken is required: the token of the booking\'s phone (or, for a booking with an e-mail only, of its e-mail '
      + 'address), from POST /api/public/visitor-codes and its verify. Without one: 401 VISITOR_UNVERIFIED, nothing booked; '
      + 'another phone\'s or address\'s: 403 VISITOR_CONTACT_MISMATCH.',
  }, async ({ body, req }) => {
    // Before any limit is counted or any slot taken: an unconfirmed contact books nothing.
    await deps.visitors.requireContact(body.visitorToken, body.phone !== undefined ? { phone: body.phone } : { email: body.email ?? null });
    const created = await book(cdb, body, clock.now(), notices, deps.limits && { limits: deps.limits, address: req.socket.remoteAddress ?? 'unknown' });
    notices?.queued();
    return created;
  });
  api.add(router, {
    method: 'get', path: '/api/public/bookings/:code', tag: 'bookings', access: 'public', summary: 'A booking by its code',
    params: CodeParams, response: PublicBookingView,
  }, ({ params }) => getBooking(cdb, params.code as string));
  api.add(router, {
    method: 'get', path: '/api/public/bookings/:code/qr.svg', tag: 'bookings', access: 'public', summary: "The booking code's QR code (SVG)",
    params: CodeParams, produces: 'image/svg+xml',
  }, async ({ params, res }) => {
    const booking = await getBooking(cdb, params.code as string);
    res.type('image/svg+xml').send((await bookingQr(booking.code)).svg);
  });
  api.add(router, {
    method: 'get', path: '/api/public/bookings/:code/qr.png', tag: 'bookings', access: 'public', summary: "The booking code's QR code (PNG)",
    params: CodeParams, produces: 'image/png',
  }, async ({ params, res }) => {
    const booking = await getBooking(cdb, params.code as string);
    const dataUrl = (await bookingQr(booking.code)).pngDataUrl;
    res.type('image/png').send(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  });
  api.add(router, {
    method: 'post', path: '/api/public/bookings/:code/cancel', tag: 'bookings', access: 'public', summary: 'Cancel a booking',
    params: CodeParams, body: CancelBody, bodyKind: small, response: PublicBookingView, errors: [401, 403, 409],
    description: "visitorToken: the token of the booking's phone or e-mail address (401 VISITOR_UNVERIFIED without one, 403 for another's): "
      + 'the booking code alone is printed and shown, it does not prove who holds the booking.',
  }, async ({ params, body }) => cancel(cdb, params.code as string, clock.now(), (b) => deps.visitors.requireContact(body.visitorToken, b)));
  api.add(router, {
    method: 'post', path: '/api/public/bookings/:code/email-code', tag: 'bookings', access: 'public', summary: "Send a one-time code to a booking's e-mail address",
    params: CodeParams, body: BookingEmailCodeBody, bodyKind: small, response: VisitorCodeSent, status: 201, errors: [404, 409, 429],
    description: 'For the booking\'s page of a booking made with an e-mail address (and no phone): the code goes to the booking\'s own '
      + 'address, which the caller neither gives nor gets back (sentTo is masked); verify it (POST /api/public/visitor-codes/{codeId}/verify) '
      + 'for the visitorToken of the cancel and the move. Same code rules and limits as POST /api/public/visitor-codes (3 an hour per '
      + 'address, 20 per network address: 429 RATE_LIMITED). 409 BOOKING_NO_EMAIL (booked with a phone only), BOOKING_CANCELLED, '
      + 'ALREADY_CHECKED_IN or BOOKING_PAST (nothing left to change), CHANNEL_OFF (this central sends no e-mail).',
  }, async ({ params, body, req }) => {
    const { email, branchId } = await changeableBookingEmail(cdb, params.code as string, clock.now());
    return deps.visitors.request({ email, language: body.language }, req.socket.remoteAddress ?? 'unknown', branchId);
  });
  api.add(router, {
    method: 'post', path: '/api/public/bookings/:code/move', tag: 'bookings', access: 'public', summary: 'Move a booking to another slot',
    params: CodeParams, body: MoveBody, bodyKind: small, response: BookingCreated, errors: [401, 403, 409, 422],
    description: "visitorToken: the token of the booking's phone or e-mail address, as for a cancel.",
  }, async ({ params, body }) => {
    const moved = await move(cdb, params.code as string, body.startsAt, clock.now(), notices, (b) => deps.visitors.requireContact(body.visitorToken, b));
    notices?.queued();
    return moved;
  });

  // A branch asks about a code it does not hold (branch credential): booked moments ago, or another branch's.
  api.add(router, {
    method: 'get', path: '/api/sync/bookings/:code', tag: 'sync', access: 'branch', summary: 'Look up a booking code the branch does not hold',
    params: CodeParams, response: BranchBookingLookup,
  }, ({ params, actor }) => lookupForBranch(cdb, callerBranch(actor), params.code as string));
}
