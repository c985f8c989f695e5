// Central's booking routes. Public (no account): the visitor finds a branch, a service and a free slot, books
// with a name and a phone number or an email, and keeps a code (and its QR code) to cancel, move or check in.
// One route for branches (branch credential): the lookup of a code the branch does not hold.
import type { Router } from 'express';
import { z } from 'zod';
import {
  BookBody, BookingCreated, BranchBookingLookup, MoveBody, PublicBookingView, PublicBranchView, PublicOrganizationView, PublicServiceView, SlotsResponse,
} from '../../shared/contracts/appointments.js';
import { LocalDate, Region } from '../../shared/contracts/domain.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import { callerBranch, type CentralApi } from '../http/access.js';
import type { BookingNotices } from './booking-notices.js';
import type { BookingLimits } from './booking-limits.js';
import type { VisitorCodes } from '../visitors/visitor-codes.js';
import { book, bookingQr, cancel, freeSlots, getBooking, listBranches, listOrganizations, listServices, lookupForBranch, move } from './booking.service.js';

export interface BookingRouteDeps {
  cdb: CentralDb;
  clock: Clock;
  /** Confirmations to the visitor (SMS / e-mail), queued with the booking; none when absent. */
  notices?: Pick<BookingNotices, 'confirm' | 'queued'>;
  /** Anonymous booking limits (per phone, e-mail and address). */
  limits?: BookingLimits;
  /** Checks a visitor token sent with a booking (the visitor site's confirmed phone). */
  visitors?: Pick<VisitorCodes, 'requirePhone'>;
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
    // 401/403: a visitorToken that is not (or no longer) this phone's.
    errors: [401, 403, 404, 422, 429],
  }, async ({ body, req }) => {
    if (body.visitorToken !== undefined && deps.visitors) await deps.visitors.requirePhone(body.visitorToken, body.phone ?? '');
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
    params: CodeParams, response: PublicBookingView,
  }, ({ params }) => cancel(cdb, params.code as string, clock.now()));
  api.add(router, {
    method: 'post', path: '/api/public/bookings/:code/move', tag: 'bookings', access: 'public', summary: 'Move a booking to another slot',
    params: CodeParams, body: MoveBody, bodyKind: small, response: BookingCreated, errors: [422],
  }, async ({ params, body }) => {
    const moved = await move(cdb, params.code as string, body.startsAt, clock.now(), notices);
    notices?.queued();
    return moved;
  });

  // A branch asks about a code it does not hold (branch credential): booked moments ago, or another branch's.
  api.add(router, {
    method: 'get', path: '/api/sync/bookings/:code', tag: 'sync', access: 'branch', summary: 'Look up a booking code the branch does not hold',
    params: CodeParams, response: BranchBookingLookup,
  }, ({ params, actor }) => lookupForBranch(cdb, callerBranch(actor), params.code as string));
}
