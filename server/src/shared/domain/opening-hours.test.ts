import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, isOpenAt, nextOpening, WEEKDAYS_8_TO_17 } from './opening-hours.js';
import type { OpeningHours } from '../contracts/domain.js';

const DAKAR = 'Africa/Dakar'; // UTC+0, no summer time

describe('nextOpening', () => {
  it('is later today, tomorrow, or after the weekend', () => {
    // Wednesday 2026-12-02 06:30 in Dakar: opens at 08:00 the same day.
    expect(nextOpening(WEEKDAYS_8_TO_17, new Date('2026-12-02T06:30:00Z'), DAKAR)?.toISOString()).toBe('2026-12-02T08:00:00.000Z');
    // Wednesday 18:00: Thursday 08:00.
    expect(nextOpening(WEEKDAYS_8_TO_17, new Date('2026-12-02T18:00:00Z'), DAKAR)?.toISOString()).toBe('2026-12-03T08:00:00.000Z');
    // Friday 17:30: Monday 08:00.
    expect(nextOpening(WEEKDAYS_8_TO_17, new Date('2026-12-04T17:30:00Z'), DAKAR)?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(isOpenAt(WEEKDAYS_8_TO_17, new Date('2026-12-02T09:00:00Z'), DAKAR)).toBe(true);
  });

  it('takes the second range of a split day, works in the given zone, and is null without any range', () => {
    const split: OpeningHours = { ...WEEKDAYS_8_TO_17, 3: [{ open: '14:30', close: '17:00' }, { open: '08:00', close: '12:00' }] };
    expect(nextOpening(split, new Date('2026-12-02T12:30:00Z'), DAKAR)?.toISOString()).toBe('2026-12-02T14:30:00.000Z');
    // 08:00 in Paris (UTC+1 in December) is 07:00 UTC.
    expect(nextOpening(WEEKDAYS_8_TO_17, new Date('2026-12-02T06:30:00Z'), 'Europe/Paris')?.toISOString()).toBe('2026-12-02T07:00:00.000Z');
    expect(nextOpening({ 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }, new Date(), DAKAR)).toBeNull();
    expect(nextOpening(ALWAYS_OPEN, new Date('2026-12-02T06:30:00Z'), DAKAR)?.toISOString()).toBe('2026-12-03T00:00:00.000Z');
  });
});
