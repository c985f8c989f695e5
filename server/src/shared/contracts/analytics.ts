// Head-office analytics, computed from central's rollups (never by scanning tickets). Days are local to each branch;
// waits are from issue to first call, service times from start to served, percentiles by whole minutes.
import { z } from 'zod';

const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const Ids = z.union([z.string().max(64), z.array(z.string().max(64)).max(200)]).optional()
  .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : v.split(',').filter(Boolean)));

export const AnalyticsQuery = z.object({
  from: LocalDay, to: LocalDay,
  branchId: Ids.describe('Branch ids, comma-separated or repeated; default every branch you may see.'),
  serviceId: Ids.describe('Service ids, comma-separated or repeated; default every service.'),
});

const Counts = { issued: z.number().int(), served: z.number().int() };
export const ServiceFigures = z.object({
  branchId: z.string(), branchName: z.string(), serviceId: z.string(), serviceName: z.string(),
  issued: z.number().int(), served: z.number().int(), noShow: z.number().int(), cancelled: z.number().int(), expired: z.number().int(),
  noShowRate: z.number().nullable(), cancelRate: z.number().nullable(),
  waitP50Minutes: z.number().nullable(), waitP90Minutes: z.number().nullable(),
  targetMinutes: z.number().nullable(), withinTarget: z.number().nullable().describe('Share of called tickets whose wait was below the target.'),
  serviceP50Minutes: z.number().nullable(), serviceP90Minutes: z.number().nullable(),
});
export const AnalyticsReport = z.object({
  from: z.string(), to: z.string(),
  branches: z.array(z.object({ id: z.string(), name: z.string(), region: z.string() })),
  byDay: z.array(z.object({ day: z.string(), ...Counts })),
  byHour: z.array(z.object({ hour: z.number().int(), ...Counts })),
  /** weekday 1 = Monday … 7 = Sunday. */
  heatmap: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), issued: z.number().int() })),
  services: z.array(ServiceFigures),
  agents: z.array(z.object({ branchId: z.string(), agentId: z.string(), name: z.string(), branchName: z.string(), served: z.number().int(), averageServiceSeconds: z.number().nullable() })),
  appointments: z.object({ kept: z.number().int(), missed: z.number().int() }),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;
