import type { Router } from 'express';
import { z } from 'zod';
import { CounterCreateBody, CounterStateBody, CounterUpdateBody, CounterView, Id } from '../../shared/contracts/api.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { nowIso } from '../core/context.js';
import type { Actor } from '../core/actor.js';
import type { BranchServices } from '../core/services.js';
import type { BranchApi } from '../http/access.js';
import { findCounter, setCounterServices } from './counter.repository.js';

export function registerCounterRoutes(router: Router, api: BranchApi, s: BranchServices): void {
  api.add(router, { method: 'get', path: '/api/counters', tag: 'counters', access: 'public', summary: 'Counters with their status, agent and services', response: CounterView.array() },
    () => s.counters.list());

  api.add(router, { method: 'post', path: '/api/counters/:id/status', tag: 'counter', access: 'staff', summary: 'Open (take), pause, resume or close a counter', body: CounterStateBody, response: CounterView },
    ({ params, body, actor }) => s.counters.setStatus(params.id as string, body.status, actor as Actor));

  api.add(router, { method: 'put', path: '/api/counters/:id/services', tag: 'counters', access: 'supervisor', summary: 'Which services a counter serves, in order of preference', body: z.strictObject({ serviceIds: z.array(Id).max(50) }), response: CounterView },
    ({ params, body }) => s.counters.setServices(params.id as string, body.serviceIds));

  // --- admin CRUD ---
  api.add(router, { method: 'get', path: '/api/admin/counters', tag: 'admin', access: 'admin', summary: 'List counters', response: CounterView.array() }, () => s.counters.list());
  api.add(router, { method: 'post', path: '/api/admin/counters', tag: 'admin', access: 'admin', status: 201, summary: 'Create a counter', body: CounterCreateBody, response: CounterView },
    ({ body }) => {
      const store = s.ctx.store;
      const id = newId();
      const at = nowIso(s.ctx);
      store.transaction(() => {
        if (store.first(store.db.selectFrom('counters').select('id').where('number', '=', body.number).where('deleted_at', 'is', null))) {
          throw new DomainError('CONFLICT', `counter number ${body.number} exists already`);
        }
        store.run(store.db.insertInto('counters').values({ id, branch_id: s.ctx.branchId, number: body.number, name: body.name, status: 'closed', agent_id: null, current_ticket_id: null, created_at: at, updated_at: at, deleted_at: null }));
        assertServices(s, body.serviceIds);
        setCounterServices(store, id, body.serviceIds);
      });
      s.ctx.events.emit('counter.changed', { counterId: id });
      return s.counters.get(id);
    });
  api.add(router, { method: 'patch', path: '/api/admin/counters/:id', tag: 'admin', access: 'admin', summary: 'Rename, renumber or re-assign services of a counter', body: CounterUpdateBody, response: CounterView },
    ({ params, body }) => {
      const store = s.ctx.store;
      const id = params.id as string;
      store.transaction(() => {
        if (!findCounter(store, id)) throw new DomainError('NOT_FOUND', `counter ${id} does not exist`);
        if (body.number !== undefined && store.first(store.db.selectFrom('counters').select('id').where('number', '=', body.number).where('id', '!=', id).where('deleted_at', 'is', null))) {
          throw new DomainError('CONFLICT', `counter number ${body.number} exists already`);
        }
        store.run(store.db.updateTable('counters').set({ ...(body.number !== undefined && { number: body.number }), ...(body.name !== undefined && { name: body.name }), updated_at: nowIso(s.ctx) }).where('id', '=', id));
        if (body.serviceIds) {
          assertServices(s, body.serviceIds);
          setCounterServices(store, id, body.serviceIds);
        }
      });
      s.ctx.events.emit('counter.changed', { counterId: id });
      return s.counters.get(id);
    });
  api.add(router, { method: 'delete', path: '/api/admin/counters/:id', tag: 'admin', access: 'admin', summary: 'Remove a closed counter' },
    ({ params }) => {
      const store = s.ctx.store;
      const id = params.id as string;
      store.transaction(() => {
        const c = findCounter(store, id);
        if (!c) throw new DomainError('NOT_FOUND', `counter ${id} does not exist`);
        if (c.status !== 'closed') throw new DomainError('CONFLICT', `counter ${c.number} is in use: close it first`);
        store.run(store.db.updateTable('counters').set({ deleted_at: nowIso(s.ctx) }).where('id', '=', id));
        store.run(store.db.deleteFrom('counter_services').where('counter_id', '=', id));
      });
      s.ctx.events.emit('counter.changed', { counterId: id });
      return undefined;
    });
}

function assertServices(s: BranchServices, ids: string[]): void {
  if (new Set(ids).size !== ids.length) throw new DomainError('VALIDATION_ERROR', 'a service is listed twice');
  for (const id of ids) s.catalog.get(id);
}
