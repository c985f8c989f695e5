// The branch's wall clock: Intl with the branch's time zone (the TV's own zone setting does not matter).
import { useEffect, useState } from 'react';

export interface WallClock { hours: string; minutes: string; weekday: number; day: number; month: number; year: number }

const WEEKDAY = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 } as const;

export function wallClock(at: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    hours: get('hour').padStart(2, '0'),
    minutes: get('minute').padStart(2, '0'),
    weekday: WEEKDAY[get('weekday') as keyof typeof WEEKDAY] ?? 0,
    day: Number(get('day')),
    month: Number(get('month')) - 1,
    year: Number(get('year')),
  };
}

/** Now, corrected by the server's clock offset, refreshed every second. */
export function useNow(offsetMs: number): Date {
  const [now, setNow] = useState(() => new Date(Date.now() + offsetMs));
  useEffect(() => {
    const tick = () => setNow(new Date(Date.now() + offsetMs));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [offsetMs]);
  return now;
}
