import { describe, expect, it } from 'vitest';
import { displayTicketNumber, formatTicketNumber, serviceDay } from './numbering.js';
import { averageServiceMinutes, estimateWaitMinutes } from './wait-estimate.js';
import { endOfBranchDay, isOpenAt, WEEKDAYS_8_TO_17, ALWAYS_OPEN } from './opening-hours.js';

describe('ticket numbering', () => {
  it('formats the letter and three digits', () => {
    expect(formatTicketNumber('A', 1)).toBe('A001');
    expect(formatTicketNumber('B', 42)).toBe('B042');
    expect(formatTicketNumber('C', 999)).toBe('C999');
    expect(formatTicketNumber('C', 1000)).toBe('C1000');
    expect(displayTicketNumber('A042')).toBe('A-042');
  });

  it('counts the branch day in the branch time zone', () => {
    expect(serviceDay(new Date('2026-11-24T23:59:59Z'), 'Africa/Dakar')).toBe('2026-11-24');
    expect(serviceDay(new Date('2026-11-25T00:00:00Z'), 'Africa/Dakar')).toBe('2026-11-25');
    // A branch in another zone turns its day over at its own midnight, not at UTC's.
    expect(serviceDay(new Date('2026-11-24T23:30:00Z'), 'Europe/Paris')).toBe('2026-11-25');
    expect(serviceDay(new Date('2026-11-25T04:30:00Z'), 'America/New_York')).toBe('2026-11-24');
  });
});

describe('wait estimate', () => {
  it('uses the default service time until times are measured', () => {
    expect(averageServiceMinutes([], 5)).toBe(5);
  });
  it('moves to measured times as they accumulate', () => {
    const avg = averageServiceMinutes(Array(20).fill(10), 5);
    expect(avg).toBeGreaterThan(9.5);
    expect(avg).toBeLessThan(10);
  });
  it('divides by the counters open for the service', () => {
    expect(estimateWaitMinutes(4, 5, 1)).toBe(20);
    expect(estimateWaitMinutes(4, 5, 2)).toBe(10);
    // No open counter: no minutes are promised (issue 15, point 4; the kiosk says no counter is open instead).
    expect(estimateWaitMinutes(4, 5, 0)).toBeNull();
    expect(estimateWaitMinutes(0, 5, 1)).toBe(0);
  });
});

describe('opening hours', () => {
  it('is open within the ranges of the local weekday', () => {
    expect(isOpenAt(WEEKDAYS_8_TO_17, new Date('2026-11-24T08:00:00Z'), 'Africa/Dakar')).toBe(true); // Tuesday
    expect(isOpenAt(WEEKDAYS_8_TO_17, new Date('2026-11-24T17:00:00Z'), 'Africa/Dakar')).toBe(false);
    expect(isOpenAt(WEEKDAYS_8_TO_17, new Date('2026-11-28T10:00:00Z'), 'Africa/Dakar')).toBe(false); // Saturday
  });
  it('ends the branch day at the last closing time, or at midnight', () => {
    expect(endOfBranchDay(WEEKDAYS_8_TO_17, new Date('2026-11-24T09:00:00Z'), 'Africa/Dakar').toISOString()).toBe('2026-11-24T17:00:00.000Z');
    expect(endOfBranchDay(ALWAYS_OPEN, new Date('2026-11-24T09:00:00Z'), 'Africa/Dakar').toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });
});
