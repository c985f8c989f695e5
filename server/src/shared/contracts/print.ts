// REST contracts of ticket printing and of the kiosk's settings (server/src/branch/print/print.routes.ts).
import { z } from 'zod';
import { Id } from './api.js';
import { Language } from './domain.js';

/** Why a print failed; the kiosk decides what to show from this code, never from the message. */
export const PRINT_FAILURE_CODES = ['PRINTER_OFFLINE', 'PRINTER_TIMEOUT', 'PAPER_OUT', 'PRINTER_ERROR', 'PRINTER_CONFIG', 'INVALID_PRINT_DATA'] as const;
export type PrintFailureCode = (typeof PRINT_FAILURE_CODES)[number];

export const PaperState = z.enum(['ok', 'near_end', 'out', 'unknown']);

export const PrintResult = z.object({
  status: z.literal('printed'),
  /** Paper sensor as the printer reported it on the way (`unknown` when it cannot tell, e.g. an OS queue). */
  paper: PaperState,
  /** Transport of the printer that took the job. */
  printer: z.enum(['tcp', 'os', 'simulated']),
});
export type PrintResult = z.infer<typeof PrintResult>;

/** Details of a 503 print failure: the ticket exists whatever happened to the paper. */
export const PrintFailureDetails = z.object({
  ticketId: z.string(),
  ticketNumber: z.string(),
  /** The job reached the printer before the failure: it may have printed, do not reprint blindly. */
  maybePrinted: z.boolean(),
});
export type PrintFailureDetails = z.infer<typeof PrintFailureDetails>;

export const PrinterStatusView = z.object({
  ok: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
  paper: PaperState,
});

export const ConfiguredPrinter = z.object({
  /** Printer spec in canonical form (or as configured when it does not parse). */
  spec: z.string(),
  /** The server's default printer (SMARTQUEUE_PRINTER), used by kiosks without a printer of their own. */
  isDefault: z.boolean(),
  /** Paired kiosks that print on it. */
  devices: z.array(z.object({ id: z.string(), name: z.string() })),
  status: PrinterStatusView,
});
export type ConfiguredPrinter = z.infer<typeof ConfiguredPrinter>;

export const TestPrintBody = z.strictObject({
  /** Print on this kiosk's printer (its own, else the default). */
  deviceId: Id.optional(),
  /** Or on this spec; neither: the default printer. */
  spec: z.string().min(1).max(200).optional(),
  language: Language.optional(),
});

export const KioskConfig = z.object({
  /** The QR code of a ticket is this URL with the ticket id appended; null (a standalone branch): no QR code. */
  trackUrlBase: z.string().nullable(),
  /**
   * The kiosk offers to send an SMS ("your turn is near", "it's your turn"): only when central has an SMS channel
   * (as it last said: SMS are queued at central, so it holds while the branch is cut off). Never on a standalone branch.
   */
  sms: z.boolean(),
  printer: z.object({
    /** A printer is set for this kiosk (its own or the server's default). */
    configured: z.boolean(),
    /** Demo: tickets go to the simulated printer, no paper comes out. */
    simulated: z.boolean(),
  }),
});
export type KioskConfig = z.infer<typeof KioskConfig>;

/** The page that follows a ticket: the base with the ticket id appended (the kiosk does the same for its QR). */
export function trackUrlFor(base: string, ticketId: string): string {
  return `${base}${encodeURIComponent(ticketId)}`;
}
