// Counter (guichet) lifecycle: an agent opens a counter, pauses for a break, resumes, closes it.
// Every change is one transaction with its counter_events history row.
import type { CounterView } from '../../shared/contracts/api.js';
import type { CounterStatus } from '../../shared/contracts/domain.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { isSupervisor, type Actor } from '../core/actor.js';
import { nowIso, type BranchContext } from '../core/context.js';
import { findTicket } from '../tickets/ticket.repository.js';
import { allCounterServices, counterServiceIds, findCounter, listCounters, setCounterServices, toCounterView, type CounterRow } from './counter.repository.js';

export class CounterService {
  constructor(private readonly ctx: BranchContext) {}

  list(): CounterView[] {
    const store = this.ctx.store;
    const services = allCounterServices(store);
    const users = new Map(store.all(store.db.selectFrom('users').select(['id', 'display_name'])).map((u) => [u.id, u.display_name]));
    return listCounters(store).map((c) => this.toView(c, services.get(c.id) ?? [], users));
  }

  get(id: string): CounterView {
    const view = this.find(id);
    if (!view) throw new DomainError('NOT_FOUND', `counter ${id} does not exist`);
    return view;
  }

  /** One counter's view, or null when it does not exist (any longer): read alone, as it changes on every call. */
  find(id: string): CounterView | null {
    const store = this.ctx.store;
    const c = findCounter(store, id);
    if (!c) return null;
    const agent = c.agent_id ? store.first(store.db.selectFrom('users').select(['id', 'display_name']).where('id', '=', c.agent_id)) : undefined;
    return this.toView(c, counterServiceIds(store, c.id), new Map(agent ? [[agent.id, agent.display_name]] : []));
  }

  private toView(c: CounterRow, serviceIds: string[], users: Map<string, string>): CounterView {
    const current = c.current_ticket_id ? findTicket(this.ctx.store, c.current_ticket_id) : undefined;
    return toCounterView(c, serviceIds, c.agent_id ? users.get(c.agent_id) ?? null : null, current?.number ?? null);
  }

  /** open: the agent takes the counter; paused: a break; closed: the agent leaves it. */
  setStatus(counterId: string, status: CounterStatus, actor: Actor): CounterView {
    if (actor.kind !== 'staff' && actor.kind !== 'system') throw new DomainError('FORBIDDEN', 'only staff can open or close a counter');
    const store = this.ctx.store;
    store.transaction(() => {
      const counter = findCounter(store, counterId);
      if (!counter) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
      const userId = actor.kind === 'staff' ? actor.userId : null;
      if (counter.agent_id && counter.agent_id !== userId && !isSupervisor(actor) && counter.status !== 'closed') {
        throw new DomainError('FORBIDDEN', `counter ${counter.number} is held by another agent`);
      }
      if (status === counter.status && (status !== 'open' || counter.agent_id === userId)) return;
      if (status === 'closed' && counter.current_ticket_id) {
        const current = findTicket(store, counter.current_ticket_id);
        if (current && (current.status === 'called' || current.status === 'serving')) {
          throw new DomainError('COUNTER_BUSY', `finish ticket ${current.number} before closing the counter`);
        }
      }
      const at = nowIso(this.ctx);
      // An agent works at one counter at a time: opening this one releases any other idle counter they held.
      if (status === 'open' && userId && actor.kind === 'staff' && !isSupervisor(actor)) {
        const others = listCounters(store).filter((c) => c.agent_id === userId && c.id !== counter.id);
        for (const other of others) {
          if (other.current_ticket_id) throw new DomainError('COUNTER_BUSY', `you still have a ticket at counter ${other.number}`);
          store.run(store.db.updateTable('counters').set({ status: 'closed', agent_id: null, updated_at: at }).where('id', '=', other.id));
          store.run(store.db.insertInto('counter_events').values({ id: newId(), counter_id: other.id, type: 'closed', from_status: other.status, to_status: 'closed', user_id: userId, at }));
        }
      }
      const agentId = status === 'closed' ? null : status === 'open' && actor.kind === 'staff' && (!counter.agent_id || counter.status === 'closed' || !isSupervisor(actor)) ? userId : counter.agent_id;
      store.run(store.db.updateTable('counters').set({ status, agent_id: agentId, updated_at: at }).where('id', '=', counter.id));
      const type = status === 'open' ? (counter.status === 'paused' ? 'resumed' : 'opened') : status === 'paused' ? 'paused' : 'closed';
      store.run(store.db.insertInto('counter_events').values({ id: newId(), counter_id: counter.id, type, from_status: counter.status, to_status: status, user_id: userId, at }));
    });
    this.ctx.events.emit('counter.changed', { counterId });
    return this.get(counterId);
  }

  /** Which services a counter serves, in order of preference (supervisor decision). */
  setServices(counterId: string, serviceIds: string[]): CounterView {
    const store = this.ctx.store;
    store.transaction(() => {
      if (!findCounter(store, counterId)) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
      const unknown = serviceIds.filter((id) => !store.first(store.db.selectFrom('services').select('id').where('id', '=', id).where('deleted_at', 'is', null)));
      if (unknown.length) throw new DomainError('NOT_FOUND', `unknown service ${unknown.join(', ')}`);
      if (new Set(serviceIds).size !== serviceIds.length) throw new DomainError('VALIDATION_ERROR', 'a service is listed twice');
      setCounterServices(store, counterId, serviceIds);
    });
    this.ctx.events.emit('counter.changed', { counterId });
    return this.get(counterId);
  }

  serviceIds(counterId: string): string[] {
    return counterServiceIds(this.ctx.store, counterId);
  }
}
