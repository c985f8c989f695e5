// REST contracts of the branch server: request bodies are validated with these schemas and
// the OpenAPI document is generated from them (http/openapi.ts). UIs import the types.
import { z } from 'zod';
import {
  Channel, CounterStatus, DeviceRole, Language, LocalizedText, OpeningHours, OrganizationType, PriorityReason, ValidOpeningHours,
  QueueType, Region, Role, SenegalPhone, ServiceStatus, TicketStatus,
} from './domain.js';
import { DEFAULT_SERVICE_ICON, SERVICE_ICONS } from '../domain/service-icons.js';

export const Id = z.string().min(1).max(64);
export const CommandId = z.uuid().describe('Client-made id of this command: a retried command with the same id is applied once.');

/**
 * One input a request got wrong. `path` names the field in the request body (zod's path, or the same joined with
 * dots): `name.wo`, `openingHours.1.0` (Monday's first range). `code` is zod's issue code or the domain's own
 * (`outside_service_hours`…), which screens turn into a message in the user's language beside that field; the
 * other keys are the values the message needs (`minimum`, `weekday`, `hours`…).
 */
export const FieldIssue = z.looseObject({
  path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]),
  code: z.string().optional(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.union([
      z.array(FieldIssue).describe('VALIDATION_ERROR: the fields at fault, each with its path in the request body'),
      z.record(z.string(), z.unknown()).describe('Other codes: values the client may use (when to come back, which branch, `fields` head office manages…)'),
    ]).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  branchId: z.string(),
  serverTime: z.string(),
  timeZone: z.string(),
  database: z.object({
    ok: z.boolean(),
    journalMode: z.string(),
    /** `STORAGE_FULL` while the disk of the data folder is full (nothing can be recorded). */
    error: z.string().nullable().optional(),
  }),
  sync: z.object({
    configured: z.boolean(),
    online: z.boolean(),
    lastSuccessAt: z.string().nullable(),
    backlog: z.number().int(),
    lagSeconds: z.number().nullable(),
    lastError: z.string().nullable(),
  }),
});
export type Health = z.infer<typeof Health>;

/** Something the supervisors should know (a printer out of paper, a long wait, sync failing, a disk full…). */
export const AlertView = z.object({
  id: z.string(),
  kind: z.enum(['printer', 'long_wait', 'sync', 'system', 'security', 'storage']),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  at: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

/** The branch's live link to central (a stream over which central says "the feed has news"). */
export const SyncLinkStatus = z.object({
  connected: z.boolean(),
  /** When the current stream opened (null while down). */
  since: z.string().nullable(),
  /** Why the last stream ended or could not open. */
  lastError: z.string().nullable(),
});
export type SyncLinkStatus = z.infer<typeof SyncLinkStatus>;

/** The branch's sync with central in detail (GET /api/sync/status). */
export const SyncDetails = z.object({
  status: Health.shape.sync,
  ackedSeq: z.number().int(),
  headSeq: z.number().int(),
  pullCursor: z.number().int(),
  consecutiveFailures: z.number().int(),
  nextRetryAt: z.string().nullable(),
  parkedChanges: z.number().int(),
  /** Records central refused (newest first), kept for a person to look at. */
  rejected: z.array(z.object({ seq: z.number().int(), event_id: z.string().nullable(), reason: z.string(), rejected_at: z.string() })),
  /** The live link to central (null when turned off). */
  link: SyncLinkStatus.nullable(),
});
export type SyncDetails = z.infer<typeof SyncDetails>;

/** One push-and-pull cycle (POST /api/sync/run). */
export const SyncRunResult = z.object({
  ok: z.boolean(),
  /** Records central acknowledged during this cycle. */
  pushed: z.number().int(),
  /** Feed changes applied during this cycle. */
  pulled: z.number().int(),
  error: z.string().nullable(),
});
export type SyncRunResult = z.infer<typeof SyncRunResult>;

export const BranchView = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  timeZone: z.string(),
  openingHours: OpeningHours,
  logoUrl: z.string().nullable(),
  organization: z.object({ id: z.string(), name: z.string(), type: OrganizationType, region: Region }),
});
export type BranchView = z.infer<typeof BranchView>;

