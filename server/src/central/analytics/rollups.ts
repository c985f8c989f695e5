// Rollups of the tickets central holds, maintained by ingestion in the push's own transaction: per branch, service,
// local day and hour (counts, wait and service sums), per-minute histograms of wait and service time (for p50/p90 and
// the share within a target chosen at query time) and per agent and day. Each ticket row contributes to them by its
// current state; when ingestion replaces a row it takes the old contribution away and adds the new one, so the
// rollups always equal a full recomputation (recomputeRollups) whatever the replays and duplicates.
// Coarser ones, maintained the same way, answer the queries over many branches and long periods: per branch,
// service and day (counts), per branch, day and hour (issued, served: the hour charts and the heat map) and the
// histograms per month. Each is the sum of the fine rows it groups (coarseRollups fills them from those).
import { localDay, localMinuteOfDay } from '../../shared/domain/local-day.js';
import { sql, type Kysely } from 'kysely';
import type { CentralDatabase, CentralTicketsTable } from '../db/schema.js';
import type { CentralTrx } from '../db/database.js';
import { chunks } from '../db/database.js';

/** Minutes beyond this are counted in the last histogram bucket. */
export const HIST_MAX_MINUTE = 240;

export type RollupTicket = Pick<CentralTicketsTable, 'branch_id' | 'service_id' | 'agent_id' | 'status' | 'issued_at' | 'started_at' | 'finished_at' | 'first_called_at'>;

interface HourCell { issued: number; served: number; no_show: number; cancelled: number; expired: number; waited: number; wait_seconds: number; service_count: number; service_seconds: number }
const ZERO: HourCell = { issued: 0, served: 0, no_show: 0, cancelled: 0, expired: 0, waited: 0, wait_seconds: 0, service_count: 0, service_seconds: 0 };
const CELLS = Object.keys(ZERO) as (keyof HourCell)[];
interface DayCell { issued: number; served: number; no_show: number; cancelled: number; expired: number }
const DAY_CELLS = ['issued', 'served', 'no_show', 'cancelled', 'expired'] as const;

/** The sums a set of contributions adds to each rollup row (keys joined by \u0000). */
export class RollupDelta {
  readonly hours = new Map<string, HourCell>();
  readonly hist = new Map<string, number>();
  readonly agents = new Map<string, { served: number; service_seconds: number }>();
  readonly days = new Map<string, DayCell>();
  readonly branchHours = new Map<string, { issued: number; served: number }>();
  readonly monthHist = new Map<string, number>();

  add(t: RollupTicket, zone: string, sign: 1 | -1): void {
    // The branch's local day and hour of issue: the kept local day (a push's tickets share a few days), not a luxon
    // DateTime per ticket (5.8 % of an instance's ingest).
    const issuedAt = new Date(t.issued_at);
    const local = localDay(issuedAt, zone);
    const day = local.date;
    const hour = String(Math.floor(localMinuteOfDay(issuedAt, zone) / 60));
    const hourKey = [t.branch_id, t.service_id, day, hour, String(local.weekday)].join('\u0000');
    const cell = this.hours.get(hourKey) ?? { ...ZERO };
    const month = day.slice(0, 7);
    const dayKey = [t.branch_id, t.service_id, day].join('\u0000');
    const dayCell = this.days.get(dayKey) ?? { issued: 0, served: 0, no_show: 0, cancelled: 0, expired: 0 };
    const bhKey = [t.branch_id, day, hour, String(local.weekday)].join('\u0000');
    const bh = this.branchHours.get(bhKey) ?? { issued: 0, served: 0 };
    dayCell.issued += sign;
    bh.issued += sign;
    if (t.status === 'served') { dayCell.served += sign; bh.served += sign; }
    if (t.status === 'no_show') dayCell.no_show += sign;
    if (t.status === 'cancelled') dayCell.cancelled += sign;
    if (t.status === 'expired') dayCell.expired += sign;
    this.days.set(dayKey, dayCell);
    this.branchHours.set(bhKey, bh);
    cell.issued += sign;
    if (t.status === 'served') cell.served += sign;
    if (t.status === 'no_show') cell.no_show += sign;
    if (t.status === 'cancelled') cell.cancelled += sign;
    if (t.status === 'expired') cell.expired += sign;
    const wait = t.first_called_at ? seconds(t.issued_at, t.first_called_at) : null;
    if (wait !== null) {
      cell.waited += sign;
      cell.wait_seconds += sign * wait;
      this.bump([t.branch_id, t.service_id, day, 'wait', String(minute(wait))].join('\u0000'), sign);
      this.bumpMonth([t.branch_id, t.service_id, month, 'wait', String(minute(wait))].join('\u0000'), sign);
    }
    const service = t.status === 'served' && t.started_at && t.finished_at ? seconds(t.started_at, t.finished_at) : null;
    if (service !== null) {
      cell.service_count += sign;
      cell.service_seconds += sign * service;
      this.bump([t.branch_id, t.service_id, day, 'service', String(minute(service))].join('\u0000'), sign);
      this.bumpMonth([t.branch_id, t.service_id, month, 'service', String(minute(service))].join('\u0000'), sign);
      if (t.agent_id) {
        const k = [t.branch_id, t.agent_id, day].join('\u0000');
        const a = this.agents.get(k) ?? { served: 0, service_seconds: 0 };
        a.served += sign;
        a.service_seconds += sign * service;
        this.agents.set(k, a);
      }
    }
    this.hours.set(hourKey, cell);
  }

