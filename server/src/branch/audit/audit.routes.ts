import type { Router } from 'express';
import { AuditEntryView, AuditQuery } from '../../shared/contracts/admin.js';
import type { BranchApi } from '../http/access.js';
import type { AdminAudit } from './audit.service.js';

export function registerAuditRoutes(router: Router, api: BranchApi, audit: AdminAudit): void {
  api.add(router, {
    method: 'get', path: '/api/admin/audit', tag: 'admin', access: 'admin', query: AuditQuery, response: AuditEntryView.array(),
    summary: 'The admin changes, newest first (who, when, what, before → after)',
    description: 'kind filters on one kind of change (branch, service, counter, user, device, closure, appointments, display); limit (default 200, at most 500).',
  }, ({ query }) => audit.list(query));
}
