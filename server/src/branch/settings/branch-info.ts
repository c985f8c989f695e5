import type { BranchView } from '../../shared/contracts/api.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import type { BranchStore } from '../db/store.js';
import { loadBranchView } from './branch.repository.js';

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
}