  private bump(key: string, sign: number): void {
    this.hist.set(key, (this.hist.get(key) ?? 0) + sign);
  }

  private bumpMonth(key: string, sign: number): void {
    this.monthHist.set(key, (this.monthHist.get(key) ?? 0) + sign);
  }
}

function seconds(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}
function minute(s: number): number {
  return Math.min(HIST_MAX_MINUTE, Math.floor(s / 60));
}

type Db = Kysely<CentralDatabase> | CentralTrx;

/** Add a delta to the rollup tables (rows are created at zero when missing). */
export async function applyRollupDelta(db: Db, delta: RollupDelta): Promise<void> {
  const hourRows = [...delta.hours].filter(([, c]) => CELLS.some((k) => c[k] !== 0)).map(([key, c]) => {
    const [branch_id, service_id, day, hour, weekday] = key.split('\u0000') as [string, string, string, string, string];
    return { branch_id, service_id, day, hour: Number(hour), weekday: Number(weekday), ...c };
  });
  for (const part of chunks(hourRows, 400)) {
    await db.insertInto('rollup_service_hour').values(part).onConflict((oc) => oc.columns(['branch_id', 'service_id', 'day', 'hour'])
      .doUpdateSet((eb) => Object.fromEntries(CELLS.map((k) => [k, eb(eb.ref(`rollup_service_hour.${k}`), '+', eb.ref(`excluded.${k}`))])) as never)).execute();
  }
  const histRows = [...delta.hist].filter(([, n]) => n !== 0).map(([key, count]) => {
    const [branch_id, service_id, day, kind, m] = key.split('\u0000') as [string, string, string, string, string];
    return { branch_id, service_id, day, kind, minute: Number(m), count };
  });
  for (const part of chunks(histRows, 500)) {
    await db.insertInto('rollup_minutes').values(part).onConflict((oc) => oc.columns(['branch_id', 'service_id', 'day', 'kind', 'minute'])
      .doUpdateSet((eb) => ({ count: eb(eb.ref('rollup_minutes.count'), '+', eb.ref('excluded.count')) }))).execute();
  }
  const agentRows = [...delta.agents].filter(([, a]) => a.served !== 0 || a.service_seconds !== 0).map(([key, a]) => {
    const [branch_id, agent_id, day] = key.split('\u0000') as [string, string, string];
    return { branch_id, agent_id, day, ...a };
  });
  for (const part of chunks(agentRows, 500)) {
    await db.insertInto('rollup_agent_day').values(part).onConflict((oc) => oc.columns(['branch_id', 'agent_id', 'day'])
      .doUpdateSet((eb) => ({
        served: eb(eb.ref('rollup_agent_day.served'), '+', eb.ref('excluded.served')),
        service_seconds: eb(eb.ref('rollup_agent_day.service_seconds'), '+', eb.ref('excluded.service_seconds')),
      }))).execute();
  }
  const dayRows = [...delta.days].filter(([, c]) => DAY_CELLS.some((k) => c[k] !== 0)).map(([key, c]) => {
    const [branch_id, service_id, day] = key.split('\u0000') as [string, string, string];
    return { branch_id, service_id, day, ...c };
  });
  for (const part of chunks(dayRows, 500)) {
    await db.insertInto('rollup_service_day').values(part).onConflict((oc) => oc.columns(['branch_id', 'service_id', 'day'])
      .doUpdateSet((eb) => Object.fromEntries(DAY_CELLS.map((k) => [k, eb(eb.ref(`rollup_service_day.${k}`), '+', eb.ref(`excluded.${k}`))])) as never)).execute();
  }
  const bhRows = [...delta.branchHours].filter(([, c]) => c.issued !== 0 || c.served !== 0).map(([key, c]) => {
    const [branch_id, day, hour, weekday] = key.split('\u0000') as [string, string, string, string];
    return { branch_id, day, hour: Number(hour), weekday: Number(weekday), ...c };
  });
  for (const part of chunks(bhRows, 500)) {
    await db.insertInto('rollup_branch_hour').values(part).onConflict((oc) => oc.columns(['branch_id', 'day', 'hour'])
      .doUpdateSet((eb) => ({
        issued: eb(eb.ref('rollup_branch_hour.issued'), '+', eb.ref('excluded.issued')),
        served: eb(eb.ref('rollup_branch_hour.served'), '+', eb.ref('excluded.served')),
      }))).execute();
  }
  const monthRows = [...delta.monthHist].filter(([, n]) => n !== 0).map(([key, count]) => {
    const [branch_id, service_id, month, kind, m] = key.split('\u0000') as [string, string, string, string, string];
    return { branch_id, service_id, month, kind, minute: Number(m), count };
  });
  for (const part of chunks(monthRows, 500)) {
    await db.insertInto('rollup_minutes_month').values(part).onConflict((oc) => oc.columns(['branch_id', 'service_id', 'month', 'kind', 'minute'])
      .doUpdateSet((eb) => ({ count: eb(eb.ref('rollup_minutes_month.count'), '+', eb.ref('excluded.count')) }))).execute();
  }
}

