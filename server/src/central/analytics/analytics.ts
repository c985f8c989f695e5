// Analytics answered from the rollups (rollups.ts): a handful of grouped reads whatever the period, then
// percentiles and shares from the per-minute histograms. Names, not ids: branches by name, services by the names
// the branch sent (appointment settings) or head office gave.
import { sql } from 'kysely';
import type { AnalyticsReport } from '../../shared/contracts/analytics.js';
import { toNumber, type CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import type { CentralAppointmentTables } from '../booking/booking.migration.js';
import { trackDb } from '../tracking/db.js';

export interface AnalyticsFilter { from: string; to: string; organizationId: string | null; branchIds?: string[]; serviceIds?: string[] }

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** Nearest-rank percentile over a per-minute histogram (minute → count). */
export function histogramPercentile(hist: Map<number, number>, p: number): number | null {
  const total = [...hist.values()].reduce((s, n) => s + n, 0);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const minute of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(minute) ?? 0;
    if (seen >= rank) return minute;
  }
  return null;
}

export async function analyticsReport(cdb: CentralDb, f: AnalyticsFilter): Promise<AnalyticsReport> {
  if (f.to < f.from) throw new CentralError(400, 'VALIDATION_ERROR', `to (${f.to}) is before from (${f.from})`);
  if (Date.parse(f.to) - Date.parse(f.from) > 400 * 86_400_000) throw new CentralError(400, 'VALIDATION_ERROR', 'at most 400 days at a time');
  const db = cdb.db;
  let bq = db.selectFrom('branches').select(['id', 'name', 'region']).orderBy('name');
  if (f.organizationId) bq = bq.where('organization_id', '=', f.organizationId);
  if (f.branchIds?.length) bq = bq.where('id', 'in', f.branchIds);
  const branches = await bq.execute();
  const empty: AnalyticsReport = { from: f.from, to: f.to, branches, byDay: [], byHour: [], heatmap: [], services: [], agents: [], appointments: { kept: 0, missed: 0 } };
  if (!branches.length) return empty;
  const ids = branches.map((b) => b.id);
  // The coarsest rollups that answer each figure (rollups.ts): per service and day for the counts, per branch and
  // hour for the hour charts unless a service is chosen, histograms per month for whole months.
  const serviceDays = () => {
    let q = db.selectFrom('rollup_service_day').where('branch_id', 'in', ids).where('day', '>=', f.from).where('day', '<=', f.to);
    if (f.serviceIds?.length) q = q.where('service_id', 'in', f.serviceIds);
    return q;
  };
  const serviceHours = () => db.selectFrom('rollup_service_hour').where('branch_id', 'in', ids).where('day', '>=', f.from).where('day', '<=', f.to)
    .where('service_id', 'in', f.serviceIds ?? []);
  const branchHours = () => db.selectFrom('rollup_branch_hour').where('branch_id', 'in', ids).where('day', '>=', f.from).where('day', '<=', f.to);
  const sum = (c: 'issued' | 'served' | 'no_show' | 'cancelled' | 'expired') => sql<string>`sum(${sql.ref(c)})`.as(c);
  const figuresP = Promise.all([
    serviceDays().select(['day', sum('issued'), sum('served')]).groupBy('day').orderBy('day').execute(),
    f.serviceIds?.length
      ? serviceHours().select(['hour', sum('issued'), sum('served')]).groupBy('hour').orderBy('hour').execute()
      : branchHours().select(['hour', sum('issued'), sum('served')]).groupBy('hour').orderBy('hour').execute(),
    f.serviceIds?.length
      ? serviceHours().select(['weekday', 'hour', sum('issued')]).groupBy(['weekday', 'hour']).orderBy('weekday').orderBy('hour').execute()
      : branchHours().select(['weekday', 'hour', sum('issued')]).groupBy(['weekday', 'hour']).orderBy('weekday').orderBy('hour').execute(),
    serviceDays().select(['branch_id', 'service_id', sum('issued'), sum('served'), sum('no_show'), sum('cancelled'), sum('expired')])
      .groupBy(['branch_id', 'service_id']).execute(),
  ]);
  const span = splitPeriod(f.from, f.to);
  const minuteReads: Promise<Array<{ branch_id: string; service_id: string; kind: string; minute: number; n: string }>>[] = [];
  if (span.months.length) {
    let mq = db.selectFrom('rollup_minutes_month').select(['branch_id', 'service_id', 'kind', 'minute', sql<string>`sum(count)`.as('n')])
      .where('branch_id', 'in', ids).where('month', 'in', span.months);
    if (f.serviceIds?.length) mq = mq.where('service_id', 'in', f.serviceIds);
    minuteReads.push(mq.groupBy(['branch_id', 'service_id', 'kind', 'minute']).execute());
  }
  for (const [a, b] of span.days) {
    let dq = db.selectFrom('rollup_minutes').select(['branch_id', 'service_id', 'kind', 'minute', sql<string>`sum(count)`.as('n')])
      .where('branch_id', 'in', ids).where('day', '>=', a).where('day', '<=', b);
    if (f.serviceIds?.length) dq = dq.where('service_id', 'in', f.serviceIds);
    minuteReads.push(dq.groupBy(['branch_id', 'service_id', 'kind', 'minute']).execute());
  }
  // Every read at once: on a loaded database server the round trips, not the rows, are most of the time.
  const staffP = db.selectFrom('branch_staff').select(['branch_id', 'user_id', 'display_name']).where('branch_id', 'in', ids).execute();
  const agentsP = db.selectFrom('rollup_agent_day').select(['branch_id', 'agent_id', sql<string>`sum(served)`.as('served'), sql<string>`sum(service_seconds)`.as('seconds')])
    .where('branch_id', 'in', ids).where('day', '>=', f.from).where('day', '<=', f.to).groupBy(['branch_id', 'agent_id']).execute();
  const bookingsP = db.withTables<CentralAppointmentTables>().selectFrom('bookings').select(['status', sql<string>`count(*)`.as('n')])
    .where('branch_id', 'in', ids).where('starts_at', '>=', `${f.from}T00:00:00.000Z`).where('starts_at', '<', `${nextDay(f.to)}T00:00:00.000Z`)
    .where('status', 'in', ['checked_in', 'no_show']).groupBy('status').execute();
  const [[byDay, byHour, heat, perService], minuteRows, names, staffRows, agents, bookings] = await Promise.all([
    figuresP, Promise.all(minuteReads), serviceNames(cdb, ids), staffP, agentsP, bookingsP,
  ]);
  const hist = new Map<string, Map<number, number>>();
  for (const m of minuteRows.flat()) {
    const key = `${m.branch_id}\u0000${m.service_id}\u0000${m.kind}`;
    const h = hist.get(key) ?? new Map<number, number>();
    const minute = toNumber(m.minute);
    h.set(minute, (h.get(minute) ?? 0) + toNumber(m.n));
    hist.set(key, h);
  }
  const branchName = new Map(branches.map((b) => [b.id, b.name]));
  const services = perService.map((s) => {
    const issued = toNumber(s.issued);
    const wait = hist.get(`${s.branch_id}\u0000${s.service_id}\u0000wait`) ?? new Map<number, number>();
    const service = hist.get(`${s.branch_id}\u0000${s.service_id}\u0000service`) ?? new Map<number, number>();
    const info = names.get(`${s.branch_id}\u0000${s.service_id}`);
    const target = info?.targetMinutes ?? null;
    const waited = [...wait.values()].reduce((a, n) => a + n, 0);
    const within = target === null ? null : rate([...wait].filter(([m]) => m < target).reduce((a, [, n]) => a + n, 0), waited);
    return {
      branchId: s.branch_id, branchName: branchName.get(s.branch_id) ?? s.branch_id, serviceId: s.service_id, serviceName: info?.name ?? s.service_id,
      issued, served: toNumber(s.served), noShow: toNumber(s.no_show), cancelled: toNumber(s.cancelled), expired: toNumber(s.expired),
      noShowRate: rate(toNumber(s.no_show), issued), cancelRate: rate(toNumber(s.cancelled), issued),
      waitP50Minutes: histogramPercentile(wait, 50), waitP90Minutes: histogramPercentile(wait, 90), targetMinutes: target, withinTarget: within,
      serviceP50Minutes: histogramPercentile(service, 50), serviceP90Minutes: histogramPercentile(service, 90),
    };
  }).sort((a, b) => a.branchName.localeCompare(b.branchName) || a.serviceName.localeCompare(b.serviceName));
  const staff = new Map(staffRows.map((u) => [`${u.branch_id}\u0000${u.user_id}`, u.display_name]));
  const count = (s: string) => toNumber(bookings.find((b) => b.status === s)?.n);
  return {
    ...empty,
    byDay: byDay.map((d) => ({ day: d.day, issued: toNumber(d.issued), served: toNumber(d.served) })),
    byHour: byHour.map((h) => ({ hour: toNumber(h.hour), issued: toNumber(h.issued), served: toNumber(h.served) })),
    heatmap: heat.map((h) => ({ weekday: toNumber(h.weekday), hour: toNumber(h.hour), issued: toNumber(h.issued) })),
    services,
    agents: agents.filter((a) => toNumber(a.served) > 0).map((a) => ({
      branchId: a.branch_id, agentId: a.agent_id,
      // Named as the branch names its staff; a branch that never sent its directory: by a short reference.
      name: staff.get(`${a.branch_id}\u0000${a.agent_id}`) ?? `${branchName.get(a.branch_id) ?? a.branch_id} · agent ${a.agent_id.slice(0, 8)}`,
      branchName: branchName.get(a.branch_id) ?? a.branch_id,
      served: toNumber(a.served), averageServiceSeconds: Math.round(toNumber(a.seconds) / toNumber(a.served)),
    })).sort((a, b) => b.served - a.served),
    appointments: { kept: count('checked_in'), missed: count('no_show') },
  };
}

