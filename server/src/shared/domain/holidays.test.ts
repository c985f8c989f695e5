import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  HOLIDAY_NAMES,
  MOVABLE_HOLIDAY_KEYS,
  PUBLIC_HOLIDAY_KEYS,
  easterSunday,
  epochDayOf,
  holidaysOn,
  isHoliday,
  isoDateOf,
  senegalHolidays,
  senegalHolidaysBetween,
  type Holiday,
  type PublicHolidayKey,
} from './holidays.js';

function datesOf(holidays: readonly Holiday[], key: PublicHolidayKey | 'closure'): string[] {
  return holidays.filter((h) => h.key === key).map((h) => h.date);
}

function only(holidays: readonly Holiday[], key: PublicHolidayKey | 'closure'): Holiday {
  const found = holidays.filter((h) => h.key === key);
  expect(found).toHaveLength(1);
  return found[0] as Holiday;
}

function daysBetween(a: string, b: string): number {
  return Math.abs(epochDayOf(a) - epochDayOf(b));
}

describe('senegalHolidays', () => {
  it('lists the fixed-date holidays on their dates, not movable, not estimated', () => {
    const holidays = senegalHolidays(2026);
    const fixed = { new_year: '2026-01-01', independence_day: '2026-04-04', labour_day: '2026-05-01', assumption: '2026-08-15', all_saints: '2026-11-01', christmas: '2026-12-25' } as const;
    for (const [key, date] of Object.entries(fixed)) {
      expect(only(holidays, key as PublicHolidayKey)).toEqual({ date, key, name: HOLIDAY_NAMES[key as PublicHolidayKey], movable: false, estimated: false });
    }
  });

  it('has each of the 14 public holidays exactly once in 2025 and 2026, sorted by date', () => {
    for (const year of [2025, 2026]) {
      const holidays = senegalHolidays(year);
      expect(holidays.map((h) => h.key).sort()).toEqual([...PUBLIC_HOLIDAY_KEYS].sort());
      expect(holidays.map((h) => h.date)).toEqual(holidays.map((h) => h.date).sort());
      expect(holidays.every((h) => h.date.startsWith(`${year}-`))).toBe(true);
    }
  });

  it('computes Easter Monday, Ascension and Whit Monday from the Gregorian computus', () => {
    const y2025 = senegalHolidays(2025);
    expect(datesOf(y2025, 'easter_monday')).toEqual(['2025-04-21']);
    const y2026 = senegalHolidays(2026);
    expect(datesOf(y2026, 'easter_monday')).toEqual(['2026-04-06']);
    expect(datesOf(y2026, 'ascension')).toEqual(['2026-05-14']);
    expect(datesOf(y2026, 'whit_monday')).toEqual(['2026-05-25']);
    const ascension = only(y2026, 'ascension');
    expect(ascension.movable).toBe(true);
    expect(ascension.estimated).toBe(false);
  });

  it('matches published Easter dates, including the earliest and latest possible ones', () => {
    const easter: Record<number, string> = {
      1818: '1818-03-22', // earliest possible
      1943: '1943-04-25', // latest possible
      2008: '2008-03-23',
      2011: '2011-04-24',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2027: '2027-03-28',
      2038: '2038-04-25', // latest possible
      2285: '2285-03-22', // earliest possible
    };
    for (const [year, date] of Object.entries(easter)) expect(isoDateOf(easterSunday(Number(year)))).toBe(date);
  });

  // Senegal's observed dates (moon sighting, CONACOC): the estimate must be within one day of each.
  const observed: [PublicHolidayKey, string][] = [
    ['korite', '2024-04-10'],
    ['korite', '2025-03-31'],
    ['tabaski', '2023-06-29'],
    ['tabaski', '2024-06-17'],
    ['tabaski', '2025-06-07'],
    ['tamkharit', '2024-07-16'],
    ['maouloud', '2024-09-16'],
    ['grand_magal', '2023-09-04'],
    ['grand_magal', '2024-08-23'],
    ['grand_magal', '2025-08-14'],
  ];
  it.each(observed)('estimates %s within one day of the date observed in Senegal (%s)', (key, date) => {
    const holiday = only(senegalHolidays(Number(date.slice(0, 4))), key);
    expect(daysBetween(holiday.date, date)).toBeLessThanOrEqual(1);
    expect(holiday.movable).toBe(true);
    expect(holiday.estimated).toBe(true);
  });

  it('estimates Korité 2025 on 30 or 31 March and Tabaski 2025 on 6 or 7 June (the two announced dates)', () => {
    const y2025 = senegalHolidays(2025);
    expect(['2025-03-30', '2025-03-31']).toContain(only(y2025, 'korite').date);
    expect(['2025-06-06', '2025-06-07']).toContain(only(y2025, 'tabaski').date);
  });

  it('keeps the Islamic holidays in Hijri order, about 354 days apart from one year to the next', () => {
    for (const key of ['korite', 'tabaski', 'tamkharit', 'maouloud', 'grand_magal'] as const) {
      const a = only(senegalHolidays(2025), key).date;
      const b = only(senegalHolidays(2026), key).date;
      expect(daysBetween(a, b)).toBeGreaterThanOrEqual(354);
      expect(daysBetween(a, b)).toBeLessThanOrEqual(355);
    }
  });

  it('lists an Islamic holiday twice in a Gregorian year that holds two of it (Korité 2033)', () => {
    const korites = datesOf(senegalHolidays(2033), 'korite');
    expect(korites).toHaveLength(2);
    expect(daysBetween(korites[0] as string, korites[1] as string)).toBeGreaterThanOrEqual(354);
  });

  it('names every holiday in French, Wolof and English', () => {
    expect(HOLIDAY_NAMES.korite.wo).toBe('Korite');
    expect(HOLIDAY_NAMES.tamkharit.wo).toBe('Tamxarit');
    expect(HOLIDAY_NAMES.maouloud.wo).toBe('Gammu');
    expect(HOLIDAY_NAMES.grand_magal.wo).toBe('Màggalu Tuubaa');
    for (const key of PUBLIC_HOLIDAY_KEYS) {
      const name = HOLIDAY_NAMES[key];
      expect(name.fr.length).toBeGreaterThan(0);
      expect(name.wo.length).toBeGreaterThan(0);
      expect(name.en.length).toBeGreaterThan(0);
    }
  });

  it('rejects a year that is not a plausible integer', () => {
    expect(() => senegalHolidays(2025.5)).toThrow(DomainError);
    expect(() => senegalHolidays(99999)).toThrow(DomainError);
  });
});

