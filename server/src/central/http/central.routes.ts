// HTTP routes of the central API. Sync routes authenticate with a branch credential, head-office routes with the
// admin token; both answer errors as { "error": { "code", "message", "details"? } }.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  DISPLAY_MESSAGE_ENTITY, DisplayMessagePayload, EnrolBranchBody, MAX_PULL_LIMIT, MAX_PUSH_BYTES, PushRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '../../shared/contracts/sync.js';
import type { Clock } from '../../shared/clock.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { zodMessage } from '../../shared/http/errors.js';
import { authenticateBranch, enrolBranch, getBranchView, issueCredential, listBranchViews, revokeBranch, sameHash, sha256 } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from './errors.js';
import { appendFeed, readFeed } from '../ingest/feed.js';
import { applyPush } from '../ingest/ingest.js';
import { branchDayStats, today } from '../stats/stats.js';

export interface CentralDeps {
  cdb: CentralDb;
  clock: Clock;
  version: string;
  /** SHA-256 of the accepted admin tokens. */
  adminTokenHashes: string[];
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CentralError(400, 'VALIDATION_ERROR', zodMessage(r.error), r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}

function checkProtocol(version: number): void {
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new CentralError(426, 'UPGRADE_REQUIRED', `sync protocol ${version} is not spoken here (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`, { supported: SUPPORTED_PROTOCOL_VERSIONS });
  }
}

const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(500),
  protocolVersion: z.coerce.number().int(),
});
const EventsQuery = z.object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(5000).default(1000) });
const StatsQuery = z.object({ day: z.string().optional(), tz: z.string().max(64).optional() });
const CredentialBody = z.strictObject({ revokeOthers: z.boolean().default(false) });
const MessageBody = DisplayMessagePayload.strict();

export function registerCentralRoutes(router: Router, deps: CentralDeps): void {
  const { cdb, clock } = deps;
  const nowIso = () => clock.now().toISOString();
  const small = express.json({ limit: '64kb' });

  const admin = (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) throw new CentralError(401, 'UNAUTHENTICATED', 'head-office routes need the admin token: Authorization: Bearer …');
    const hash = sha256(token);
    if (!deps.adminTokenHashes.some((h) => sameHash(h, hash))) throw new CentralError(403, 'FORBIDDEN', 'this token is not the central admin token');
    next();
  };
  const branch = async (req: Request, res: Response, next: NextFunction) => {
    res.locals.branchId = await authenticateBranch(cdb, bearerToken(req));
    next();
  };

  router.get('/api/health', async (_req, res) => {
    await cdb.db.selectFrom('central_settings').select('key').limit(1).execute();
    res.json({ status: 'ok', role: 'central', version: deps.version, serverTime: nowIso(), database: { ok: true, dialect: cdb.dialect } });
  });

  // ---- sync (branch credential) ----

  router.post('/api/sync/push', branch, express.json({ limit: MAX_PUSH_BYTES }), async (req, res) => {
    const body = parse(PushRequest, req.body);
    checkProtocol(body.protocolVersion);
    const branchId = res.locals.branchId as string;
    if (body.branchId !== branchId) throw new CentralError(403, 'WRONG_BRANCH', `this credential belongs to branch ${branchId}, not to ${body.branchId}`);
    res.json(await applyPush(cdb, branchId, body, nowIso()));
  });

  router.get('/api/sync/pull', branch, async (req, res) => {
    const q = parse(PullQuery, req.query);
    checkProtocol(q.protocolVersion);
    const outcome = await readFeed(cdb, res.locals.branchId as string, q.cursor, q.limit, nowIso());
    if (outcome.kind === 'page') {
      res.json(outcome.page);
      return;
    }
    res.status(410).json({
      error: { code: 'CURSOR_EXPIRED', message: `cursor ${q.cursor} can no longer be served: start again from the snapshot (version ${outcome.snapshot.version})` },
      snapshot: outcome.snapshot,
    });
  });

  // ---- head office (admin token) ----

  router.post('/api/central/branches', admin, small, async (req, res) => {
    const body = parse(EnrolBranchBody, req.body);
    res.status(201).json(await enrolBranch(cdb, body, nowIso()));
  });
  router.get('/api/central/branches', admin, async (_req, res) => {
    res.json(await listBranchViews(cdb, clock.now()));
  });
  router.get('/api/central/branches/:id', admin, async (req, res) => {
    res.json(await getBranchView(cdb, String(req.params.id), clock.now()));
  });
  router.post('/api/central/branches/:id/credentials', admin, small, async (req, res) => {
    const body = parse(CredentialBody, req.body ?? {});
    const credential = await issueCredential(cdb, String(req.params.id), body.revokeOthers, nowIso());
    res.status(201).json({ credential });
  });
  router.post('/api/central/branches/:id/revoke', admin, async (req, res) => {
    await revokeBranch(cdb, String(req.params.id), nowIso());
    res.json(await getBranchView(cdb, String(req.params.id), clock.now()));
  });
  router.put('/api/central/branches/:id/display-message', admin, small, async (req, res) => {
    const body = parse(MessageBody, req.body);
    const text = body.text.trim();
    const branchId = String(req.params.id);
    const version = await cdb.db.transaction().execute((trx) => appendFeed(trx, cdb.dialect, branchId, {
      entityType: DISPLAY_MESSAGE_ENTITY, entityId: 'current', op: text ? 'upsert' : 'delete', payload: text ? { text } : null,
    }, nowIso()));
    res.json({ version, text: text || null });
  });
  router.get('/api/central/branches/:id/events', admin, async (req, res) => {
    const q = parse(EventsQuery, req.query);
    const rows = await cdb.db.selectFrom('sync_events')
      .select(['seq', 'event_id', 'aggregate_type', 'aggregate_id', 'event_type', 'event_version', 'status', 'occurred_at', 'received_at'])
      .where('branch_id', '=', String(req.params.id)).where('seq', '>', q.afterSeq).orderBy('seq').limit(q.limit).execute();
    res.json(rows.map((r) => ({
      seq: r.seq, eventId: r.event_id, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, eventType: r.event_type,
      eventVersion: r.event_version, status: r.status, occurredAt: r.occurred_at, receivedAt: r.received_at,
    })));
  });
  router.get('/api/central/branches/:id/quarantine', admin, async (req, res) => {
    const rows = await cdb.db.selectFrom('sync_quarantine').select(['seq', 'event_id', 'reason', 'received_at'])
      .where('branch_id', '=', String(req.params.id)).orderBy('seq').limit(1000).execute();
    res.json(rows.map((r) => ({ seq: r.seq, eventId: r.event_id, reason: r.reason, receivedAt: r.received_at })));
  });
  router.get('/api/central/branches/:id/stats', admin, async (req, res) => {
    const q = parse(StatsQuery, req.query);
    const branchId = String(req.params.id);
    const view = await getBranchView(cdb, branchId, clock.now());
    const zone = q.tz ?? view.timeZone;
    res.json(await branchDayStats(cdb, branchId, q.day ?? today(clock.now(), zone), zone));
  });
  router.get('/api/central/stats', admin, async (req, res) => {
    const q = parse(StatsQuery, req.query);
    const branches = await listBranchViews(cdb, clock.now());
    const out = [];
    for (const b of branches) {
      const zone = q.tz ?? b.timeZone;
      const stats = await branchDayStats(cdb, b.id, q.day ?? today(clock.now(), zone), zone);
      out.push({ branchId: b.id, name: b.name, region: b.region, day: stats.day, totals: stats.totals, sync: b.sync });
    }
    res.json(out);
  });
}
