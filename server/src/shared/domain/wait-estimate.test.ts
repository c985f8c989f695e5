// The over-target bound (for a count in SQL) says what isOverTarget says of every issue time, at the minute edges
// and with no target.
import { describe, expect, it } from 'vitest';
import { isOverTarget, overTargetIssuedBy } from './wait-estimate.js';

describe('overTargetIssuedBy', () => {
  const now = Date.parse('2026-12-02T10:00:00.000Z');
  const issued = [-3_600_000, -900_001, -900_000, -899_999, -60_000, -1, 0, 1, 120_000].map((d) => new Date(now + d).toISOString());

  it.each([0, -5, 1, 15, 60])('agrees with isOverTarget for a target of %i minutes', (target) => {
    const bound = overTargetIssuedBy(target, now);
    for (const at of issued) expect(at <= bound, `${at} with target ${target}`).toBe(isOverTarget(at, target, now));
  });
});
