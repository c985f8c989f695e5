// Head-office figures per branch and day: tickets issued / served / no-show / cancelled, wait (issued → first call)
// and service time (started → served), per service and per agent. The day is a calendar day in the branch's time
// zone (Africa/Dakar unless the branch says otherwise); tickets count on the day they were issued.
import { DateTime } from 'luxon';
import type { BranchDayStats, DayFigures } from '../../shared/contracts/sync.js';
import { chunks, type CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';

interface TicketFacts {
  id: string; service_id: string; number: string; status: string; agent_id: string | null; issued_at: string;
  started_at: string | null; finished_at: string | null; firstCalledAt: string | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

function duration(values: number[]): DayFigures['wait'] {
  const sorted = [...values].sort((a, b) => a - b);
  const avg = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : null;
  return { count: sorted.length, averageSeconds: avg === null ? null : Math.round(avg), p90Seconds: percentile(sorted, 90) };
}

function figures(list: TicketFacts[]): DayFigures {
  const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  const waits = list.flatMap((t) => (t.firstCalledAt ? [seconds(t.issued_at, t.firstCalledAt)] : []));
  const services = list.flatMap((t) => (t.status === 'served' && t.started_at && t.finished_at ? [seconds(t.started_at, t.finished_at)] : []));
  const count = (status: string) => list.filter((t) => t.status === status).length;
  return {
    issued: list.length, served: count('served'), noShow: count('no_show'), cancelled: count('cancelled'), expired: count('expired'),
    wait: duration(waits), service: duration(services),
  };
}

function groupBy<K>(list: TicketFacts[], key: (t: TicketFacts) => K | null): Map<K, TicketFacts[]> {
  const map = new Map<K, TicketFacts[]>();
  for (const t of list) {
    const k = key(t);
    if (k === null) continue;
    map.set(k, [...(map.get(k) ?? []), t]);
  }
  return map;
}

export function dayRange(day: string, timeZone: string): { from: string; to: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new CentralError(400, 'VALIDATION_ERROR', 'day must be YYYY-MM-DD');
  const start = DateTime.fromISO(day, { zone: timeZone });
  if (!start.isValid) throw new CentralError(400, 'VALIDATION_ERROR', `invalid day ${day} or time zone ${timeZone}`);
  return { from: start.startOf('day').toJSDate().toISOString(), to: start.startOf('day').plus({ days: 1 }).toJSDate().toISOString() };
}

/** Today in a time zone, as YYYY-MM-DD. */
export function today(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? now.toISOString().slice(0, 10);
}

export async function branchDayStats(cdb: CentralDb, branchId: string, day: string, timeZone?: string): Promise<BranchDayStats> {
  const branch = await cdb.db.selectFrom('branches').select(['id', 'time_zone']).where('id', '=', branchId).executeTakeFirst();
  if (!branch) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
  const zone = timeZone ?? branch.time_zone;
  const { from, to } = dayRange(day, zone);
  const rows = await cdb.db.selectFrom('tickets')
    .select(['id', 'service_id', 'number', 'status', 'agent_id', 'issued_at', 'called_at', 'started_at', 'finished_at'])
    .where('branch_id', '=', branchId).where('issued_at', '>=', from).where('issued_at', '<', to)
    .execute();
  // The first call, not the last: a transferred ticket is called again, but the visitor waited until the first one.
  const firstCall = new Map<string, string>();
  for (const part of chunks(rows.map((r) => r.id), 500)) {
    const calls = await cdb.db.selectFrom('ticket_events').select(['ticket_id', (eb) => eb.fn.min('at').as('first')])
      .where('branch_id', '=', branchId).where('ticket_id', 'in', part).where('type', '=', 'called').groupBy('ticket_id').execute();
    for (const c of calls) firstCall.set(c.ticket_id, String(c.first));
  }
  const facts: TicketFacts[] = rows.map((r) => ({ ...r, firstCalledAt: firstCall.get(r.id) ?? r.called_at }));
  // A service's letter is its own (the branch's directory), not the number of its first ticket: a ticket
  // transferred from A to D keeps its number A001. Without a directory: the number of a ticket issued in it.
  const letters = new Map((await cdb.db.selectFrom('branch_services').select(['service_id', 'prefix']).where('branch_id', '=', branchId).execute()).map((s) => [s.service_id, s.prefix]));
  const transferred = new Set<string>();
  for (const part of chunks(rows.map((r) => r.id), 500)) {
    const moved = await cdb.db.selectFrom('ticket_events').select('ticket_id').distinct()
      .where('branch_id', '=', branchId).where('ticket_id', 'in', part).where('type', '=', 'transferred').execute();
    for (const m of moved) transferred.add(m.ticket_id);
  }
  const prefixOf = (serviceId: string, list: TicketFacts[]) => {
    const own = letters.get(serviceId);
    if (own) return own;
    const issuedHere = list.find((t) => !transferred.has(t.id)) ?? list[0];
    return (issuedHere?.number ?? '').replace(/\d+$/, '');
  };
  return {
    branchId, day, timeZone: zone, from, to,
    totals: figures(facts),
    byService: [...groupBy(facts, (t) => t.service_id)].map(([serviceId, list]) => ({ serviceId, prefix: prefixOf(serviceId, list), ...figures(list) }))
      .sort((a, b) => a.prefix.localeCompare(b.prefix) || a.serviceId.localeCompare(b.serviceId)),
    byAgent: [...groupBy(facts, (t) => t.agent_id)].map(([agentId, list]) => ({ agentId, ...figures(list) }))
      .sort((a, b) => a.agentId.localeCompare(b.agentId)),
  };
}
