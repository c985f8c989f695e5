// The branch's directory for head office (shared/contracts/branch-directory.ts): its services, removed ones
// included (past tickets name them), and its staff's display names, put in the outbox when they differ from the
// last ones sent, so that central's console names services and agents (and the visitor site says when a line is
// open: each service's hours). Also the printers' state changes.
import { DIRECTORY_AGGREGATE, DIRECTORY_PUBLISHED, PRINTER_AGGREGATE, PRINTER_STATUS, type BranchDirectoryV1, type PrinterStatusV1 } from '../../shared/contracts/branch-directory.js';
import { newId } from '../../shared/ids.js';
import type { BranchContext } from '../core/context.js';
import { getSetting, loadBranchView, setSetting } from '../settings/branch.repository.js';
import { serviceHours } from '../services/service.repository.js';

const PUBLISHED_KEY = 'directory_published';

export class BranchDirectory {
  constructor(private readonly ctx: BranchContext) {
    const publish = () => {
      try {
        this.publishIfChanged();
      } catch (err) {
        ctx.logger.error({ err }, 'could not queue the branch directory for central');
      }
    };
    ctx.events.on('catalog.changed', publish);
    ctx.events.on('staff.changed', publish);
    // Once at start: a branch that existed before head office read directories sends its own.
    publish();
  }

  directory(): BranchDirectoryV1 {
    const db = this.ctx.store.db;
    const services = this.ctx.store.all(db.selectFrom('services').select(['id', 'prefix', 'name_fr', 'name_wo', 'name_en', 'target_wait_minutes', 'notify_at_position', 'opening_hours', 'deleted_at']).orderBy('id'));
    const branchHours = loadBranchView(this.ctx.store, this.ctx.branchId).openingHours;
    const staff = this.ctx.store.all(db.selectFrom('users').select(['id', 'display_name', 'role']).orderBy('id'));
    return {
      services: services.map((s) => ({ id: s.id, prefix: s.prefix, name: { fr: s.name_fr, wo: s.name_wo, en: s.name_en }, targetWaitMinutes: s.target_wait_minutes, removed: s.deleted_at !== null, notifyAtPosition: s.notify_at_position,
        openingHours: serviceHours(s, branchHours) })),
      staff: staff.map((u) => ({ id: u.id, displayName: u.display_name, role: u.role })),
    };
  }

  /** Queue the directory when it differs from the last one queued; true when it did. */
  publishIfChanged(): boolean {
    return this.ctx.uow.run((tx) => {
      const directory = this.directory();
      const text = JSON.stringify(directory);
      if (getSetting(tx, PUBLISHED_KEY) === text) return false;
      tx.record(null, { eventId: newId(), aggregateType: DIRECTORY_AGGREGATE, aggregateId: this.ctx.branchId, eventType: DIRECTORY_PUBLISHED, occurredAt: this.ctx.clock.now().toISOString(), payload: directory });
      setSetting(tx, PUBLISHED_KEY, text);
      return true;
    });
  }

  /** A printer's state changed (out of paper, failing, back, paper nearly out): head office shows it on Now. */
  printerChanged(status: Omit<PrinterStatusV1, 'at'>): void {
    const at = this.ctx.clock.now().toISOString();
    this.ctx.uow.run((tx) => tx.record(null, { eventId: newId(), aggregateType: PRINTER_AGGREGATE, aggregateId: status.printer.slice(0, 64), eventType: PRINTER_STATUS, occurredAt: at, payload: { ...status, at } }));
  }
}
