// Appointment slots of a service, generated from the branch's opening hours in the branch's time zone, and the
// check-in window of an appointment. Pure: the caller passes `now`, the holidays and the settings.
import { IANAZone } from 'luxon';
import type { OpeningHours } from '../contracts/domain.js';
import { DomainError } from './errors.js';
import { isoDateOf } from './holidays.js';

export const DEFAULT_TIME_ZONE = 'Africa/Dakar';
export const DEFAULT_HORIZON_WORKING_DAYS = 15;
/** Monday to Friday, 09:00–17:00. */
export const DEFAULT_APPOINTMENT_HOURS: OpeningHours = {
  1: [{ open: '09:00', close: '17:00' }], 2: [{ open: '09:00', close: '17:00' }], 3: [{ open: '09:00', close: '17:00' }],
  4: [{ open: '09:00', close: '17:00' }], 5: [{ open: '09:00', close: '17:00' }], 6: [], 7: [],
};
export const MAX_HORIZON_WORKING_DAYS = 366;
/** However sparse the opening hours, the search for working days stops this many calendar days after today. */
export const MAX_SCAN_DAYS = 2 * 366;

export interface Slot {
  /** `${serviceId}:${startsAt}`: the branch and the central API compute the same id for the same slot. */
  id: string;
  serviceId: string;
  /** ISO 8601 in UTC, e.g. '2026-03-30T07:00:00.000Z'. */
  startsAt: string;
  endsAt: string;
  /** The branch's local date ('YYYY-MM-DD') and wall-clock start ('HH:mm'). */
  localDate: string;
  localTime: string;
  capacity: number;
}

