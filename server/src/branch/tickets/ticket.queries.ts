// What a ticket looks like to the people who follow it: its view with its live position in the line and its
// estimated wait. Reads only; the commands (ticket.commands.ts) tell it of each completed service time.
import type { BranchChangePreview, TicketView } from '../../shared/contracts/api.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import { endOfBranchDay, isOpenAt, rangesOn } from '../../shared/domain/opening-hours.js';
import type { QueueType, TicketStatus } from '../../shared/contracts/domain.js';
import type { Clock } from '../../shared/clock.js';
import { positionForCall, rankForCall, surelyAheadBefore, type CallCandidate } from '../../shared/domain/call-policy.js';
import { DomainError } from '../../shared/domain/errors.js';
import { isWaitingStatus } from '../../shared/domain/ticket-state.js';
import { averageServiceMinutes, estimateWaitMinutes, noOpenCounter, SERVICE_TIME_SAMPLES } from '../../shared/domain/wait-estimate.js';
import type { BranchStore } from '../db/store.js';
import { countOpenCountersByService, countOpenCountersFor } from '../counters/counter.repository.js';
import { findService, listServices } from '../services/service.repository.js';
import { activeTickets, findTicket, lineHeads, recentServiceMinutes, staffOwnTickets, ticketsById, toTicketView, waitingForExpiry, waitingLineSplit, type TicketRow } from './ticket.repository.js';

/**
 * How many of each line's first tickets a staff screen holds (with every ticket at a counter and every special one):
 * the agent's "next" list and the supervisor's view need the head of the line, not 5,000 tickets per snapshot.
 */
export const STAFF_LINE_HEAD = 100;

/** Tickets that left lines in one turn: `any` from every line (the line unknown), `byService` from that line. */
export interface LineDepartures { any: number; byService: ReadonlyMap<string, number> }

/** What a service's estimated waits are worked out from. */
export interface EstimateBasis { averageMinutes: number; openCounters: number }

export class TicketQueries {
  /** What hours (and a time zone) would mean for the tickets waiting now: the admin sees it before changing them. */
  closingPreview(hours: OpeningHours, timeZone: string): BranchChangePreview {
    const now = this.d.clock.now();
    const waiting = waitingForExpiry(this.d.store);
    const pastClosing = waiting.filter((t) => endOfBranchDay(hours, new Date(t.issued_at), timeZone).getTime() <= now.getTime()).length;
    const todays = rangesOn(hours, now, timeZone);
    return {
      waitingTickets: waiting.length, pastClosing, openNow: isOpenAt(hours, now, timeZone),
      closesAt: todays.length ? endOfBranchDay(hours, now, timeZone).toISOString() : null,
    };
  }

  /** Recent service times per service, newest first: kept in memory, updated on every completion. */
  private readonly serviceMinutes = new Map<string, number[]>();

  constructor(private readonly d: { store: BranchStore; clock: Clock }) {}

  getTicket(id: string): TicketView {
    const row = findTicket(this.d.store, id);
    if (!row) throw new DomainError('NOT_FOUND', `ticket ${id} does not exist`);
    return this.view(row);
  }

  view(row: TicketRow): TicketView {
    if (!isWaiting(row)) return toTicketView(row, { position: null, estimatedWaitMinutes: null });
    // This runs for every ticket issued and every staff update: the tickets sure to be ahead are counted by SQLite,
    // only the others are read and ranked (a long line costs its recent arrivals, not all of it).
    const ctx = { now: this.d.clock.now(), counterId: row.target_counter_id };
    const line = waitingLineSplit(this.d.store, row.service_id, surelyAheadBefore(toCandidate(row), ctx).toISOString(), ctx.counterId);
    const rest = positionForCall(row.id, line.others, ctx);
    const position = rest === null ? null : line.countedAhead + rest;
    return toTicketView(row, position === null ? { position, estimatedWaitMinutes: null } : { position, ...this.estimate(row.service_id, position) });
  }

  /** Views of all active tickets, with positions computed once per service. */
  activeViews(): TicketView[] {
    const rows = activeTickets(this.d.store);
    const now = this.d.clock.now();
    const byService = new Map<string, TicketRow[]>();
    for (const r of rows) {
      if (isWaiting(r) && !r.target_counter_id) {
        const list = byService.get(r.service_id);
        if (list) list.push(r);
        else byService.set(r.service_id, [r]);
      }
    }
    const positions = new Map<string, number>();
    for (const [, list] of byService) {
      rankForCall(list.map(toCandidate), { now, counterId: null }).forEach((c, i) => positions.set(c.id, i + 1));
    }
    const bases = new Map<string, EstimateBasis>(); // read once per service, not once per ticket
    return rows.map((r) => {
      const position = positions.get(r.id) ?? null;
      if (position === null) return this.view(r);
      return toTicketView(r, { position, ...this.estimate(r.service_id, position, bases) });
    });
  }