describe('holiday overrides', () => {
  it('moves an estimated Islamic holiday to the announced date and marks it confirmed', () => {
    const estimate = only(senegalHolidays(2025), 'korite').date;
    const announced = estimate === '2025-03-31' ? '2025-03-30' : '2025-03-31';
    const holidays = senegalHolidays(2025, [{ kind: 'move', key: 'korite', date: announced }]);
    expect(only(holidays, 'korite')).toMatchObject({ date: announced, estimated: false, movable: true });
    expect(isHoliday(announced, [{ kind: 'move', key: 'korite', date: announced }])).toBe(true);
    expect(isHoliday(estimate, [{ kind: 'move', key: 'korite', date: announced }])).toBe(false);
  });

  it('confirms an estimate when moved to its own date', () => {
    const estimate = only(senegalHolidays(2025), 'tabaski').date;
    expect(only(senegalHolidays(2025, [{ kind: 'move', key: 'tabaski', date: estimate }]), 'tabaski')).toMatchObject({ date: estimate, estimated: false });
  });

  it('refuses a move too far from the computed date: that would be a new holiday, not a correction', () => {
    expect(() => senegalHolidays(2025, [{ kind: 'move', key: 'korite', date: '2025-04-10' }])).toThrow(/no korite within 3 days/);
    expect(() => holidaysOn('2025-04-10', [{ kind: 'move', key: 'korite', date: '2025-04-10' }])).toThrow(DomainError);
  });

  it('ignores a move that concerns another year', () => {
    const plain = senegalHolidays(2026);
    expect(senegalHolidays(2026, [{ kind: 'move', key: 'korite', date: '2025-03-31' }])).toEqual(plain);
  });

  it('moves a holiday across New Year: the occurrence leaves one year and enters the next', () => {
    // Tamkharit falls on 2 January 2042 by the estimate; an announcement for 31 December 2041 moves it a year back.
    expect(datesOf(senegalHolidays(2042), 'tamkharit')[0]).toBe('2042-01-02');
    const move = [{ kind: 'move', key: 'tamkharit', date: '2041-12-31' }] as const;
    expect(datesOf(senegalHolidays(2041, move), 'tamkharit')).toContain('2041-12-31');
    expect(datesOf(senegalHolidays(2042, move), 'tamkharit')).not.toContain('2042-01-02');
  });

  it('adds a branch closure with its label, in one language or three', () => {
    const holidays = senegalHolidays(2026, [
      { kind: 'closure', date: '2026-03-12', label: 'Inventaire' },
      { kind: 'closure', date: '2026-07-03', label: { fr: 'Grève', wo: 'Taxawaay', en: 'Strike' } },
      { kind: 'closure', date: '2027-01-04', label: 'Not this year' },
    ]);
    expect(holidays.filter((h) => h.key === 'closure')).toEqual([
      { date: '2026-03-12', key: 'closure', name: { fr: 'Inventaire', wo: 'Inventaire', en: 'Inventaire' }, movable: false, estimated: false },
      { date: '2026-07-03', key: 'closure', name: { fr: 'Grève', wo: 'Taxawaay', en: 'Strike' }, movable: false, estimated: false },
    ]);
    expect(isHoliday('2026-03-12', [{ kind: 'closure', date: '2026-03-12', label: 'Inventaire' }])).toBe(true);
    expect(isHoliday('2026-03-12')).toBe(false);
  });

  it('rejects malformed dates and a move of a fixed holiday', () => {
    expect(() => senegalHolidays(2026, [{ kind: 'closure', date: '2026-02-30', label: 'x' }])).toThrow(DomainError);
    expect(() => isHoliday('12/03/2026')).toThrow(DomainError);
    const fixedMove = [{ kind: 'move', key: 'christmas', date: '2026-12-26' }] as unknown as Parameters<typeof senegalHolidays>[1];
    expect(() => senegalHolidays(2026, fixedMove)).toThrow(/not a movable holiday/);
  });
});

describe('senegalHolidaysBetween / isHoliday', () => {
  it('spans a New Year and equals the two years cut to the range', () => {
    const range = senegalHolidaysBetween('2025-12-01', '2026-01-31');
    const both = [...senegalHolidays(2025), ...senegalHolidays(2026)].filter((h) => h.date >= '2025-12-01' && h.date <= '2026-01-31');
    expect(range).toEqual(both);
    expect(range.map((h) => h.key)).toEqual(expect.arrayContaining(['christmas', 'new_year']));
  });

  it('knows holidays and ordinary days', () => {
    expect(isHoliday('2026-04-04')).toBe(true);
    expect(isHoliday('2026-04-06')).toBe(true); // Easter Monday
    expect(isHoliday('2026-04-07')).toBe(false);
    expect(holidaysOn('2026-05-25').map((h) => h.key)).toEqual(['whit_monday']);
    expect(MOVABLE_HOLIDAY_KEYS).toContain('grand_magal');
  });
});