/** A day an admin closed the branch (Administration › Agence › closures): no ticket is issued, the screens say why. */
export const BranchClosure = z.object({ date: z.string().describe('The branch day, YYYY-MM-DD in its time zone'), reason: LocalizedText });
export type BranchClosure = z.infer<typeof BranchClosure>;

export const ServiceView = z.object({
  id: z.string(),
  prefix: z.string(),
  name: LocalizedText,
  icon: z.string(),
  targetWaitMinutes: z.number().int(),
  defaultServiceMinutes: z.number(),
  express: z.boolean(),
  status: ServiceStatus,
  openingHours: OpeningHours.nullable(),
  openNow: z.boolean(),
  /** Human-readable hours for today in the branch's time zone, e.g. "08:00–15:00". */
  hoursToday: z.array(z.object({ open: z.string(), close: z.string() })),
  sortOrder: z.number().int(),
  /** What a visit costs, in whole francs CFA; null when the service is free (see docs/payments.md). */
  feeXof: z.number().int().nullable(),
  /** A visitor following their ticket is told "your turn is near" at this position; null: head office's default (docs/notifications.md). */
  notifyAtPosition: z.number().int().nullable(),
  /** 'central': head office manages some of its fields (docs/central.md, configuration pushed to branches). */
  managedBy: z.enum(['central']).nullable(),
  /** The fields head office manages, read-only at the branch (ServiceUpdateBody names; 'appointments': the appointment settings but their hours). */
  managedFields: z.array(z.string()),
});
export type ServiceView = z.infer<typeof ServiceView>;

export const CounterView = z.object({
  id: z.string(),
  number: z.number().int(),
  name: z.string(),
  status: CounterStatus,
  serviceIds: z.array(z.string()),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  currentTicketId: z.string().nullable(),
  currentTicketNumber: z.string().nullable(),
});
export type CounterView = z.infer<typeof CounterView>;

export const TicketView = z.object({
  id: z.string(),
  number: z.string(),
  serviceId: z.string(),
  status: TicketStatus,
  priority: PriorityReason.nullable(),
  queueType: QueueType,
  channel: Channel,
  language: Language,
  phone: z.string().nullable(),
  position: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().int().nullable().describe('Minutes; null when the ticket is not waiting or no counter of its service is open'),
  /** Waiting while no counter of its service is open: no minutes are promised (shared/domain/wait-estimate.ts). */
  noOpenCounter: z.boolean(),
  /** An appointment's booked time (the call-next rule counts from it): the counter's call order is computed from it. */
  dueAt: z.string().nullable(),
  issuedAt: z.string(),
  calledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  counterId: z.string().nullable(),
  targetCounterId: z.string().nullable(),
  /** Set while the ticket is parked at targetCounterId (the agent brings it back with unpark). */
  parkedAt: z.string().nullable(),
  recallCount: z.number().int(),
  serviceDay: z.string(),
  /** When the visitor was at the branch; null for a remote ticket (web, SMS, USSD) until its check-in: "pas encore arrivé". */
  arrivedAt: z.string().nullable(),
  /** When call-next first passed over this absent remote ticket (the branch's `absent: skip` rule); its grace time runs from then. */
  passedOverAt: z.string().nullable(),
});
export type TicketView = z.infer<typeof TicketView>;

export const IssueTicketBody = z.strictObject({
  commandId: CommandId.optional().describe('Idempotency key, one per visitor attempt: a retry with the same id and the same body from the same caller '
    + 'returns the ticket already issued (nothing is issued or announced twice); the same id with another body is a 409 CONFLICT.'),
  serviceId: Id,
  priority: PriorityReason.optional(),
  language: Language.optional(),
  phone: SenegalPhone.optional(),
  email: z.email().max(254).optional(),
  channel: Channel.optional(),
});
export type IssueTicketBody = z.input<typeof IssueTicketBody>;

