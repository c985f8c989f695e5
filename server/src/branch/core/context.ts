import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import type { BranchStore } from '../db/store.js';
import type { DomainEvents } from './events.js';

/** What every branch service needs: the database, the clock, the event bus, and who we are. */
export interface BranchContext {
  store: BranchStore;
  clock: Clock;
  events: DomainEvents;
  logger: Logger;
  branchId: string;
  timeZone: string;
  config: {
    noShowAfterMinutes: number;
    sessionTtlSeconds: number;
    kioskRateLimitPerMinute: number;
  };
}

export function nowIso(ctx: Pick<BranchContext, 'clock'>): string {
  return ctx.clock.now().toISOString();
}
