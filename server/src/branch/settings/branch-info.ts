import type { BranchClosure, BranchView } from '../../shared/contracts/api.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import type { BranchStore } from '../db/store.js';
import type { z } from 'zod';
import type { BranchUpdateBody } from '../../shared/contracts/api.js';
import type { UnitOfWork } from '../db/unit-of-work.js';
import { getSetting, loadBranchView, setSetting, updateBranch } from './branch.repository.js';
import { lastTicketSeq } from '../tickets/ticket.repository.js';
import { serviceDay } from '../../shared/domain/numbering.js';
import { endOfBranchDay, type HoursChange } from '../../shared/domain/opening-hours.js';
import { appointmentDb, closureOn } from '../appointments/appointment.repository.js';

/** Setting: the last change of the opening hours or time zone (JSON HoursChange). */
const HOURS_CHANGED_ON = 'opening_hours_changed_on';

/** The local branch's description, read once and refreshed when an admin changes it. */
export class BranchInfo {
  private cached: BranchView | null = null;
  constructor(private readonly store: BranchStore, readonly branchId: string) {}
  view(): BranchView {
    this.cached ??= loadBranchView(this.store, this.branchId);
    return this.cached;
  }
  openingHours(): OpeningHours {
    return this.view().openingHours;
  }
  /** The closure an admin set on the branch day of `at`, if any: that day the branch issues no ticket. */
  closureAt(at: Date): BranchClosure | null {
    const date = serviceDay(at, this.view().timeZone);
    const reason = closureOn(this.store, appointmentDb(this.store), date);
    return reason ? { date, reason } : null;
  }
  /** The last change of the hours (or the time zone): its day lasts at least as it would have before (opening-hours.ts). */
  lastHoursChange(): HoursChange | null {
    const raw = getSetting(this.store, HOURS_CHANGED_ON);
    if (!raw) return null;
    try { return JSON.parse(raw) as HoursChange; } catch { return null; }
  }
  invalidate(): void {
    this.cached = null;
  }
  /** An admin's change (only what the body names); `changed` runs once it has committed. */
  update(uow: UnitOfWork, body: z.output<typeof BranchUpdateBody>, changed: (view: BranchView) => void, at: Date = new Date()): BranchView {
    uow.run((tx) => {
      const before = this.view();
      updateBranch(tx, before, body);
      const hoursChange = (body.openingHours !== undefined && JSON.stringify(body.openingHours) !== JSON.stringify(before.openingHours))
        || (body.timeZone !== undefined && body.timeZone !== before.timeZone);
      if (hoursChange) {
        const previous = this.lastHoursChange();
        const day = serviceDay(at, before.timeZone);
        // Two changes the same day: the day still lasts as long as with the hours of the morning.
        let until = endOfBranchDay(before.openingHours, at, before.timeZone).getTime();
        if (previous?.day === day) until = Math.max(until, Date.parse(previous.until));
        setSetting(tx, HOURS_CHANGED_ON, JSON.stringify({ day, until: new Date(until).toISOString(), lastTicketSeq: lastTicketSeq(tx) } satisfies HoursChange));
      }
      tx.afterCommit(() => {
        this.invalidate();
        changed(this.view());
      });
    });
    return this.view();
  }
}
