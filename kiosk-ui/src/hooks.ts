// Timers of an unattended screen: go back to the start when nobody touches it, count down on the ticket screen.
import { useEffect, useRef, useState } from 'react';

/** Calls onIdle after `ms` without a touch, click or key press (restarted by each one). */
export function useIdle(ms: number, onIdle: () => void, active = true): void {
  const callback = useRef(onIdle);
  useEffect(() => { callback.current = onIdle; });
  useEffect(() => {
    if (!active) return;
    let timer = setTimeout(() => callback.current(), ms);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => callback.current(), ms);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [ms, active]);
}

/** Seconds left before `onDone`; restarts when `key` changes. */
export function useCountdown(seconds: number, onDone: () => void, key: unknown): number {
  const [left, setLeft] = useState(seconds);
  const callback = useRef(onDone);
  useEffect(() => { callback.current = onDone; });
  useEffect(() => {
    setLeft(seconds);
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        clearInterval(timer);
        callback.current();
      }
    }, 250);
    return () => clearInterval(timer);
  }, [seconds, key]);
  return left;
}

/** Kiosk timings; `?idle=SECONDS&ticket=SECONDS` in the URL override them (e.g. a slower hall, or tests). */
export function kioskTimings(): { idleMs: number; ticketSeconds: number; failedTicketSeconds: number; languageResetMs: number } {
  const q = new URLSearchParams(window.location.search);
  const num = (name: string, fallback: number) => {
    const v = Number(q.get(name));
    return Number.isFinite(v) && v > 0 && v <= 3600 ? v : fallback;
  };
  const idle = num('idle', 30);
  const ticket = num('ticket', 10);
  return { idleMs: idle * 1000, ticketSeconds: ticket, failedTicketSeconds: ticket * 2, languageResetMs: Math.max(idle, 60) * 1000 };
}
