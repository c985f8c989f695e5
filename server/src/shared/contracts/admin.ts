// REST contracts of the branch administration added for the admin screens (issue 16): the audit log, service order,
// what closing a service would do, devices' presence and printer state, password resets.
import { z } from 'zod';
import { DeviceView, Id, UserView } from './api.js';
import { PaperState } from './print.js';

/** What an audit entry is about; GET /api/admin/audit?kind= filters on it. */
export const AUDIT_KINDS = ['branch', 'service', 'counter', 'user', 'device', 'closure', 'appointments', 'display', 'remote'] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

export const AuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  kind: AuditKind,
  /** What was done: create, update, delete, reorder, status, revoke, pairing-code, reset-password… */
  action: z.string(),
  entityId: z.string().nullable(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }),
  /** The entity's fields before the change (only those the change names, for an update); null for a creation. */
  before: z.unknown().nullable(),
  /** The fields after the change; null for a removal. */
  after: z.unknown().nullable(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditQuery = z.object({
  kind: AuditKind.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ServiceOrderBody = z.strictObject({
  serviceIds: z.array(Id).min(1).max(100).describe('Every live service, in the order the kiosk shows them'),
});

/** What closing or pausing a service would do to the visitors waiting now (nothing is changed). */
export const ServiceStatusPreview = z.object({
  waitingTickets: z.number().int().describe('Tickets waiting now in the service\'s line'),
  calledTickets: z.number().int().describe('Tickets called or being served now'),
  outcome: z.enum(['none', 'still_called']).describe('still_called: waiting tickets stay in the line and are still called; the kiosk stops issuing'),
});
export type ServiceStatusPreview = z.infer<typeof ServiceStatusPreview>;

/** A device as the admin screen lists it: plus whether it is connected now and its printer's paper. */
export const DeviceStatusView = DeviceView.extend({
  online: z.boolean().describe('A socket of this device is connected now'),
  paper: PaperState.nullable().describe('Paper sensor at the last print on this kiosk\'s printer; null when nothing was printed yet or not a kiosk'),
});
export type DeviceStatusView = z.infer<typeof DeviceStatusView>;

export const UserAdminView = UserView.extend({ lastSignInAt: z.string().nullable().describe('Start of the newest session') });
export type UserAdminView = z.infer<typeof UserAdminView>;

export const PasswordReset = z.object({ user: UserAdminView, password: z.string().describe('The new password, shown once: it is not stored in clear') });
export type PasswordReset = z.infer<typeof PasswordReset>;

/** The result of a test page, as the admin screen shows it. */
export const TestPageResult = z.object({
  outcome: z.enum(['printed', 'paper_out', 'unreachable', 'error']),
  paper: PaperState,
  code: z.string().nullable(),
  message: z.string().nullable(),
});
export type TestPageResult = z.infer<typeof TestPageResult>;
