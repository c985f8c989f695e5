// The ticket service: every ticket command goes through here, from REST and from Socket.IO alike.
// Each command is one synchronous SQLite transaction that checks the state machine, writes the ticket, its
// history row and its outbox row, and records the command id; events are emitted only after the commit.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { IssueTicketBody, TicketView } from '../../shared/contracts/api.js';
import type { Channel, Language, QueueType, TicketStatus } from '../../shared/contracts/domain.js';
import type { CallEvent } from '../../shared/contracts/events.js';
import { DomainError } from '../../shared/domain/errors.js';
import { pickNext, positionForCall, rankForCall, surelyAheadBefore, type CallCandidate } from '../../shared/domain/call-policy.js';
import { formatTicketNumber, serviceDay } from '../../shared/domain/numbering.js';
import { endOfBranchDay } from '../../shared/domain/opening-hours.js';
import { EVENT_OF_ACTION, transition, type TicketAction } from '../../shared/domain/ticket-state.js';
import { averageServiceMinutes, estimateWaitMinutes, SERVICE_TIME_SAMPLES } from '../../shared/domain/wait-estimate.js';
import { newId } from '../../shared/ids.js';
import { appendOutbox } from '../sync/outbox.js';
import { isSupervisor, type Actor } from '../core/actor.js';
import { nowIso, type BranchContext } from '../core/context.js';
import { runCommandOnce } from '../core/commands.js';
import { counterServiceIds, findCounter, type CounterRow } from '../counters/counter.repository.js';
import { findService, isIssuable, listServices, type ServiceRow } from '../services/service.repository.js';
import type { BranchInfo } from '../settings/branch-info.js';
import {
  counterTargetedCandidates, findTicket, insertTicket, insertTicketEvent, nextSequence, recentServiceMinutes, toTicketView, updateTicket,
  waitingCandidates, waitingLineSplit, activeTickets, IN_ACTIVE_QUEUE, type TicketRow,
} from './ticket.repository.js';

export type IssueInput = z.output<typeof IssueTicketBody> & { dueAt?: string | null; bookingId?: string | null; queueType?: QueueType };

/** What a service's estimated waits are worked out from. */
interface EstimateBasis { averageMinutes: number; openCounters: number }

interface CommandOutcome { ticketId: string | null }

export class TicketService {
  /** Recent service times per service, newest first: kept in memory, updated on every completion. */
  private readonly serviceMinutes = new Map<string, number[]>();
  /** Effects of the running transaction, run only once it has committed. */
  private pending: Array<() => void> = [];

  constructor(
    private readonly ctx: BranchContext,
    private readonly branch: BranchInfo,
  ) {}

  // ---------- reads ----------

  getTicket(id: string): TicketView {
    const row = findTicket(this.ctx.store, id);
    if (!row) throw new DomainError('NOT_FOUND', `ticket ${id} does not exist`);
    return this.view(row);
  }

  view(row: TicketRow): TicketView {
    if (row.status !== 'waiting' && row.status !== 'transferred') return toTicketView(row, { position: null, estimatedWaitMinutes: null });
    if (row.parked_at) return toTicketView(row, { position: null, estimatedWaitMinutes: null });
    // This runs for every ticket issued and every staff update: the tickets sure to be ahead are counted by SQLite,
    // only the others are read and ranked (a long line costs its recent arrivals, not all of it).
    const ctx = { now: this.ctx.clock.now(), counterId: row.target_counter_id };
    const target: CallCandidate = { id: row.id, serviceId: row.service_id, queueType: row.queue_type as QueueType, issuedAt: row.issued_at, dueAt: row.due_at, targetCounterId: row.target_counter_id };
    const line = waitingLineSplit(this.ctx.store, row.service_id, surelyAheadBefore(target, ctx).toISOString(), ctx.counterId);
    const rest = positionForCall(row.id, line.others, ctx);
    const position = rest === null ? null : line.countedAhead + rest;
    return toTicketView(row, { position, estimatedWaitMinutes: position === null ? null : this.estimate(row.service_id, position) });
  }

