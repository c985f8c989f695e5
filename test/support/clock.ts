import type { Clock } from '../../server/src/shared/clock.js';

/** A clock the test sets: the outside world's time, not our code path. */
export class TestClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
  advanceMinutes(minutes: number): void {
    this.t += minutes * 60_000;
  }
}
