// The branch's services (what a visitor comes for) and the status of their lines.
import type { z } from 'zod';
import type { ServiceCreateBody, ServiceUpdateBody, ServiceView } from '../../shared/contracts/api.js';
import type { ServiceStatus } from '../../shared/contracts/domain.js';
import type { ServiceStatusPreview } from '../../shared/contracts/admin.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { nowIso, type BranchContext } from '../core/context.js';
import type { BranchInfo } from '../settings/branch-info.js';
import { findService, insertService, listServices, nextSortOrder, setSortOrders, softDeleteService, toServiceView, updateService } from './service.repository.js';
import { countLine, hasActiveTickets } from '../tickets/ticket.repository.js';
import { assertLocalServiceChange, assertLocalServiceRemoval } from './central-config.js';

export class ServiceCatalog {
  constructor(private readonly ctx: BranchContext, private readonly branch: BranchInfo) {}

  list(): ServiceView[] {
    const now = this.ctx.clock.now();
    const closed = this.branch.closureAt(now) !== null;
    return listServices(this.ctx.store).map((s) => toServiceView(s, this.branch.openingHours(), now, this.ctx.timeZone, closed));
  }

  get(id: string): ServiceView {
    const row = findService(this.ctx.store, id);
    if (!row) throw new DomainError('NOT_FOUND', `service ${id} does not exist`);
    const now = this.ctx.clock.now();
    return toServiceView(row, this.branch.openingHours(), now, this.ctx.timeZone, this.branch.closureAt(now) !== null);
  }

  /**
   * A closure day begins or ends with the clock, not with an event: the sweeper asks every 30 s, and screens get
   * the services (closed, or open again) and the closure's reason as soon as the day turns.
   */
  private closureShown: string | undefined;
  noticeClosureDay(): void {
    const closure = JSON.stringify(this.branch.closureAt(this.ctx.clock.now()));
    if (this.closureShown !== undefined && closure !== this.closureShown) this.ctx.events.emit('catalog.changed');
    this.closureShown = closure;
  }

  create(input: z.output<typeof ServiceCreateBody>): ServiceView {
    const id = newId();
    const at = nowIso(this.ctx);
    this.ctx.uow.run((tx) => {
      this.assertPrefixFree(input.prefix, null);
      insertService(tx, {
        id, branch_id: this.ctx.branchId, prefix: input.prefix, name_fr: input.name.fr, name_wo: input.name.wo, name_en: input.name.en,
        icon: input.icon, target_wait_minutes: input.targetWaitMinutes, default_service_minutes: input.defaultServiceMinutes,
        express: input.express ? 1 : 0, status: input.status, opening_hours: input.openingHours ? JSON.stringify(input.openingHours) : null,
        sort_order: input.sortOrder ?? nextSortOrder(tx), created_at: at, updated_at: at, deleted_at: null, fee_xof: input.feeXof ?? null,
        central_key: null, managed_fields: null, notify_at_position: input.notifyAtPosition ?? null,
      });
      tx.afterCommit(() => this.ctx.events.emit('catalog.changed'));
    });
    return this.get(id);
  }

  update(id: string, input: z.output<typeof ServiceUpdateBody>): ServiceView {
    this.ctx.uow.run((tx) => {
      const row = findService(tx, id);
      if (!row) throw new DomainError('NOT_FOUND', `service ${id} does not exist`);
      assertLocalServiceChange(row, input);
      if (input.prefix) this.assertPrefixFree(input.prefix, id);
      updateService(tx, id, {
        ...(input.prefix !== undefined && { prefix: input.prefix }),
        ...(input.name !== undefined && { name_fr: input.name.fr, name_wo: input.name.wo, name_en: input.name.en }),
        ...(input.icon !== undefined && { icon: input.icon }),
        ...(input.targetWaitMinutes !== undefined && { target_wait_minutes: input.targetWaitMinutes }),
        ...(input.defaultServiceMinutes !== undefined && { default_service_minutes: input.defaultServiceMinutes }),
        ...(input.express !== undefined && { express: input.express ? 1 : 0 }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.openingHours !== undefined && { opening_hours: input.openingHours ? JSON.stringify(input.openingHours) : null }),
        ...(input.sortOrder !== undefined && { sort_order: input.sortOrder }),
        ...(input.feeXof !== undefined && { fee_xof: input.feeXof }),
        ...(input.notifyAtPosition !== undefined && { notify_at_position: input.notifyAtPosition }),
        updated_at: nowIso(this.ctx),
      });
      tx.afterCommit(() => this.ctx.events.emit('catalog.changed'));
    });
    return this.get(id);
  }

  setStatus(id: string, status: ServiceStatus): ServiceView {
    return this.update(id, { status });
  }

  /** The kiosk's order: `ids` names every live service once, first shown first. */
  reorder(ids: readonly string[]): ServiceView[] {
    this.ctx.uow.run((tx) => {
      const live = listServices(tx).map((r) => r.id);
      const unique = new Set(ids);
      if (unique.size !== ids.length || unique.size !== live.length || live.some((id) => !unique.has(id))) {
        throw new DomainError('VALIDATION_ERROR', `serviceIds must name each of the ${live.length} services once`, [{ path: ['serviceIds'], code: 'custom', message: 'each service once' }]);
      }
      setSortOrders(tx, ids, nowIso(this.ctx));
      tx.afterCommit(() => this.ctx.events.emit('catalog.changed'));
    });
    return this.list();
  }

  /** What setting a line to `status` would do to the visitors in it now; nothing changes. */
  statusPreview(id: string, status: ServiceStatus): ServiceStatusPreview {
    this.get(id);
    const line = countLine(this.ctx.store, id);
    return { waitingTickets: line.waiting, calledTickets: line.called, outcome: status === 'active' || line.waiting === 0 ? 'none' : 'still_called' };
  }

  /** Soft delete: past tickets keep their service; its letter becomes free again. */
  remove(id: string): void {
    this.ctx.uow.run((tx) => {
      const row = findService(tx, id);
      if (!row) throw new DomainError('NOT_FOUND', `service ${id} does not exist`);
      assertLocalServiceRemoval(row);
      if (hasActiveTickets(tx, id)) throw new DomainError('CONFLICT', 'this service still has tickets in its line: close it and serve them first');
      softDeleteService(tx, id, nowIso(this.ctx));
      tx.afterCommit(() => this.ctx.events.emit('catalog.changed'));
    });
  }

  private assertPrefixFree(prefix: string, exceptId: string | null): void {
    const taken = listServices(this.ctx.store).find((s) => s.prefix === prefix && s.id !== exceptId);
    if (taken) throw new DomainError('CONFLICT', `letter ${prefix} is already used by ${taken.name_fr}`);
  }
}
