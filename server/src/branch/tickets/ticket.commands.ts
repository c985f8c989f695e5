// The ticket commands: issuing, and what agents do at a counter (call next, recall, start, complete, no-show,
// transfer, park, cancel), plus the sweepers' expiries. Each is one unit of work (db/unit-of-work.ts) that checks the
// state machine, writes the ticket, its history row and its outbox row, and records the command id; screens hear of
// it only once the outermost transaction has committed.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { IssueTicketBody, TicketView } from '../../shared/contracts/api.js';
import { isRemoteChannel, type Channel, type Language, type QueueType, type TicketStatus } from '../../shared/contracts/domain.js';
import type { CallEvent } from '../../shared/contracts/events.js';
import type { TicketEventType } from '../../shared/contracts/replicated.js';
import type { Clock } from '../../shared/clock.js';
import { counterCallContext, decideCall, isCandidateAt } from '../../shared/domain/call-policy.js';
import { DomainError } from '../../shared/domain/errors.js';
import { formatTicketNumber, serviceDay } from '../../shared/domain/numbering.js';
import { endOfBranchDay } from '../../shared/domain/opening-hours.js';
import { AT_COUNTER_STATUSES, EVENT_OF_ACTION, transition, type TicketAction } from '../../shared/domain/ticket-state.js';
import { newId } from '../../shared/ids.js';
import { actorId, isSupervisor, type Actor } from '../core/actor.js';
import type { DomainEvents } from '../core/events.js';
import type { BranchStore } from '../db/store.js';
import { requestFingerprint, type Tx, type UnitOfWork } from '../db/unit-of-work.js';
import type { CounterService } from '../counters/counter.service.js';
import { counterServiceIds, findCounter, type CounterRow } from '../counters/counter.repository.js';
import { findService, isIssuable, listServices, type ServiceRow } from '../services/service.repository.js';
import type { BranchInfo } from '../settings/branch-info.js';
import { ticketFact } from './ticket-fact.js';
import { readRemoteSettings } from '../remote/remote-joins.js';
import type { TicketQueries } from './ticket.queries.js';
import {
  absentPassedOverBefore, callCandidates, calledBefore, findTicket, insertTicket, nextSequence, ticketEventInsert, updateTicket, waitingDays, waitingForExpiry,
  waitingOfDay, type TicketRow,
} from './ticket.repository.js';

export type IssueInput = z.output<typeof IssueTicketBody> & { dueAt?: string | null; bookingId?: string | null; queueType?: QueueType };

export interface TicketCommandDeps {
  store: BranchStore;
  uow: UnitOfWork;
  clock: Clock;
  events: DomainEvents;
  logger: Logger;
  branch: BranchInfo;
  branchId: string;
  noShowAfterMinutes: number;
  queries: TicketQueries;
  counters: CounterService;
}

interface CommandOutcome { ticketId: string | null }

const SYSTEM: Actor = { kind: 'system' };
/** Tickets the end-of-day sweep expires per commit (and per turn of the event loop). */
export const EXPIRY_BATCH = 10;

export class TicketCommands {
  constructor(private readonly d: TicketCommandDeps) {}

  // ---------- issuing ----------

