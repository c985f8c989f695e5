// Ticket numbers: the service's letter and three digits (A001 …), counted per service per branch day.
// The branch day is the calendar date in the branch's own time zone, so numbering restarts at local midnight
// without any cron job: a new day simply has no numbers yet.
import { localDay } from './local-day.js';

export function serviceDay(at: Date, timeZone: string): string {
  return localDay(at, timeZone).date;
}

/** A042; past 999 the number simply grows (A1000) rather than colliding with A001 of the same day. */
export function formatTicketNumber(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(3, '0')}`;
}

/**
 * How a person reads it, everywhere (kiosk, paper, call board, agent app, tracking page, SMS, e-mail, push): "A-042".
 * The stored and API form stays "A042"; only what people read goes through here.
 */
export function displayTicketNumber(number: string): string {
  return number.replace(/^([A-Z]+)(\d+)$/, '$1-$2');
}
