// Senegal's public holidays, computed for any year, plus the admin's branch closures and corrections.
//
// Dates are local calendar dates ('YYYY-MM-DD') with no time zone: a holiday is a whole local day wherever the
// branch is. Internally a date is an epoch day (days since 1970-01-01), which keeps the arithmetic exact.
import type { LocalizedText } from '../contracts/domain.js';
import { DomainError } from './errors.js';

export const FIXED_HOLIDAY_KEYS = ['new_year', 'independence_day', 'labour_day', 'assumption', 'all_saints', 'christmas'] as const;
export const CHRISTIAN_MOVABLE_HOLIDAY_KEYS = ['easter_monday', 'ascension', 'whit_monday'] as const;
export const ISLAMIC_HOLIDAY_KEYS = ['korite', 'tabaski', 'tamkharit', 'maouloud', 'grand_magal'] as const;
export const MOVABLE_HOLIDAY_KEYS = [...CHRISTIAN_MOVABLE_HOLIDAY_KEYS, ...ISLAMIC_HOLIDAY_KEYS] as const;
export const PUBLIC_HOLIDAY_KEYS = [...FIXED_HOLIDAY_KEYS, ...MOVABLE_HOLIDAY_KEYS] as const;

export type FixedHolidayKey = (typeof FIXED_HOLIDAY_KEYS)[number];
export type IslamicHolidayKey = (typeof ISLAMIC_HOLIDAY_KEYS)[number];
export type MovableHolidayKey = (typeof MOVABLE_HOLIDAY_KEYS)[number];
export type PublicHolidayKey = (typeof PUBLIC_HOLIDAY_KEYS)[number];
/** A day the branch does not open: a public holiday, or 'closure' for an admin's branch closure. */
export type HolidayKey = PublicHolidayKey | 'closure';

export interface Holiday {
  /** Local calendar date, 'YYYY-MM-DD'. */
  date: string;
  key: HolidayKey;
  name: LocalizedText;
  /** The date changes from year to year (computus or Islamic calendar). */
  movable: boolean;
  /** The date is a calculation that the official announcement may still change (Islamic holidays, not yet confirmed). */
  estimated: boolean;
}

/**
 * An admin's correction of the computed calendar.
 * - `closure`: the branch is closed on `date` (strike, inventory, a holiday decreed at short notice). `label` is
 *   shown to visitors; a plain string is used for all three languages.
 * - `move`: the official date of a movable holiday is `date`. It replaces the computed occurrence of `key` nearest to
 *   `date` (at most MAX_HOLIDAY_MOVE_DAYS away) and marks it confirmed (`estimated: false`). Moving a holiday to its
 *   computed date confirms the estimate.
 */
export type HolidayOverride =
  | { kind: 'closure'; date: string; label: string | LocalizedText }
  | { kind: 'move'; key: MovableHolidayKey; date: string };

/** How far a `move` may shift a holiday: corrections of an estimate, not a different holiday. */
export const MAX_HOLIDAY_MOVE_DAYS = 3;

// Wolof names: the Muslim feasts have well-established Wolof names. For the civil and Christian days Wolof speakers
// mostly use the French word; the forms below follow the CLAD orthography and should be checked by a native speaker.
export const HOLIDAY_NAMES: Readonly<Record<PublicHolidayKey, LocalizedText>> = {
  new_year: { fr: "Jour de l'An", wo: 'Bésu At bu Bees', en: "New Year's Day" },
  independence_day: { fr: "Fête de l'Indépendance", wo: 'Bésu Moom sa Réew', en: 'Independence Day' },
  labour_day: { fr: 'Fête du Travail', wo: 'Bésu Liggéeykat yi', en: 'Labour Day' },
  assumption: { fr: 'Assomption', wo: 'Asompsioŋ', en: 'Assumption Day' },
  all_saints: { fr: 'Toussaint', wo: 'Tuseŋ', en: "All Saints' Day" },
  christmas: { fr: 'Noël', wo: 'Nowel', en: 'Christmas Day' },
  easter_monday: { fr: 'Lundi de Pâques', wo: 'Altiney Pàkk', en: 'Easter Monday' },
  ascension: { fr: 'Ascension', wo: 'Asaŋsioŋ', en: 'Ascension Day' },
  whit_monday: { fr: 'Lundi de Pentecôte', wo: 'Altiney Pàntkoot', en: 'Whit Monday' },
  korite: { fr: 'Korité (Aïd el-Fitr)', wo: 'Korite', en: 'Korité (Eid al-Fitr)' },
  tabaski: { fr: 'Tabaski (Aïd el-Kébir)', wo: 'Tabaski', en: 'Tabaski (Eid al-Adha)' },
  tamkharit: { fr: 'Tamkharit (Achoura)', wo: 'Tamxarit', en: 'Tamkharit (Ashura)' },
  maouloud: { fr: 'Maouloud (Mawlid)', wo: 'Gammu', en: 'Maouloud (Mawlid)' },
  grand_magal: { fr: 'Grand Magal de Touba', wo: 'Màggalu Tuubaa', en: 'Grand Magal of Touba' },
};

