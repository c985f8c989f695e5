import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { OpeningHours } from '../contracts/domain.js';
import { DomainError } from './errors.js';
import { senegalHolidaysBetween, type HolidayOverride } from './holidays.js';
import { DEFAULT_APPOINTMENT_HOURS, checkInWindow, classifyCheckIn, generateSlots, type GenerateSlotsInput, type Slot } from './slots.js';

const SERVICE = 'svc-etat-civil';

function weekdays(ranges: { open: string; close: string }[]): OpeningHours {
  return { 1: ranges, 2: ranges, 3: ranges, 4: ranges, 5: ranges, 6: [], 7: [] };
}

function closedOnlyExcept(weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7, ranges: { open: string; close: string }[]): OpeningHours {
  const hours: OpeningHours = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
  hours[weekday] = ranges;
  return hours;
}

function localDates(slots: readonly Slot[]): string[] {
  return [...new Set(slots.map((s) => s.localDate))];
}

function onDate(slots: readonly Slot[], date: string): Slot[] {
  return slots.filter((s) => s.localDate === date);
}

function dakar(input: Omit<GenerateSlotsInput, 'serviceId' | 'slotMinutes' | 'capacity'> & Partial<GenerateSlotsInput>): Slot[] {
  return generateSlots({ serviceId: SERVICE, slotMinutes: 60, capacity: 1, timeZone: 'Africa/Dakar', ...input });
}

