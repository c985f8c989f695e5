import { useEffect, useState } from 'react';

/** "4:07" for a running timer; "1:02:07" past an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

/** Whole minutes since `iso` (the domain's rule, shared with the server's queue summary). */
export { waitedMinutes as minutesSince } from '../../server/src/shared/domain/wait-estimate.js';

/** The server's time (corrected by the offset measured on the last snapshot), ticking every second. */
export function useServerNow(serverTime: string | undefined): number {
  const [offset, setOffset] = useState(0);
  useEffect(() => { if (serverTime) setOffset(Date.parse(serverTime) - Date.now()); }, [serverTime]);
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const timer = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}