export interface GenerateSlotsInput {
  serviceId: string;
  /** IANA zone of the branch; default Africa/Dakar. */
  timeZone?: string;
  /** Default Monday to Friday 09:00–17:00. Ranges of a day must not overlap. */
  openingHours?: OpeningHours;
  /** Length of a slot in minutes (1..1440). Slots start at each range's opening time, back to back. */
  slotMinutes: number;
  /** Appointments one slot can take (≥ 1). */
  capacity: number;
  /** How many working days to offer (0..366, default 15); see generateSlots for what counts. */
  horizonWorkingDays?: number;
  now: Date;
  /** A slot must start more than this many minutes after `now` (default 0: strictly after `now`). */
  minLeadMinutes?: number;
  /**
   * Local dates without slots: public holidays and branch closures. For the default horizon,
   * `[...senegalHolidays(y, overrides), ...senegalHolidays(y + 1, overrides)]` with y = now's year covers it;
   * senegalHolidaysBetween() fits any range.
   */
  holidays?: readonly { readonly date: string }[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Wider than any UTC offset (−12:00..+14:00): probing this far from a local day reaches both sides of it. */
const PROBE_MS = 15 * 3_600_000;
/**
 * How many days one pair of offset probes vouches for. No zone changes its offset and back within this span (DST
 * lasts months; Morocco's Ramadan pause lasts a month), so equal offsets at both ends mean no change in between.
 * The probes matter: each luxon offset lookup formats a date through Intl and costs about as much as 20 slots.
 */
const STEADY_SPAN_DAYS = 7;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** `issue`: which range of openingHours is at fault, so that a form shows the message beside it. */
function invalid(message: string, issue?: { path: (string | number)[]; code: string; weekday: IsoWeekday }): never {
  throw new DomainError('VALIDATION_ERROR', message, issue ? [{ ...issue, message }] : undefined);
}

function minutesOf(time: string): number {
  if (!TIME_RE.test(time)) invalid(`expected a time as HH:mm, got ${JSON.stringify(time)}`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Each weekday's ranges as [open, close) minutes of the day, sorted; throws on empty or overlapping ranges. */
function parseOpeningHours(hours: OpeningHours): Record<IsoWeekday, [number, number][]> {
  const parsed = {} as Record<IsoWeekday, [number, number][]>;
  for (const weekday of WEEKDAYS) {
    // Each range keeps its place among the ones given (`at`): an error names the range as the caller sent it.
    const ranges = (hours[weekday] ?? []).map((r, at) => ({ open: minutesOf(r.open), close: minutesOf(r.close), at })).sort((a, b) => a.open - b.open);
    ranges.forEach(({ open, close, at }, i) => {
      const path = ['openingHours', weekday, at];
      if (open >= close) invalid(`opening range ${hhmm(open)}–${hhmm(close)} of weekday ${weekday} does not close after it opens`, { path, code: 'range_order', weekday });
      const previous = ranges[i - 1];
      if (previous && open < previous.close) invalid(`opening ranges of weekday ${weekday} overlap`, { path, code: 'range_overlap', weekday });
    });
    parsed[weekday] = ranges.map((r): [number, number] => [r.open, r.close]);
  }
  return parsed;
}

let hhmmTable: string[] | undefined;
/** 'HH:mm' of a minute of the day (0..1440), from a table built once: slots are generated often. */
function hhmm(minutes: number): string {
  hhmmTable ??= Array.from({ length: 1441 }, (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return hhmmTable[minutes] as string;
}

/** ISO 8601 UTC of a whole-minute instant (what slots are), without going through Date for each slot. */
function isoUtc(ms: number, dates: Map<number, string>): string {
  if (ms % MINUTE_MS !== 0) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let date = dates.get(day);
  if (date === undefined) {
    date = isoDateOf(day);
    dates.set(day, date);
  }
  return `${date}T${hhmm((ms - day * DAY_MS) / MINUTE_MS)}:00.000Z`;
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) invalid(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

/** A change of the zone's UTC offset (minutes) from `before` to `after` at the instant `at` (epoch ms). */
interface Shift {
  at: number;
  before: number;
  after: number;
}

/**
 * UTC offsets of a zone around local days, with as few luxon lookups as possible. Offsets are probed at instants
 * k·DAY − PROBE (k an epoch day); local day d lies between the probes of d and d + 3.
 */
class ZoneClock {
  private readonly probes = new Map<number, number>();
  private readonly shifts: Shift[] = [];
  private steadyThrough = -Infinity;
  private steadyOffset = 0;

  constructor(private readonly zone: IANAZone) {}

  private probe(k: number): number {
    let offset = this.probes.get(k);
    if (offset === undefined) {
      offset = this.zone.offset(k * DAY_MS - PROBE_MS);
      this.probes.set(k, offset);
    }
    return offset;
  }

  /** The one UTC offset of local day `day`, or else the offset change that happens around it. */
  dayOffset(day: number): number | Shift {
    if (day <= this.steadyThrough) return this.steadyOffset;
    const offset = this.probe(day);
    if (offset === this.probe(day + STEADY_SPAN_DAYS + 3)) {
      this.steadyThrough = day + STEADY_SPAN_DAYS;
      this.steadyOffset = offset;
      return offset;
    }
    if (offset === this.probe(day + 3)) return offset;
    const from = day * DAY_MS - PROBE_MS;
    const to = (day + 3) * DAY_MS - PROBE_MS;
    const known = this.shifts.find((shift) => shift.at > from && shift.at <= to);
    if (known) return known;
    // Bisect to the minute (offsets change on whole minutes): about 12 lookups, twice a year.
    let [low, high] = [from, to];
    while (high - low > MINUTE_MS) {
      const mid = low + Math.floor((high - low) / (2 * MINUTE_MS)) * MINUTE_MS;
      if (this.zone.offset(mid) === offset) low = mid;
      else high = mid;
    }
    const shift = { at: high, before: offset, after: this.probe(day + 3) };
    this.shifts.push(shift);
    return shift;
  }
}

/**
 * The UTC instant of a wall-clock time (given as epoch ms of that wall time read as if UTC) on a day with an offset
 * change, or null when the wall time does not exist (skipped by the change). A wall time that occurs twice (clocks set
 * back) maps to its first occurrence.
 */
function wallToUtc(shift: Shift, wall: number): number | null {
  let first: number | null = null;
  for (const offset of [shift.before, shift.after]) {
    const utc = wall - offset * MINUTE_MS;
    const actual = utc < shift.at ? shift.before : shift.after;
    if (actual === offset && (first === null || utc < first)) first = utc;
  }
  return first;
}

/** The first instant at which the clock shows `wall` or later: the change itself when it skips `wall`. */
function firstInstantShowing(shift: Shift, wall: number): number {
  return wallToUtc(shift, wall) ?? shift.at;
}

/**
 * The bookable slots of one service, sorted by start.
 *
 * - Slots are laid out on the branch's wall clock: in each opening range, back to back from the opening time; a slot
 *   that would end after the closing time is not produced. Days are local days of `timeZone`, so DST changes move
 *   the UTC times, not the local ones. Every slot lasts exactly `slotMinutes` of real time. On the night of a DST
 *   change (never in Dakar, but branches elsewhere may open then): a start that does not exist locally is skipped; a
 *   start that occurs twice is taken at its first occurrence; the range closes at the first instant the clock shows
 *   the closing time or later; a slot that would overlap the previous one (clocks jumped forward) is skipped.
 * - Only slots starting strictly after `now + minLeadMinutes` are produced.
 * - The horizon: from today's local date on, the first `horizonWorkingDays` working days, where a working day is a
 *   local date that is open by `openingHours`, is not in `holidays`, and still has at least one slot left to offer.
 *   So today counts only while it has a slot ahead, and a week with a holiday reaches one day further. The search
 *   gives up MAX_SCAN_DAYS after today (a branch open on no day produces no slots).
 * - Ids are `${serviceId}:${startsAt}`: the same inputs give the same ids wherever they are computed.
 *
 * Invalid settings (zone, lengths, overlapping ranges) throw a DomainError VALIDATION_ERROR.
 */
export function generateSlots(input: GenerateSlotsInput): Slot[] {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) invalid(`unknown time zone ${JSON.stringify(timeZone)}`);
  const slotMinutes = integerIn('slotMinutes', input.slotMinutes, 1, 1440);
  const capacity = integerIn('capacity', input.capacity, 1, Number.MAX_SAFE_INTEGER);
  const horizon = integerIn('horizonWorkingDays', input.horizonWorkingDays ?? DEFAULT_HORIZON_WORKING_DAYS, 0, MAX_HORIZON_WORKING_DAYS);
  const leadMinutes = input.minLeadMinutes ?? 0;
  if (!Number.isFinite(leadMinutes) || leadMinutes < 0) invalid(`minLeadMinutes must be a number ≥ 0, got ${leadMinutes}`);
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) invalid('now is not a valid date');
  const weekRanges = parseOpeningHours(input.openingHours ?? DEFAULT_APPOINTMENT_HOURS);
  const closed = new Set((input.holidays ?? []).map((h) => h.date));
  const earliestStart = nowMs + leadMinutes * MINUTE_MS; // slots must start strictly after this
  const slotMs = slotMinutes * MINUTE_MS;

  const clock = new ZoneClock(zone);
  const slots: Slot[] = [];
  const utcDates = new Map<number, string>();
  const today = Math.floor((nowMs + zone.offset(nowMs) * MINUTE_MS) / DAY_MS);
  let workingDays = 0;
  for (let day = today; workingDays < horizon && day <= today + MAX_SCAN_DAYS; day++) {
    const weekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 (epoch day 0) was a Thursday
    const ranges = weekRanges[weekday as IsoWeekday];
    if (ranges.length === 0) continue;
    const localDate = isoDateOf(day);
    if (closed.has(localDate)) continue;

    const dayWall = day * DAY_MS; // local midnight, as wall-clock ms
    // Most days have one UTC offset throughout: then wall → UTC is one subtraction. Around a DST change, convert
    // each slot on its own.
    const offset = clock.dayOffset(day);
    const before = slots.length;
    for (const [open, close] of ranges) {
      const closeUtc = typeof offset === 'number' ? 0 : firstInstantShowing(offset, dayWall + close * MINUTE_MS);
      let previousEnd = -Infinity;
      for (let start = open; start + slotMinutes <= close; start += slotMinutes) {
        let startUtc: number;
        if (typeof offset === 'number') {
          startUtc = dayWall + (start - offset) * MINUTE_MS;
        } else {
          const utc = wallToUtc(offset, dayWall + start * MINUTE_MS);
          if (utc === null || utc < previousEnd || utc + slotMs > closeUtc) continue;
          previousEnd = utc + slotMs;
          startUtc = utc;
        }
        // Filter on `now` last: which slots a day has must not depend on when it is computed.
        if (startUtc <= earliestStart) continue;
        const startsAt = isoUtc(startUtc, utcDates);
        slots.push({
          id: `${input.serviceId}:${startsAt}`,
          serviceId: input.serviceId,
          startsAt,
          endsAt: isoUtc(startUtc + slotMs, utcDates),
          localDate,
          localTime: hhmm(start),
          capacity,
        });
      }
    }
    if (slots.length > before) workingDays++;
  }
  return slots;
}

// ---------------------------------------------------------------------------------------------------------------
// Check-in of an appointment

export const CHECK_IN_STATUSES = ['too_early', 'on_time', 'late_ok', 'missed'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

export interface CheckInWindowOptions {
  /** How long before the slot's start a visitor may check in (default 30 minutes). */
  earlyMinutes?: number;
  /** How long after the slot's start a late visitor is still accepted (default 15 minutes). */
  lateMinutes?: number;
}
export const DEFAULT_CHECK_IN_EARLY_MINUTES = 30;
export const DEFAULT_CHECK_IN_LATE_MINUTES = 15;

export interface CheckInWindow {
  opensAt: Date;
  closesAt: Date;
}

function toDate(value: Date | string): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!Number.isFinite(date.getTime())) invalid(`not a valid date: ${String(value)}`);
  return date;
}

/** When an appointment's check-in opens and closes: [slotStart − early, slotStart + late). */
export function checkInWindow(slotStart: Date | string, options: CheckInWindowOptions = {}): CheckInWindow {
  const early = options.earlyMinutes ?? DEFAULT_CHECK_IN_EARLY_MINUTES;
  const late = options.lateMinutes ?? DEFAULT_CHECK_IN_LATE_MINUTES;
  if (!Number.isFinite(early) || early < 0) invalid(`earlyMinutes must be a number ≥ 0, got ${early}`);
  if (!Number.isFinite(late) || late < 0) invalid(`lateMinutes must be a number ≥ 0, got ${late}`);
  const start = toDate(slotStart).getTime();
  return { opensAt: new Date(start - early * MINUTE_MS), closesAt: new Date(start + late * MINUTE_MS) };
}

/**
 * Where `now` falls for an appointment starting at `slotStart`: before the window 'too_early'; from the window's
 * opening up to and including the start 'on_time'; after the start but before the window closes 'late_ok'; from
 * the window's closing on 'missed'.
 */
export function classifyCheckIn(now: Date, slotStart: Date | string, options: CheckInWindowOptions = {}): CheckInStatus {
  const at = toDate(now).getTime();
  const start = toDate(slotStart).getTime();
  const { opensAt, closesAt } = checkInWindow(slotStart, options);
  if (at < opensAt.getTime()) return 'too_early';
  if (at <= start) return 'on_time';
  if (at < closesAt.getTime()) return 'late_ok';
  return 'missed';
}
