// What screens show: queue counts, recent calls, the display message and alerts, and the full snapshot a client
// receives on connect or reconnect (so it never shows stale data as current).
import type { QueueSummary } from '../../shared/contracts/api.js';
import type { ServiceStatus } from '../../shared/contracts/domain.js';
import type { Alert, BranchSnapshot, CallEvent } from '../../shared/contracts/events.js';
import type { BranchContext } from '../core/context.js';
import { newId } from '../../shared/ids.js';
import { listCounters } from '../counters/counter.repository.js';
import type { CounterService } from '../counters/counter.service.js';
import type { ServiceCatalog } from '../services/service.service.js';
import { listServices } from '../services/service.repository.js';
import { IN_ACTIVE_QUEUE } from '../tickets/ticket.repository.js';
import type { TicketService } from '../tickets/ticket.service.js';
import type { BranchInfo } from '../settings/branch-info.js';
import { deleteSetting, getSetting, setSetting } from '../settings/branch.repository.js';

const RECENT_CALLS = 12;
const ALERTS_KEPT = 50;

export class BranchState {
  private revisionCounter = 0;
  private calls: CallEvent[] = [];
  private alertList: Alert[] = [];

  constructor(
    private readonly ctx: BranchContext,
    private readonly branch: BranchInfo,
    private readonly tickets: TicketService,
    private readonly counters: CounterService,
    private readonly catalog: ServiceCatalog,
  ) {
    this.calls = this.loadRecentCalls();
    const bump = () => { this.revisionCounter += 1; };
    ctx.events.on('ticket.issued', bump);
    ctx.events.on('ticket.changed', bump);
    ctx.events.on('counter.changed', bump);
    ctx.events.on('catalog.changed', bump);
    ctx.events.on('message.changed', bump);
    ctx.events.on('ticket.called', ({ call }) => {
      bump();
      this.calls = [call, ...this.calls].slice(0, RECENT_CALLS);
    });
  }

  get revision(): number {
    return this.revisionCounter;
  }

  recentCalls(): CallEvent[] {
    return this.calls;
  }

  /** After a restart the call board shows the same recent calls as before it. */
  private loadRecentCalls(): CallEvent[] {
    const store = this.ctx.store;
    const rows = store.all(
      store.db.selectFrom('ticket_events')
        .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
        .innerJoin('counters', 'counters.id', 'ticket_events.counter_id')
        .select(['ticket_events.ticket_id', 'ticket_events.type', 'ticket_events.at', 'tickets.number', 'tickets.service_id', 'tickets.queue_type',
          'counters.id as counter_id', 'counters.number as counter_number', 'counters.name as counter_name'])
        .where('ticket_events.type', 'in', ['called', 'recalled', 'unparked'])
        .orderBy('ticket_events.id', 'desc')
        .limit(RECENT_CALLS),
    );
    return rows.map((r) => ({
      ticketId: r.ticket_id, number: r.number, serviceId: r.service_id, queueType: r.queue_type as CallEvent['queueType'],
      counterId: r.counter_id, counterNumber: r.counter_number, counterName: r.counter_name, at: r.at, recall: r.type === 'recalled',
    }));
  }

  queueSummary(): QueueSummary {
    const store = this.ctx.store;
    const now = this.ctx.clock.now();
    const services = listServices(store);
    const waiting = store.all(
      store.db.selectFrom('tickets').select(['service_id', 'issued_at', 'parked_at'])
        .where(IN_ACTIVE_QUEUE)
        .where('status', 'in', ['waiting', 'transferred']),
    ).filter((t) => !t.parked_at);
    const counters = listCounters(store).filter((c) => c.status === 'open');
    const counterServices = store.all(store.db.selectFrom('counter_services').select(['counter_id', 'service_id']));
    const openIds = new Set(counters.map((c) => c.id));
    return {
      generatedAt: now.toISOString(),
      services: services.map((s) => {
        const mine = waiting.filter((t) => t.service_id === s.id);
        const oldest = mine.reduce<string | null>((min, t) => (min === null || t.issued_at < min ? t.issued_at : min), null);
        const waitedOf = (iso: string) => Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000));
        return {
          serviceId: s.id,
          status: s.status as ServiceStatus,
          waitingCount: mine.length,
          longestWaitMinutes: oldest ? waitedOf(oldest) : 0,
          oldestIssuedAt: oldest,
          overTargetCount: mine.filter((t) => waitedOf(t.issued_at) >= s.target_wait_minutes).length,
          openCounters: counterServices.filter((cs) => cs.service_id === s.id && openIds.has(cs.counter_id)).length,
          averageServiceMinutes: Math.round(this.tickets.averageServiceMinutes(s.id, s.default_service_minutes) * 10) / 10,
        };
      }),
    };
  }

  message(): string | null {
    return getSetting(this.ctx.store, 'display_message') ?? null;
  }

  setMessage(text: string | null): void {
    if (text && text.trim()) setSetting(this.ctx.store, 'display_message', text.trim());
    else deleteSetting(this.ctx.store, 'display_message');
    this.ctx.events.emit('message.changed', { text: this.message() });
  }

  raiseAlert(alert: Omit<Alert, 'id' | 'at'>): Alert {
    const full: Alert = { ...alert, id: newId(), at: this.ctx.clock.now().toISOString() };
    this.alertList = [full, ...this.alertList].slice(0, ALERTS_KEPT);
    this.ctx.events.emit('alert.raised', full);
    return full;
  }

  alerts(): Alert[] {
    return this.alertList;
  }

  snapshot(forStaff: boolean): BranchSnapshot {
    return {
      branch: this.branch.view(),
      services: this.catalog.list(),
      counters: this.counters.list(),
      queue: this.queueSummary(),
      recentCalls: this.calls,
      activeTickets: forStaff ? this.tickets.activeViews() : [],
      message: this.message(),
      serverTime: this.ctx.clock.now().toISOString(),
      revision: this.revisionCounter,
    };
  }
}