  /** Views of all active tickets, with positions computed once per service. */
  activeViews(): TicketView[] {
    const rows = activeTickets(this.ctx.store);
    const now = this.ctx.clock.now();
    const byService = new Map<string, TicketRow[]>();
    for (const r of rows) {
      if ((r.status === 'waiting' || r.status === 'transferred') && !r.parked_at && !r.target_counter_id) {
        const list = byService.get(r.service_id);
        if (list) list.push(r);
        else byService.set(r.service_id, [r]);
      }
    }
    const positions = new Map<string, number>();
    for (const [, list] of byService) {
      rankForCall(this.callable(list), { now, counterId: null }).forEach((c, i) => positions.set(c.id, i + 1));
    }
    const bases = new Map<string, EstimateBasis>(); // read once per service, not once per ticket
    return rows.map((r) => {
      const position = positions.get(r.id) ?? null;
      if (position === null) return this.view(r);
      return toTicketView(r, { position, estimatedWaitMinutes: this.estimate(r.service_id, position, bases) });
    });
  }

  averageServiceMinutes(serviceId: string, defaultMinutes: number): number {
    return averageServiceMinutes(this.recentMinutes(serviceId), defaultMinutes);
  }

  openCountersFor(serviceId: string): number {
    // Counted in SQL: this runs for every ticket shown with an estimated wait.
    const store = this.ctx.store;
    const row = store.first(
      store.db.selectFrom('counters').innerJoin('counter_services', 'counter_services.counter_id', 'counters.id')
        .select((eb) => eb.fn.countAll<number>().as('open'))
        .where('counter_services.service_id', '=', serviceId)
        .where('counters.status', '=', 'open')
        .where('counters.deleted_at', 'is', null),
    );
    return Number(row?.open ?? 0);
  }

  private estimate(serviceId: string, position: number, bases?: Map<string, EstimateBasis>): number {
    let basis = bases?.get(serviceId);
    if (!basis) {
      const service = findService(this.ctx.store, serviceId);
      basis = { averageMinutes: this.averageServiceMinutes(serviceId, service?.default_service_minutes ?? 5), openCounters: this.openCountersFor(serviceId) };
      bases?.set(serviceId, basis);
    }
    return estimateWaitMinutes(position, basis.averageMinutes, basis.openCounters);
  }

  private recentMinutes(serviceId: string): number[] {
    let list = this.serviceMinutes.get(serviceId);
    if (!list) {
      list = recentServiceMinutes(this.ctx.store, serviceId, SERVICE_TIME_SAMPLES);
      this.serviceMinutes.set(serviceId, list);
    }
    return list;
  }

  private callable(rows: TicketRow[]): Array<TicketRow & CallCandidate> {
    return rows
      .filter((r) => !r.parked_at)
      .map((r) => ({ ...r, serviceId: r.service_id, queueType: r.queue_type as QueueType, issuedAt: r.issued_at, dueAt: r.due_at, targetCounterId: r.target_counter_id }));
  }

  // ---------- issuing ----------

