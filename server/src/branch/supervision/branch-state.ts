// What screens show: queue counts, recent calls, the display message and alerts, and the full snapshot a client
// receives on connect or reconnect (so it never shows stale data as current).
import { readRemoteSettings } from '../remote/remote-joins.js';
import type { QueueSummary } from '../../shared/contracts/api.js';
import type { ServiceStatus } from '../../shared/contracts/domain.js';
import type { Alert, BranchSnapshot, CallEvent } from '../../shared/contracts/events.js';
import type { BranchContext } from '../core/context.js';
import { newId } from '../../shared/ids.js';
import { counterServicePairs, listCounters } from '../counters/counter.repository.js';
import type { CounterService } from '../counters/counter.service.js';
import type { ServiceCatalog } from '../services/service.service.js';
import { listServices } from '../services/service.repository.js';
import { recentCallRows, waitingLineStats } from '../tickets/ticket.repository.js';
import type { TicketQueries } from '../tickets/ticket.queries.js';
import { overTargetIssuedBy, waitedMinutes } from '../../shared/domain/wait-estimate.js';
import type { BranchInfo } from '../settings/branch-info.js';
import { getSetting } from '../settings/branch.repository.js';
import { DISPLAY_MESSAGE_KEY, writeDisplayMessage } from './display-message.js';

const RECENT_CALLS = 12;
const ALERTS_KEPT = 50;

export class BranchState {
  private revisionCounter = 0;
  private calls: CallEvent[] = [];
  private alertList: Alert[] = [];

  constructor(
    private readonly ctx: BranchContext,
    private readonly branch: BranchInfo,
    private readonly tickets: TicketQueries,
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
    ctx.events.on('alert.wanted', (alert) => { this.raiseAlert(alert); });
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
    return recentCallRows(this.ctx.store, RECENT_CALLS).map((r) => ({
      ticketId: r.ticket_id, number: r.number, serviceId: r.service_id, queueType: r.queue_type as CallEvent['queueType'],
      counterId: r.counter_id, counterNumber: r.counter_number, counterName: r.counter_name, at: r.at, recall: r.type === 'recalled',
    }));
  }

  /** Per service: its line's kept counts and oldest ticket (waitingLineStats), not the line read into memory. */
  queueSummary(): QueueSummary {
    const store = this.ctx.store;
    const now = this.ctx.clock.now();
    const services = listServices(store);
    const counters = listCounters(store).filter((c) => c.status === 'open');
    const counterServices = counterServicePairs(store);
    const openIds = new Set(counters.map((c) => c.id));
    return {
      generatedAt: now.toISOString(),
      services: services.map((s) => {
        const line = waitingLineStats(store, s.id, overTargetIssuedBy(s.target_wait_minutes, now));
        return {
          serviceId: s.id,
          status: s.status as ServiceStatus,
          waitingCount: line.waiting,
          longestWaitMinutes: line.oldestIssuedAt ? waitedMinutes(line.oldestIssuedAt, now) : 0,
          oldestIssuedAt: line.oldestIssuedAt,
          overTargetCount: line.overTarget,
          openCounters: counterServices.filter((cs) => cs.service_id === s.id && openIds.has(cs.counter_id)).length,
          averageServiceMinutes: Math.round(this.tickets.averageServiceMinutes(s.id, s.default_service_minutes) * 10) / 10,
        };
      }),
    };
  }

  message(): string | null {
    return getSetting(this.ctx.store, DISPLAY_MESSAGE_KEY) ?? null;
  }

  setMessage(text: string | null): void {
    this.ctx.uow.run((tx) => {
      const shown = writeDisplayMessage(tx, text);
      tx.afterCommit(() => this.ctx.events.emit('message.changed', { text: shown }));
    });
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
      // The heads of the lines, not every waiting ticket (docs/realtime.md); GET /api/tickets has them all.
      activeTickets: forStaff ? this.tickets.staffViews() : [],
      message: this.message(),
      skipAbsent: readRemoteSettings(this.ctx.store).absent === 'skip',
      closure: this.branch.closureAt(this.ctx.clock.now()),
      serverTime: this.ctx.clock.now().toISOString(),
      revision: this.revisionCounter,
    };
  }
}
