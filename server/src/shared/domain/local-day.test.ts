// The kept local day must give what luxon gives for every instant, in order or not, in zones with and without
// summer time (a day of 23 or 25 hours, a day whose midnight does not exist), and refuse a zone that is not one.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../test/support/random.js';
import { localDay, localMinuteOfDay } from './local-day.js';

describe('localDay', () => {
  const zones = ['Africa/Dakar', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham'];
  // Around summer-time changes (Paris 29 March and 25 October 2026, New York 8 March and 1 November 2026, São Paulo
  // 4 November 2018 at midnight) and an ordinary stretch.
  const around = ['2026-03-29T00:30:00Z', '2026-10-25T00:30:00Z', '2026-03-08T06:00:00Z', '2026-11-01T05:00:00Z', '2018-11-04T02:00:00Z', '2026-12-03T08:00:00Z'];

  it('is luxon\'s date, weekday, day bounds and wall-clock minute, hit or missed', () => {
    const random = seededRandom(42);
    let checked = 0;
    for (const zone of zones) {
      for (const base of around) {
        // Forward in small steps (mostly hits), then jumps back and forth (misses).
        const instants = Array.from({ length: 200 }, (_, i) => Date.parse(base) + i * 7 * 60_000 + Math.floor(random() * 60_000));
        for (let i = 0; i < 60; i++) instants.push(Date.parse(base) + Math.floor((random() - 0.5) * 4 * 86_400_000));
        for (const t of instants) {
          const at = new Date(t);
          const local = DateTime.fromMillis(t, { zone });
          const day = localDay(at, zone);
          const where = `${zone} ${at.toISOString()}`;
          expect(day.date, where).toBe(local.toISODate());
          expect(day.weekday, where).toBe(local.weekday);
          expect(day.startMs, where).toBe(local.startOf('day').toMillis());
          expect(day.endMs, where).toBe(local.startOf('day').plus({ days: 1 }).startOf('day').toMillis());
          expect(localMinuteOfDay(at, zone), where).toBe(local.hour * 60 + local.minute);
          checked += 1;
        }
      }
    }
    expect(checked).toBe(zones.length * around.length * 260);
  });

  it('knows a day of 23 hours from an ordinary one', () => {
    expect(localDay(new Date('2026-03-29T10:00:00Z'), 'Europe/Paris')).toMatchObject({ date: '2026-03-29', weekday: 7, fixedOffset: false });
    const spring = localDay(new Date('2026-03-29T10:00:00Z'), 'Europe/Paris');
    expect(spring.endMs - spring.startMs).toBe(23 * 3_600_000);
    const dakar = localDay(new Date('2026-12-03T23:59:59Z'), 'Africa/Dakar');
    expect(dakar).toMatchObject({ date: '2026-12-03', weekday: 4, fixedOffset: true });
    expect(dakar.endMs - dakar.startMs).toBe(24 * 3_600_000);
  });

  it('refuses a zone that does not exist', () => {
    expect(() => localDay(new Date(), 'Africa/Atlantis')).toThrow(/invalid time zone Africa\/Atlantis/);
  });
});
