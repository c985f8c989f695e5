// Today's work at a counter and of an agent: served count, no-shows and average service time, counted on tickets
// that finished within the branch's day (its own time zone), so the numbers restart at local midnight.
import { DateTime } from 'luxon';
import type { WorkStats } from '../../shared/contracts/api.js';
import type { BranchStore } from '../db/store.js';

export interface BranchDayRange { day: string; previousDay: string; fromIso: string; toIso: string }

/** The branch day containing `at`, as a [from, to) range of UTC ISO strings comparable with the stored timestamps. */
export function branchDayRange(at: Date, timeZone: string): BranchDayRange {
  const start = DateTime.fromJSDate(at, { zone: timeZone }).startOf('day');
  const day = start.toISODate();
  if (!day) throw new Error(`invalid time zone ${timeZone}`);
  const previousDay = start.minus({ days: 1 }).toISODate() as string;
  return { day, previousDay, fromIso: start.toUTC().toISO() as string, toIso: start.plus({ days: 1 }).toUTC().toISO() as string };
}

/** Served and no-show tickets finished in the range, filtered by counter or by agent. */
export function workStats(store: BranchStore, range: BranchDayRange, who: { counterId: string } | { agentId: string }): WorkStats {
  let query = store.db.selectFrom('tickets').select(['status', 'started_at', 'finished_at'])
    .where('status', 'in', ['served', 'no_show'])
    // Tickets end on their issue day (expired at closing), so the day bounds the scan (tickets_number_per_day leads with it).
    .where('service_day', '>=', range.previousDay)
    .where('finished_at', '>=', range.fromIso)
    .where('finished_at', '<', range.toIso);
  query = 'counterId' in who ? query.where('counter_id', '=', who.counterId) : query.where('agent_id', '=', who.agentId);
  const rows = store.all(query);
  const minutes = rows
    .filter((r) => r.status === 'served' && r.started_at && r.finished_at)
    .map((r) => (Date.parse(r.finished_at as string) - Date.parse(r.started_at as string)) / 60_000);
  return {
    served: rows.filter((r) => r.status === 'served').length,
    noShows: rows.filter((r) => r.status === 'no_show').length,
    averageServiceMinutes: minutes.length ? Math.round((minutes.reduce((a, b) => a + b, 0) / minutes.length) * 10) / 10 : null,
  };
}
