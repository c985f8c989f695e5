// Central's booking routes. Public (no account): the visitor finds a branch, a service and a free slot, books
// with a name and a phone number or an email, and keeps a code (and its QR code) to cancel, move or check in.
// One route for branches (branch credential): the lookup of a code the branch does not hold.
import express, { type Router } from 'express';
import { z } from 'zod';
import { BookBody, MoveBody } from '../../shared/contracts/appointments.js';
import { LocalDate, Region } from '../../shared/contracts/domain.js';
import type { Clock } from '../../shared/clock.js';
import { authenticateBranch } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { zodMessage } from '../../shared/http/errors.js';
import type { BookingNotices } from './booking-notices.js';
import { book, bookingQr, cancel, freeSlots, getBooking, listBranches, listOrganizations, listServices, lookupForBranch, move } from './booking.service.js';

export interface BookingRouteDeps {
  cdb: CentralDb;
  clock: Clock;
  /** Confirmations to the visitor (SMS / e-mail), queued with the booking; none when absent. */
  notices?: Pick<BookingNotices, 'confirm' | 'queued'>;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CentralError(400, 'VALIDATION_ERROR', zodMessage(r.error), r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}

const RegionQuery = z.object({ region: Region.optional() });
const BranchQuery = z.object({ region: Region.optional(), organizationId: z.string().max(64).optional() });
const SlotsQuery = z.object({ from: LocalDate.optional(), to: LocalDate.optional() });

export function registerBookingRoutes(router: Router, deps: BookingRouteDeps): void {
  const { cdb, clock, notices } = deps;
  const json = express.json({ limit: '8kb' });

  router.get('/api/public/organizations', async (req, res) => {
    const q = parse(RegionQuery, req.query);
    res.json(await listOrganizations(cdb, q.region));
  });
  router.get('/api/public/branches', async (req, res) => {
    res.json(await listBranches(cdb, parse(BranchQuery, req.query)));
  });
  router.get('/api/public/branches/:branchId/services', async (req, res) => {
    res.json(await listServices(cdb, String(req.params.branchId)));
  });
  router.get('/api/public/branches/:branchId/services/:serviceId/slots', async (req, res) => {
    const q = parse(SlotsQuery, req.query);
    res.json(await freeSlots(cdb, String(req.params.branchId), String(req.params.serviceId), clock.now(), q));
  });

  router.post('/api/public/bookings', json, async (req, res) => {
    const created = await book(cdb, parse(BookBody, req.body ?? {}), clock.now(), notices);
    notices?.queued();
    res.status(201).json(created);
  });
  router.get('/api/public/bookings/:code', async (req, res) => {
    res.json(await getBooking(cdb, String(req.params.code)));
  });
  router.get('/api/public/bookings/:code/qr.svg', async (req, res) => {
    const booking = await getBooking(cdb, String(req.params.code));
    res.type('image/svg+xml').send((await bookingQr(booking.code)).svg);
  });
  router.get('/api/public/bookings/:code/qr.png', async (req, res) => {
    const booking = await getBooking(cdb, String(req.params.code));
    const dataUrl = (await bookingQr(booking.code)).pngDataUrl;
    res.type('image/png').send(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  });
  router.post('/api/public/bookings/:code/cancel', async (req, res) => {
    res.json(await cancel(cdb, String(req.params.code), clock.now()));
  });
  router.post('/api/public/bookings/:code/move', json, async (req, res) => {
    const body = parse(MoveBody, req.body ?? {});
    const moved = await move(cdb, String(req.params.code), body.startsAt, clock.now(), notices);
    notices?.queued();
    res.json(moved);
  });

  // A branch asks about a code it does not hold (branch credential): booked moments ago, or another branch's.
  router.get('/api/sync/bookings/:code', async (req, res) => {
    const branchId = await authenticateBranch(cdb, bearerToken(req));
    res.json(await lookupForBranch(cdb, branchId, String(req.params.code)));
  });
}
