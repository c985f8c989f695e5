import type { Router } from 'express';
import { CounterStats } from '../../shared/contracts/api.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { findCounter } from './counter.repository.js';
import { branchDayRange, workStats } from './counter-stats.repository.js';

export function registerCounterStatsRoutes(router: Router, api: BranchApi, s: Pick<BranchParts, 'ctx'>): void {
  api.add(router, {
    method: 'get', path: '/api/counters/:id/stats', tag: 'counter', access: 'staff', response: CounterStats,
    summary: "Today's served count, no-shows and average service time of this counter and of the calling agent",
    description: 'Counted on tickets finished today in the branch time zone; the average is from start to completion.',
  }, ({ params, actor }) => {
    const counterId = params.id as string;
    if (!findCounter(s.ctx.store, counterId)) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
    const range = branchDayRange(s.ctx.clock.now(), s.ctx.timeZone);
    return {
      counterId,
      day: range.day,
      counter: workStats(s.ctx.store, range, { counterId }),
      agent: actor?.kind === 'staff' ? { agentId: actor.userId, ...workStats(s.ctx.store, range, { agentId: actor.userId }) } : null,
    };
  });
}