  /**
   * Issue a ticket. With a commandId (a kiosk retrying after a lost answer) this is a command like the counter's: a
   * repeat from the same caller with the same request returns the ticket it issued the first time, and issues, announces
   * and counts nothing again; the same id with another request is a 409. `admit` (the kiosk rate limit) runs only for
   * a request that will really issue.
   */
  issue(input: IssueInput, actor: Actor, admit?: () => void): TicketView {
    if (actor.kind === 'device' && actor.role !== 'kiosk') throw new DomainError('FORBIDDEN', 'a display cannot issue tickets');
    if (input.priority === 'vip' && actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'VIP tickets are issued by staff only');
    const store = this.ctx.store;
    const now = this.ctx.clock.now();
    const at = now.toISOString();
    const channel: Channel = input.channel ?? (actor.kind === 'device' ? 'kiosk' : 'counter');
    if (actor.kind === 'device' && channel !== 'kiosk') throw new DomainError('FORBIDDEN', 'a kiosk issues kiosk tickets only');

    let issued: TicketRow | null = null;
    const outcome = this.command(input.commandId, actor, `issue:${requestFingerprint(input)}`, () => {
      admit?.();
      const service = findService(store, input.serviceId);
      if (!service) throw new DomainError('NOT_FOUND', `service ${input.serviceId} does not exist`);
      // A booked visitor's check-in window may open before the service does: a booking needs an active line only.
      const open = input.bookingId ? service.status === 'active' : isIssuable(service, this.branch.openingHours(), now, this.ctx.timeZone);
      if (!open) {
        throw new DomainError('SERVICE_CLOSED', `service ${service.name_fr} is not taking tickets now`, { serviceId: service.id, status: service.status });
      }
      const day = serviceDay(now, this.ctx.timeZone);
      const seq = nextSequence(store, service.id, day);
      const ticket: TicketRow = {
        id: newId(),
        branch_id: this.ctx.branchId,
        service_id: service.id,
        service_day: day,
        seq,
        number: formatTicketNumber(service.prefix, seq),
        status: 'waiting',
        queue_type: input.queueType ?? queueTypeOf(input.priority, service),
        priority_reason: input.priority ?? null,
        channel,
        language: (input.language ?? 'fr') satisfies Language,
        phone: input.phone ?? null,
        email: input.email ?? null,
        issued_at: at,
        due_at: input.dueAt ?? null,
        called_at: null,
        started_at: null,
        finished_at: null,
        counter_id: null,
        target_counter_id: null,
        parked_at: null,
        recall_count: 0,
        agent_id: actor.kind === 'staff' ? actor.userId : null,
        device_id: actor.kind === 'device' ? actor.deviceId : null,
        booking_id: input.bookingId ?? null,
        outcome: null,
        note: null,
        updated_at: at,
      };
      insertTicket(store, ticket);
      this.record(ticket, 'issued', null, 'waiting', at, actor, null, { channel });
      issued = ticket;
      return { ticketId: ticket.id };
    });
    // The position is counted once, for the answer and for the staff screens alike.
    const row: TicketRow | null = issued;
    if (!row) return this.getTicket(outcome.ticketId ?? ''); // a repeat: the ticket as it is now, announced already
    const view = this.view(row);
    this.ctx.events.emit('ticket.issued', { ticket: row, deviceId: actor.kind === 'device' ? actor.deviceId : null, view });
    return view;
  }

  // ---------- counter commands ----------

  callNext(counterId: string, actor: Actor, commandId?: string): TicketView | null {
    const store = this.ctx.store;
    let call: CallEvent | null = null;
    let counterChanged = false;
    const outcome = this.command(commandId, actor, `call-next:${counterId}`, () => {
      const counter = this.counterFor(counterId, actor);
      if (counter.status === 'paused') throw new DomainError('COUNTER_CLOSED', `counter ${counter.number} is paused: resume it first`);
      if (counter.current_ticket_id) {
        const current = findTicket(store, counter.current_ticket_id);
        if (current && (current.status === 'called' || current.status === 'serving')) {
          throw new DomainError('COUNTER_BUSY', `finish ticket ${current.number} first (complete, no-show or transfer)`, { ticketId: current.id });
        }
      }
      const now = this.ctx.clock.now();
      if (counter.status === 'closed') {
        this.openCounterFor(counter, actor, now.toISOString());
        counterChanged = true;
      }
      const serviceIds = counterServiceIds(store, counter.id);
      const live = new Set(listServices(store).filter((s) => s.status !== 'closed').map((s) => s.id));
      const eligible = serviceIds.filter((id) => live.has(id));
      // A ticket transferred to this counter is called here even when the counter does not serve its line.
      const sentHere = counterTargetedCandidates(store, counter.id).filter((c) => live.has(c.serviceId) && !eligible.includes(c.serviceId));
      // Ranked on the lean candidate rows; only the chosen ticket is read in full.
      const chosen = pickNext([...waitingCandidates(store, eligible), ...sentHere], { now, counterId: counter.id, serviceOrder: serviceIds });
      const next = chosen ? findTicket(store, chosen.id) : undefined;
      if (!next) return { ticketId: null };
      const ticket = this.apply(next, 'call', actor, counter, {});
      call = this.callEvent(ticket, counter, false);
      return { ticketId: ticket.id };
    });
    if (call) this.emitCall(call);
    if (counterChanged || call) this.ctx.events.emit('counter.changed', { counterId });
    return outcome.ticketId ? this.getTicket(outcome.ticketId) : null;
  }

