// Configuration head office defines once for its organization and pushes to chosen branches through their feed
// (central → branch, docs/central.md): the service catalog (letters, names fr/wo/en, targets, fees, appointment
// settings) and the call-board message. The branch applies a revision in one transaction with its history row and
// answers with a `config.applied` fact (outbox → central), which is how the console knows who applied what.
// A centrally managed field is read-only at the branch: its admin routes refuse a local change (409 MANAGED_BY_CENTRAL).
import { z } from 'zod';
import { LocalizedText } from './domain.js';
import { FeeXof } from './api.js';

/** Feed entity type (one entity per branch, id 'current'). */
export const ORG_CONFIG_ENTITY = 'org_config';
/** Outbox aggregate and event of the branch's answer. */
export const CONFIG_AGGREGATE = 'config';
export const CONFIG_APPLIED = 'config.applied';

/** The service fields head office manages; the rest (line status, hours, icon, order, counters) stays local. */
export const MANAGED_SERVICE_FIELDS = ['prefix', 'name', 'targetWaitMinutes', 'defaultServiceMinutes', 'feeXof'] as const;
/** Appointment settings head office manages when a catalog entry carries them (the slot hours stay local). */
export const MANAGED_APPOINTMENT_FIELDS = ['enabled', 'slotMinutes', 'capacity', 'horizonWorkingDays', 'minLeadMinutes', 'earlyMinutes', 'lateMinutes'] as const;
export type ManagedField = (typeof MANAGED_SERVICE_FIELDS)[number] | 'appointments';

export const CatalogAppointments = z.strictObject({
  enabled: z.boolean(),
  slotMinutes: z.number().int().min(5).max(480),
  capacity: z.number().int().min(1).max(100),
  horizonWorkingDays: z.number().int().min(1).max(120),
  minLeadMinutes: z.number().int().min(0).max(7 * 24 * 60),
  earlyMinutes: z.number().int().min(0).max(240),
  lateMinutes: z.number().int().min(0).max(240),
});
export type CatalogAppointments = z.infer<typeof CatalogAppointments>;

export const CatalogService = z.strictObject({
  /** Head office's id of the entry: a branch's service keeps it, so a renamed or re-lettered entry is the same service. */
  key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'key: 1 to 40 letters, digits, - or _'),
  prefix: z.string().regex(/^[A-Z]$/, 'prefix must be one capital letter A-Z'),
  name: LocalizedText,
  targetWaitMinutes: z.number().int().min(1).max(600),
  defaultServiceMinutes: z.number().min(0.5).max(240),
  feeXof: FeeXof.nullable(),
  /** null: the branch keeps its own appointment settings for this service. */
  appointments: CatalogAppointments.nullable(),
});
export type CatalogService = z.infer<typeof CatalogService>;

const distinct = (values: string[]) => new Set(values).size === values.length;

/** The organization's configuration as head office edits it. */
export const OrgConfigBody = z.strictObject({
  services: z.array(CatalogService).max(26),
  /** The call-board message; empty: none. */
  displayMessage: z.string().max(280),
}).refine((b) => distinct(b.services.map((s) => s.prefix)), { message: 'two services of the catalog have the same letter', path: ['services'] })
  .refine((b) => distinct(b.services.map((s) => s.key)), { message: 'two services of the catalog have the same key', path: ['services'] });
export type OrgConfigBody = z.infer<typeof OrgConfigBody>;

/** Payload of the feed change a branch receives. */
export const OrgConfigPayloadV1 = z.object({
  organizationId: z.string().min(1).max(64),
  revision: z.number().int().min(1),
  services: z.array(CatalogService).max(26),
  displayMessage: z.string().max(280).nullable(),
});
export type OrgConfigPayloadV1 = z.infer<typeof OrgConfigPayloadV1>;

/** The branch's answer (aggregate 'config', aggregate id the branch id). */
export const ConfigAppliedV1 = z.object({
  organizationId: z.string().min(1).max(64),
  revision: z.number().int().min(1),
  outcome: z.enum(['applied', 'refused']),
  /** Why a revision was refused (a letter held by a local service…); nothing changed at the branch then. */
  reason: z.string().max(500).nullable(),
  at: z.iso.datetime({ offset: true }),
  /** The branch's service for each catalog key. */
  services: z.array(z.object({ key: z.string().max(40), serviceId: z.string().max(64) })).max(26),
});
export type ConfigAppliedV1 = z.infer<typeof ConfigAppliedV1>;

export const ApplyConfigBody = z.strictObject({
  organizationId: z.string().min(1).max(64).optional(),
  branchIds: z.array(z.string().min(1).max(64)).min(1).max(500),
});

export const OrgConfigBranchView = z.object({
  branchId: z.string(), name: z.string(), region: z.string(),
  pushedRevision: z.number().int().nullable(), pushedAt: z.string().nullable(),
  appliedRevision: z.number().int().nullable(), appliedAt: z.string().nullable(),
  outcome: z.enum(['applied', 'refused']).nullable(), reason: z.string().nullable(),
});
export type OrgConfigBranchView = z.infer<typeof OrgConfigBranchView>;

export const OrgConfigView = z.object({
  organizationId: z.string(),
  /** 0 before head office saved anything. */
  revision: z.number().int(),
  services: z.array(CatalogService),
  displayMessage: z.string(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  branches: z.array(OrgConfigBranchView),
});
export type OrgConfigView = z.infer<typeof OrgConfigView>;
