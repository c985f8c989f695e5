// The day picker of the visitor site's bookings (issue 18): the branch page and a booking's page show the first few
// free slots, and a plain GET form (no script) to see every free slot of one day among the next two weeks.
import { DateTime } from 'luxon';
import type { Language } from '../../shared/contracts/domain.js';
import { formatDateTime } from '../notifications/templates.js';
import { esc, type SiteStrings } from './html.js';

/** Slots offered without a chosen day: the first few free ones. */
export const SLOTS_SHOWN = 8;
/** Days offered in the picker: those with a free slot among the next two weeks (the slot horizon may be shorter). */
export const DAYS_SHOWN = 14;

export interface FreeSlotRef { startsAt: string; localDate: string }
/** A day that has free slots, with its first slot (to write the date in the visitor's language). */
export interface SlotDay { date: string; firstAt: string }

/** The days among the next DAYS_SHOWN that have a free slot, in order. */
export function slotDays(slots: readonly FreeSlotRef[], now: Date, timeZone: string): SlotDay[] {
  const last = DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: DAYS_SHOWN - 1 }).toISODate() as string;
  const days = new Map<string, string>();
  for (const s of slots) if (s.localDate <= last && !days.has(s.localDate)) days.set(s.localDate, s.startsAt);
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, firstAt]) => ({ date, firstAt }));
}

/** A chosen day's free slots (all of them), or the first few when no day (or no day on offer) is chosen. */
export function shownSlots(slots: readonly FreeSlotRef[], day: string | null): string[] {
  return (day ? slots.filter((s) => s.localDate === day) : slots.slice(0, SLOTS_SHOWN)).map((s) => s.startsAt);
}

/** The picker: a GET form back to `action` with ?day= (and the language), so that it works without the script. */
export function renderDayPicker(S: SiteStrings, lang: Language, action: string, days: readonly SlotDay[], chosen: string | null, timeZone: string): string {
  if (!days.length) return '';
  const options = days.map((d) => `<option value="${esc(d.date)}"${d.date === chosen ? ' selected' : ''}>${esc(formatDateTime(d.firstAt, timeZone, lang).date)}</option>`).join('');
  return `<form method="get" action="${esc(action)}" data-testid="day-picker"><label for="day">${esc(S.day)}</label><div class="search">`
    + `<select id="day" name="day"><option value="">${esc(S.firstSlots)}</option>${options}</select>`
    + `${lang === 'fr' ? '' : `<input type="hidden" name="lang" value="${lang}">`}<button type="submit">${esc(S.showDay)}</button></div></form>`;
}

/** ?day= as given, when it is one of the days on offer. */
export function chosenDay(asked: string | undefined, days: readonly SlotDay[]): string | null {
  return asked && days.some((d) => d.date === asked) ? asked : null;
}
