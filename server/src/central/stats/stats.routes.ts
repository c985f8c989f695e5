// Head-office day figures: one branch, or every branch's totals with its sync state.
import type { Router } from 'express';
import { z } from 'zod';
import { BranchDayStats, CentralBranchView, DayFigures } from '../../shared/contracts/sync.js';
import type { Clock } from '../../shared/clock.js';
import { getBranchView, listBranchViews } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { callerOrganization, checkBranchScope, type CentralApi } from '../http/access.js';
import { branchDayStats, today } from './stats.js';

const StatsQuery = z.object({
  day: z.string().optional().describe("Calendar day YYYY-MM-DD; default today in the branch's time zone."),
  tz: z.string().max(64).optional().describe("IANA time zone; default the branch's."),
});
const BranchTotals = z.object({
  branchId: z.string(), name: z.string(), region: z.string(), day: z.string(), totals: DayFigures, sync: CentralBranchView.shape.sync,
});

export function registerStatsRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock }): void {
  const { cdb, clock } = deps;

  api.add(router, {
    method: 'get', path: '/api/central/branches/:id/stats', tag: 'stats', access: 'analyst', summary: "A branch's figures for one day",
    params: z.object({ id: z.string().min(1).max(64) }), query: StatsQuery, response: BranchDayStats,
  }, async ({ params, query, actor }) => {
    const branchId = params.id as string;
    await checkBranchScope(cdb, actor, branchId);
    const view = await getBranchView(cdb, branchId, clock.now());
    const zone = query.tz ?? view.timeZone;
    return branchDayStats(cdb, branchId, query.day ?? today(clock.now(), zone), zone);
  });

  api.add(router, {
    method: 'get', path: '/api/central/stats', tag: 'stats', access: 'analyst', summary: "Every branch's totals for one day",
    query: StatsQuery, response: z.array(BranchTotals),
  }, async ({ query, actor }) => {
    const branches = await listBranchViews(cdb, clock.now(), callerOrganization(actor));
    const out = [];
    for (const b of branches) {
      const zone = query.tz ?? b.timeZone;
      const stats = await branchDayStats(cdb, b.id, query.day ?? today(clock.now(), zone), zone);
      out.push({ branchId: b.id, name: b.name, region: b.region, day: stats.day, totals: stats.totals, sync: b.sync });
    }
    return out;
  });
}
