// Opening hours in the branch's time zone: is a service open now, and when does the branch day end.
import { DateTime } from 'luxon';
import type { OpeningHours, OpeningRange } from '../contracts/domain.js';
import { localDay, localMinuteOfDay } from './local-day.js';

export const ALWAYS_OPEN: OpeningHours = {
  1: [{ open: '00:00', close: '24:00' }], 2: [{ open: '00:00', close: '24:00' }], 3: [{ open: '00:00', close: '24:00' }],
  4: [{ open: '00:00', close: '24:00' }], 5: [{ open: '00:00', close: '24:00' }], 6: [{ open: '00:00', close: '24:00' }],
  7: [{ open: '00:00', close: '24:00' }],
};

/** Monday to Friday 08:00–17:00: a common Senegalese agency week. */
export const WEEKDAYS_8_TO_17: OpeningHours = {
  1: [{ open: '08:00', close: '17:00' }], 2: [{ open: '08:00', close: '17:00' }], 3: [{ open: '08:00', close: '17:00' }],
  4: [{ open: '08:00', close: '17:00' }], 5: [{ open: '08:00', close: '17:00' }], 6: [], 7: [],
};

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function rangesOn(hours: OpeningHours, at: Date, timeZone: string): OpeningRange[] {
  return hours[localDay(at, timeZone).weekday];
}

export function isOpenAt(hours: OpeningHours, at: Date, timeZone: string): boolean {
  const minute = localMinuteOfDay(at, timeZone);
  return rangesOn(hours, at, timeZone).some((r) => minute >= minutesOf(r.open) && minute < minutesOf(r.close));
}

/**
 * When the branch day that contains `at` ends: the last closing time of that local day if it is still ahead
 * (or just passed), else the next local midnight. Tickets still waiting then are expired.
 */
export function endOfBranchDay(hours: OpeningHours, at: Date, timeZone: string, opts: { keptOpen?: HoursChange | null } = {}): Date {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const end = plainEndOfBranchDay(hours, at, timeZone);
  // A change of hours ends nobody's visit: a ticket already waiting when the admin changed them keeps, that day, at
  // least the end it had before (the supervisor can still close the day). The caller passes `keptOpen` only for such
  // tickets; tickets issued later follow the new hours.
  const kept = opts.keptOpen;
  if (kept && local.toISODate() === kept.day && Date.parse(kept.until) > end.getTime()) return new Date(kept.until);
  return end;
}

/**
 * A change of the branch's hours: its branch day, when that day would have ended before it, and the last ticket
 * issued before it (tickets up to that one were already there: they keep the earlier end).
 */
export interface HoursChange { day: string; until: string; lastTicketSeq: number }

function plainEndOfBranchDay(hours: OpeningHours, at: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const ranges = rangesOn(hours, at, timeZone);
  const lastClose = ranges.reduce((max, r) => Math.max(max, minutesOf(r.close)), -1);
  if (lastClose < 0 || lastClose >= 24 * 60) return local.plus({ days: 1 }).startOf('day').toJSDate();
  return local.startOf('day').plus({ minutes: lastClose }).toJSDate();
}

/**
 * The next moment the hours open after `at` (the visitor site's "next opening"), looking a week ahead; null when
 * the hours have no range at all. A range that contains `at` is not "next": the caller asks isOpenAt first.
 */
export function nextOpening(hours: OpeningHours, at: Date, timeZone: string): Date | null {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  for (let d = 0; d <= 7; d++) {
    const day = local.plus({ days: d }).startOf('day');
    const ranges = [...hours[day.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7]].sort((a, b) => minutesOf(a.open) - minutesOf(b.open));
    for (const r of ranges) {
      if (minutesOf(r.open) >= minutesOf(r.close)) continue;
      const opens = day.plus({ minutes: minutesOf(r.open) });
      if (opens > local) return opens.toJSDate();
    }
  }
  return null;
}
