// The branch ↔ central sync protocol (see docs/central.md and ../shared/design/SYNC.md).
// Push: the branch ships its outbox in seq order; central acknowledges the highest seq it holds.
// Pull: central keeps a per-branch change feed; the branch reads it with a cursor.
import { z } from 'zod';
import { OrganizationType, Region } from './domain.js';

/** Protocol versions this code speaks. Central answers 426 to others; the branch keeps queueing. */
export const SYNC_PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

/** Most events in one push; a bigger batch is refused with 413 BATCH_TOO_LARGE. */
export const MAX_PUSH_EVENTS = 500;
/** Most bytes of one push body (JSON); a bigger body is refused with 413 PAYLOAD_TOO_LARGE. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
/** Most changes in one pull page. */
export const MAX_PULL_LIMIT = 1000;

/**
 * One outbox record as it travels. Only seq and eventId are checked for the whole batch (they place the record);
 * the rest is checked record by record so that one bad record is quarantined instead of refusing the batch.
 */
export const SyncEventEnvelope = z.object({
  seq: z.number().int().min(1),
  eventId: z.string().min(1).max(64),
  aggregateType: z.unknown(),
  aggregateId: z.unknown(),
  eventType: z.unknown(),
  eventVersion: z.unknown(),
  payload: z.unknown(),
  occurredAt: z.unknown(),
});

/** The full shape of a well-formed record. */
export const SyncEvent = z.object({
  seq: z.number().int().min(1),
  eventId: z.string().min(1).max(64),
  aggregateType: z.string().min(1).max(40),
  aggregateId: z.string().min(1).max(64),
  eventType: z.string().min(1).max(80),
  eventVersion: z.number().int().min(1),
  payload: z.unknown(),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type SyncEvent = z.infer<typeof SyncEvent>;

export const PushRequest = z.object({
  protocolVersion: z.number().int(),
  branchId: z.string().min(1).max(64),
  /** Highest seq in the branch's outbox when it sent this batch (central derives the backlog from it). */
  headSeq: z.number().int().min(0).optional(),
  /** occurred_at of the oldest record the branch had not had acknowledged when it sent this batch. */
  oldestPendingAt: z.string().max(40).nullable().optional(),
  events: z.array(SyncEventEnvelope),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const RejectedEvent = z.object({ seq: z.number().int(), eventId: z.string().nullable(), reason: z.string() });
export type RejectedEvent = z.infer<typeof RejectedEvent>;

export const PushResponse = z.object({
  /** Highest seq central holds for this branch (applied, parked or quarantined). */
  ackedSeq: z.number().int(),
  /** Records of this batch that were malformed: quarantined at central, never retried. */
  rejected: z.array(RejectedEvent),
  applied: z.number().int(),
  duplicates: z.number().int(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/** 409 body details when the batch does not start where central expects it. */
export const SequenceGapDetails = z.object({ expectedSeq: z.number().int(), lastSeq: z.number().int() });

export const FeedOp = z.enum(['upsert', 'delete']);
export type FeedOp = z.infer<typeof FeedOp>;

export const FeedChange = z.object({
  version: z.number().int(),
  entityType: z.string(),
  entityId: z.string(),
  op: FeedOp,
  payload: z.unknown().nullable(),
  createdAt: z.string(),
});
export type FeedChange = z.infer<typeof FeedChange>;

/** What central can send to the branch's visitors; the branch keeps the last answer (its kiosks offer only what works). */
export const CentralNotifications = z.object({
  /** Central has an SMS channel configured: a phone number left at the kiosk gets "your turn is near" by SMS. */
  sms: z.boolean(),
});
export type CentralNotifications = z.infer<typeof CentralNotifications>;

export const PullResponse = z.object({
  changes: z.array(FeedChange),
  cursor: z.number().int(),
  hasMore: z.boolean(),
  /** Absent from a central that does not say (older versions): the branch keeps what it knew. */
  notifications: CentralNotifications.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** 410 body: the feed was compacted past the branch's cursor; start again from this snapshot. */
export const FeedSnapshot = z.object({
  version: z.number().int(),
  entities: z.array(FeedChange),
});
export type FeedSnapshot = z.infer<typeof FeedSnapshot>;

// --- central → branch entity types ---

/** `display_message`: the scrolling text of the branch's call boards, set by head office (entity id "current"). */
export const DISPLAY_MESSAGE_ENTITY = 'display_message';
export const DisplayMessagePayload = z.object({ text: z.string().max(280) });

// --- head office ---

export const EnrolBranchBody = z.strictObject({
  /** The branch's own id (shown in its /api/health as branchId). */
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(100),
  code: z.string().min(1).max(40).optional(),
  region: Region,
  timeZone: z.string().min(1).max(64).default('Africa/Dakar'),
  organization: z.strictObject({
    id: z.string().min(1).max(64).optional(),
    name: z.string().min(1).max(100),
    type: OrganizationType.default('other'),
  }),
});
export type EnrolBranchBody = z.input<typeof EnrolBranchBody>;

export const CentralBranchView = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  region: z.string(),
  timeZone: z.string(),
  status: z.enum(['active', 'revoked']),
  organization: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  enrolledAt: z.string(),
  sync: z.object({
    lastSeq: z.number().int(),
    /** Last push central accepted (central's clock). */
    lastSyncAt: z.string().nullable(),
    lastPullAt: z.string().nullable(),
    /** Records the branch reported holding that central does not have yet (as of its last push). */
    backlog: z.number().int(),
    /** Age of the oldest record still at the branch (as of its last push), 0 when it had nothing pending. */
    lagSeconds: z.number().nullable(),
    secondsSinceSync: z.number().nullable(),
    rejected: z.number().int(),
    feedVersion: z.number().int(),
    pullCursor: z.number().int().nullable(),
  }),
});
export type CentralBranchView = z.infer<typeof CentralBranchView>;

export const EnrolResponse = z.object({ branch: CentralBranchView, credential: z.string() });
export type EnrolResponse = z.infer<typeof EnrolResponse>;

export const Duration = z.object({ count: z.number().int(), averageSeconds: z.number().nullable(), p90Seconds: z.number().nullable() });
export const DayFigures = z.object({
  issued: z.number().int(),
  served: z.number().int(),
  noShow: z.number().int(),
  cancelled: z.number().int(),
  expired: z.number().int(),
  /** issued → first call */
  wait: Duration,
  /** started → served */
  service: Duration,
});
export type DayFigures = z.infer<typeof DayFigures>;

export const BranchDayStats = z.object({
  branchId: z.string(),
  day: z.string(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  totals: DayFigures,
  byService: z.array(DayFigures.extend({ serviceId: z.string(), prefix: z.string() })),
  byAgent: z.array(DayFigures.extend({ agentId: z.string() })),
});
export type BranchDayStats = z.infer<typeof BranchDayStats>;

// ---------- the live link (branch → central, server-sent events) ----------

/**
 * What central says on the branch's persistent link (GET /api/sync/stream, text/event-stream, the branch dials
 * out). Only hints: the branch then pulls as it always does, so a lost hint costs one poll period, never a change.
 * `hello` on connecting and `news` when the branch's feed has grown carry the feed version; `remote` says
 * remote joins wait for the branch; `closed` comes
 * just before central ends the stream of a revoked credential.
 */
export const LinkEventType = z.enum(['hello', 'news', 'remote', 'closed']);
export type LinkEventType = z.infer<typeof LinkEventType>;
export const LinkEvent = z.object({ feedVersion: z.number().int().min(0) });
export type LinkEvent = z.infer<typeof LinkEvent>;