  recall(ticketId: string, actor: Actor, commandId?: string): TicketView {
    let call: CallEvent | null = null;
    this.command(commandId, actor, `recall:${ticketId}`, () => {
      const ticket = this.ticketFor(ticketId);
      const counter = this.ticketCounter(ticket, actor, 'recall');
      const updated = this.apply(ticket, 'recall', actor, counter, { recall_count: ticket.recall_count + 1 });
      call = this.callEvent(updated, counter, true);
      return { ticketId };
    });
    if (call) this.emitCall(call);
    return this.getTicket(ticketId);
  }

  start(ticketId: string, actor: Actor, commandId?: string): TicketView {
    return this.simple(ticketId, 'start', actor, commandId, (t) => ({ started_at: nowIso(this.ctx), counter_id: t.counter_id }));
  }

  complete(ticketId: string, actor: Actor, details: { outcome?: string; note?: string }, commandId?: string): TicketView {
    return this.simple(ticketId, 'complete', actor, commandId, () => ({
      finished_at: nowIso(this.ctx),
      outcome: details.outcome ?? null,
      note: details.note ?? null,
    }), { outcome: details.outcome ?? null });
  }

  noShow(ticketId: string, actor: Actor, commandId?: string): TicketView {
    return this.simple(ticketId, 'no_show', actor, commandId, () => ({ finished_at: nowIso(this.ctx) }));
  }

  cancel(ticketId: string, actor: Actor, reason: string | undefined, commandId?: string): TicketView {
    return this.simple(ticketId, 'cancel', actor, commandId, () => ({ finished_at: nowIso(this.ctx), note: reason ?? null }), { reason: reason ?? null });
  }

  /** Move a ticket to another service's line and/or to a given counter, keeping its number and issue time. */
  transfer(ticketId: string, target: { serviceId?: string; counterId?: string; note?: string }, actor: Actor, commandId?: string): TicketView {
    const store = this.ctx.store;
    let fromCounter: string | null = null;
    this.command(commandId, actor, `transfer:${ticketId}`, () => {
      const ticket = this.ticketFor(ticketId);
      const counter = ticket.counter_id && (ticket.status === 'called' || ticket.status === 'serving') ? this.ticketCounter(ticket, actor, 'transfer') : null;
      if (!counter && !isSupervisor(actor)) throw new DomainError('FORBIDDEN', 'only a supervisor can transfer a ticket that is not at your counter');
      let serviceId = ticket.service_id;
      if (target.serviceId) {
        const service = findService(store, target.serviceId);
        if (!service) throw new DomainError('NOT_FOUND', `service ${target.serviceId} does not exist`);
        if (service.status === 'closed') throw new DomainError('SERVICE_CLOSED', `service ${service.name_fr} is closed`);
        serviceId = service.id;
      }
      let targetCounterId: string | null = null;
      if (target.counterId) {
        const to = findCounter(store, target.counterId);
        if (!to) throw new DomainError('NOT_FOUND', `counter ${target.counterId} does not exist`);
        targetCounterId = to.id;
      }
      if (serviceId === ticket.service_id && targetCounterId === null && ticket.status !== 'called' && ticket.status !== 'serving') {
        throw new DomainError('VALIDATION_ERROR', 'the ticket is already waiting in that line');
      }
      fromCounter = counter?.id ?? null;
      this.apply(ticket, 'transfer', actor, counter, {
        service_id: serviceId,
        target_counter_id: targetCounterId,
        counter_id: null,
        parked_at: null,
        called_at: null,
        started_at: null,
      }, { fromServiceId: ticket.service_id, toServiceId: serviceId, toCounterId: targetCounterId, note: target.note ?? null });
      return { ticketId };
    });
    if (fromCounter) this.ctx.events.emit('counter.changed', { counterId: fromCounter });
    return this.getTicket(ticketId);
  }

  /** Set the current ticket aside at this counter (the visitor fetches a document); it is not called by call-next. */
  park(ticketId: string, actor: Actor, commandId?: string): TicketView {
    let counterId: string | null = null;
    this.command(commandId, actor, `park:${ticketId}`, () => {
      const ticket = this.ticketFor(ticketId);
      const counter = this.ticketCounter(ticket, actor, 'park');
      counterId = counter.id;
      this.apply(ticket, 'park', actor, counter, { target_counter_id: counter.id, parked_at: nowIso(this.ctx), counter_id: null });
      return { ticketId };
    });
    if (counterId) this.ctx.events.emit('counter.changed', { counterId });
    return this.getTicket(ticketId);
  }

