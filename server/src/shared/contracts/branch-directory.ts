// What a branch tells head office about itself so that the console names things instead of showing ids: its
// services (letter, names, target wait) and its staff (display names), sent whenever they change; and the state of
// its printers (out of paper, failing, back), sent when it changes, for the Now screen's alerts; and the pace of
// each service (what its estimated waits are worked out from), sent when it changes, so that the tracking page at
// central shows the same estimate as the kiosk and the paper ticket.
import { z } from 'zod';
import { LocalizedText, OpeningHours } from './domain.js';

const Ref = z.string().min(1).max(64);

/** aggregateType 'directory', aggregateId the branch id: the whole list each time, a newer seq replaces it. */
export const DIRECTORY_AGGREGATE = 'directory';
export const DIRECTORY_PUBLISHED = 'directory.published';
export const BranchDirectoryV1 = z.object({
  services: z.array(z.object({
    id: Ref, prefix: z.string().min(1).max(4), name: LocalizedText, targetWaitMinutes: z.number().int().min(0), removed: z.boolean(),
    /**
     * "Your turn is near" at this position, set at the branch (Administration › Services); null: head office's
     * setting. Absent from the directories of branches older than the setting (read as null).
     */
    notifyAtPosition: z.number().int().min(1).max(50).nullable().optional(),
    /**
     * The hours the line takes tickets, in the branch's time zone: the service's own, or the branch's. The visitor
     * site says "open now" or the next opening from them. Absent from branches older than the field.
     */
    openingHours: OpeningHours.optional(),
  })).max(500),
  staff: z.array(z.object({ id: Ref, displayName: z.string().min(1).max(120), role: z.string().max(32) })).max(5000),
});
export type BranchDirectoryV1 = z.infer<typeof BranchDirectoryV1>;

/** aggregateType 'printer', aggregateId the printer (its spec): a change of its state. */
export const PRINTER_AGGREGATE = 'printer';
export const PRINTER_STATUS = 'printer.status';
export const PrinterStatusV1 = z.object({
  printer: z.string().min(1).max(200),
  deviceId: Ref.nullable(),
  /** Where it is, as staff say it (the kiosk's name). */
  where: z.string().max(200),
  state: z.enum(['ok', 'near_end', 'out_of_paper', 'failing']),
  code: z.string().max(40).nullable(),
  at: z.iso.datetime({ offset: true }),
});
export type PrinterStatusV1 = z.infer<typeof PrinterStatusV1>;

/**
 * aggregateType 'pace', aggregateId the service id: what the branch's estimated waits of a service are worked out
 * from (shared/domain/wait-estimate.ts), sent when it changes (a service completed, a counter opened or closed).
 * Central applies estimateWaitMinutes(position, averageMinutes, openCounters) to the position it computes, so the
 * visitor's phone says what the kiosk said. `at`: when the branch measured it.
 */
export const PACE_AGGREGATE = 'pace';
export const SERVICE_PACE = 'service.pace';
export const ServicePaceV1 = z.object({
  serviceId: Ref,
  averageMinutes: z.number().min(0).max(100_000),
  openCounters: z.number().int().min(0).max(10_000),
  at: z.iso.datetime({ offset: true }),
});
export type ServicePaceV1 = z.infer<typeof ServicePaceV1>;
