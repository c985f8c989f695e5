// The admin audit log: every change an admin (or a supervisor, for what a manager may do) makes to the branch's
// set-up is recorded with who, when, what and the values before → after, in the same transaction as the change, and
// replicated to central like the other records (outbox, `admin.changed`). Passwords and pairing codes never go in.
import type { AuditEntryView, AuditKind } from '../../shared/contracts/admin.js';
import { ADMIN_CHANGED } from '../../shared/contracts/replicated.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../core/actor.js';
import type { BranchContext } from '../core/context.js';
import { auditInsert, listAudit, type AuditRow } from './audit.repository.js';

export interface AuditSubject {
  kind: AuditKind;
  action: string;
  entityId?: string | null;
}

/** The fields a PATCH names, as they were and as they become: what an update entry keeps. */
export function changedFields(before: object, patch: object): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const was = before as Record<string, unknown>;
  const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
  return {
    before: Object.fromEntries(keys.map((k) => [k, was[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, (patch as Record<string, unknown>)[k]])),
  };
}

function actorOf(actor: Actor | null): { id: string | null; name: string } {
  if (!actor) return { id: null, name: 'system' };
  if (actor.kind === 'staff') return { id: actor.userId, name: actor.displayName };
  if (actor.kind === 'device') return { id: actor.deviceId, name: `device ${actor.deviceId}` };
  return { id: null, name: 'system' };
}

function toView(r: AuditRow): AuditEntryView {
  return {
    id: r.id, at: r.at, kind: r.kind as AuditKind, action: r.action, entityId: r.entity_id,
    actor: { id: r.actor_id, name: r.actor_name },
    before: r.before_json === null ? null : JSON.parse(r.before_json) as unknown,
    after: r.after_json === null ? null : JSON.parse(r.after_json) as unknown,
  };
}

export class AdminAudit {
  constructor(private readonly ctx: BranchContext) {}

  /**
   * Run an admin change and write its entry in one transaction: `before` is read first, `apply` makes the change
   * (its own units of work nest as savepoints), `after` describes the result. A change that throws writes nothing.
   */
  change<T>(actor: Actor | null, subject: AuditSubject | ((result: T) => AuditSubject), parts: {
    before?: () => unknown;
    apply: () => T;
    after?: (result: T) => unknown;
    /** An update's body: the entry keeps only the fields it names, before and after. */
    patch?: object;
  }): T {
    return this.ctx.uow.run((tx) => {
      let before = parts.before ? parts.before() : null;
      const result = parts.apply();
      let after = parts.after ? parts.after(result) : result;
      if (parts.patch && before && typeof before === 'object') ({ before, after } = changedFields(before, parts.patch));
      const s = typeof subject === 'function' ? subject(result) : subject;
      const who = actorOf(actor);
      const id = newId();
      const at = this.ctx.clock.now().toISOString();
      const row: AuditRow = {
        id, at, kind: s.kind, action: s.action, entity_id: s.entityId ?? null, actor_id: who.id, actor_name: who.name,
        before_json: before === null || before === undefined ? null : JSON.stringify(before),
        after_json: after === null || after === undefined ? null : JSON.stringify(after),
      };
      tx.record(auditInsert(tx, row), {
        eventId: id, aggregateId: s.entityId ?? s.kind, occurredAt: at, aggregateType: 'admin', eventType: ADMIN_CHANGED,
        payload: {
          id, at, kind: s.kind, action: s.action, entityId: row.entity_id, actorId: who.id, actorName: who.name,
          before: before ?? null, after: after ?? null,
        },
      });
      return result;
    });
  }

  list(q: { kind?: AuditKind | undefined; limit: number }): AuditEntryView[] {
    return listAudit(this.ctx.store, q).map(toView);
  }
}
