// What the ticket engine hands to the printer, and its validation (a bad value is a caller bug, reported as
// PrintError(INVALID_PRINT_DATA) before anything is sent).
import { z } from 'zod';
import { Language, QueueType } from '../../shared/contracts/domain.js';
import { PrintError } from './errors.js';
import { isValidTimeZone, toZonedDateTime } from './format.js';

export interface TicketPrintData {
  branchName: string;
  /** PNG printed at the top, at its pixel size (1 px = 1 dot); skipped with a warning when unreadable or too wide. */
  logoPath?: string | null;
  serviceName: string;
  ticketNumber: string;
  issuedAt: Date | string;
  /** IANA zone of the branch, e.g. Africa/Dakar. */
  timeZone: string;
  /** 1 = next to be called; null when unknown. */
  position: number | null;
  estimatedWaitMinutes: number | null;
  /** No counter of the service is open: the paper says so instead of a wait. */
  noOpenCounter?: boolean;
  /** Page where the visitor follows the ticket; printed as a QR code. */
  trackUrl: string | null;
  /** Branch message at the bottom; null/undefined: the default thanks in the ticket's language; '' : none. */
  footer?: string | null;
  /** The visitor's language. */
  language: Language;
  /** Printed under the service name unless `normal`. */
  queueType?: QueueType;
}

export interface ReceiptPrintData {
  branchName: string;
  logoPath?: string | null;
  /** Amount in XOF (integer francs). */
  amountXof: number;
  /** Display name of the payment provider, e.g. "Wave", "Orange Money". */
  provider: string;
  /** Provider's transaction reference. */
  reference: string;
  paidAt: Date | string;
  timeZone: string;
  language: Language;
  ticketNumber?: string | null;
  serviceName?: string | null;
  footer?: string | null;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const when = z.union([z.date(), z.string()]).refine((v) => toZonedDateTime(v, 'UTC').isValid, 'not a valid date or ISO 8601 string');
const zone = z.string().refine(isValidTimeZone, 'not an IANA time zone');
const trackUrl = z
  .string()
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'not an http(s) URL');

const TicketPrintDataSchema = z.object({
  branchName: text(200),
  logoPath: z.string().min(1).nullish(),
  serviceName: text(200),
  ticketNumber: text(16),
  issuedAt: when,
  timeZone: zone,
  position: z.number().int().min(0).nullable(),
  estimatedWaitMinutes: z.number().min(0).max(100_000).nullable(),
  noOpenCounter: z.boolean().optional(),
  trackUrl: trackUrl.nullable(),
  footer: z.string().max(500).nullish(),
  language: Language,
  queueType: QueueType.optional(),
});

const ReceiptPrintDataSchema = z.object({
  branchName: text(200),
  logoPath: z.string().min(1).nullish(),
  amountXof: z.number().int().refine(Number.isSafeInteger, 'amount too large'),
  provider: text(60),
  reference: text(120),
  paidAt: when,
  timeZone: zone,
  language: Language,
  ticketNumber: z.string().trim().max(16).nullish(),
  serviceName: z.string().trim().max(200).nullish(),
  footer: z.string().max(500).nullish(),
});

function check<T>(schema: z.ZodType, value: T, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PrintError('INVALID_PRINT_DATA', `invalid ${what}: ${detail}`, { cause: result.error });
  }
  return value;
}

export function validateTicketData(d: TicketPrintData): TicketPrintData {
  return check(TicketPrintDataSchema, d, 'ticket print data');
}

export function validateReceiptData(d: ReceiptPrintData): ReceiptPrintData {
  return check(ReceiptPrintDataSchema, d, 'receipt print data');
}
