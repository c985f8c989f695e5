import type { BranchView } from '../../shared/contracts/api.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import type { BranchStore } from '../db/store.js';
import type { z } from 'zod';
import type { BranchUpdateBody } from '../../shared/contracts/api.js';
import type { UnitOfWork } from '../db/unit-of-work.js';
import { loadBranchView, updateBranch } from './branch.repository.js';

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
  invalidate(): void {
    this.cached = null;
  }
  /** An admin's change (only what the body names); `changed` runs once it has committed. */
  update(uow: UnitOfWork, body: z.output<typeof BranchUpdateBody>, changed: (view: BranchView) => void): BranchView {
    uow.run((tx) => {
      updateBranch(tx, this.view(), body);
      tx.afterCommit(() => {
        this.invalidate();
        changed(this.view());
      });
    });
    return this.view();
  }
}
