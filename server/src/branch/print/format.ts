// Formatting of dates, waits and amounts as printed on tickets and receipts.
import { DateTime, IANAZone } from 'luxon';
import { interpolate, type PrintLabels } from './labels.js';

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function toZonedDateTime(at: Date | string, timeZone: string): DateTime {
  const base = at instanceof Date ? DateTime.fromJSDate(at) : DateTime.fromISO(at, { setZone: true });
  return base.setZone(timeZone);
}

/** Numeric date and 24 h time, the way they are read in Senegal whatever the language. */
export function formatDateTime(at: Date | string, timeZone: string): { date: string; time: string } {
  const dt = toZonedDateTime(at, timeZone);
  return { date: dt.toFormat('dd/MM/yyyy'), time: dt.toFormat('HH:mm') };
}

export function formatWait(minutes: number, labels: PrintLabels): string {
  const m = Math.ceil(minutes);
  if (m < 1) return labels.lessThanAMinute;
  if (m < 60) return interpolate(labels.minutes, { n: m });
  return interpolate(labels.hoursMinutes, { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') });
}

/** U+202F NARROW NO-BREAK SPACE: the French thousands separator (printed as a plain space by code pages without it). */
export const THIN_SPACE = '\u202F';

/** 12500 → "12 500 F CFA" with thin spaces. Amounts in XOF are integers (no minor unit). */
export function formatXof(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`XOF amounts are integers, got ${amount}`);
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, THIN_SPACE);
  return `${amount < 0 ? '-' : ''}${digits}${THIN_SPACE}F${THIN_SPACE}CFA`;
}
