// Counter (guichet) lifecycle: an agent opens (takes) a counter, pauses for a break, resumes, closes it; admins
// create, change and remove counters. Every change is one unit of work with its counter_events history row, and
// screens hear of it after the commit. The rules the ticket commands share live here too: who may work at a counter,
// opening it, and "finish the current ticket first".
import type { z } from 'zod';
import type { CounterCreateBody, CounterUpdateBody, CounterView } from '../../shared/contracts/api.js';
import type { CounterStatus, TicketStatus } from '../../shared/contracts/domain.js';
import { AT_COUNTER_STATUSES } from '../../shared/domain/ticket-state.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { isSupervisor, type Actor } from '../core/actor.js';
import type { DomainEvents } from '../core/events.js';
import type { BranchStore } from '../db/store.js';
import type { Tx, UnitOfWork } from '../db/unit-of-work.js';
import type { Clock } from '../../shared/clock.js';
import { findService } from '../services/service.repository.js';
import { findTicket } from '../tickets/ticket.repository.js';
import { userNames } from '../users/user.repository.js';
import {
  allCounterServices, counterEventInsert, counterNumberTaken, counterServiceIds, findCounter, insertCounter, listCounters,
  setCounterServices, softDeleteCounter, toCounterView, updateCounter, type CounterRow,
} from './counter.repository.js';

export interface CounterDeps {
  store: BranchStore;
  uow: UnitOfWork;
  clock: Clock;
  events: DomainEvents;
  branchId: string;
}

export class CounterService {
  constructor(private readonly d: CounterDeps) {}

  list(): CounterView[] {
    const store = this.d.store;
    const services = allCounterServices(store);
    const users = userNames(store);
    return listCounters(store).map((c) => this.toView(c, services.get(c.id) ?? [], users));
  }

  get(id: string): CounterView {
    const view = this.find(id);
    if (!view) throw new DomainError('NOT_FOUND', `counter ${id} does not exist`);
    return view;
  }

  /** One counter's view, or null when it does not exist (any longer): read alone, as it changes on every call. */
  find(id: string): CounterView | null {
    const store = this.d.store;
    const c = findCounter(store, id);
    if (!c) return null;
    return this.toView(c, counterServiceIds(store, c.id), userNames(store, c.agent_id ? [c.agent_id] : []));
  }

  serviceIds(counterId: string): string[] {
    return counterServiceIds(this.d.store, counterId);
  }

  private toView(c: CounterRow, serviceIds: string[], users: Map<string, string>): CounterView {
    const current = c.current_ticket_id ? findTicket(this.d.store, c.current_ticket_id) : undefined;
    return toCounterView(c, serviceIds, c.agent_id ? users.get(c.agent_id) ?? null : null, current?.number ?? null);
  }

  // ---------- agents ----------

  /** open: the agent takes the counter; paused: a break; closed: the agent leaves it. */
  setStatus(counterId: string, status: CounterStatus, actor: Actor): CounterView {
    if (actor.kind !== 'staff' && actor.kind !== 'system') throw new DomainError('FORBIDDEN', 'only staff can open or close a counter');
    this.d.uow.run((tx) => {
      const counter = findCounter(tx, counterId);
      if (!counter) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
      const userId = actor.kind === 'staff' ? actor.userId : null;
      if (counter.agent_id && counter.agent_id !== userId && !isSupervisor(actor) && counter.status !== 'closed') {
        throw new DomainError('FORBIDDEN', `counter ${counter.number} is held by another agent`);
      }
      if (status === counter.status && (status !== 'open' || counter.agent_id === userId)) return;
      if (status === 'open') return this.open(tx, counter, actor);
      if (status === 'closed') this.assertFree(tx, counter, 'before closing the counter');
      this.change(tx, counter, status, status === 'closed' ? null : counter.agent_id, status, userId);
    });
    this.d.events.emit('counter.changed', { counterId });
    return this.get(counterId);
  }

  /**
   * Open (take) or resume a counter for the actor: an agent taking it, or calling next at a closed one. An agent works
   * at one counter at a time: this releases any other idle counter they held. Inside the caller's unit of work.
   */
  open(tx: Tx, counter: CounterRow, actor: Actor): void {
    const userId = actor.kind === 'staff' ? actor.userId : null;
    if (userId && !isSupervisor(actor)) {
      for (const other of listCounters(tx).filter((c) => c.agent_id === userId && c.id !== counter.id)) {
        if (other.current_ticket_id) throw new DomainError('COUNTER_BUSY', `you still have a ticket at counter ${other.number}`);
        this.change(tx, other, 'closed', null, 'closed', userId);
        this.announce(tx, other.id);
      }
    }
    // A supervisor resuming an agent's counter leaves it to that agent.
    const agentId = actor.kind === 'staff' && (!counter.agent_id || counter.status === 'closed' || !isSupervisor(actor)) ? userId : counter.agent_id;
    this.change(tx, counter, 'open', agentId, counter.status === 'paused' ? 'resumed' : 'opened', userId);
  }

  /** A counter the actor may work at: agents only at the counter they hold (or a free one), supervisors anywhere. */
  workable(store: BranchStore, counterId: string, actor: Actor): CounterRow {
    if (actor.kind !== 'staff' && actor.kind !== 'system') throw new DomainError('FORBIDDEN', 'only staff can work at a counter');
    const counter = findCounter(store, counterId);
    if (!counter) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
    if (actor.kind === 'staff' && !isSupervisor(actor) && counter.agent_id && counter.agent_id !== actor.userId) {
      throw new DomainError('FORBIDDEN', `counter ${counter.number} is held by another agent`);
    }
    return counter;
  }

