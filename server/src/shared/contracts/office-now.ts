// The console's Now screen: every branch of the organization, whether its figures are current, its lines now.
import { z } from 'zod';

export const NowBranch = z.object({
  id: z.string(), name: z.string(), region: z.string(), organization: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  /** online: news within the stale threshold; stale: older (figures shown as old); offline: no news for 10 min or never. */
  link: z.enum(['online', 'stale', 'offline']),
  lastNewsAt: z.string().nullable(), ageSeconds: z.number().int().nullable(),
  backlog: z.number().int(), lagSeconds: z.number().nullable(),
  waiting: z.number().int(), openCounters: z.number().int(),
  services: z.array(z.object({ serviceId: z.string(), name: z.string(), waiting: z.number().int(), longestWaitMinutes: z.number().int().nullable() })),
  alerts: z.array(z.object({ kind: z.enum(['long_wait', 'sync_rejected', 'link', 'printer_paper', 'printer']), message: z.string() })),
});
export const NowReport = z.object({ generatedAt: z.string(), staleAfterSeconds: z.number().int(), branches: z.array(NowBranch) });
export type NowReport = z.infer<typeof NowReport>;
