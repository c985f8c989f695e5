import type { BranchView } from '../../shared/contracts/api.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import type { BranchStore } from '../db/store.js';
import type { z } from 'zod';
import type { BranchUpdateBody } from '../../shared/contracts/api.js';
import type { UnitOfWork } from '../db/unit-of-work.js';
import { getSetting, loadBranchView, setSetting, updateBranch } from './branch.repository.js';
import { serviceDay } from '../../shared/domain/numbering.js';

/** Setting: the branch day (YYYY-MM-DD) on which the opening hours or the time zone last changed. */
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
  /** The branch day on which the hours (or the time zone) last changed: that day ends at midnight (opening-hours.ts). */
  hoursChangedOn(): string | null {
    return getSetting(this.store, HOURS_CHANGED_ON) ?? null;
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
      if (hoursChange) setSetting(tx, HOURS_CHANGED_ON, serviceDay(at, before.timeZone));
      tx.afterCommit(() => {
        this.invalidate();
        changed(this.view());
      });
    });
    return this.view();
  }
}