  /**
   * Issue a ticket. With a commandId (a kiosk retrying after a lost answer) a repeat from the same caller with the
   * same request returns the ticket it issued the first time, and issues, announces and counts nothing again; the same
   * id with another request is a 409. `admit` (the kiosk rate limit) runs only for a request that will really issue.
   * Inside another unit of work (a booking check-in) the ticket is announced once that one commits.
   */
  issue(input: IssueInput, actor: Actor, admit?: () => void): TicketView {
    if (actor.kind === 'device' && actor.role !== 'kiosk') throw new DomainError('FORBIDDEN', 'a display cannot issue tickets');
    if (input.priority === 'vip' && actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'VIP tickets are issued by staff only');
    const now = this.d.clock.now();
    const at = now.toISOString();
    const channel: Channel = input.channel ?? (actor.kind === 'device' ? 'kiosk' : 'counter');
    if (actor.kind === 'device' && channel !== 'kiosk') throw new DomainError('FORBIDDEN', 'a kiosk issues kiosk tickets only');

    let issued: TicketView | null = null;
    const outcome = this.d.uow.command<CommandOutcome>(this.key(input.commandId, actor, `issue:${requestFingerprint(input)}`), (tx) => {
      admit?.();
      const service = findService(tx, input.serviceId);
      if (!service) throw new DomainError('NOT_FOUND', `service ${input.serviceId} does not exist`);
      // A booked visitor's check-in window may open before the service does: a booking needs an active line only.
      const closure = input.bookingId ? null : this.d.branch.closureAt(now);
      const open = input.bookingId ? service.status === 'active' : isIssuable(service, this.d.branch.openingHours(), now, this.timeZone, closure !== null);
      if (!open) {
        const why = closure ? `the branch is closed today (${closure.reason.en})` : 'is not taking tickets now';
        throw new DomainError('SERVICE_CLOSED', closure ? `service ${service.name_fr}: ${why}` : `service ${service.name_fr} ${why}`, { serviceId: service.id, status: service.status });
      }
      const day = serviceDay(now, this.timeZone);
      const seq = nextSequence(tx, service.id, day);
      const ticket: TicketRow = {
        id: newId(), branch_id: this.d.branchId, service_id: service.id, service_day: day, seq,
        number: formatTicketNumber(service.prefix, seq), status: 'waiting',
        queue_type: input.queueType ?? queueTypeOf(input.priority, service), priority_reason: input.priority ?? null,
        channel, language: (input.language ?? 'fr') satisfies Language, phone: input.phone ?? null, email: input.email ?? null,
        issued_at: at, due_at: input.dueAt ?? null, called_at: null, started_at: null, finished_at: null,
        counter_id: null, target_counter_id: null, parked_at: null, recall_count: 0,
        agent_id: actor.kind === 'staff' ? actor.userId : null, device_id: actor.kind === 'device' ? actor.deviceId : null,
        booking_id: input.bookingId ?? null, outcome: null, note: null, updated_at: at,
        // A remote visitor is not here yet: "pas encore arrivé" until the check-in (remote/).
        arrived_at: isRemoteChannel(channel) ? null : at, passed_over_at: null,
      };
      insertTicket(tx, ticket);
      this.record(tx, ticket, 'issued', null, 'waiting', at, actor, null, { channel });
      // The position is counted once, for the answer and for the staff screens alike.
      const view = this.d.queries.view(ticket);
      issued = view;
      tx.afterCommit(() => this.d.events.emit('ticket.issued', { ticket, deviceId: actor.kind === 'device' ? actor.deviceId : null, view }));
      return { ticketId: ticket.id };
    });
    // A repeat: the ticket as it is now, announced already.
    return issued ?? this.d.queries.getTicket(outcome.ticketId ?? '');
  }

