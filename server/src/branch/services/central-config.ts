// Configuration pushed by head office (shared/contracts/org-config.ts): the branch applies a revision of its
// organization's service catalog and call-board message in one transaction with its history row and tells central
// the outcome (`config.applied` in the outbox). A service head office manages keeps its catalog key and the list of
// managed fields; the branch's admin routes refuse a local change of those (409 MANAGED_BY_CENTRAL). Line status,
// hours, icon, order and counters stay local.
import type { z } from 'zod';
import type { ServiceUpdateBody } from '../../shared/contracts/api.js';
import type { AppointmentSettings } from '../../shared/contracts/appointments.js';
import type { FeedChange } from '../../shared/contracts/sync.js';
import {
  CONFIG_AGGREGATE, CONFIG_APPLIED, MANAGED_APPOINTMENT_FIELDS, MANAGED_SERVICE_FIELDS, OrgConfigPayloadV1,
  type CatalogService, type ConfigAppliedV1, type ManagedField,
} from '../../shared/contracts/org-config.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { DEFAULT_APPOINTMENT_HOURS } from '../../shared/domain/slots.js';
import type { BranchContext } from '../core/context.js';
import type { Tx } from '../db/unit-of-work.js';
import { appointmentDb, findSettings, saveSettings, toSettings } from '../appointments/appointment.repository.js';
import { assertWithin } from '../appointments/appointment.service.js';
import { writeDisplayMessage } from '../supervision/display-message.js';
import type { BranchInfo } from '../settings/branch-info.js';
import { listServices, serviceHours, type ServiceRow } from './service.repository.js';

/** The fields head office manages on a service (none for a local one). */
export function managedFields(row: Pick<ServiceRow, 'managed_fields'>): ManagedField[] {
  return row.managed_fields ? (JSON.parse(row.managed_fields) as ManagedField[]) : [];
}

function refuse(row: ServiceRow, fields: string[]): never {
  throw new DomainError('MANAGED_BY_CENTRAL', `head office manages ${fields.join(', ')} of service ${row.prefix} (${row.name_fr}): change it in the head-office console, it reaches this branch through the sync`, { fields });
}

/** A PATCH of a managed service may name managed fields only with the value they have. */
export function assertLocalServiceChange(row: ServiceRow, input: z.output<typeof ServiceUpdateBody>): void {
  const managed = managedFields(row);
  if (!managed.length) return;
  const changed: string[] = [];
  if (input.prefix !== undefined && input.prefix !== row.prefix) changed.push('prefix');
  if (input.name !== undefined && (input.name.fr !== row.name_fr || input.name.wo !== row.name_wo || input.name.en !== row.name_en)) changed.push('name');
  if (input.targetWaitMinutes !== undefined && input.targetWaitMinutes !== row.target_wait_minutes) changed.push('targetWaitMinutes');
  if (input.defaultServiceMinutes !== undefined && input.defaultServiceMinutes !== row.default_service_minutes) changed.push('defaultServiceMinutes');
  if (input.feeXof !== undefined && (input.feeXof ?? null) !== row.fee_xof) changed.push('feeXof');
  const refused = changed.filter((f) => (managed as string[]).includes(f));
  if (refused.length) refuse(row, refused);
}

/** Only head office removes a service it manages (by taking it out of the catalog, which hands it back to the branch). */
export function assertLocalServiceRemoval(row: ServiceRow): void {
  if (managedFields(row).length) refuse(row, ['the service itself']);
}

/** New appointment settings for a service whose settings head office manages: only the slot hours may change. */
export function assertLocalAppointmentChange(row: ServiceRow, current: AppointmentSettings, next: AppointmentSettings): void {
  if (!managedFields(row).includes('appointments')) return;
  const changed = MANAGED_APPOINTMENT_FIELDS.filter((f) => current[f] !== next[f]);
  if (changed.length) refuse(row, changed.map((f) => `appointments.${f}`));
}

interface Plan { entry: CatalogService; row: ServiceRow | null }

/** Which branch service each catalog entry becomes: the one holding its key, else the local one with its letter, else a new one. */
function plan(services: ServiceRow[], catalog: CatalogService[]): Plan[] {
  const plans = catalog.map((entry) => ({
    entry,
    row: services.find((s) => s.central_key === entry.key) ?? services.find((s) => s.central_key === null && s.prefix === entry.prefix) ?? null,
  }));
  // The letter is unique among live services once the revision is applied: the catalog's letters (distinct, the
  // contract checks it) and the letters of the services it does not list, which keep theirs. A letter may pass from
  // one catalog service to another in the same revision: only where they will stand counts.
  const inCatalog = new Set(plans.flatMap((p) => (p.row ? [p.row.id] : [])));
  for (const p of plans) {
    const holder = services.find((s) => s.prefix === p.entry.prefix && !inCatalog.has(s.id));
    if (!holder) continue;
    throw new DomainError('CONFLICT', `letter ${p.entry.prefix} (${p.entry.name.fr}) is held by the branch's own service ${holder.name_fr}: give that one another letter at the branch, or ${p.entry.name.fr} another letter in the catalog`);
  }
  return plans;
}

/** A letter no live service can hold (letters are A-Z), unique per service: where a service waits while letters move. */
const movingLetter = (serviceId: string) => `~${serviceId}`;

