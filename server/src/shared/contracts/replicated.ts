// The records a branch replicates to central, one versioned schema each (event_version 1). The branch builds its
// outbox payloads typed by these (branch/db/outbox.ts: a renamed branch column is a type error there) and central's
// ingest validates what it receives with the same schemas. The wire format is the branch's row as it was sent since
// version 1: columns central does not read are declared optional and kept as they come.
import { z } from 'zod';
import { Channel, Language, QueueType, TicketStatus } from './domain.js';
import { AppointmentsConfiguredV1, BookingFactV1, type APPOINTMENTS_CONFIGURED, type BOOKING_CHECKED_IN, type BOOKING_NO_SHOW } from './appointments.js';
import { PaymentFactV1, type PAYMENT_AGGREGATE } from './payments.js';
import { ConfigAppliedV1, type CONFIG_AGGREGATE, type CONFIG_APPLIED } from './org-config.js';
import {
  BranchDirectoryV1, PrinterStatusV1, ServicePaceV1, type DIRECTORY_AGGREGATE, type DIRECTORY_PUBLISHED, type PACE_AGGREGATE, type PRINTER_AGGREGATE,
  type PRINTER_STATUS, type SERVICE_PACE,
} from './branch-directory.js';
import { AuditKind } from './admin.js';

export { AppointmentsConfiguredV1, BookingFactV1, PaymentFactV1, ConfigAppliedV1, BranchDirectoryV1, PrinterStatusV1, ServicePaceV1 };

export const TICKET_EVENT_TYPES = ['issued', 'called', 'recalled', 'started', 'served', 'no_show', 'transferred', 'cancelled', 'expired', 'parked', 'unparked', 'arrived', 'passed_over'] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

const Iso = z.iso.datetime({ offset: true });
const Ref = z.string().min(1).max(64);

/** The ticket row a branch sends with every ticket event. Unknown extra columns are ignored. */
export const TicketSnapshotV1 = z.object({
  id: Ref,
  branch_id: Ref,
  service_id: Ref,
  service_day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  number: z.string().min(1).max(16),
  status: TicketStatus,
  queue_type: QueueType,
  priority_reason: z.string().max(32).nullable(),
  channel: Channel,
  language: Language,
  issued_at: Iso,
  due_at: Iso.nullable(),
  called_at: Iso.nullable(),
  started_at: Iso.nullable(),
  finished_at: Iso.nullable(),
  counter_id: Ref.nullable(),
  agent_id: Ref.nullable(),
  booking_id: Ref.nullable(),
  outcome: z.string().max(64).nullable(),
  recall_count: z.number().int().min(0),
  updated_at: Iso,
  // Sent by every branch, read by central's tracking only (contacts, the counter a ticket waits for, parking).
  seq: z.number().int().optional(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  target_counter_id: Ref.nullable().optional(),
  parked_at: Iso.nullable().optional(),
  device_id: Ref.nullable().optional(),
  note: z.string().nullable().optional(),
});
export type TicketSnapshotV1 = z.infer<typeof TicketSnapshotV1>;

export const TicketEventV1 = z.object({
  id: Ref,
  type: z.enum(TICKET_EVENT_TYPES),
  from: TicketStatus.nullable(),
  to: TicketStatus,
  at: Iso,
  counterId: Ref.nullable(),
  userId: Ref.nullable(),
  deviceId: Ref.nullable(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type TicketEventV1 = z.infer<typeof TicketEventV1>;

/** Payload of `ticket.<event type>` records: the ticket as it is after the event, and the event. */
export const TicketPayloadV1 = z.object({ ticket: TicketSnapshotV1, event: TicketEventV1 });
export type TicketPayloadV1 = z.infer<typeof TicketPayloadV1>;

/** An admin change at the branch (its audit entry), `admin.changed` records: central keeps them as received. */
export const ADMIN_CHANGED = 'admin.changed';
export const AdminChangeV1 = z.object({
  id: Ref,
  at: Iso,
  kind: AuditKind,
  action: z.string().min(1).max(32),
  entityId: Ref.nullable(),
  actorId: Ref.nullable(),
  actorName: z.string().max(120),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AdminChangeV1 = z.infer<typeof AdminChangeV1>;

/** Every outbox record a branch writes, by aggregate: what each one carries. */
export type ReplicatedFact =
  | { aggregateType: 'ticket'; eventType: `ticket.${TicketEventType}`; payload: TicketPayloadV1 }
  | { aggregateType: 'booking'; eventType: typeof BOOKING_CHECKED_IN | typeof BOOKING_NO_SHOW; payload: BookingFactV1 }
  | { aggregateType: 'appointments'; eventType: typeof APPOINTMENTS_CONFIGURED; payload: AppointmentsConfiguredV1 }
  | { aggregateType: typeof PAYMENT_AGGREGATE; eventType: `payment.${string}`; payload: PaymentFactV1 }
  | { aggregateType: typeof CONFIG_AGGREGATE; eventType: typeof CONFIG_APPLIED; payload: ConfigAppliedV1 }
  | { aggregateType: typeof DIRECTORY_AGGREGATE; eventType: typeof DIRECTORY_PUBLISHED; payload: BranchDirectoryV1 }
  | { aggregateType: typeof PRINTER_AGGREGATE; eventType: typeof PRINTER_STATUS; payload: PrinterStatusV1 }
  | { aggregateType: typeof PACE_AGGREGATE; eventType: typeof SERVICE_PACE; payload: ServicePaceV1 }
  | { aggregateType: 'admin'; eventType: typeof ADMIN_CHANGED; payload: AdminChangeV1 };
