import type { Router } from 'express';
import { z } from 'zod';
import { ServiceCreateBody, ServiceUpdateBody, ServiceView } from '../../shared/contracts/api.js';
import { ServiceStatus } from '../../shared/contracts/domain.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';

export function registerServiceRoutes(router: Router, api: BranchApi, s: Pick<BranchParts, 'catalog'>): void {
  api.add(router, { method: 'get', path: '/api/services', tag: 'services', access: 'public', summary: 'Services with their names in fr/wo/en, status and hours today', response: ServiceView.array() },
    () => s.catalog.list());
  api.add(router, { method: 'post', path: '/api/services/:id/status', tag: 'services', access: 'supervisor', summary: 'Open, pause or close a service line', body: z.strictObject({ status: ServiceStatus }), response: ServiceView },
    ({ params, body }) => s.catalog.setStatus(params.id as string, body.status));

  api.add(router, { method: 'get', path: '/api/admin/services', tag: 'admin', access: 'admin', summary: 'List services', response: ServiceView.array() }, () => s.catalog.list());
  api.add(router, { method: 'post', path: '/api/admin/services', tag: 'admin', access: 'admin', status: 201, summary: 'Create a service', body: ServiceCreateBody, response: ServiceView },
    ({ body }) => s.catalog.create(body));
  api.add(router, { method: 'patch', path: '/api/admin/services/:id', tag: 'admin', access: 'admin', summary: 'Change a service', body: ServiceUpdateBody, response: ServiceView },
    ({ params, body }) => s.catalog.update(params.id as string, body));
  api.add(router, { method: 'delete', path: '/api/admin/services/:id', tag: 'admin', access: 'admin', summary: 'Remove a service with an empty line' },
    ({ params }) => { s.catalog.remove(params.id as string); return undefined; });
}
