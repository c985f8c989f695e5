// Routes of ticket tracking on central: the page (/t/:ticketId), its script and service worker, the visitor's API
// (/api/track/…, public: the ticket id in the QR code is the key) and head-office settings and delivery log.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { SubscribeBody, TrackingSettingsBody, TravelQuery } from '../../shared/contracts/tracking.js';
import { sameHash, sha256 } from '../branches/branches.js';
import { CentralError } from '../http/errors.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { zodMessage } from '../../shared/http/errors.js';
import { listDeliveries } from '../notifications/delivery-log.js';
import { CHANNEL_KINDS } from '../notifications/types.js';
import { notificationDb } from '../notifications/store.js';
import { pageAssets, pageLanguage, renderPage, sendAsset, sendBody } from './page.js';
import type { TrackingService } from './tracking.service.js';

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CentralError(400, 'VALIDATION_ERROR', zodMessage(r.error));
  return r.data;
}

const TicketId = z.string().min(1).max(64);
const DeliveriesQuery = z.object({
  ticketId: z.string().max(64).optional(),
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'expired']).optional(),
  channel: z.enum(CHANNEL_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export function registerTrackingRoutes(router: Router, deps: { tracking: TrackingService; adminTokenHashes: string[] }): void {
  const { tracking } = deps;
  const small = express.json({ limit: '16kb' });
  const admin = (req: Request, _res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) throw new CentralError(401, 'UNAUTHENTICATED', 'head-office routes need the admin token: Authorization: Bearer …');
    if (!deps.adminTokenHashes.some((h) => sameHash(h, sha256(token)))) throw new CentralError(403, 'FORBIDDEN', 'this token is not the central admin token');
    next();
  };

  router.get('/t/track.js', (req, res) => sendAsset(req, res, pageAssets().script, 'public, max-age=3600'));
  // The worker must stay fresh (browsers check it anyway); scope /t/.
  router.get('/t/sw.js', (req, res) => sendAsset(req, res, pageAssets().worker, 'no-cache'));

  router.get('/t/:ticketId', async (req, res) => {
    const ticketId = parse(TicketId, req.params.ticketId);
    const view = await tracking.view(ticketId);
    const html = renderPage(view, pageLanguage(req, view), await tracking.branchTimeZone(view.branch?.id ?? null));
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('vary', 'Accept-Encoding, Accept-Language');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('content-security-policy', "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    sendBody(req, res, Buffer.from(html));
  });

  router.get('/api/track/:ticketId', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(await tracking.view(parse(TicketId, req.params.ticketId)));
  });

  router.post('/api/track/:ticketId/subscriptions', small, async (req, res) => {
    const result = await tracking.subscribe(parse(TicketId, req.params.ticketId), parse(SubscribeBody, req.body));
    res.status(result.created ? 201 : 200).json(result);
  });

  router.get('/api/track/:ticketId/travel', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(await tracking.travel(parse(TicketId, req.params.ticketId), parse(TravelQuery, req.query)));
  });

  router.get('/api/central/branches/:id/tracking', admin, async (req, res) => {
    res.json(await tracking.settings(String(req.params.id)));
  });
  router.put('/api/central/branches/:id/tracking', admin, small, async (req, res) => {
    res.json(await tracking.updateSettings(String(req.params.id), parse(TrackingSettingsBody, req.body)));
  });

  router.get('/api/central/notifications', admin, async (req, res) => {
    const q = parse(DeliveriesQuery, req.query);
    const rows = await listDeliveries(notificationDb(tracking.db), { refId: q.ticketId, status: q.status, channel: q.channel, limit: q.limit });
    res.json(rows.map((d) => ({
      id: d.id, eventKey: d.eventKey, channel: d.channel, recipient: d.recipient.address, kind: d.kind, language: d.message.language,
      status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError, ticketId: d.refId, createdAt: d.createdAt, sentAt: d.sentAt,
    })));
  });
}