  /** Bring a parked ticket back: it is called again at the counter that parked it. */
  unpark(ticketId: string, actor: Actor, commandId?: string): TicketView {
    let call: CallEvent | null = null;
    this.command(commandId, actor, `unpark:${ticketId}`, () => {
      const ticket = this.ticketFor(ticketId);
      if (!ticket.parked_at || !ticket.target_counter_id) throw new DomainError('INVALID_TRANSITION', `ticket ${ticket.number} is not parked`);
      const counter = this.counterFor(ticket.target_counter_id, actor);
      if (counter.current_ticket_id) {
        const current = findTicket(this.ctx.store, counter.current_ticket_id);
        if (current && (current.status === 'called' || current.status === 'serving')) {
          throw new DomainError('COUNTER_BUSY', `finish ticket ${current.number} first`);
        }
      }
      const updated = this.apply(ticket, 'unpark', actor, counter, { parked_at: null, target_counter_id: null });
      call = this.callEvent(updated, counter, false);
      return { ticketId };
    });
    if (call) {
      this.emitCall(call);
      // The counter holds the ticket again: screens showing counters must learn it.
      this.ctx.events.emit('counter.changed', { counterId: (call as CallEvent).counterId });
    }
    return this.getTicket(ticketId);
  }

  // ---------- sweepers (run by the scheduler, as the system) ----------

  /** Called tickets not started within noShowAfterMinutes become no-shows. Returns how many. */
  sweepNoShows(): number {
    const store = this.ctx.store;
    const limit = new Date(this.ctx.clock.now().getTime() - this.ctx.config.noShowAfterMinutes * 60_000).toISOString();
    const stale = store.all(store.db.selectFrom('tickets').selectAll().where(IN_ACTIVE_QUEUE).where('status', '=', 'called').where('called_at', '<', limit));
    for (const t of stale) {
      try {
        this.simple(t.id, 'expire', { kind: 'system' }, undefined, () => ({ finished_at: nowIso(this.ctx) }), { reason: 'not started in time' });
      } catch (err) {
        this.ctx.logger.warn({ err, ticketId: t.id }, 'no-show sweep skipped a ticket');
      }
    }
    return stale.length;
  }

  /** Tickets still waiting at the end of their branch day (closing time, or midnight) become expired. */
  expireAtClosing(): number {
    const store = this.ctx.store;
    const now = this.ctx.clock.now();
    const hours = this.branch.openingHours();
    const waiting = store.all(store.db.selectFrom('tickets').select(['id', 'issued_at', 'service_day']).where(IN_ACTIVE_QUEUE).where('status', 'in', ['waiting', 'transferred'] as TicketStatus[]));
    // A ticket's end of day depends only on its branch day (service_day, the local date of its issue): worked out
    // once per day, not once per ticket (this runs every 30 s over the whole line).
    const ends = new Map<string, number>();
    const due = waiting.filter((t) => {
      let end = ends.get(t.service_day);
      if (end === undefined) {
        end = endOfBranchDay(hours, new Date(t.issued_at), this.ctx.timeZone).getTime();
        ends.set(t.service_day, end);
      }
      return now.getTime() >= end;
    });
    for (const t of due) {
      this.simple(t.id, 'expire', { kind: 'system' }, undefined, () => ({ finished_at: nowIso(this.ctx) }), { reason: 'branch closed' });
    }
    return due.length;
  }

  /** A supervisor closes the day now: every ticket still waiting becomes expired. */
  expireNow(): number {
    const store = this.ctx.store;
    const waiting = store.all(store.db.selectFrom('tickets').select('id').where(IN_ACTIVE_QUEUE).where('status', 'in', ['waiting', 'transferred'] as TicketStatus[]));
    for (const t of waiting) {
      this.simple(t.id, 'expire', { kind: 'system' }, undefined, () => ({ finished_at: nowIso(this.ctx) }), { reason: 'day closed by a supervisor' });
    }
    return waiting.length;
  }

  // ---------- internals ----------

