// The Now screen's figures: per branch, the age of its last news (the same freshness rule as the tracking page),
// its outbox backlog and lag, who waits now per service and for how long, counters at work, and alerts.
import { WAITING_STATUSES } from '../../shared/domain/ticket-state.js';
import type { NowReport } from '../../shared/contracts/office-now.js';
import { listBranchViews } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { branchFreshness } from '../notifications/freshness.js';
import { serviceNames } from './analytics.js';

const OFFLINE_AFTER_SECONDS = 600;
const LONG_WAIT_MINUTES = 30;
/** Tickets issued longer ago than this are not in today's line (the branch expires them at closing). */
const HORIZON_MS = 36 * 3600_000;
const COUNTER_WINDOW_MS = 60 * 60_000;

export async function nowReport(cdb: CentralDb, now: Date, organizationId: string | null, staleAfterSeconds: number): Promise<NowReport> {
  const branches = await listBranchViews(cdb, now, organizationId);
  const ids = branches.map((b) => b.id);
  const since = new Date(now.getTime() - HORIZON_MS).toISOString();
  const waiting = ids.length ? await cdb.db.selectFrom('tickets').select(['branch_id', 'service_id', 'issued_at'])
    .where('branch_id', 'in', ids).where('issued_at', '>=', since).where('status', 'in', [...WAITING_STATUSES]).execute() : [];
  const counters = ids.length ? await cdb.db.selectFrom('tickets').select(['branch_id', 'counter_id']).distinct()
    .where('branch_id', 'in', ids).where('issued_at', '>=', since).where('counter_id', 'is not', null)
    .where('called_at', '>=', new Date(now.getTime() - COUNTER_WINDOW_MS).toISOString()).execute() : [];
  const names = ids.length ? await serviceNames(cdb, ids) : new Map<string, { name: string }>();
  const printers = ids.length ? await cdb.db.selectFrom('branch_printers').select(['branch_id', 'place', 'state', 'code'])
    .where('branch_id', 'in', ids).where('state', 'in', ['out_of_paper', 'failing']).orderBy('place').execute() : [];
  const syncRows = ids.length ? await cdb.db.selectFrom('branch_sync').select(['branch_id', 'last_push_at', 'last_seq', 'head_seq', 'oldest_pending_at']).where('branch_id', 'in', ids).execute() : [];
  return {
    generatedAt: now.toISOString(),
    staleAfterSeconds,
    branches: branches.map((b) => {
      const s = syncRows.find((r) => r.branch_id === b.id);
      const fresh = branchFreshness(s ? { lastPushAt: s.last_push_at, lastSeq: s.last_seq, headSeq: s.head_seq, oldestPendingAt: s.oldest_pending_at } : null, now, staleAfterSeconds);
      const link = !fresh.stale ? 'online' : fresh.ageSeconds === null || fresh.ageSeconds > OFFLINE_AFTER_SECONDS ? 'offline' : 'stale';
      const mine = waiting.filter((t) => t.branch_id === b.id);
      const byService = new Map<string, string[]>();
      for (const t of mine) byService.set(t.service_id, [...(byService.get(t.service_id) ?? []), t.issued_at]);
      const services = [...byService].map(([serviceId, issued]) => ({
        serviceId, name: names.get(`${b.id}\u0000${serviceId}`)?.name ?? serviceId, waiting: issued.length,
        longestWaitMinutes: issued.length ? Math.floor((now.getTime() - Date.parse(issued.sort()[0] as string)) / 60_000) : null,
      })).sort((x, y) => x.name.localeCompare(y.name));
      const alerts: NowReport['branches'][number]['alerts'] = [];
      for (const sv of services) if ((sv.longestWaitMinutes ?? 0) >= LONG_WAIT_MINUTES) alerts.push({ kind: 'long_wait', message: `${sv.name}: ${sv.longestWaitMinutes} min` });
      // A printer the branch reported out of paper (or failing) and not yet back.
      for (const p of printers.filter((x) => x.branch_id === b.id)) alerts.push(p.state === 'out_of_paper' ? { kind: 'printer_paper', message: p.place } : { kind: 'printer', message: `${p.place} (${p.code ?? ''})` });
      if (b.sync.rejected > 0) alerts.push({ kind: 'sync_rejected', message: `${b.sync.rejected}` });
      if (link !== 'online') alerts.push({ kind: 'link', message: link });
      return {
        id: b.id, name: b.name, region: b.region, organization: b.organization, link, lastNewsAt: fresh.dataAsOf, ageSeconds: fresh.ageSeconds,
        backlog: b.sync.backlog, lagSeconds: b.sync.lagSeconds, waiting: mine.length,
        openCounters: counters.filter((c) => c.branch_id === b.id).length, services, alerts,
      };
    }),
  };
}
