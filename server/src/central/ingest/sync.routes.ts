// The branches' sync routes (branch credential): push a batch of outbox records, pull the change feed.
import type { Router } from 'express';
import { z } from 'zod';
import {
  FeedSnapshot, MAX_PULL_LIMIT, type CentralNotifications, MAX_PUSH_BYTES, PullResponse, PushRequest, PushResponse, SUPPORTED_PROTOCOL_VERSIONS,
} from '../../shared/contracts/sync.js';
import { ErrorBody } from '../../shared/contracts/api.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import { callerBranch, type CentralApi } from '../http/access.js';
import { CentralError } from '../http/errors.js';
import { readFeed } from './feed.js';
import type { LinkHub } from './link.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { sha256 } from '../branches/branches.js';
import { applyPush } from './ingest.js';

function checkProtocol(version: number): void {
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new CentralError(426, 'UPGRADE_REQUIRED', `sync protocol ${version} is not spoken here (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`, { supported: SUPPORTED_PROTOCOL_VERSIONS });
  }
}

const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0).describe('Feed version the branch has applied up to (0 at first).'),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(500),
  protocolVersion: z.coerce.number().int(),
});
const StreamQuery = z.object({ protocolVersion: z.coerce.number().int() });
const CursorExpired = ErrorBody.extend({ snapshot: FeedSnapshot });

export function registerSyncRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock; link: LinkHub; notifications: () => CentralNotifications }): void {
  const { cdb, clock, link } = deps;
  const nowIso = () => clock.now().toISOString();

  api.add(router, {
    method: 'post', path: '/api/sync/push', tag: 'sync', access: 'branch', summary: "Push a batch of the branch's outbox records",
    body: PushRequest, bodyKind: { kind: 'json', limit: MAX_PUSH_BYTES }, response: PushResponse, errors: [413, 426, 503],
    description: 'Applied in one transaction, exactly once: records at or below the last acknowledged seq are duplicates; a gap answers 409 SEQUENCE_GAP.',
  }, async ({ body, actor }) => {
    checkProtocol(body.protocolVersion);
    const branchId = callerBranch(actor);
    if (body.branchId !== branchId) throw new CentralError(403, 'WRONG_BRANCH', `this credential belongs to branch ${branchId}, not to ${body.branchId}`);
    return applyPush(cdb, branchId, body, nowIso());
  });

  api.add(router, {
    method: 'get', path: '/api/sync/pull', tag: 'sync', access: 'branch', summary: "Read the branch's change feed after a cursor",
    query: PullQuery, response: PullResponse, errors: [426],
    responses: [{ status: 410, description: 'The cursor can no longer be served: start again from the snapshot', schema: CursorExpired }],
  }, async ({ query, actor, res }) => {
    checkProtocol(query.protocolVersion);
    const outcome = await readFeed(cdb, callerBranch(actor), query.cursor, query.limit, nowIso());
    // Every answer says what central can send to the branch's visitors: its kiosks offer an SMS only when it can.
    if (outcome.kind === 'page') return { ...outcome.page, notifications: deps.notifications() };
    res.status(410).json({
      error: { code: 'CURSOR_EXPIRED', message: `cursor ${query.cursor} can no longer be served: start again from the snapshot (version ${outcome.snapshot.version})` },
      snapshot: outcome.snapshot,
    });
    return undefined;
  });

  api.add(router, {
    method: 'get', path: '/api/sync/stream', tag: 'sync', access: 'branch', summary: "The branch's live link: central says at once when its feed has news",
    query: StreamQuery, produces: 'text/event-stream', errors: [426],
    description: 'Server-sent events, kept open: `hello` and `news` with `{ feedVersion }` (then the branch pulls), `remote` (remote joins wait: '
      + 'the branch takes them), `closed` before central ends the stream of a revoked credential. Hints only; polling stays the fallback.',
  }, async ({ query, actor, req, res }) => {
    checkProtocol(query.protocolVersion);
    await link.serve(callerBranch(actor), sha256(bearerToken(req) ?? ''), res);
    return undefined;
  });
}