  private simple(
    ticketId: string,
    action: TicketAction,
    actor: Actor,
    commandId: string | undefined,
    patch: (t: TicketRow) => Partial<TicketRow>,
    data: Record<string, unknown> = {},
  ): TicketView {
    let counterId: string | null = null;
    this.command(commandId, actor, `${action}:${ticketId}`, () => {
      const ticket = this.ticketFor(ticketId);
      const counter = actor.kind === 'system' ? (ticket.counter_id ? findCounter(this.ctx.store, ticket.counter_id) ?? null : null) : this.actionCounter(ticket, action, actor);
      counterId = counter?.id ?? null;
      this.apply(ticket, action, actor, counter, patch(ticket), data);
      return { ticketId };
    });
    if (counterId) this.ctx.events.emit('counter.changed', { counterId });
    return this.getTicket(ticketId);
  }

  /** Which counter an action on this ticket happens at, checking that the actor may act there. */
  private actionCounter(ticket: TicketRow, action: TicketAction, actor: Actor): CounterRow | null {
    if (ticket.counter_id && (ticket.status === 'called' || ticket.status === 'serving')) return this.ticketCounter(ticket, actor, action);
    if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'only staff can change tickets');
    if (!isSupervisor(actor)) {
      // Agents act on the ticket at their counter; anything else is a supervisor's decision.
      transition(ticket.status as TicketStatus, action); // an illegal transition answers 409 before 403
      throw new DomainError('FORBIDDEN', `ticket ${ticket.number} is not at your counter`);
    }
    return null;
  }

  private ticketFor(id: string): TicketRow {
    const ticket = findTicket(this.ctx.store, id);
    if (!ticket) throw new DomainError('NOT_FOUND', `ticket ${id} does not exist`);
    return ticket;
  }

  /** The counter a called/serving ticket is at, if the actor may act there. */
  private ticketCounter(ticket: TicketRow, actor: Actor, action: TicketAction): CounterRow {
    if (!ticket.counter_id || (ticket.status !== 'called' && ticket.status !== 'serving')) {
      transition(ticket.status as TicketStatus, action); // the state machine's 409 comes first
      throw new DomainError('INVALID_TRANSITION', `ticket ${ticket.number} is not at a counter`);
    }
    return this.counterFor(ticket.counter_id, actor);
  }

  /** A counter the actor may work at: agents only at the counter they hold (or a free one), supervisors anywhere. */
  private counterFor(counterId: string, actor: Actor): CounterRow {
    if (actor.kind !== 'staff' && actor.kind !== 'system') throw new DomainError('FORBIDDEN', 'only staff can work at a counter');
    const counter = findCounter(this.ctx.store, counterId);
    if (!counter) throw new DomainError('NOT_FOUND', `counter ${counterId} does not exist`);
    if (actor.kind === 'staff' && !isSupervisor(actor) && counter.agent_id && counter.agent_id !== actor.userId) {
      throw new DomainError('FORBIDDEN', `counter ${counter.number} is held by another agent`);
    }
    return counter;
  }

  private openCounterFor(counter: CounterRow, actor: Actor, at: string): void {
    const store = this.ctx.store;
    const agentId = actor.kind === 'staff' ? actor.userId : null;
    store.run(store.db.updateTable('counters').set({ status: 'open', agent_id: agentId, updated_at: at }).where('id', '=', counter.id));
    store.run(store.db.insertInto('counter_events').values({ id: newId(), counter_id: counter.id, type: 'opened', from_status: counter.status, to_status: 'open', user_id: agentId, at }));
    counter.status = 'open';
    counter.agent_id = agentId;
  }

  /** Check the transition, update the ticket and its counter, write the history and outbox rows. In a transaction. */
  private apply(
    ticket: TicketRow,
    action: TicketAction,
    actor: Actor,
    counter: CounterRow | null,
    patch: Partial<TicketRow>,
    data: Record<string, unknown> = {},
  ): TicketRow {
    const store = this.ctx.store;
    const from = ticket.status as TicketStatus;
    const to = transition(from, action);
    const at = nowIso(this.ctx);
    const extra: Partial<TicketRow> = {};
    if (action === 'call' || action === 'unpark') {
      if (!counter) throw new DomainError('INVALID_TRANSITION', 'a ticket is called to a counter');
      Object.assign(extra, { counter_id: counter.id, called_at: at, target_counter_id: null, agent_id: actor.kind === 'staff' ? actor.userId : ticket.agent_id });
    }
    const updated: TicketRow = { ...ticket, ...extra, ...patch, status: to, updated_at: at };
    updateTicket(store, ticket.id, { ...extra, ...patch, status: to, updated_at: at });
    if (counter) {
      const holds = to === 'called' || to === 'serving';
      if (holds && counter.current_ticket_id !== ticket.id) {
        store.run(store.db.updateTable('counters').set({ current_ticket_id: ticket.id, updated_at: at }).where('id', '=', counter.id));
      } else if (!holds && counter.current_ticket_id === ticket.id) {
        store.run(store.db.updateTable('counters').set({ current_ticket_id: null, updated_at: at }).where('id', '=', counter.id));
      }
    }
    // A call carries its counter's number: central (which has no counter list) tells the visitor where to go.
    this.record(updated, EVENT_OF_ACTION[action], from, to, at, actor, counter?.id ?? null, to === 'called' && counter ? { ...data, counterNumber: counter.number } : data);
    if (action === 'complete' && updated.started_at) {
      const minutes = (Date.parse(at) - Date.parse(updated.started_at)) / 60_000;
      this.pending.push(() => {
        const list = this.recentMinutes(updated.service_id);
        list.unshift(minutes);
        list.length = Math.min(list.length, SERVICE_TIME_SAMPLES);
      });
    }
    if (action !== 'call' && action !== 'recall' && action !== 'unpark') {
      this.pending.push(() => this.ctx.events.emit('ticket.changed', { ticket: updated, type: EVENT_OF_ACTION[action] }));
    }
    return updated;
  }

  private record(ticket: TicketRow, type: string, from: TicketStatus | null, to: TicketStatus, at: string, actor: Actor, counterId: string | null, data: Record<string, unknown>): void {
    const eventId = newId();
    const event = {
      id: eventId,
      ticket,
      type,
      from,
      to,
      at,
      counterId,
      userId: actor.kind === 'staff' ? actor.userId : null,
      deviceId: actor.kind === 'device' ? actor.deviceId : null,
      data,
    };
    insertTicketEvent(this.ctx.store, event);
    appendOutbox(this.ctx.store, {
      eventId,
      aggregateType: 'ticket',
      aggregateId: ticket.id,
      eventType: `ticket.${type}`,
      occurredAt: at,
      payload: {
        ticket,
        event: { id: eventId, type, from, to, at, counterId, userId: event.userId, deviceId: event.deviceId, data },
      },
    });
    this.ctx.events.emit('outbox.appended');
  }

  /**
   * Run a command once (runCommandOnce: a command id already seen returns the ticket's state from the first run),
   * then the side effects it queued (socket broadcasts, printing) once the transaction has committed.
   */
  private command(commandId: string | undefined, actor: Actor, kind: string, fn: () => CommandOutcome): CommandOutcome {
    this.pending = [];
    let result: CommandOutcome;
    try {
      result = runCommandOnce(this.ctx, commandId, actor, kind, fn);
    } catch (err) {
      this.pending = [];
      throw err;
    }
    const effects = this.pending;
    this.pending = [];
    for (const effect of effects) effect();
    return result;
  }

  private callEvent(ticket: TicketRow, counter: CounterRow, recall: boolean): CallEvent {
    return {
      ticketId: ticket.id,
      number: ticket.number,
      serviceId: ticket.service_id,
      queueType: ticket.queue_type as QueueType,
      counterId: counter.id,
      counterNumber: counter.number,
      counterName: counter.name,
      at: nowIso(this.ctx),
      recall,
    };
  }

  private emitCall(call: CallEvent): void {
    const ticket = findTicket(this.ctx.store, call.ticketId);
    if (ticket) this.ctx.events.emit('ticket.called', { ticket, call });
  }
}

/** What makes two issue requests "the same": every field but the command id, in a fixed order (hashed: no phone kept twice). */
function requestFingerprint(input: IssueInput): string {
  const { commandId: _commandId, ...fields } = input;
  const canonical = JSON.stringify(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

function queueTypeOf(priority: IssueInput['priority'], service: ServiceRow): QueueType {
  if (priority === 'vip') return 'vip';
  if (priority) return 'priority';
  return service.express === 1 ? 'express' : 'normal';
}