const FIXED_DATES: Readonly<Record<FixedHolidayKey, readonly [month: number, day: number]>> = {
  new_year: [1, 1],
  independence_day: [4, 4],
  labour_day: [5, 1],
  assumption: [8, 15],
  all_saints: [11, 1],
  christmas: [12, 25],
};

/** Days after Easter Sunday. */
const EASTER_OFFSETS: Readonly<Record<(typeof CHRISTIAN_MOVABLE_HOLIDAY_KEYS)[number], number>> = {
  easter_monday: 1,
  ascension: 39,
  whit_monday: 50,
};

/** Hijri month (1 = Muharram) and day of each Islamic holiday. */
const HIJRI_DATES: Readonly<Record<IslamicHolidayKey, readonly [month: number, day: number]>> = {
  tamkharit: [1, 10], // 10 Muharram
  grand_magal: [2, 18], // 18 Safar
  maouloud: [3, 12], // 12 Rabi' al-awwal
  korite: [10, 1], // 1 Shawwal
  tabaski: [12, 10], // 10 Dhu al-Hijjah
};

// ---------------------------------------------------------------------------------------------------------------
// Local dates as epoch days

const DAY_MS = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' → days since 1970-01-01; throws a VALIDATION_ERROR for anything that is not a real date. */
export function epochDayOf(date: string): number {
  const match = ISO_DATE_RE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    const back = new Date(ms);
    if (back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day) return ms / DAY_MS;
  }
  throw new DomainError('VALIDATION_ERROR', `expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function isoDateOf(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function assertYear(year: number): void {
  // The Gregorian computus and ICU's Islamic calendars are only meaningful well inside this range.
  if (!Number.isInteger(year) || year < 1900 || year > 2200) {
    throw new DomainError('VALIDATION_ERROR', `year must be an integer between 1900 and 2200, got ${year}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Easter: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)

/** Easter Sunday of a Gregorian year, as an epoch day. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return epochDay(year, month, day);
}

// ---------------------------------------------------------------------------------------------------------------
// Islamic holidays
//
// The official dates in Senegal follow the sighting of the new moon (announced by the CONACOC a day or two ahead),
// so any calculation is an estimate that may be off by a day; an admin fixes it with a `move` override once the date
// is announced. We use ICU's 'islamic-civil' calendar (the arithmetic tabular calendar, Friday epoch), read through
// Intl.DateTimeFormat. Node 20's full ICU offers islamic, islamic-civil, islamic-tbla, islamic-umalqura and
// islamic-rgsa. Against the dates Senegal actually observed in 2023–2025 (e.g. Korité 31 March 2025, Tabaski
// 7 June 2025, 17 June 2024, 29 June 2023, Grand Magal 4 September 2023), islamic-civil matches or is one day off,
// whereas islamic-umalqura (Saudi Arabia's calendar) is usually one day early: Senegal tends to see the moon a day
// after Mecca. Being arithmetic, islamic-civil also gives the same dates in every ICU version and every browser.

const HIJRI_CALENDAR = 'islamic-civil';
let hijriFormat: Intl.DateTimeFormat | undefined;

function hijriFormatter(): Intl.DateTimeFormat {
  if (!hijriFormat) {
    const format = new Intl.DateTimeFormat(`en-US-u-ca-${HIJRI_CALENDAR}`, { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
    if (format.resolvedOptions().calendar !== HIJRI_CALENDAR) {
      // A Node built with small-icu silently falls back to the Gregorian calendar: refuse rather than lie.
      throw new Error(`Intl does not support the ${HIJRI_CALENDAR} calendar (a Node build with full ICU is required)`);
    }
    hijriFormat = format;
  }
  return hijriFormat;
}

/** Hijri month and day of an epoch day. */
function hijriMonthDay(day: number): { month: number; day: number } {
  let month = 0;
  let dayOfMonth = 0;
  for (const part of hijriFormatter().formatToParts(day * DAY_MS)) {
    if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') dayOfMonth = Number(part.value);
  }
  return { month, day: dayOfMonth };
}

interface Occurrence {
  key: PublicHolidayKey;
  day: number;
}