  /**
   * The counter a ticket is at (called or being served), checked for this caller: only the agent holding it, a
   * supervisor or an admin may act on that ticket (403 otherwise). Null when the ticket is at no counter. The one
   * rule for ticket commands and counter payments alike.
   */
  counterOfTicket(store: BranchStore, ticket: { counter_id: string | null; status: string }, actor: Actor): CounterRow | null {
    if (!ticket.counter_id || !AT_COUNTER_STATUSES.includes(ticket.status as TicketStatus)) return null;
    return this.workable(store, ticket.counter_id, actor);
  }

  /** A counter is busy while its current ticket is called or being served: that ticket is finished first. */
  assertFree(store: BranchStore, counter: CounterRow, why = 'first (complete, no-show or transfer)'): void {
    if (!counter.current_ticket_id) return;
    const current = findTicket(store, counter.current_ticket_id);
    if (current && (current.status === 'called' || current.status === 'serving')) {
      throw new DomainError('COUNTER_BUSY', `finish ticket ${current.number} ${why}`, { ticketId: current.id });
    }
  }

  /** The counter holds a ticket while it is called or served there. Inside the caller's unit of work. */
  hold(tx: Tx, counter: CounterRow, ticketId: string, holds: boolean, at: string): void {
    if (holds && counter.current_ticket_id !== ticketId) updateCounter(tx, counter.id, { current_ticket_id: ticketId, updated_at: at });
    else if (!holds && counter.current_ticket_id === ticketId) updateCounter(tx, counter.id, { current_ticket_id: null, updated_at: at });
  }

  private change(tx: Tx, counter: CounterRow, status: CounterStatus, agentId: string | null, type: string, userId: string | null): void {
    const at = this.d.clock.now().toISOString();
    updateCounter(tx, counter.id, { status, agent_id: agentId, updated_at: at });
    tx.record(counterEventInsert(tx, { id: newId(), counter_id: counter.id, type, from_status: counter.status, to_status: status, user_id: userId, at }));
    counter.status = status;
    counter.agent_id = agentId;
  }

  private announce(tx: Tx, counterId: string): void {
    tx.afterCommit(() => this.d.events.emit('counter.changed', { counterId }));
  }

  // ---------- supervisors and admins ----------

  /** Which services a counter serves, in order of preference (supervisor decision). */
  setServices(counterId: string, serviceIds: string[]): CounterView {
    this.d.uow.run((tx) => {
      if (!findCounter(tx, counterId)) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
      const unknown = serviceIds.filter((id) => !findService(tx, id));
      if (unknown.length) throw new DomainError('NOT_FOUND', `unknown service ${unknown.join(', ')}`);
      if (new Set(serviceIds).size !== serviceIds.length) throw new DomainError('VALIDATION_ERROR', 'a service is listed twice');
      setCounterServices(tx, counterId, serviceIds);
      this.announce(tx, counterId);
    });
    return this.get(counterId);
  }

  create(input: z.output<typeof CounterCreateBody>): CounterView {
    const id = newId();
    const at = this.d.clock.now().toISOString();
    this.d.uow.run((tx) => {
      if (counterNumberTaken(tx, input.number, null)) throw new DomainError('CONFLICT', `counter number ${input.number} exists already`);
      insertCounter(tx, { id, branch_id: this.d.branchId, number: input.number, name: input.name, status: 'closed', agent_id: null, current_ticket_id: null, created_at: at, updated_at: at, deleted_at: null });
      this.assertServices(tx, input.serviceIds);
      setCounterServices(tx, id, input.serviceIds);
      this.announce(tx, id);
    });
    return this.get(id);
  }

  /** Rename, renumber or re-assign services: only what the body names changes. */
  update(id: string, input: z.output<typeof CounterUpdateBody>): CounterView {
    this.d.uow.run((tx) => {
      if (!findCounter(tx, id)) throw new DomainError('NOT_FOUND', `counter ${id} does not exist`);
      if (input.number !== undefined && counterNumberTaken(tx, input.number, id)) throw new DomainError('CONFLICT', `counter number ${input.number} exists already`);
      updateCounter(tx, id, { ...(input.number !== undefined && { number: input.number }), ...(input.name !== undefined && { name: input.name }), updated_at: this.d.clock.now().toISOString() });
      if (input.serviceIds) {
        this.assertServices(tx, input.serviceIds);
        setCounterServices(tx, id, input.serviceIds);
      }
      this.announce(tx, id);
    });
    return this.get(id);
  }

  /** Remove a closed counter (its row stays for the history). */
  remove(id: string): void {
    this.d.uow.run((tx) => {
      const c = findCounter(tx, id);
      if (!c) throw new DomainError('NOT_FOUND', `counter ${id} does not exist`);
      if (c.status !== 'closed') throw new DomainError('CONFLICT', `counter ${c.number} is in use: close it first`);
      softDeleteCounter(tx, id, this.d.clock.now().toISOString());
      this.announce(tx, id);
    });
  }

  private assertServices(store: BranchStore, ids: string[]): void {
    if (new Set(ids).size !== ids.length) throw new DomainError('VALIDATION_ERROR', 'a service is listed twice');
    for (const id of ids) if (!findService(store, id)) throw new DomainError('NOT_FOUND', `service ${id} does not exist`);
  }
}