/**
 * A period of local days as the whole months it covers (read from the monthly histograms) and the days left at
 * either end (read day by day).
 */
export function splitPeriod(from: string, to: string): { months: string[]; days: Array<[string, string]> } {
  const months: string[] = [];
  const days: Array<[string, string]> = [];
  let cursor = from.slice(0, 7);
  while (`${cursor}-01` <= to) {
    const first = `${cursor}-01`;
    const last = lastDayOf(cursor);
    if (from <= first && last <= to) months.push(cursor);
    else days.push([from > first ? from : first, to < last ? to : last]);
    const [y, m] = cursor.split('-').map(Number) as [number, number];
    cursor = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return { months, days };
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Service names (French), letters and target waits: the branch's directory (what it sent of its services), else its
 * appointment settings; head office's tracking settings rename a service when they name it.
 */
export async function serviceNames(cdb: CentralDb, branchIds: string[]): Promise<Map<string, { name: string; prefix: string | null; targetMinutes: number | null }>> {
  const out = new Map<string, { name: string; prefix: string | null; targetMinutes: number | null }>();
  const [booked, known, named] = await Promise.all([
    cdb.db.withTables<CentralAppointmentTables>().selectFrom('appointment_services').select(['branch_id', 'service_id', 'name_fr', 'prefix']).where('branch_id', 'in', branchIds).execute(),
    cdb.db.selectFrom('branch_services').select(['branch_id', 'service_id', 'name_fr', 'prefix', 'target_wait_minutes']).where('branch_id', 'in', branchIds).execute(),
    trackDb(cdb.db).selectFrom('tracking_services').select(['branch_id', 'service_id', 'name']).where('branch_id', 'in', branchIds).execute(),
  ]);
  for (const b of booked) out.set(`${b.branch_id}\u0000${b.service_id}`, { name: b.name_fr, prefix: b.prefix, targetMinutes: null });
  for (const k of known) out.set(`${k.branch_id}\u0000${k.service_id}`, { name: k.name_fr, prefix: k.prefix, targetMinutes: toNumber(k.target_wait_minutes) });
  for (const n of named) {
    if (n.name === null) continue;
    const key = `${n.branch_id}\u0000${n.service_id}`;
    out.set(key, { name: (JSON.parse(n.name) as { fr: string }).fr, prefix: out.get(key)?.prefix ?? null, targetMinutes: out.get(key)?.targetMinutes ?? null });
  }
  return out;
}
