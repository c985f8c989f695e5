// Plain functions over the admin_audit table (migration 0006_admin_audit).
import type { Selectable } from 'kysely';
import type { AdminAuditTable } from '../db/schema.js';
import type { BranchStore } from '../db/store.js';

export type AuditRow = Selectable<AdminAuditTable>;

export function auditInsert(store: BranchStore, row: AuditRow) {
  return store.db.insertInto('admin_audit').values(row);
}

/** Newest first; `kind` narrows to one kind of change. */
export function listAudit(store: BranchStore, q: { kind?: string | undefined; limit: number }): AuditRow[] {
  let query = store.db.selectFrom('admin_audit').selectAll();
  if (q.kind) query = query.where('kind', '=', q.kind);
  return store.all(query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit));
}
