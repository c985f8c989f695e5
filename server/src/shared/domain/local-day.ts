// The local day an instant falls in, in a time zone: its date, weekday and bounds. Every command asks it (a ticket's
// branch day, whether a service is open now), and luxon's zone arithmetic (Intl parts per call) was a visible part
// of a command's CPU. So each zone's current day is worked out once and kept: an instant inside its bounds gets it
// as is, any other instant works its own day out (and becomes the kept one). Exact on days that change offset too.
import { DateTime } from 'luxon';

export interface LocalDay {
  /** ISO date, e.g. 2026-12-03. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** The day's first instant and the next day's, in ms since the epoch. */
  startMs: number;
  endMs: number;
  /**
   * The day starts at 00:00 and its offset is the same all day (no summer-time change that day): a local minute is
   * then the minutes since startMs.
   */
  fixedOffset: boolean;
}

const kept = new Map<string, LocalDay>();

export function localDay(at: Date, timeZone: string): LocalDay {
  const t = at.getTime();
  const hit = kept.get(timeZone);
  if (hit && t >= hit.startMs && t < hit.endMs) return hit;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const date = local.toISODate();
  if (!local.isValid || date === null) throw new Error(`invalid time zone ${timeZone}`);
  const start = local.startOf('day');
  const next = start.plus({ days: 1 }).startOf('day');
  const day: LocalDay = {
    date, weekday: local.weekday, startMs: start.toMillis(), endMs: next.toMillis(),
    fixedOffset: start.hour === 0 && start.minute === 0 && start.offset === next.minus({ milliseconds: 1 }).offset,
  };
  kept.set(timeZone, day);
  return day;
}

/** Minutes since local midnight (the clock on the wall, e.g. 9:30 → 570). */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const day = localDay(at, timeZone);
  if (day.fixedOffset) return Math.floor((at.getTime() - day.startMs) / 60_000);
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return local.hour * 60 + local.minute;
}
