// The visitor web site's routes at central (issue 18): `/` (find a place), `/b/:branchId` (a branch's lines, the join and the
// booking, with ?day= for one day's slots), `/tickets` (my tickets and bookings), `/r/:code` (a booking: cancel, move)
// and the page script. Pages are small, gzip-compressed and never cached (the figures are live).
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { Region } from '../../shared/contracts/domain.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import type { CentralApi } from '../http/access.js';
import { sendAsset, sendBody } from '../tracking/page.js';
import type { VisitorCodes } from '../visitors/visitor-codes.js';
import { bookingPageData, renderBooking } from './booking-page.js';
import { activeBranches, branchPageData, renderBranch, renderHome, renderMyTickets, siteLanguage, siteScript } from './site.js';

const HomeQuery = z.object({
  region: Region.optional(), q: z.string().max(80).optional(), lang: z.string().max(8).optional().describe('fr (default), wo or en'),
});
const BranchQuery = z.object({ lang: z.string().max(8).optional().describe('fr (default), wo or en') });
const DayQuery = BranchQuery.extend({
  // Not a strict date: a page never answers 400; a day not on offer shows the first free slots.
  day: z.string().max(10).optional().describe('A local date (YYYY-MM-DD) among the days offered: every free slot of that day'),
});

function sendPage(req: Request, res: Response, html: string, status = 200): void {
  res.status(status);
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('vary', 'Accept-Encoding, Accept-Language');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('content-security-policy', "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  sendBody(req, res, Buffer.from(html));
}

export function registerSiteRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock; codes: VisitorCodes; staleAfterSeconds: number }): void {
  const { cdb, clock, codes } = deps;

  api.add(router, {
    method: 'get', path: '/site.js', operationId: 'getSiteScript', tag: 'remote', access: 'public', summary: "The visitor site's script", produces: 'text/javascript',
  }, ({ req, res }) => sendAsset(req, res, siteScript(), 'public, max-age=3600'));

  api.add(router, {
    method: 'get', path: '/', operationId: 'getSiteHome', tag: 'remote', access: 'public', summary: 'The visitor site: find a branch (by region and organization, or by name)',
    query: HomeQuery, produces: 'text/html',
  }, async ({ query, req, res }) => {
    sendPage(req, res, renderHome(await activeBranches(cdb), siteLanguage(req), { region: query.region, q: query.q }));
  });

  api.add(router, {
    method: 'get', path: '/b/:branchId', operationId: 'getSiteBranch', tag: 'remote', access: 'public', summary: "The visitor site: a branch's lines, and joining one",
    params: z.object({ branchId: z.string().min(1).max(64) }), query: DayQuery, produces: 'text/html',
    description: 'People waiting and the estimated wait per service as central last heard from the branch, with their age; the join form '
      + '(name, phone, a code by SMS) when the branch is reachable and this central can send SMS; the booking form (name, a phone confirmed by SMS or an e-mail address confirmed by e-mail, whichever this central can send). 404 for an unknown or inactive branch (a page).',
    responses: [{ status: 404, description: 'No such branch taking remote tickets (an HTML page)', contentType: 'text/html' }],
  }, async ({ params, query, req, res }) => {
    const data = await branchPageData(cdb, params.branchId as string, clock.now(), deps.staleAfterSeconds, query.day);
    const channels = codes.channels();
    sendPage(req, res, renderBranch(data, siteLanguage(req), { smsEnabled: channels.sms, emailEnabled: channels.email }), data ? 200 : 404);
  });

  api.add(router, {
    method: 'get', path: '/tickets', operationId: 'getSiteMyTickets', tag: 'remote', access: 'public', summary: 'The visitor site: my tickets and bookings (a phone, or an e-mail address for bookings, confirmed by a code)',
    query: BranchQuery, produces: 'text/html',
  }, ({ req, res }) => {
    const channels = codes.channels();
    sendPage(req, res, renderMyTickets(siteLanguage(req), { smsEnabled: channels.sms, emailEnabled: channels.email }));
  });

  api.add(router, {
    method: 'get', path: '/r/:code', operationId: 'getSiteBooking', tag: 'remote', access: 'public', summary: "The visitor site: a booking's page (code, QR code, cancel, move)",
    params: z.object({ code: z.string().min(1).max(32) }), query: DayQuery, produces: 'text/html',
    description: 'The booking (service, branch, time in the branch\'s time zone), its code and QR code; while it has not started, cancel '
      + 'and move (the free slots of the service: the first few, or every one of ?day=), done by the page script with the visitor token '
      + 'of the booking\'s phone (a code by SMS), or for a booking with an e-mail only of its e-mail address (a code sent to it by '
      + 'POST /api/public/bookings/{code}/email-code; the page shows the address masked). 404 for an unknown code (a page).',
    responses: [{ status: 404, description: 'No booking with this code (an HTML page)', contentType: 'text/html' }],
  }, async ({ params, query, req, res }) => {
    const data = await bookingPageData(cdb, params.code as string, clock.now(), query.day);
    const channels = codes.channels();
    sendPage(req, res, renderBooking(data, siteLanguage(req), { smsEnabled: channels.sms, emailEnabled: channels.email }), data ? 200 : 404);
  });
}
