// The console's figures: Now (live state of every branch) and Analytics (a period, from the rollups).
import type { Router } from 'express';
import { AnalyticsQuery, AnalyticsReport } from '../../shared/contracts/analytics.js';
import { NowReport } from '../../shared/contracts/office-now.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import { callerOrganization, type CentralApi } from '../http/access.js';
import { z } from 'zod';
import { analyticsReport, serviceNames } from './analytics.js';
import { nowReport } from './now.js';

export function registerAnalyticsRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock; staleAfterSeconds: number }): void {
  const { cdb, clock } = deps;
  api.add(router, {
    method: 'get', path: '/api/office/now', tag: 'office', access: 'analyst', summary: 'Every branch now: link, backlog, waiting per service, alerts',
    response: NowReport,
  }, ({ actor }) => nowReport(cdb, clock.now(), callerOrganization(actor), deps.staleAfterSeconds));

  api.add(router, {
    method: 'get', path: '/api/office/names', tag: 'office', access: 'analyst', summary: "Names of the caller's branches and their services (screens show names, not ids)",
    response: z.object({
      branches: z.array(z.object({ id: z.string(), name: z.string() })),
      services: z.array(z.object({ branchId: z.string(), serviceId: z.string(), prefix: z.string().nullable(), name: z.string() })),
    }),
  }, async ({ actor }) => {
    const org = callerOrganization(actor);
    let q = cdb.db.selectFrom('branches').select(['id', 'name']).orderBy('name');
    if (org) q = q.where('organization_id', '=', org);
    const branches = await q.execute();
    const names = branches.length ? await serviceNames(cdb, branches.map((b) => b.id)) : new Map();
    return {
      branches,
      services: [...names].map(([key, v]) => {
        const [branchId, serviceId] = key.split('\u0000') as [string, string];
        return { branchId, serviceId, prefix: v.prefix, name: v.name };
      }),
    };
  });

  api.add(router, {
    method: 'get', path: '/api/office/analytics', tag: 'office', access: 'analyst', summary: 'Figures of a period, from the rollups',
    query: AnalyticsQuery, response: AnalyticsReport,
  }, ({ actor, query }) => analyticsReport(cdb, {
    from: query.from, to: query.to, organizationId: callerOrganization(actor), branchIds: query.branchId, serviceIds: query.serviceId,
  }));
}