export const QueueServiceSummary = z.object({
  serviceId: z.string(),
  status: ServiceStatus,
  waitingCount: z.number().int(),
  longestWaitMinutes: z.number().int(),
  oldestIssuedAt: z.string().nullable(),
  overTargetCount: z.number().int(),
  openCounters: z.number().int(),
  averageServiceMinutes: z.number(),
});
export type QueueServiceSummary = z.infer<typeof QueueServiceSummary>;
export const QueueSummary = z.object({ services: z.array(QueueServiceSummary), generatedAt: z.string() });
export type QueueSummary = z.infer<typeof QueueSummary>;

export const LoginBody = z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const UserView = z.object({ id: z.string(), login: z.string(), displayName: z.string(), role: Role, active: z.boolean() });
export type UserView = z.infer<typeof UserView>;
export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: UserView });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const CommandBody = z.strictObject({ commandId: CommandId.optional() });
export const CallNextBody = z.strictObject({ commandId: CommandId.optional() });
export const CompleteBody = z.strictObject({
  commandId: CommandId.optional(),
  outcome: z.string().max(64).optional(),
  note: z.string().max(500).optional(),
});
export const TransferBody = z
  .strictObject({ commandId: CommandId.optional(), serviceId: Id.optional(), counterId: Id.optional(), note: z.string().max(500).optional() })
  .refine((b) => b.serviceId !== undefined || b.counterId !== undefined, { message: 'serviceId or counterId is required' });
export const CancelBody = z.strictObject({ commandId: CommandId.optional(), reason: z.string().max(200).optional() });

/** The answer to every ticket command: the ticket after the change (null when call-next found nobody). */
export const CommandResult = z.object({ ticket: TicketView.nullable() });
export type CommandResult = z.infer<typeof CommandResult>;

export const CounterStateBody = z.strictObject({ commandId: CommandId.optional(), status: CounterStatus });

// --- admin ---
/** A service's fee: whole francs CFA (same bounds as payments, contracts/payments.ts). */
export const FeeXof = z.number().int('fee: whole francs CFA').positive().max(10_000_000);
/** Positions 1..50, as head office's own setting (TrackingSettingsBody). */
export const NotifyAtPosition = z.number().int().min(1).max(50);

export const ServiceCreateBody = z.strictObject({
  prefix: z.string().regex(/^[A-Z]$/, 'prefix must be one capital letter A-Z'),
  name: LocalizedText,
  icon: z.enum(SERVICE_ICONS, { error: `icon: one of ${SERVICE_ICONS.join(', ')}` }).default(DEFAULT_SERVICE_ICON),
  targetWaitMinutes: z.number().int().min(1).max(600).default(15),
  defaultServiceMinutes: z.number().min(0.5).max(240).default(5),
  express: z.boolean().default(false),
  status: ServiceStatus.default('active'),
  openingHours: ValidOpeningHours.nullable().default(null),
  /** Where the kiosk shows it; left out: after the others. */
  sortOrder: z.number().int().min(0).max(1000).optional(),
  feeXof: FeeXof.nullable().optional(),
  /** "Your turn is near" at this position (1 = next to be called); null or left out: head office's default. */
  notifyAtPosition: NotifyAtPosition.nullable().optional(),
});
// Not ServiceCreateBody.partial(): zod 4 applies a field's default inside partial(), so a PATCH would reset every
// field it leaves out (icon, target wait, hours…) to its default.
export const ServiceUpdateBody = z.strictObject({
  prefix: ServiceCreateBody.shape.prefix,
  name: LocalizedText,
  icon: ServiceCreateBody.shape.icon.unwrap(),
  targetWaitMinutes: z.number().int().min(1).max(600),
  defaultServiceMinutes: z.number().min(0.5).max(240),
  express: z.boolean(),
  status: ServiceStatus,
  openingHours: ValidOpeningHours.nullable(),
  sortOrder: z.number().int().min(0).max(1000),
  feeXof: FeeXof.nullable(),
  notifyAtPosition: NotifyAtPosition.nullable(),
}).partial();

