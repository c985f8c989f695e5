import type { Router } from 'express';
import { z } from 'zod';
import { CounterCreateBody, CounterStateBody, CounterUpdateBody, CounterView, Id } from '../../shared/contracts/api.js';
import type { Actor } from '../core/actor.js';
import type { BranchApi } from '../http/access.js';
import type { CounterService } from './counter.service.js';
import type { AdminAudit } from '../audit/audit.service.js';

export function registerCounterRoutes(router: Router, api: BranchApi, counters: CounterService, audit: AdminAudit): void {
  api.add(router, { method: 'get', path: '/api/counters', tag: 'counters', access: 'public', summary: 'Counters with their status, agent and services', response: CounterView.array() },
    () => counters.list());

  api.add(router, { method: 'post', path: '/api/counters/:id/status', tag: 'counter', access: 'staff', summary: 'Open (take), pause, resume or close a counter', body: CounterStateBody, response: CounterView },
    ({ params, body, actor }) => counters.setStatus(params.id as string, body.status, actor as Actor));

  api.add(router, { method: 'put', path: '/api/counters/:id/services', tag: 'counters', access: 'supervisor', summary: 'Which services a counter serves, in order of preference', body: z.strictObject({ serviceIds: z.array(Id).max(50) }), response: CounterView },
    ({ params, body, actor }) => audit.change(actor, { kind: 'counter', action: 'services', entityId: params.id as string }, {
      before: () => counters.get(params.id as string), apply: () => counters.setServices(params.id as string, body.serviceIds), patch: body,
    }));

  // --- admin CRUD ---
  api.add(router, { method: 'get', path: '/api/admin/counters', tag: 'admin', access: 'admin', summary: 'List counters', response: CounterView.array() }, () => counters.list());
  api.add(router, { method: 'post', path: '/api/admin/counters', tag: 'admin', access: 'admin', status: 201, summary: 'Create a counter', body: CounterCreateBody, response: CounterView, errors: [404] },
    ({ body, actor }) => audit.change(actor, (v) => ({ kind: 'counter', action: 'create', entityId: v.id }), { apply: () => counters.create(body) }));
  api.add(router, { method: 'patch', path: '/api/admin/counters/:id', tag: 'admin', access: 'admin', summary: 'Rename, renumber or re-assign services of a counter', body: CounterUpdateBody, response: CounterView },
    ({ params, body, actor }) => audit.change(actor, { kind: 'counter', action: 'update', entityId: params.id as string }, {
      before: () => counters.get(params.id as string), apply: () => counters.update(params.id as string, body), patch: body,
    }));
  api.add(router, { method: 'delete', path: '/api/admin/counters/:id', tag: 'admin', access: 'admin', summary: 'Remove a closed counter' },
    ({ params, actor }) => {
      audit.change(actor, { kind: 'counter', action: 'delete', entityId: params.id as string }, {
        before: () => counters.get(params.id as string), apply: () => counters.remove(params.id as string), after: () => null,
      });
      return undefined;
    });
}