  /**
   * What a staff screen's snapshot holds (docs/realtime.md): the first STAFF_LINE_HEAD of each service's line, every
   * special waiting ticket (appointments, tickets sent to a counter, remote visitors not checked in), the parked ones
   * and those at counters, by issue time, with positions as activeViews gives them. The counts are the queue summary's.
   */
  staffViews(): TicketView[] {
    const now = this.d.clock.now();
    const bases = new Map<string, EstimateBasis>();
    const own = staffOwnTickets(this.d.store);
    const views = new Map<string, TicketView>();
    const positions = new Map<string, number>();
    const heads: string[] = [];
    for (const service of listServices(this.d.store)) {
      this.lineHead(service.id, now).forEach((c, i) => {
        positions.set(c.id, i + 1);
        heads.push(c.id);
      });
    }
    const ownIds = new Set(own.map((r) => r.id));
    for (const r of [...own, ...ticketsById(this.d.store, heads.filter((id) => !ownIds.has(id)))]) {
      const position = positions.get(r.id);
      views.set(r.id, position === undefined ? this.view(r) : toTicketView(r, { position, ...this.estimate(r.service_id, position, bases) }));
    }
    return [...views.values()].sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.id.localeCompare(b.id));
  }

  /**
   * The tickets that may have just moved into the head of a line a staff screen holds, after tickets left lines: a
   * ticket that moves up by `departed` departures from its line is now among the last `departed` of the head (it was
   * below it, and each departure moves it up one place at most). Sent with the staff batch, so a screen that had
   * the head keeps it without a snapshot.
   */
  lineEdges(departures: LineDepartures): TicketView[] {
    if (departures.any <= 0 && departures.byService.size === 0) return [];
    const now = this.d.clock.now();
    const positions = new Map<string, number>();
    for (const service of listServices(this.d.store)) {
      // A line nothing left keeps its head: not read.
      const departed = departures.any + (departures.byService.get(service.id) ?? 0);
      if (departed <= 0) continue;
      const head = this.lineHead(service.id, now);
      for (let i = Math.max(0, STAFF_LINE_HEAD - departed); i < head.length; i++) positions.set((head[i] as CallCandidate).id, i + 1);
    }
    const bases = new Map<string, EstimateBasis>();
    return ticketsById(this.d.store, [...positions.keys()]).map((r) => {
      const position = positions.get(r.id) as number;
      return toTicketView(r, { position, ...this.estimate(r.service_id, position, bases) });
    });
  }

  /** The first STAFF_LINE_HEAD of a service's line in the call rule's order (no counter's preferences). */
  private lineHead(serviceId: string, now: Date): CallCandidate[] {
    return rankForCall(lineHeads(this.d.store, serviceId, STAFF_LINE_HEAD), { now, counterId: null }).slice(0, STAFF_LINE_HEAD);
  }

  averageServiceMinutes(serviceId: string, defaultMinutes: number): number {
    return averageServiceMinutes(this.recentMinutes(serviceId), defaultMinutes);
  }

  /** A service time just measured (a completion has committed): the next estimates follow the day's pace. */
  noteServiceTime(serviceId: string, minutes: number): void {
    const list = this.recentMinutes(serviceId);
    list.unshift(minutes);
    list.length = Math.min(list.length, SERVICE_TIME_SAMPLES);
  }

  /** What a service's estimated waits are worked out from now. */
  estimateBasis(serviceId: string): EstimateBasis {
    const service = findService(this.d.store, serviceId);
    return { averageMinutes: this.averageServiceMinutes(serviceId, service?.default_service_minutes ?? 5), openCounters: countOpenCountersFor(this.d.store, serviceId) };
  }

  /** The same for every live service at once, in two queries (sent to central: the tracking page's estimate). */
  estimateBases(): Map<string, EstimateBasis> {
    const open = countOpenCountersByService(this.d.store);
    return new Map(listServices(this.d.store).map((s) => [s.id, {
      averageMinutes: this.averageServiceMinutes(s.id, s.default_service_minutes), openCounters: open.get(s.id) ?? 0,
    }]));
  }

  private estimate(serviceId: string, position: number, bases?: Map<string, EstimateBasis>): { estimatedWaitMinutes: number | null; noOpenCounter: boolean } {
    let basis = bases?.get(serviceId);
    if (!basis) {
      basis = this.estimateBasis(serviceId);
      bases?.set(serviceId, basis);
    }
    return { estimatedWaitMinutes: estimateWaitMinutes(position, basis.averageMinutes, basis.openCounters), noOpenCounter: noOpenCounter(basis.openCounters) };
  }

  private recentMinutes(serviceId: string): number[] {
    let list = this.serviceMinutes.get(serviceId);
    if (!list) {
      list = recentServiceMinutes(this.d.store, serviceId, SERVICE_TIME_SAMPLES);
      this.serviceMinutes.set(serviceId, list);
    }
    return list;
  }
}

/** Waiting in a line (not parked aside at a counter): the tickets that have a position. */
function isWaiting(row: TicketRow): boolean {
  return isWaitingStatus(row.status as TicketStatus) && !row.parked_at;
}

function toCandidate(r: TicketRow): CallCandidate {
  return { id: r.id, serviceId: r.service_id, queueType: r.queue_type as QueueType, issuedAt: r.issued_at, dueAt: r.due_at, targetCounterId: r.target_counter_id };
}