/**
 * Fill the coarse rollups from the fine ones (the migration that adds them, and the bench that seeds fine rows by
 * SQL): each coarse row is the sum of the fine rows it groups. For every branch, or the ones named.
 */
export async function coarseRollups(db: Kysely<any> | Db, branchIds?: readonly string[], opts: { monthlyHistograms?: boolean } = {}): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const where = branchIds ? sql` where branch_id in (${sql.join(branchIds.map((b) => sql.lit(b)))})` : sql``;
  await sql`insert into rollup_service_day (branch_id, service_id, day, issued, served, no_show, cancelled, expired)
    select branch_id, service_id, day, sum(issued), sum(served), sum(no_show), sum(cancelled), sum(expired)
    from rollup_service_hour${where} group by branch_id, service_id, day`.execute(db);
  await sql`insert into rollup_branch_hour (branch_id, day, hour, weekday, issued, served)
    select branch_id, day, hour, min(weekday), sum(issued), sum(served)
    from rollup_service_hour${where} group by branch_id, day, hour`.execute(db);
  if (opts.monthlyHistograms === false) return;
  await sql`insert into rollup_minutes_month (branch_id, service_id, month, kind, minute, count)
    select branch_id, service_id, substr(day, 1, 7), kind, minute, sum(count)
    from rollup_minutes${where} group by branch_id, service_id, substr(day, 1, 7), kind, minute`.execute(db);
}

/** Time zones of branches, for local days and hours. */
export async function branchZones(db: Db, branchIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(branchIds)], 500)) {
    for (const r of await db.selectFrom('branches').select(['id', 'time_zone']).where('id', 'in', part).execute()) out.set(r.id, r.time_zone);
  }
  return out;
}

/**
 * Rebuild one branch's rollups from its ticket rows (the reference the incremental rollups must equal; also the
 * repair after a change of the rules). Runs in the caller's transaction.
 */
export async function recomputeRollups(db: Db, branchId: string): Promise<void> {
  await db.deleteFrom('rollup_service_hour').where('branch_id', '=', branchId).execute();
  await db.deleteFrom('rollup_minutes').where('branch_id', '=', branchId).execute();
  await db.deleteFrom('rollup_agent_day').where('branch_id', '=', branchId).execute();
  await db.deleteFrom('rollup_service_day').where('branch_id', '=', branchId).execute();
  await db.deleteFrom('rollup_branch_hour').where('branch_id', '=', branchId).execute();
  await db.deleteFrom('rollup_minutes_month').where('branch_id', '=', branchId).execute();
  const zone = (await branchZones(db, [branchId])).get(branchId) ?? 'Africa/Dakar';
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('tickets').select(['id', 'branch_id', 'service_id', 'agent_id', 'status', 'issued_at', 'started_at', 'finished_at', 'first_called_at'])
      .where('branch_id', '=', branchId).where('id', '>', after).orderBy('id').limit(5000).execute();
    if (!rows.length) break;
    const delta = new RollupDelta();
    for (const r of rows) delta.add(r, zone, 1);
    await applyRollupDelta(db, delta);
    after = (rows[rows.length - 1] as { id: string }).id;
  }
}

/** Rows of a branch's rollups with anything in them, in a stable order (tests compare them). */
export async function rollupSnapshot(db: Db, branchId: string): Promise<unknown> {
  const hours = await db.selectFrom('rollup_service_hour').selectAll().where('branch_id', '=', branchId)
    .where(sql<boolean>`(issued <> 0 or served <> 0 or waited <> 0 or service_count <> 0)`).orderBy(['service_id', 'day', 'hour']).execute();
  const minutes = await db.selectFrom('rollup_minutes').selectAll().where('branch_id', '=', branchId).where('count', '<>', 0)
    .orderBy(['service_id', 'day', 'kind', 'minute']).execute();
  const agents = await db.selectFrom('rollup_agent_day').selectAll().where('branch_id', '=', branchId).where('served', '<>', 0)
    .orderBy(['agent_id', 'day']).execute();
  const days = await db.selectFrom('rollup_service_day').selectAll().where('branch_id', '=', branchId).where('issued', '<>', 0)
    .orderBy(['service_id', 'day']).execute();
  const branchHours = await db.selectFrom('rollup_branch_hour').selectAll().where('branch_id', '=', branchId).where('issued', '<>', 0)
    .orderBy(['day', 'hour']).execute();
  const months = await db.selectFrom('rollup_minutes_month').selectAll().where('branch_id', '=', branchId).where('count', '<>', 0)
    .orderBy(['service_id', 'month', 'kind', 'minute']).execute();
  const num = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'day' ? Number(v) : v]));
  return { hours: hours.map(num), minutes: minutes.map(num), agents: agents.map(num), days: days.map(num), branchHours: branchHours.map(num), months: months.map(num) };
}