export class CentralConfig {
  constructor(private readonly ctx: BranchContext, private readonly branch: BranchInfo) {}

  /** Apply a revision inside the caller's unit of work; a refused one changes nothing but its history row and answer. */
  apply(store: Tx, payload: OrgConfigPayloadV1): () => void {
    const at = this.ctx.clock.now().toISOString();
    let answer: ConfigAppliedV1;
    try {
      answer = this.ctx.uow.run((tx) => this.write(tx, payload, at));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      answer = { organizationId: payload.organizationId, revision: payload.revision, outcome: 'refused', reason: err.message, at, services: [] };
    }
    store.record(store.db.insertInto('config_history').values({
      id: newId(), organization_id: payload.organizationId, revision: payload.revision, outcome: answer.outcome, reason: answer.reason,
      detail: JSON.stringify(payload), at,
    }), { eventId: newId(), aggregateType: CONFIG_AGGREGATE, aggregateId: this.ctx.branchId, eventType: CONFIG_APPLIED, occurredAt: at, payload: answer });
    if (answer.outcome === 'refused') {
      this.ctx.logger.warn({ revision: payload.revision, reason: answer.reason }, 'configuration from head office refused');
      return () => undefined;
    }
    return () => {
      this.ctx.events.emit('catalog.changed');
      if (payload.displayMessage !== null) this.ctx.events.emit('message.changed', { text: payload.displayMessage.trim() || null });
    };
  }

  /** Head office no longer manages anything here (its configuration was withdrawn, or a snapshot is about to replace it). */
  release(store: Tx): void {
    store.run(store.db.updateTable('services').set({ central_key: null, managed_fields: null }).where('central_key', 'is not', null));
  }

  private write(tx: Tx, payload: OrgConfigPayloadV1, at: string): ConfigAppliedV1 {
    const services = listServices(tx);
    const plans = plan(services, payload.services);
    const adb = appointmentDb(tx);
    // Services head office no longer lists are handed back to the branch, as they are.
    const kept = new Set(plans.flatMap((p) => (p.row ? [p.row.id] : [])));
    for (const s of services) {
      if (s.central_key !== null && !kept.has(s.id)) tx.run(tx.db.updateTable('services').set({ central_key: null, managed_fields: null, updated_at: at }).where('id', '=', s.id));
    }
    // Letters that move between services (A to B and B to A in one revision): each moving service first leaves its
    // letter for a placeholder, then every one takes its new letter; the unique index never sees two holders.
    for (const { entry, row } of plans) {
      if (row && row.prefix !== entry.prefix) tx.run(tx.db.updateTable('services').set({ prefix: movingLetter(row.id) }).where('id', '=', row.id));
    }
    const maxOrder = services.reduce((m, s) => Math.max(m, s.sort_order), 0);
    const result: ConfigAppliedV1['services'] = [];
    plans.forEach(({ entry, row }, i) => {
      const fields: ManagedField[] = [...MANAGED_SERVICE_FIELDS, ...(entry.appointments ? ['appointments' as const] : [])];
      const values = {
        prefix: entry.prefix, name_fr: entry.name.fr, name_wo: entry.name.wo, name_en: entry.name.en,
        target_wait_minutes: entry.targetWaitMinutes, default_service_minutes: entry.defaultServiceMinutes, fee_xof: entry.feeXof,
        central_key: entry.key, managed_fields: JSON.stringify(fields), updated_at: at,
      };
      let id: string;
      let hoursRow: ServiceRow;
      if (row) {
        id = row.id;
        tx.run(tx.db.updateTable('services').set(values).where('id', '=', id));
        hoursRow = { ...row, ...values };
      } else {
        id = newId();
        hoursRow = {
          id, branch_id: this.ctx.branchId, icon: 'ticket', express: 0, status: 'active', opening_hours: null, sort_order: maxOrder + 1 + i,
          created_at: at, deleted_at: null, notify_at_position: null, ...values,
        };
        tx.run(tx.db.insertInto('services').values(hoursRow));
      }
      if (entry.appointments) {
        const current = toSettings(findSettings(tx, adb, id));
        const settings: AppointmentSettings = { ...entry.appointments, openingHours: current.openingHours };
        if (settings.enabled) assertWithin(settings.openingHours ?? DEFAULT_APPOINTMENT_HOURS, serviceHours(hoursRow, this.branch.openingHours()), entry.prefix);
        saveSettings(tx, adb, id, settings, at);
      }
      result.push({ key: entry.key, serviceId: id });
    });
    if (payload.displayMessage !== null) writeDisplayMessage(tx, payload.displayMessage);
    return { organizationId: payload.organizationId, revision: payload.revision, outcome: 'applied', reason: null, at, services: result };
  }

  /** The feed handler of ORG_CONFIG_ENTITY (sync/feed-apply.ts). */
  feedHandler(): { apply(store: Tx, change: FeedChange): (() => void) | null; clear(store: Tx): void } {
    return {
      apply: (store, change) => {
        if (change.op === 'delete') {
          this.release(store);
          return () => this.ctx.events.emit('catalog.changed');
        }
        return this.apply(store, OrgConfigPayloadV1.parse(change.payload));
      },
      clear: (store) => this.release(store),
    };
  }
}