describe('generateSlots', () => {
  it('uses Monday to Friday 09:00–17:00 in Dakar by default and skips the weekend', () => {
    // Monday 2 March 2026, 06:00 in Dakar (UTC+0 all year).
    const slots = generateSlots({ serviceId: SERVICE, slotMinutes: 60, capacity: 2, horizonWorkingDays: 6, now: new Date('2026-03-02T06:00:00Z') });
    expect(localDates(slots)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09']);
    expect(onDate(slots, '2026-03-02').map((s) => s.localTime)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    expect(slots[0]).toEqual({
      id: `${SERVICE}:2026-03-02T09:00:00.000Z`,
      serviceId: SERVICE,
      startsAt: '2026-03-02T09:00:00.000Z',
      endsAt: '2026-03-02T10:00:00.000Z',
      localDate: '2026-03-02',
      localTime: '09:00',
      capacity: 2,
    });
  });

  it('offers 15 working days by default', () => {
    const slots = dakar({ now: new Date('2026-03-02T06:00:00Z') });
    expect(localDates(slots)).toHaveLength(15);
    expect(localDates(slots).at(-1)).toBe('2026-03-20');
  });

  it('produces nothing on a fixed-date holiday (Labour Day, Friday 1 May 2026)', () => {
    const slots = dakar({ now: new Date('2026-04-27T06:00:00Z'), horizonWorkingDays: 5, holidays: senegalHolidaysBetween('2026-04-01', '2026-06-30') });
    expect(localDates(slots)).toEqual(['2026-04-27', '2026-04-28', '2026-04-29', '2026-04-30', '2026-05-04']);
  });

  it('produces nothing on a movable holiday, and follows the admin when it is moved', () => {
    // Easter Monday 6 April 2026.
    const easter = dakar({ now: new Date('2026-04-03T18:00:00Z'), horizonWorkingDays: 1, holidays: senegalHolidaysBetween('2026-04-01', '2026-04-30') });
    expect(localDates(easter)).toEqual(['2026-04-07']);

    // Korité 2026 is estimated on Friday 20 March; the admin moves it to Thursday 19 March.
    const now = new Date('2026-03-16T06:00:00Z');
    const estimated = dakar({ now, horizonWorkingDays: 5, holidays: senegalHolidaysBetween('2026-03-01', '2026-04-30') });
    expect(localDates(estimated)).toEqual(['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-23']);
    const moves: HolidayOverride[] = [{ kind: 'move', key: 'korite', date: '2026-03-19' }];
    const moved = dakar({ now, horizonWorkingDays: 5, holidays: senegalHolidaysBetween('2026-03-01', '2026-04-30', moves) });
    expect(localDates(moved)).toEqual(['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-20', '2026-03-23']);
  });

  it('produces nothing on a branch closure', () => {
    const overrides: HolidayOverride[] = [{ kind: 'closure', date: '2026-03-04', label: 'Inventaire' }];
    const slots = dakar({ now: new Date('2026-03-02T06:00:00Z'), horizonWorkingDays: 3, holidays: senegalHolidaysBetween('2026-03-01', '2026-03-31', overrides) });
    expect(localDates(slots)).toEqual(['2026-03-02', '2026-03-03', '2026-03-05']);
  });

  it('starts the horizon on Monday when it is 23:59 on Friday in Dakar', () => {
    const slots = dakar({ now: new Date('2026-03-06T23:59:00Z'), horizonWorkingDays: 2 });
    expect(localDates(slots)).toEqual(['2026-03-09', '2026-03-10']);
    expect(slots[0]?.startsAt).toBe('2026-03-09T09:00:00.000Z');
  });

  it('takes the local day of the branch, not the UTC day (Friday 23:59 in Tokyo is still Friday 14:59 UTC)', () => {
    const slots = generateSlots({ serviceId: SERVICE, slotMinutes: 60, capacity: 1, timeZone: 'Asia/Tokyo', horizonWorkingDays: 1, now: new Date('2026-03-06T14:59:00Z') });
    expect(slots[0]).toMatchObject({ localDate: '2026-03-09', localTime: '09:00', startsAt: '2026-03-09T00:00:00.000Z' });
  });

  it('only offers slots strictly after now plus the lead time, and today counts only while it has one left', () => {
    const friday = (time: string) => new Date(`2026-03-06T${time}:00Z`);
    expect(dakar({ now: friday('15:59'), horizonWorkingDays: 1 }).map((s) => s.startsAt)).toEqual(['2026-03-06T16:00:00.000Z']);
    // At 16:00 sharp the 16:00 slot is gone: Friday has nothing left, so the one working day is Monday.
    expect(localDates(dakar({ now: friday('16:00'), horizonWorkingDays: 1 }))).toEqual(['2026-03-09']);
    // 08:30 + 90 minutes = 10:00: the 10:00 slot does not start strictly after it.
    expect(dakar({ now: friday('08:30'), horizonWorkingDays: 1, minLeadMinutes: 90 })[0]?.localTime).toBe('11:00');
  });

  it('keeps the wall clock across a DST change (Europe/Paris, spring forward on Sunday 29 March 2026)', () => {
    const slots = generateSlots({
      serviceId: SERVICE, slotMinutes: 60, capacity: 1, timeZone: 'Europe/Paris', horizonWorkingDays: 2,
      openingHours: DEFAULT_APPOINTMENT_HOURS, now: new Date('2026-03-27T09:00:00Z'), // Friday 10:00 in Paris (UTC+1)
    });
    expect(onDate(slots, '2026-03-27').map((s) => [s.localTime, s.startsAt])).toEqual([
      ['11:00', '2026-03-27T10:00:00.000Z'], ['12:00', '2026-03-27T11:00:00.000Z'], ['13:00', '2026-03-27T12:00:00.000Z'],
      ['14:00', '2026-03-27T13:00:00.000Z'], ['15:00', '2026-03-27T14:00:00.000Z'], ['16:00', '2026-03-27T15:00:00.000Z'],
    ]);
    // Monday 30 March is UTC+2: 09:00 in Paris is 07:00 UTC.
    expect(onDate(slots, '2026-03-30')[0]).toMatchObject({ localTime: '09:00', startsAt: '2026-03-30T07:00:00.000Z', endsAt: '2026-03-30T08:00:00.000Z' });
    expect(onDate(slots, '2026-03-30').at(-1)).toMatchObject({ localTime: '16:00', startsAt: '2026-03-30T14:00:00.000Z' });
  });

  it('keeps the wall clock when Paris falls back (Monday 26 October 2026 is UTC+1 again)', () => {
    const slots = generateSlots({ serviceId: SERVICE, slotMinutes: 60, capacity: 1, timeZone: 'Europe/Paris', horizonWorkingDays: 2, now: new Date('2026-10-23T12:00:00Z') });
    expect(onDate(slots, '2026-10-23')[0]).toMatchObject({ localTime: '15:00', startsAt: '2026-10-23T13:00:00.000Z' });
    expect(onDate(slots, '2026-10-26')[0]).toMatchObject({ localTime: '09:00', startsAt: '2026-10-26T08:00:00.000Z' });
  });

  it('skips wall times that do not exist on the night clocks go forward, and keeps every slot its length', () => {
    // Paris, Sunday 29 March 2026: 02:00 becomes 03:00.
    const slots = generateSlots({
      serviceId: SERVICE, slotMinutes: 30, capacity: 1, timeZone: 'Europe/Paris', horizonWorkingDays: 1,
      openingHours: closedOnlyExcept(7, [{ open: '00:00', close: '04:00' }]), now: new Date('2026-03-28T12:00:00Z'),
    });
    expect(slots.map((s) => [s.localTime, s.startsAt, s.endsAt])).toEqual([
      ['00:00', '2026-03-28T23:00:00.000Z', '2026-03-28T23:30:00.000Z'],
      ['00:30', '2026-03-28T23:30:00.000Z', '2026-03-29T00:00:00.000Z'],
      ['01:00', '2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z'],
      ['01:30', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z'], // ends at 03:00 local
      ['03:00', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'],
      ['03:30', '2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z'],
    ]);
  });

  it('closes a range at the DST jump when its closing time does not exist, and never overlaps slots', () => {
    // Paris, Sunday 29 March 2026: the clock goes from 01:59 to 03:00, so a range closing at 02:30 closes at 01:00 UTC
    // (03:00 local): 01:45 would run to 03:15 local.
    const at = (ranges: { open: string; close: string }[], slotMinutes: number) =>
      generateSlots({ serviceId: SERVICE, slotMinutes, capacity: 1, timeZone: 'Europe/Paris', horizonWorkingDays: 1, openingHours: closedOnlyExcept(7, ranges), now: new Date('2026-03-28T12:00:00Z') })
        .map((s) => [s.localTime, s.startsAt, s.endsAt]);
    expect(at([{ open: '01:15', close: '02:30' }], 30)).toEqual([['01:15', '2026-03-29T00:15:00.000Z', '2026-03-29T00:45:00.000Z']]);
    expect(at([{ open: '01:00', close: '02:30' }], 30)).toEqual([
      ['01:00', '2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z'],
      ['01:30', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z'],
    ]);
    // 45-minute slots from 01:00: 01:45 runs to 03:30 local, so 03:15 would overlap it and is skipped.
    expect(at([{ open: '01:00', close: '05:00' }], 45)).toEqual([
      ['01:00', '2026-03-29T00:00:00.000Z', '2026-03-29T00:45:00.000Z'],
      ['01:45', '2026-03-29T00:45:00.000Z', '2026-03-29T01:30:00.000Z'],
      ['04:00', '2026-03-29T02:00:00.000Z', '2026-03-29T02:45:00.000Z'],
    ]);
  });

  it('takes the first occurrence of a wall time repeated on the night clocks go back', () => {
    // Paris, Sunday 25 October 2026: 03:00 becomes 02:00 again.
    const slots = generateSlots({
      serviceId: SERVICE, slotMinutes: 60, capacity: 1, timeZone: 'Europe/Paris', horizonWorkingDays: 1,
      openingHours: closedOnlyExcept(7, [{ open: '00:00', close: '05:00' }]), now: new Date('2026-10-24T12:00:00Z'),
    });
    expect(slots.map((s) => [s.localTime, s.startsAt])).toEqual([
      ['00:00', '2026-10-24T22:00:00.000Z'],
      ['01:00', '2026-10-24T23:00:00.000Z'],
      ['02:00', '2026-10-25T00:00:00.000Z'], // 02:00 at UTC+2, the first time round
      ['03:00', '2026-10-25T02:00:00.000Z'],
      ['04:00', '2026-10-25T03:00:00.000Z'],
    ]);
  });

  it('follows an offset change that lasts only weeks (Casablanca drops to UTC+0 for Ramadan, 15 February–22 March 2026)', () => {
    const slots = generateSlots({ serviceId: SERVICE, slotMinutes: 60, capacity: 1, timeZone: 'Africa/Casablanca', horizonWorkingDays: 31, now: new Date('2026-02-09T06:00:00Z') });
    const first = (date: string) => onDate(slots, date)[0]?.startsAt;
    expect(first('2026-02-13')).toBe('2026-02-13T08:00:00.000Z');
    expect(first('2026-02-16')).toBe('2026-02-16T09:00:00.000Z');
    expect(first('2026-03-04')).toBe('2026-03-04T09:00:00.000Z');
    expect(first('2026-03-20')).toBe('2026-03-20T09:00:00.000Z');
    expect(first('2026-03-23')).toBe('2026-03-23T08:00:00.000Z');
  });

  it('does not produce a slot that would run past closing when the length does not divide the range', () => {
    const slots = dakar({ now: new Date('2026-03-02T06:00:00Z'), horizonWorkingDays: 1, slotMinutes: 50 });
    expect(slots.map((s) => s.localTime)).toEqual(['09:00', '09:50', '10:40', '11:30', '12:20', '13:10', '14:00', '14:50', '15:40']);
    expect(slots.at(-1)?.endsAt).toBe('2026-03-02T16:30:00.000Z');
  });

  it('passes the capacity through to every slot', () => {
    const slots = dakar({ now: new Date('2026-03-02T06:00:00Z'), horizonWorkingDays: 3, capacity: 7 });
    expect(slots.length).toBe(24);
    expect(slots.every((s) => s.capacity === 7)).toBe(true);
  });

  it('gives deterministic ids: the same slot has the same id whenever and wherever it is computed', () => {
    const input = { now: new Date('2026-03-02T06:00:00Z'), horizonWorkingDays: 5 };
    const first = dakar(input);
    expect(dakar(input)).toEqual(first);
    expect(first.every((s) => s.id === `${SERVICE}:${s.startsAt}`)).toBe(true);
    // Later the same day (the central API's clock, say): the remaining slots keep their ids.
    const later = dakar({ now: new Date('2026-03-02T11:30:00Z'), horizonWorkingDays: 5 });
    const firstIds = new Set(first.map((s) => s.id));
    expect(later.filter((s) => s.localDate <= '2026-03-06').every((s) => firstIds.has(s.id))).toBe(true);
  });

  it('lays slots out in each range of a day with a lunch break', () => {
    const slots = dakar({
      now: new Date('2026-03-02T06:00:00Z'), horizonWorkingDays: 1, slotMinutes: 45,
      openingHours: weekdays([{ open: '14:00', close: '17:00' }, { open: '08:00', close: '12:30' }]),
    });
    expect(slots.map((s) => s.localTime)).toEqual(['08:00', '08:45', '09:30', '10:15', '11:00', '11:45', '14:00', '14:45', '15:30', '16:15']);
  });

  it('counts only working days in the horizon: holidays and weekends push it further', () => {
    // From Monday 27 April 2026: Labour Day (Fri 1 May) and Ascension (Thu 14 May) are skipped.
    const slots = dakar({ now: new Date('2026-04-27T06:00:00Z'), horizonWorkingDays: 15, holidays: senegalHolidaysBetween('2026-04-01', '2026-06-30') });
    expect(localDates(slots)).toEqual([
      '2026-04-27', '2026-04-28', '2026-04-29', '2026-04-30',
      '2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08',
      '2026-05-11', '2026-05-12', '2026-05-13', '2026-05-15',
      '2026-05-18', '2026-05-19',
    ]);
    expect(dakar({ now: new Date('2026-04-27T06:00:00Z'), horizonWorkingDays: 0 })).toEqual([]);
  });

  it('offers nothing (and stops) when no day is open or no slot fits a range', () => {
    const closed: OpeningHours = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
    expect(dakar({ now: new Date('2026-03-02T06:00:00Z'), openingHours: closed })).toEqual([]);
    expect(dakar({ now: new Date('2026-03-02T06:00:00Z'), slotMinutes: 600 })).toEqual([]);
  });

  it('rejects invalid settings with a VALIDATION_ERROR', () => {
    const now = new Date('2026-03-02T06:00:00Z');
    const cases: Partial<GenerateSlotsInput>[] = [
      { timeZone: 'Africa/Atlantis' },
      { slotMinutes: 0 },
      { slotMinutes: 12.5 },
      { capacity: 0 },
      { horizonWorkingDays: -1 },
      { minLeadMinutes: -5 },
      { now: new Date('not a date') },
      { openingHours: weekdays([{ open: '09:00', close: '12:00' }, { open: '11:00', close: '14:00' }]) },
      { openingHours: weekdays([{ open: '12:00', close: '09:00' }]) },
      { openingHours: weekdays([{ open: '9h', close: '12:00' }]) },
    ];
    for (const bad of cases) {
      let error: unknown;
      try {
        dakar({ now, ...bad });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(bad)).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_ERROR');
    }
  });

  describe('property: every slot is bookable and nothing bookable is missing', () => {
    type Settings = Omit<GenerateSlotsInput, 'serviceId' | 'holidays'> & {
      timeZone: string; openingHours: OpeningHours; horizonWorkingDays: number; minLeadMinutes: number; closureOffsets: number[];
    };
    const HOUR = 3_600_000;
    const quarterTime = (q: number) => (q === 96 ? '24:00' : `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
    /** 0 to 3 non-overlapping ranges on quarter hours, from 00:00 to 24:00. */
    const dayRanges = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((qs) => {
      const sorted = [...qs].sort((a, b) => a - b);
      const ranges: { open: string; close: string }[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push({ open: quarterTime(sorted[i] as number), close: quarterTime(sorted[i + 1] as number) });
      return ranges;
    });
    const week = fc.tuple(dayRanges, dayRanges, dayRanges, dayRanges, dayRanges, dayRanges, dayRanges).map(
      ([a, b, c, d, e, f, g]): OpeningHours => ({ 1: a, 2: b, 3: c, 4: d, 5: e, 6: f, 7: g }),
    );
    const everyDay = dayRanges.map((r): OpeningHours => ({ 1: r, 2: r, 3: r, 4: r, 5: r, 6: r, 7: r }));
    const common = {
      capacity: fc.integer({ min: 1, max: 50 }),
      minLeadMinutes: fc.integer({ min: 0, max: 600 }),
      closureOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }),
    };

    const anySettings: fc.Arbitrary<Settings> = fc.record({
      ...common,
      timeZone: fc.constantFrom('Africa/Dakar', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Santiago', 'Asia/Tokyo', 'Africa/Casablanca'),
      openingHours: week,
      slotMinutes: fc.integer({ min: 15, max: 240 }),
      horizonWorkingDays: fc.integer({ min: 0, max: 12 }),
      now: fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }).map((ms) => new Date(ms)),
    });

    // Zones and days of a DST change in 2026 (30-minute changes in Lord Howe, changes at midnight in Santiago), with
    // the branch open every day, so the night of the change is in the horizon.
    const DST_NIGHTS: [string, string][] = [
      ['Europe/Paris', '2026-03-29'], ['Europe/Paris', '2026-10-25'], ['America/New_York', '2026-03-08'], ['America/New_York', '2026-11-01'],
      ['Australia/Lord_Howe', '2026-04-05'], ['Australia/Lord_Howe', '2026-10-04'], ['America/Santiago', '2026-04-05'], ['America/Santiago', '2026-09-06'],
      ['Pacific/Chatham', '2026-04-05'], ['Pacific/Chatham', '2026-09-27'], ['Africa/Casablanca', '2026-02-15'], ['Africa/Casablanca', '2026-03-22'],
    ];
    const dstSettings: fc.Arbitrary<Settings> = fc
      .record({
        ...common,
        night: fc.constantFrom(...DST_NIGHTS),
        hoursBefore: fc.integer({ min: 0, max: 60 }),
        openingHours: everyDay,
        slotMinutes: fc.integer({ min: 10, max: 120 }),
        horizonWorkingDays: fc.integer({ min: 3, max: 5 }),
      })
      .map(({ night: [timeZone, date], hoursBefore, ...rest }) => ({ ...rest, timeZone, now: new Date(Date.parse(`${date}T00:00:00Z`) - hoursBefore * HOUR) }));

    function minutesOf(time: string): number {
      return Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
    }

    /** Minutes since the start of `date` on the wall clock (the next day's times count from 1440). */
    function wallMinutes(dt: DateTime, date: string): number {
      return dt.hour * 60 + dt.minute + (dt.toISODate() === date ? 0 : 1440);
    }

    // The oracle's luxon calls dominate the run time: remember them (keys include the zone).
    const memo = new Map<string, DateTime | null>();
    function remembered(key: string, compute: () => DateTime | null): DateTime | null {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) ?? null;
    }

    /** A wall time's first instant, by luxon (which itself picks the later one when ambiguous); null in a DST gap. */
    function firstInstant(date: string, minute: number, zone: string): DateTime | null {
      return remembered(`first ${zone} ${date} ${minute}`, () => computeFirstInstant(date, minute, zone));
    }
    function computeFirstInstant(date: string, minute: number, zone: string): DateTime | null {
      const [year, month, day] = date.split('-').map(Number);
      const dt = DateTime.fromObject({ year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone });
      if (dt.hour * 60 + dt.minute !== minute) return null;
      for (const back of [120, 60, 30]) {
        const earlier = dt.minus({ minutes: back });
        if (earlier.toISODate() === date && earlier.hour * 60 + earlier.minute === minute) return earlier;
      }
      return dt;
    }

    /** The first instant the clock shows `minute` of `date` (1440 = next midnight) or later, walking minute by minute. */
    function closingInstant(date: string, minute: number, zone: string): DateTime {
      return remembered(`close ${zone} ${date} ${minute}`, () => computeClosingInstant(date, minute, zone)) as DateTime;
    }
    function computeClosingInstant(date: string, minute: number, zone: string): DateTime {
      const day = DateTime.fromISO(date, { zone }).plus({ days: Math.floor(minute / 1440) });
      const exact = firstInstant(day.toISODate() as string, minute % 1440, zone);
      if (exact) return exact;
      let t = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor((minute % 1440) / 60), minute: minute % 60 }, { zone });
      while (wallMinutes(t.minus({ minutes: 1 }), date) >= minute) t = t.minus({ minutes: 1 });
      return t;
    }

    function check(ok: boolean, message: () => string): void {
      if (!ok) throw new Error(message());
    }

    function holds({ closureOffsets, ...s }: Settings): void {
      const today = DateTime.fromJSDate(s.now, { zone: s.timeZone }).startOf('day');
      const closures: HolidayOverride[] = closureOffsets.map((d) => ({ kind: 'closure', date: today.plus({ days: d }).toISODate() as string, label: 'closed' }));
      const holidays = senegalHolidaysBetween(today.toISODate() as string, today.plus({ days: 800 }).toISODate() as string, closures);
      const closed = new Set(holidays.map((h) => h.date));
      const slots = generateSlots({ serviceId: SERVICE, ...s, holidays });
      const earliest = s.now.getTime() + s.minLeadMinutes * 60_000;
      const slotMs = s.slotMinutes * 60_000;

      const ids = new Set<string>();
      let previousEnd = -Infinity;
      for (const slot of slots) {
        const start = DateTime.fromISO(slot.startsAt, { zone: s.timeZone });
        const end = DateTime.fromISO(slot.endsAt, { zone: s.timeZone });
        const what = () => JSON.stringify(slot);
        // The local date and time are the branch's wall clock; that day is open and is no holiday or closure.
        check(start.toISODate() === slot.localDate && start.toFormat('HH:mm') === slot.localTime, () => `local date/time wrong: ${what()}`);
        check(!closed.has(slot.localDate), () => `slot on a holiday or closure: ${what()}`);
        const ranges = s.openingHours[start.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7];
        const range = ranges.find((r) => minutesOf(r.open) <= wallMinutes(start, slot.localDate) && wallMinutes(start, slot.localDate) < minutesOf(r.close));
        check(range !== undefined, () => `slot outside opening hours: ${what()}`);
        check(end.toMillis() <= closingInstant(slot.localDate, minutesOf(range?.close ?? '00:00'), s.timeZone).toMillis(), () => `slot runs past closing: ${what()}`);
        // Exact length, in the future, sorted without overlap, unique deterministic id, capacity passed through.
        check(end.toMillis() - start.toMillis() === slotMs, () => `wrong length: ${what()}`);
        check(start.toMillis() > earliest, () => `slot in the past or within the lead time: ${what()}`);
        check(start.toMillis() >= previousEnd, () => `unsorted or overlapping: ${what()}`);
        previousEnd = end.toMillis();
        check(!ids.has(slot.id) && slot.id === `${SERVICE}:${slot.startsAt}`, () => `bad or duplicate id: ${what()}`);
        ids.add(slot.id);
        check(slot.capacity === s.capacity && slot.serviceId === SERVICE, () => `capacity/service not passed through: ${what()}`);
      }

      // Completeness: from today to the last day offered, each day has exactly the slots that an independent
      // luxon computation of the same rules finds.
      const dates = localDates(slots);
      check(dates.length <= s.horizonWorkingDays, () => `${dates.length} days offered for a horizon of ${s.horizonWorkingDays}`);
      const last = dates.at(-1);
      for (let day = today; last !== undefined && (day.toISODate() as string) <= last; day = day.plus({ days: 1 })) {
        const date = day.toISODate() as string;
        const expected: string[] = [];
        for (const r of closed.has(date) ? [] : s.openingHours[day.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7]) {
          const [open, close] = [minutesOf(r.open), minutesOf(r.close)];
          const closesAt = closingInstant(date, close, s.timeZone).toMillis();
          let rangeEnd = -Infinity;
          for (let m = open; m + s.slotMinutes <= close; m += s.slotMinutes) {
            const start = firstInstant(date, m, s.timeZone)?.toMillis();
            if (start === undefined || start < rangeEnd || start + slotMs > closesAt) continue;
            rangeEnd = start + slotMs;
            if (start > earliest) expected.push(new Date(start).toISOString());
          }
        }
        const actual = onDate(slots, date).map((x) => x.startsAt);
        check(JSON.stringify(actual) === JSON.stringify(expected), () => `${date}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
      // The search spans two years: it can only come up short when no range can hold a slot at all.
      if (dates.length < s.horizonWorkingDays) {
        const longest = Math.max(0, ...Object.values(s.openingHours).flat().map((r) => minutesOf(r.close) - minutesOf(r.open)));
        check(longest < s.slotMinutes, () => `horizon not filled although a ${longest}-minute range exists`);
      }
    }

    it('holds for random opening hours, zones, lengths, closures and clocks (fixed seed)', () => {
      fc.assert(fc.property(anySettings, holds), { seed: 20260329, numRuns: 200 });
    });

    it('holds on the nights clocks change, in zones with 60- and 30-minute changes (fixed seed)', () => {
      fc.assert(fc.property(dstSettings, holds), { seed: 20261025, numRuns: 300 });
    });
  });
});

describe('check-in window', () => {
  const start = new Date('2026-03-02T10:00:00Z');
  const at = (time: string) => new Date(`2026-03-02T${time}Z`);

  it('opens 30 minutes before and closes 15 minutes after the slot start by default', () => {
    expect(checkInWindow(start)).toEqual({ opensAt: at('09:30:00'), closesAt: at('10:15:00') });
    expect(checkInWindow('2026-03-02T10:00:00.000Z', { earlyMinutes: 10, lateMinutes: 5 })).toEqual({ opensAt: at('09:50:00'), closesAt: at('10:05:00') });
  });

  it('classifies arrivals at the edges of the window', () => {
    expect(classifyCheckIn(at('09:29:59'), start)).toBe('too_early');
    expect(classifyCheckIn(at('09:30:00'), start)).toBe('on_time');
    expect(classifyCheckIn(at('10:00:00'), start)).toBe('on_time');
    expect(classifyCheckIn(at('10:00:01'), start)).toBe('late_ok');
    expect(classifyCheckIn(at('10:14:59'), start)).toBe('late_ok');
    expect(classifyCheckIn(at('10:15:00'), start)).toBe('missed');
    expect(classifyCheckIn(at('10:04:00'), start, { lateMinutes: 0 })).toBe('missed');
    expect(classifyCheckIn(at('09:55:00'), '2026-03-02T10:00:00.000Z', { earlyMinutes: 0 })).toBe('too_early');
  });

  it('rejects negative windows and invalid dates', () => {
    expect(() => checkInWindow(start, { earlyMinutes: -1 })).toThrow(DomainError);
    expect(() => classifyCheckIn(new Date('nope'), start)).toThrow(DomainError);
  });
});
