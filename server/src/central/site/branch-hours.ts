// "Open now" on the visitor site (issue 18) from what central holds of a branch: its lines' opening hours (the
// branch directory) and the closures its admin declared (exceptional closed days, Administration › Agence). The
// branch owns both; closures come up with its appointment configuration (appointments.configured, booking-ingest.ts,
// kept in appointment_branches.overrides), which a branch sends as soon as it has a closure even with no bookable
// service. A closure covers the whole branch day, as at the branch (branch-info.ts closureAt): no line is open, and the
// next opening is the first one on a day that is not closed.
import { DateTime } from 'luxon';
import type { LocalizedText, OpeningHours } from '../../shared/contracts/domain.js';
import { localized, type HolidayOverride } from '../../shared/domain/holidays.js';
import { serviceDay } from '../../shared/domain/numbering.js';
import { isOpenAt, nextOpening } from '../../shared/domain/opening-hours.js';
import type { CentralDb } from '../db/database.js';
import type { CentralAppointmentTables } from '../booking/booking.migration.js';

export interface BranchHours {
  openNow: boolean;
  nextOpening: string | null;
  /** The closure of today (the branch day in its time zone), with its reason, or null. */
  closure: { date: string; reason: LocalizedText } | null;
}

/** The branch's closures by local date ('YYYY-MM-DD'), as central last heard of them. */
export async function branchClosures(cdb: CentralDb, branchId: string): Promise<Map<string, LocalizedText>> {
  const row = await cdb.db.withTables<CentralAppointmentTables>().selectFrom('appointment_branches').select('overrides')
    .where('branch_id', '=', branchId).executeTakeFirst();
  const out = new Map<string, LocalizedText>();
  for (const o of row ? JSON.parse(row.overrides) as HolidayOverride[] : []) {
    // The first closure of a day gives its reason, as at the branch (closureOn).
    if (o.kind === 'closure' && !out.has(o.date)) out.set(o.date, localized(o.label));
  }
  return out;
}

/** Open now (any line, not on a closed day), else the next opening on a day that is not closed; null without hours or closure. */
export function branchHours(known: readonly OpeningHours[], closures: ReadonlyMap<string, LocalizedText>, now: Date, timeZone: string): BranchHours | null {
  const today = serviceDay(now, timeZone);
  const reason = closures.get(today);
  const closure = reason ? { date: today, reason } : null;
  if (!known.length) return closure ? { openNow: false, nextOpening: null, closure } : null;
  if (!closure && known.some((h) => isOpenAt(h, now, timeZone))) return { openNow: true, nextOpening: null, closure };
  let from = now;
  // A run of closed days is skipped day by day; a few months of them is already more than any branch declares.
  for (let i = 0; i < 120; i++) {
    const next = known.map((h) => nextOpening(h, from, timeZone)).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
    if (!next) return { openNow: false, nextOpening: null, closure };
    if (!closures.has(serviceDay(next, timeZone))) return { openNow: false, nextOpening: next.toISOString(), closure };
    // The end of that closed day (the next day's first moment, less a millisecond so that a midnight opening counts).
    from = DateTime.fromJSDate(next, { zone: timeZone }).plus({ days: 1 }).startOf('day').minus({ milliseconds: 1 }).toJSDate();
  }
  return { openNow: false, nextOpening: null, closure };
}