/** Islamic holidays falling in [from, to] (epoch days), walking the Hijri months: about two Intl calls per month. */
function islamicOccurrences(from: number, to: number): Occurrence[] {
  const found: Occurrence[] = [];
  const first = hijriMonthDay(from);
  let month = first.month;
  let monthStart = from - (first.day - 1);
  while (monthStart <= to) {
    for (const key of ISLAMIC_HOLIDAY_KEYS) {
      const [hMonth, hDay] = HIJRI_DATES[key];
      const day = monthStart + hDay - 1;
      if (hMonth === month && day >= from && day <= to) found.push({ key, day });
    }
    // Hijri months have 29 or 30 days: 30 days on is the 1st or the 2nd of the next month.
    const probe = monthStart + 30;
    const next = hijriMonthDay(probe);
    monthStart = probe - (next.day - 1);
    month = next.month;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** Every public holiday from the computed calendar in [from, to] (epoch days), before overrides. */
function computedOccurrences(from: number, to: number): Occurrence[] {
  const found: Occurrence[] = [];
  const firstYear = new Date(from * DAY_MS).getUTCFullYear();
  const lastYear = new Date(to * DAY_MS).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    for (const key of FIXED_HOLIDAY_KEYS) found.push({ key, day: epochDay(year, ...FIXED_DATES[key]) });
    const easter = easterSunday(year);
    for (const key of CHRISTIAN_MOVABLE_HOLIDAY_KEYS) found.push({ key, day: easter + EASTER_OFFSETS[key] });
  }
  found.push(...islamicOccurrences(from, to));
  return found.filter((o) => o.day >= from && o.day <= to);
}

/** A closure's or a holiday's label in the three languages (one given as plain text reads the same in each). */
export function localized(label: string | LocalizedText): LocalizedText {
  return typeof label === 'string' ? { fr: label, wo: label, en: label } : label;
}

const MOVABLE = new Set<PublicHolidayKey>(MOVABLE_HOLIDAY_KEYS);
const ISLAMIC = new Set<PublicHolidayKey>(ISLAMIC_HOLIDAY_KEYS);

/**
 * Senegal's public holidays and the branch's closures with local dates in [from, to] (inclusive, 'YYYY-MM-DD'),
 * sorted by date. Islamic holidays are estimates (`estimated: true`) until an override `move`s them.
 * Throws a VALIDATION_ERROR for a malformed date or a `move` with no occurrence of its holiday within
 * MAX_HOLIDAY_MOVE_DAYS of the computed calendar: admin routes can call this to validate overrides before saving.
 */
export function senegalHolidaysBetween(from: string, to: string, overrides: readonly HolidayOverride[] = []): Holiday[] {
  const fromDay = epochDayOf(from);
  const toDay = epochDayOf(to);
  assertYear(new Date(fromDay * DAY_MS).getUTCFullYear());
  assertYear(new Date(toDay * DAY_MS).getUTCFullYear());
  if (toDay < fromDay) return [];

  // A move matters here when its computed or its official date is in the range, so its official date is within
  // one margin of the range and its computed occurrence within two: compute that much (31 December → 1 January).
  const margin = MAX_HOLIDAY_MOVE_DAYS;
  const occurrences = computedOccurrences(fromDay - 2 * margin, toDay + 2 * margin).map((o) => ({
    ...o,
    estimated: ISLAMIC.has(o.key),
  }));
  const closures: Holiday[] = [];
  for (const override of overrides) {
    const day = epochDayOf(override.date);
    if (override.kind === 'closure') {
      if (day >= fromDay && day <= toDay) closures.push({ date: override.date, key: 'closure', name: localized(override.label), movable: false, estimated: false });
      continue;
    }
    if (!MOVABLE.has(override.key)) throw new DomainError('VALIDATION_ERROR', `${override.key} is not a movable holiday`);
    if (day < fromDay - margin || day > toDay + margin) continue; // cannot touch the range
    const target = nearestOccurrence(override.key, day, occurrences);
    if (!target) {
      throw new DomainError(
        'VALIDATION_ERROR',
        `no ${override.key} within ${MAX_HOLIDAY_MOVE_DAYS} days of ${override.date}: a move corrects an estimate, it does not add a holiday`,
      );
    }
    target.day = day;
    target.estimated = false;
  }

  const holidays: Holiday[] = occurrences
    .filter((o) => o.day >= fromDay && o.day <= toDay)
    .map((o) => ({ date: isoDateOf(o.day), key: o.key, name: HOLIDAY_NAMES[o.key], movable: MOVABLE.has(o.key), estimated: o.estimated }));
  holidays.push(...closures);
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function nearestOccurrence<T extends Occurrence>(key: PublicHolidayKey, day: number, occurrences: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const o of occurrences) {
    if (o.key !== key || Math.abs(o.day - day) > MAX_HOLIDAY_MOVE_DAYS) continue;
    if (!best || Math.abs(o.day - day) < Math.abs(best.day - day)) best = o;
  }
  return best;
}

/** Senegal's public holidays and the branch's closures in a Gregorian year, sorted by date. See senegalHolidaysBetween. */
export function senegalHolidays(year: number, overrides: readonly HolidayOverride[] = []): Holiday[] {
  assertYear(year);
  return senegalHolidaysBetween(`${year}-01-01`, `${year}-12-31`, overrides);
}

/** The holidays and closures on one local date ('YYYY-MM-DD'); empty when it is an ordinary day. */
export function holidaysOn(date: string, overrides: readonly HolidayOverride[] = []): Holiday[] {
  return senegalHolidaysBetween(date, date, overrides);
}

/** Whether a local date ('YYYY-MM-DD') is a public holiday in Senegal or a closure of the branch. */
export function isHoliday(date: string, overrides: readonly HolidayOverride[] = []): boolean {
  return holidaysOn(date, overrides).length > 0;
}