export const CounterCreateBody = z.strictObject({
  number: z.number().int().min(1).max(999),
  name: z.string().min(1).max(60),
  serviceIds: z.array(Id).max(50).default([]),
});
// Not CounterCreateBody.partial(): its default would make a rename save `serviceIds: []` (a PATCH changes only what it names).
export const CounterUpdateBody = z.strictObject({
  number: CounterCreateBody.shape.number,
  name: CounterCreateBody.shape.name,
  serviceIds: z.array(Id).max(50),
}).partial();

export const UserCreateBody = z.strictObject({
  login: z.string().regex(/^[a-z0-9._-]{2,32}$/, 'login: 2-32 of a-z 0-9 . _ -'),
  displayName: z.string().min(1).max(80),
  role: Role,
  password: z.string().min(8, 'password must have at least 8 characters').max(256),
});
export const UserUpdateBody = z.strictObject({
  displayName: z.string().min(1).max(80).optional(),
  role: Role.optional(),
  password: z.string().min(8).max(256).optional(),
  active: z.boolean().optional(),
});

export const DeviceView = z.object({
  id: z.string(),
  name: z.string(),
  role: DeviceRole,
  pairedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  printer: z.string().nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;
export const DeviceCreateBody = z.strictObject({
  name: z.string().min(1).max(60),
  role: DeviceRole,
  printer: z.string().max(200).nullable().default(null),
});
export const DeviceUpdateBody = z.strictObject({
  name: DeviceCreateBody.shape.name.optional(),
  printer: z.string().max(200).nullable().optional(),
}).refine((b) => b.name !== undefined || b.printer !== undefined, { message: 'name or printer is required' });
export const DeviceCreated = z.object({ device: DeviceView, pairingCode: z.string(), pairingExpiresAt: z.string() });
export const PairBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'pairing code: 6 digits') });
export const PairLocalBody = z.strictObject({ role: DeviceRole, name: z.string().min(1).max(60).optional() });
export const PairResponse = z.object({ deviceToken: z.string(), device: DeviceView });
export type PairResponse = z.infer<typeof PairResponse>;

export const BranchUpdateBody = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  timeZone: z.string().min(1).max(64).refine((tz) => {
    try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
  }, 'unknown time zone').optional(),
  openingHours: ValidOpeningHours.optional(),
  logoUrl: z.string().max(500).nullable().optional(),
  organization: z.strictObject({ name: z.string().min(1).max(120).optional(), type: OrganizationType.optional(), region: Region.optional() }).optional(),
});

/** What a change of the branch's hours or time zone would do now (POST /api/admin/branch/preview). */
export const BranchChangePreview = z.object({
  waitingTickets: z.number().int().describe('Tickets waiting now (all services)'),
  pastClosing: z.number().int().describe('Of those, tickets whose day would already be over with the new hours: they stay callable until a supervisor closes the day'),
  openNow: z.boolean().describe('Whether the branch is open now with the new hours (kiosks issue tickets)'),
  closesAt: z.string().nullable().describe('When today ends with the new hours (ISO); null when closed all day'),
});
export type BranchChangePreview = z.infer<typeof BranchChangePreview>;

export const DisplayMessageBody = z.strictObject({ text: z.string().max(280) });

/** Today's work of a counter and of the agent at it (branch time zone day, from finished tickets). */
export const WorkStats = z.object({
  served: z.number().int(),
  noShows: z.number().int(),
  averageServiceMinutes: z.number().nullable(),
});
export type WorkStats = z.infer<typeof WorkStats>;
export const CounterStats = z.object({
  counterId: z.string(),
  day: z.string().describe('Branch day, YYYY-MM-DD in the branch time zone'),
  counter: WorkStats,
  agent: WorkStats.extend({ agentId: z.string() }).nullable().describe('The calling agent (staff) at any counter today; null for devices'),
});
export type CounterStats = z.infer<typeof CounterStats>;