  /**
   * A remote visitor is here (scanned the ticket's QR at the kiosk, or told the agent): the ticket stops being
   * "pas encore arrivé". Its status and place do not change; one unit of work with its history and outbox rows.
   * A ticket already arrived answers as it is (a second scan changes nothing).
   */
  arrive(ticketId: string, actor: Actor, commandId?: string): TicketView {
    if (actor.kind === 'device' && actor.role !== 'kiosk') throw new DomainError('FORBIDDEN', 'a display cannot check a visitor in');
    this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `arrive:${ticketId}`), (tx) => {
      const ticket = findTicket(tx, ticketId);
      if (!ticket) throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`);
      if (ticket.arrived_at) return { ticketId };
      const status = ticket.status as TicketStatus;
      if (status !== 'waiting' && status !== 'called') throw new DomainError('INVALID_TRANSITION', `ticket ${ticket.number} is ${status}: it cannot be checked in`);
      const at = this.now();
      const updated: TicketRow = { ...ticket, arrived_at: at, updated_at: at };
      updateTicket(tx, ticket.id, { arrived_at: at, updated_at: at });
      this.record(tx, updated, 'arrived', status, status, at, actor, null, { channel: ticket.channel });
      tx.afterCommit(() => this.d.events.emit('ticket.changed', { ticket: updated, type: 'arrived' }));
      return { ticketId };
    });
    return this.d.queries.getTicket(ticketId);
  }

  // ---------- counter commands ----------

  callNext(counterId: string, actor: Actor, commandId?: string): TicketView | null {
    const outcome = this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `call-next:${counterId}`), (tx) => {
      const counter = this.d.counters.workable(tx, counterId, actor);
      if (counter.status === 'paused') throw new DomainError('COUNTER_CLOSED', `counter ${counter.number} is paused: resume it first`);
      this.d.counters.assertFree(tx, counter);
      const now = this.d.clock.now();
      const opened = counter.status === 'closed';
      if (opened) this.d.counters.open(tx, counter, actor);
      const calling = { id: counter.id, serviceIds: counterServiceIds(tx, counter.id) };
      const closed = new Set(listServices(tx).filter((s) => s.status === 'closed').map((s) => s.id));
      const eligible = calling.serviceIds.filter((id) => !closed.has(id));
      // The lines it serves, and the tickets transferred to it from other lines; which of them are candidates and in
      // what order is the domain's rule (the agent's "next" list uses the same: counterCallOrder). Only those that can
      // be first are read (callCandidates); ranked on the lean candidate rows, only the chosen ticket is read in full.
      const candidates = callCandidates(tx, counter.id, eligible).filter((c) => isCandidateAt(c, calling, closed));
      const skipAbsent = readRemoteSettings(tx).absent === 'skip';
      const { next: chosen, passedOver } = decideCall(candidates, counterCallContext(calling, now, skipAbsent));
      for (const absent of passedOver) this.passOver(tx, absent.id, actor, counter);
      const next = chosen ? findTicket(tx, chosen.id) : undefined;
      if (next) this.announceCall(tx, this.apply(tx, next, 'call', actor, counter, {}), counter, false);
      if (opened || next) this.announceCounter(tx, counterId, !opened);
      return { ticketId: next?.id ?? null };
    });
    return outcome.ticketId ? this.d.queries.getTicket(outcome.ticketId) : null;
  }

  recall(ticketId: string, actor: Actor, commandId?: string): TicketView {
    this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `recall:${ticketId}`), (tx) => {
      const ticket = this.ticketFor(tx, ticketId);
      const counter = this.ticketCounter(tx, ticket, actor, 'recall');
      this.announceCall(tx, this.apply(tx, ticket, 'recall', actor, counter, { recall_count: ticket.recall_count + 1 }), counter, true);
      return { ticketId };
    });
    return this.d.queries.getTicket(ticketId);
  }

  start(ticketId: string, actor: Actor, commandId?: string): TicketView {
    return this.simple(ticketId, 'start', actor, commandId, (t) => ({ started_at: this.now(), counter_id: t.counter_id }));
  }

  complete(ticketId: string, actor: Actor, details: { outcome?: string; note?: string }, commandId?: string): TicketView {
    return this.simple(ticketId, 'complete', actor, commandId, () => ({
      finished_at: this.now(), outcome: details.outcome ?? null, note: details.note ?? null,
    }), { outcome: details.outcome ?? null });
  }

  noShow(ticketId: string, actor: Actor, commandId?: string): TicketView {
    return this.simple(ticketId, 'no_show', actor, commandId, () => ({ finished_at: this.now() }));
  }

  cancel(ticketId: string, actor: Actor, reason: string | undefined, commandId?: string): TicketView {
    return this.simple(ticketId, 'cancel', actor, commandId, () => ({ finished_at: this.now(), note: reason ?? null }), { reason: reason ?? null });
  }

  /** Move a ticket to another service's line and/or to a given counter, keeping its number and issue time. */
  transfer(ticketId: string, target: { serviceId?: string; counterId?: string; note?: string }, actor: Actor, commandId?: string): TicketView {
    this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `transfer:${ticketId}`), (tx) => {
      const ticket = this.ticketFor(tx, ticketId);
      const counter = ticket.counter_id && atCounter(ticket) ? this.ticketCounter(tx, ticket, actor, 'transfer') : null;
      if (!counter && !isSupervisor(actor)) throw new DomainError('FORBIDDEN', 'only a supervisor can transfer a ticket that is not at your counter');
      let serviceId = ticket.service_id;
      if (target.serviceId) {
        const service = findService(tx, target.serviceId);
        if (!service) throw new DomainError('NOT_FOUND', `service ${target.serviceId} does not exist`);
        if (service.status === 'closed') throw new DomainError('SERVICE_CLOSED', `service ${service.name_fr} is closed`);
        serviceId = service.id;
      }
      let targetCounterId: string | null = null;
      if (target.counterId) {
        const to = findCounter(tx, target.counterId);
        if (!to) throw new DomainError('NOT_FOUND', `counter ${target.counterId} does not exist`);
        targetCounterId = to.id;
      }
      if (serviceId === ticket.service_id && targetCounterId === null && !atCounter(ticket)) {
        throw new DomainError('VALIDATION_ERROR', 'the ticket is already waiting in that line');
      }
      this.apply(tx, ticket, 'transfer', actor, counter, {
        service_id: serviceId, target_counter_id: targetCounterId, counter_id: null, parked_at: null, called_at: null, started_at: null,
      }, { fromServiceId: ticket.service_id, toServiceId: serviceId, toCounterId: targetCounterId, note: target.note ?? null });
      if (counter) this.announceCounter(tx, counter.id);
      return { ticketId };
    });
    return this.d.queries.getTicket(ticketId);
  }

  /** Set the current ticket aside at this counter (the visitor fetches a document); it is not called by call-next. */
  park(ticketId: string, actor: Actor, commandId?: string): TicketView {
    this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `park:${ticketId}`), (tx) => {
      const ticket = this.ticketFor(tx, ticketId);
      const counter = this.ticketCounter(tx, ticket, actor, 'park');
      this.apply(tx, ticket, 'park', actor, counter, { target_counter_id: counter.id, parked_at: this.now(), counter_id: null });
      this.announceCounter(tx, counter.id);
      return { ticketId };
    });
    return this.d.queries.getTicket(ticketId);
  }

  /** Bring a parked ticket back: it is called again at the counter that parked it. */
  unpark(ticketId: string, actor: Actor, commandId?: string): TicketView {
    this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `unpark:${ticketId}`), (tx) => {
      const ticket = this.ticketFor(tx, ticketId);
      if (!ticket.parked_at || !ticket.target_counter_id) throw new DomainError('INVALID_TRANSITION', `ticket ${ticket.number} is not parked`);
      const counter = this.d.counters.workable(tx, ticket.target_counter_id, actor);
      this.d.counters.assertFree(tx, counter);
      this.announceCall(tx, this.apply(tx, ticket, 'unpark', actor, counter, { parked_at: null, target_counter_id: null }), counter, false);
      // The counter holds the ticket again: screens showing counters must learn it.
      this.announceCounter(tx, counter.id);
      return { ticketId };
    });
    return this.d.queries.getTicket(ticketId);
  }

  // ---------- sweepers (run by the scheduler, as the system) ----------

  /** Called tickets not started within noShowAfterMinutes become no-shows. Returns how many. */
  sweepNoShows(): number {
    const limit = new Date(this.d.clock.now().getTime() - this.d.noShowAfterMinutes * 60_000).toISOString();
    const stale = calledBefore(this.d.store, limit);
    for (const t of stale) {
      try {
        this.expire(t.id, 'not started in time');
      } catch (err) {
        this.d.logger.warn({ err, ticketId: t.id }, 'no-show sweep skipped a ticket');
      }
    }
    return stale.length;
  }

  /**
   * Remote tickets passed over under the skip rule whose visitor has not checked in within the grace time become
   * no-shows. Returns how many.
   */
  sweepAbsent(): number {
    const settings = readRemoteSettings(this.d.store);
    if (settings.absent !== 'skip') return 0;
    const limit = new Date(this.d.clock.now().getTime() - settings.graceMinutes * 60_000).toISOString();
    const gone = absentPassedOverBefore(this.d.store, limit);
    for (const t of gone) {
      try {
        this.simple(t.id, 'absent', SYSTEM, undefined, () => ({ finished_at: this.now() }), { reason: 'not checked in within the grace time', graceMinutes: settings.graceMinutes });
      } catch (err) {
        this.d.logger.warn({ err, ticketId: t.id }, 'absent sweep skipped a ticket');
      }
    }
    return gone.length;
  }

  /**
   * Tickets still waiting at the end of their branch day (closing time, or midnight) become expired: at most `limit`
   * per call, in one commit (each its own history and outbox rows). The sweep calls again on the next turn of the
   * event loop while a batch was full (sweeper.ts), so a line of thousands at closing never holds the thread long.
   * Returns how many expired.
   */
  expireAtClosing(limit = EXPIRY_BATCH): number {
    const now = this.d.clock.now().getTime();
    const hours = this.d.branch.openingHours();
    const keptOpen = this.d.branch.lastHoursChange();
    const changeSeq = keptOpen?.lastTicketSeq ?? null;
    // A ticket's end of day depends only on its branch day (the local date of its issue), and on whether it was
    // waiting before a change of hours that day (it then keeps its earlier end): worked out once per day, not per
    // ticket, and the line is read only for the days that are over.
    const due: string[] = [];
    for (const day of waitingDays(this.d.store, changeSeq)) {
      if (due.length >= limit) break;
      const waitingAtChange = keptOpen !== null && day.before_change === 1;
      const end = endOfBranchDay(hours, new Date(day.issued_at), this.timeZone, { keptOpen: waitingAtChange ? keptOpen : null }).getTime();
      if (now >= end) due.push(...waitingOfDay(this.d.store, day.service_day, waitingAtChange, changeSeq, limit - due.length));
    }
    if (due.length === 0) return 0;
    let expired = 0;
    this.d.uow.run(() => {
      for (const id of due) {
        try {
          this.expire(id, 'branch closed');
          expired += 1;
        } catch (err) {
          this.d.logger.warn({ err, ticketId: id }, 'end-of-day sweep skipped a ticket');
        }
      }
    });
    return expired;
  }

  /** A supervisor closes the day now: every ticket still waiting becomes expired. */
  expireNow(): number {
    const waiting = waitingForExpiry(this.d.store);
    for (const t of waiting) this.expire(t.id, 'day closed by a supervisor');
    return waiting.length;
  }

  // ---------- internals ----------

  /** Call-next passed over an absent remote ticket: the first time, its grace time starts (one history row). */
  private passOver(tx: Tx, ticketId: string, actor: Actor, counter: CounterRow): void {
    const ticket = findTicket(tx, ticketId);
    if (!ticket || ticket.passed_over_at !== null) return;
    const at = this.now();
    const updated: TicketRow = { ...ticket, passed_over_at: at, updated_at: at };
    updateTicket(tx, ticket.id, { passed_over_at: at, updated_at: at });
    const status = ticket.status as TicketStatus;
    this.record(tx, updated, 'passed_over', status, status, at, actor, counter.id, { counterNumber: counter.number });
    tx.afterCommit(() => this.d.events.emit('ticket.changed', { ticket: updated, type: 'passed_over' }));
  }

  private expire(ticketId: string, reason: string): void {
    this.simple(ticketId, 'expire', SYSTEM, undefined, () => ({ finished_at: this.now() }), { reason });
  }

  private simple(
    ticketId: string, action: TicketAction, actor: Actor, commandId: string | undefined,
    patch: (t: TicketRow) => Partial<TicketRow>, data: Record<string, unknown> = {},
  ): TicketView {
    this.d.uow.command<CommandOutcome>(this.key(commandId, actor, `${action}:${ticketId}`), (tx) => {
      const ticket = this.ticketFor(tx, ticketId);
      const counter = actor.kind === 'system' ? (ticket.counter_id ? findCounter(tx, ticket.counter_id) ?? null : null) : this.actionCounter(tx, ticket, action, actor);
      this.apply(tx, ticket, action, actor, counter, patch(ticket), data);
      if (counter) this.announceCounter(tx, counter.id);
      return { ticketId };
    });
    return this.d.queries.getTicket(ticketId);
  }

  private key(commandId: string | undefined, actor: Actor, kind: string) {
    return { commandId, principal: actorId(actor), kind };
  }

  /** The branch's time zone as an admin last set it. */
  private get timeZone(): string {
    return this.d.branch.view().timeZone;
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }

  /** Which counter an action on this ticket happens at, checking that the actor may act there. */
  private actionCounter(store: BranchStore, ticket: TicketRow, action: TicketAction, actor: Actor): CounterRow | null {
    if (ticket.counter_id && atCounter(ticket)) return this.ticketCounter(store, ticket, actor, action);
    if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'only staff can change tickets');
    if (!isSupervisor(actor)) {
      // Agents act on the ticket at their counter; anything else is a supervisor's decision.
      transition(ticket.status as TicketStatus, action); // an illegal transition answers 409 before 403
      throw new DomainError('FORBIDDEN', `ticket ${ticket.number} is not at your counter`);
    }
    return null;
  }

  private ticketFor(store: BranchStore, id: string): TicketRow {
    const ticket = findTicket(store, id);
    if (!ticket) throw new DomainError('NOT_FOUND', `ticket ${id} does not exist`);
    return ticket;
  }

  /** The counter a called/serving ticket is at, if the actor may act there. */
  private ticketCounter(store: BranchStore, ticket: TicketRow, actor: Actor, action: TicketAction): CounterRow {
    const counter = this.d.counters.counterOfTicket(store, ticket, actor);
    if (!counter) {
      transition(ticket.status as TicketStatus, action); // the state machine's 409 comes first
      throw new DomainError('INVALID_TRANSITION', `ticket ${ticket.number} is not at a counter`);
    }
    return counter;
  }

  /** Check the transition, update the ticket and its counter, write the history and outbox rows. */
  private apply(
    tx: Tx, ticket: TicketRow, action: TicketAction, actor: Actor, counter: CounterRow | null,
    patch: Partial<TicketRow>, data: Record<string, unknown> = {},
  ): TicketRow {
    const from = ticket.status as TicketStatus;
    const to = transition(from, action);
    const at = this.now();
    const extra: Partial<TicketRow> = {};
    if (action === 'call' || action === 'unpark') {
      if (!counter) throw new DomainError('INVALID_TRANSITION', 'a ticket is called to a counter');
      Object.assign(extra, { counter_id: counter.id, called_at: at, target_counter_id: null, agent_id: actor.kind === 'staff' ? actor.userId : ticket.agent_id });
    }
    const updated: TicketRow = { ...ticket, ...extra, ...patch, status: to, updated_at: at };
    updateTicket(tx, ticket.id, { ...extra, ...patch, status: to, updated_at: at });
    if (counter) this.d.counters.hold(tx, counter, ticket.id, to === 'called' || to === 'serving', at);
    // A call carries its counter's number: central (which has no counter list) tells the visitor where to go.
    this.record(tx, updated, EVENT_OF_ACTION[action], from, to, at, actor, counter?.id ?? null, to === 'called' && counter ? { ...data, counterNumber: counter.number } : data);
    if (action === 'complete' && updated.started_at) {
      const minutes = (Date.parse(at) - Date.parse(updated.started_at)) / 60_000;
      tx.afterCommit(() => this.d.queries.noteServiceTime(updated.service_id, minutes));
    }
    if (action !== 'call' && action !== 'recall' && action !== 'unpark') {
      tx.afterCommit(() => this.d.events.emit('ticket.changed', { ticket: updated, type: EVENT_OF_ACTION[action] }));
    }
    return updated;
  }

  /** The ticket's history row and its outbox fact (the replicated record, shared/contracts/replication.ts). */
  private record(tx: Tx, ticket: TicketRow, type: TicketEventType, from: TicketStatus | null, to: TicketStatus, at: string, actor: Actor, counterId: string | null, data: Record<string, unknown>): void {
    const event = {
      id: newId(), ticket, type, from, to, at, counterId,
      userId: actor.kind === 'staff' ? actor.userId : null,
      deviceId: actor.kind === 'device' ? actor.deviceId : null,
      data,
    };
    tx.record(ticketEventInsert(tx, event), ticketFact(event));
  }

  private announceCall(tx: Tx, ticket: TicketRow, counter: CounterRow, recall: boolean): void {
    const call: CallEvent = {
      ticketId: ticket.id, number: ticket.number, serviceId: ticket.service_id, queueType: ticket.queue_type as QueueType,
      counterId: counter.id, counterNumber: counter.number, counterName: counter.name, at: this.now(), recall,
    };
    tx.afterCommit(() => {
      const current = findTicket(this.d.store, call.ticketId);
      if (current) this.d.events.emit('ticket.called', { ticket: current, call });
    });
  }

  /** The ticket a counter holds moved (`ticketOnly`, the default), or the counter itself changed too (opened by a call). */
  private announceCounter(tx: Tx, counterId: string, ticketOnly = true): void {
    tx.afterCommit(() => this.d.events.emit('counter.changed', { counterId, ticketOnly }));
  }
}

function atCounter(ticket: TicketRow): boolean {
  return AT_COUNTER_STATUSES.includes(ticket.status as TicketStatus);
}

function queueTypeOf(priority: IssueInput['priority'], service: ServiceRow): QueueType {
  if (priority === 'vip') return 'vip';
  if (priority) return 'priority';
  return service.express === 1 ? 'express' : 'normal';
}
