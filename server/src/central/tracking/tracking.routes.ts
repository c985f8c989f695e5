// Routes of ticket tracking on central: the page (/t/:ticketId), its script and service worker, the visitor's API
// (/api/track/…, public: the ticket id in the QR code is the key) and head-office settings and delivery log.
import type { Router } from 'express';
import { z } from 'zod';
import { SubscribeBody, SubscribeResponse, TrackingSettingsBody, TrackView, TravelAdvice, TravelQuery } from '../../shared/contracts/tracking.js';
import type { CentralDb } from '../db/database.js';
import { callerOrganization, checkBranchScope, type CentralApi } from '../http/access.js';
import { listDeliveries } from '../notifications/delivery-log.js';
import { CHANNEL_KINDS } from '../notifications/types.js';
import { notificationDb } from '../notifications/store.js';
import { pageAssets, pageLanguage, renderPage, sendAsset, sendBody } from './page.js';
import type { TrackingService } from './tracking.service.js';

const TicketParams = z.object({ ticketId: z.string().min(1).max(64) });
const BranchChoice = z.string().min(1).max(64).optional()
  .describe('The branch of the ticket, when several branches hold a ticket with this id (the view lists them in holders).');
const TrackQuery = z.object({ branch: BranchChoice });
const PageQuery = z.object({ branch: BranchChoice, lang: z.string().max(8).optional().describe('fr, wo or en; default the ticket\'s language') });
const BranchParams = z.object({ id: z.string().min(1).max(64) });
const DeliveriesQuery = z.object({
  ticketId: z.string().max(64).optional(),
  branchId: z.string().max(64).optional(),
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'expired']).optional(),
  channel: z.enum(CHANNEL_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const DeliveryView = z.object({
  id: z.string(), eventKey: z.string(), channel: z.string(), recipient: z.string(), kind: z.string(), language: z.string(),
  status: z.string(), attempts: z.number().int(), nextAttemptAt: z.string().nullable(), lastError: z.string().nullable(),
  ticketId: z.string().nullable(), branchId: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable(),
});
const small = { kind: 'json', limit: '16kb' } as const;

export function registerTrackingRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; tracking: TrackingService }): void {
  const { cdb, tracking } = deps;

  api.add(router, {
    method: 'get', path: '/t/track.js', tag: 'tracking', access: 'public', summary: "The tracking page's script", produces: 'text/javascript',
  }, ({ req, res }) => sendAsset(req, res, pageAssets().script, 'public, max-age=3600'));
  // The worker must stay fresh (browsers check it anyway); scope /t/.
  api.add(router, {
    method: 'get', path: '/t/sw.js', tag: 'tracking', access: 'public', summary: "The tracking page's service worker (notifications)", produces: 'text/javascript',
  }, ({ req, res }) => sendAsset(req, res, pageAssets().worker, 'no-cache'));

  api.add(router, {
    method: 'get', path: '/t/:ticketId', tag: 'tracking', access: 'public', summary: 'The tracking page a visitor opens from the QR code',
    params: TicketParams, query: PageQuery, produces: 'text/html',
  }, async ({ params, query, req, res }) => {
    const view = await tracking.view(params.ticketId as string, query.branch ?? null);
    // The QR code a remote visitor shows the kiosk: this page's own address (the kiosk reads the ticket id in it).
    const pageUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}/t/${encodeURIComponent(params.ticketId as string)}`;
    const html = renderPage(view, pageLanguage(req, view), await tracking.branchTimeZone(view.branch?.id ?? null), pageUrl);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('vary', 'Accept-Encoding, Accept-Language');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('content-security-policy', "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    sendBody(req, res, Buffer.from(html));
  });

  api.add(router, {
    method: 'get', path: '/api/track/:ticketId', tag: 'tracking', access: 'public', summary: "A ticket's live position, as the visitor sees it",
    params: TicketParams, query: TrackQuery, response: TrackView,
  }, async ({ params, query, res }) => {
    res.setHeader('cache-control', 'no-store');
    return tracking.view(params.ticketId as string, query.branch ?? null);
  });

  api.add(router, {
    method: 'post', path: '/api/track/:ticketId/subscriptions', tag: 'tracking', access: 'public', summary: 'Be told when the turn comes (push, e-mail or SMS)',
    params: TicketParams, query: TrackQuery, body: SubscribeBody, bodyKind: small, response: SubscribeResponse, status: 201,
    // 409: the channel is off for this branch; 429: too many subscriptions for this ticket.
    errors: [429],
    responses: [{ status: 200, description: 'Already subscribed on this channel', schema: SubscribeResponse }],
  }, async ({ params, query, body, res }) => {
    const result = await tracking.subscribe(params.ticketId as string, body, query.branch ?? null);
    res.status(result.created ? 201 : 200).json(result);
  });

  api.add(router, {
    method: 'get', path: '/api/track/:ticketId/travel', tag: 'tracking', access: 'public', summary: 'When to leave to arrive on time, from where the visitor is',
    params: TicketParams, query: TravelQuery.extend({ branch: BranchChoice }), response: TravelAdvice,
  }, async ({ params, query, res }) => {
    res.setHeader('cache-control', 'no-store');
    return tracking.travel(params.ticketId as string, { lat: query.lat, lon: query.lon }, query.branch ?? null);
  });

  api.add(router, {
    method: 'get', path: '/api/central/branches/:id/tracking', tag: 'tracking', access: 'admin', summary: "A branch's tracking and notification settings",
    params: BranchParams, response: TrackingSettingsBody,
  }, ({ params }) => tracking.settings(params.id as string));
  api.add(router, {
    method: 'put', path: '/api/central/branches/:id/tracking', tag: 'tracking', access: 'admin', summary: "Change a branch's tracking and notification settings",
    params: BranchParams, body: TrackingSettingsBody, bodyKind: small, response: TrackingSettingsBody,
  }, ({ params, body }) => tracking.updateSettings(params.id as string, body));

  api.add(router, {
    method: 'get', path: '/api/central/notifications', tag: 'notifications', access: 'analyst', summary: "The notification delivery log of the caller's organization, the latest first",
    query: DeliveriesQuery, response: z.array(DeliveryView),
    // 404: a branch of another organization.
    errors: [404],
  }, async ({ query: q, actor }) => {
    if (q.branchId) await checkBranchScope(cdb, actor, q.branchId);
    const org = callerOrganization(actor);
    // An organization sees the messages about its branches only (the filter is in the query).
    const branchIds = q.branchId ? [q.branchId]
      : org ? (await cdb.db.selectFrom('branches').select('id').where('organization_id', '=', org).execute()).map((b) => b.id) : undefined;
    const rows = await listDeliveries(notificationDb(tracking.db), {
      refId: q.ticketId, status: q.status, channel: q.channel, limit: q.limit, newestFirst: true, ...(branchIds && { branchIds }),
    });
    return rows.map((d) => ({
      id: d.id, eventKey: d.eventKey, channel: d.channel, recipient: d.recipient.address, kind: d.kind, language: d.message.language,
      status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError, ticketId: d.refId, branchId: d.branchId, createdAt: d.createdAt, sentAt: d.sentAt,
    }));
  });
}
