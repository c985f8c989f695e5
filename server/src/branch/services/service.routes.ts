import type { Router } from 'express';
import { z } from 'zod';
import { ServiceCreateBody, ServiceUpdateBody, ServiceView } from '../../shared/contracts/api.js';
import { ServiceStatus } from '../../shared/contracts/domain.js';
import { ServiceOrderBody, ServiceStatusPreview } from '../../shared/contracts/admin.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';

export function registerServiceRoutes(router: Router, api: BranchApi, s: Pick<BranchParts, 'catalog' | 'audit'>): void {
  const audit = s.audit;
  api.add(router, { method: 'get', path: '/api/services', tag: 'services', access: 'public', summary: 'Services with their names in fr/wo/en, status and hours today', response: ServiceView.array() },
    () => s.catalog.list());
  api.add(router, { method: 'post', path: '/api/services/:id/status', tag: 'services', access: 'supervisor', summary: 'Open, pause or close a service line', body: z.strictObject({ status: ServiceStatus }), response: ServiceView },
    ({ params, body, actor }) => audit.change(actor, { kind: 'service', action: 'status', entityId: params.id as string }, {
      before: () => ({ status: s.catalog.get(params.id as string).status }),
      apply: () => s.catalog.setStatus(params.id as string, body.status),
      after: (v) => ({ status: v.status }),
    }));
  api.add(router, {
    method: 'post', path: '/api/services/:id/status/preview', tag: 'services', access: 'supervisor', body: z.strictObject({ status: ServiceStatus }), response: ServiceStatusPreview,
    summary: 'What pausing or closing a service line would do to the visitors waiting in it, before it is done',
    description: 'Nothing is changed. A paused or closed line issues no new ticket; the tickets already waiting stay in it and are still called.',
  }, ({ params, body }) => s.catalog.statusPreview(params.id as string, body.status));

  api.add(router, { method: 'get', path: '/api/admin/services', tag: 'admin', access: 'admin', summary: 'List services', response: ServiceView.array() }, () => s.catalog.list());
  api.add(router, { method: 'post', path: '/api/admin/services', tag: 'admin', access: 'admin', status: 201, summary: 'Create a service', body: ServiceCreateBody, response: ServiceView },
    ({ body, actor }) => audit.change(actor, (v) => ({ kind: 'service', action: 'create', entityId: v.id }), { apply: () => s.catalog.create(body) }));
  api.add(router, {
    method: 'put', path: '/api/admin/services/order', tag: 'admin', access: 'admin', body: ServiceOrderBody, response: ServiceView.array(),
    summary: 'Set the order the kiosk shows the services in', description: 'serviceIds names every live service once, first shown first.',
  }, ({ body, actor }) => audit.change(actor, { kind: 'service', action: 'reorder' }, {
    before: () => s.catalog.list().map((v) => v.prefix),
    apply: () => s.catalog.reorder(body.serviceIds),
    after: (list) => list.map((v) => v.prefix),
  }));
  api.add(router, { method: 'patch', path: '/api/admin/services/:id', tag: 'admin', access: 'admin', summary: 'Change a service', body: ServiceUpdateBody, response: ServiceView },
    ({ params, body, actor }) => audit.change(actor, { kind: 'service', action: 'update', entityId: params.id as string }, {
      before: () => s.catalog.get(params.id as string),
      apply: () => s.catalog.update(params.id as string, body),
      patch: body,
    }));
  api.add(router, { method: 'delete', path: '/api/admin/services/:id', tag: 'admin', access: 'admin', summary: 'Remove a service with an empty line' },
    ({ params, actor }) => {
      audit.change(actor, { kind: 'service', action: 'delete', entityId: params.id as string }, {
        before: () => s.catalog.get(params.id as string), apply: () => s.catalog.remove(params.id as string), after: () => null,
      });
      return undefined;
    });
}
