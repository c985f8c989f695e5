import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import type { BranchStore } from '../db/store.js';
import type { UnitOfWork } from '../db/unit-of-work.js';
import type { DomainEvents } from './events.js';

/** The branch's runtime basics (database, unit of work, clock, event bus, who we are): no services in it. */
export interface BranchContext {
  store: BranchStore;
  /** The one way to write: transaction, command ids, history and outbox rows, after-commit effects. */
  uow: UnitOfWork;
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
