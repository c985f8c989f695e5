// The pace of each service (average minutes a visitor, counters open: what the branch's estimated waits are worked
// out from) sent to head office when it changes, so that the tracking page at central shows the visitor the very
// estimate the kiosk and the paper ticket showed (shared/contracts/branch-directory.ts, ServicePaceV1).
import { PACE_AGGREGATE, SERVICE_PACE, type ServicePaceV1 } from '../../shared/contracts/branch-directory.js';
import { newId } from '../../shared/ids.js';
import type { BranchContext } from '../core/context.js';
import { getSetting, setSetting } from '../settings/branch.repository.js';
import type { TicketQueries } from '../tickets/ticket.queries.js';

const PUBLISHED_KEY = 'service_pace_published';

type Basis = { averageMinutes: number; openCounters: number };

export class ServicePace {
  /** What was last queued per service (kept in the settings too, so a restart does not send it all again). */
  private readonly published: Map<string, Basis>;
  private pending: NodeJS.Immediate | null = null;
  private stopped = false;

  constructor(private readonly ctx: BranchContext, private readonly queries: TicketQueries) {
    this.published = new Map(Object.entries(readPublished(ctx)));
    // Worked out just after the command that moved it has answered (off the request's path, a burst once).
    const publish = () => {
      if (this.pending || this.stopped) return;
      this.pending = setImmediate(() => {
        this.pending = null;
        this.tryPublish();
      });
      this.pending.unref();
    };
    // A completion moves the average (TicketQueries notes it before this event); a counter opening or closing, or a
    // service's settings, move the rest. A counter taking or letting go of a ticket moves nothing.
    ctx.events.on('ticket.changed', ({ type }) => { if (type === 'served') publish(); });
    ctx.events.on('counter.changed', ({ ticketOnly }) => { if (!ticketOnly) publish(); });
    ctx.events.on('catalog.changed', publish);
    this.tryPublish();
  }

  /** The server is closing: a look still due would find the database closed. */
  stop(): void {
    this.stopped = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
  }

  private tryPublish(): void {
    try {
      this.publishIfChanged();
    } catch (err) {
      this.ctx.logger.error({ err }, 'could not queue the services\' pace for central');
    }
  }

  /** Queue the pace of every service whose basis differs from the last one queued; how many were queued. */
  publishIfChanged(): number {
    const changed: ServicePaceV1[] = [];
    const at = this.ctx.clock.now().toISOString();
    for (const [serviceId, basis] of this.queries.estimateBases()) {
      const last = this.published.get(serviceId);
      if (last && last.averageMinutes === basis.averageMinutes && last.openCounters === basis.openCounters) continue;
      changed.push({ serviceId, ...basis, at });
    }
    if (!changed.length) return 0;
    // Lost by a crash, it is worked out again at the next change: it shares the commands' commit instead of its own.
    this.ctx.uow.background((tx) => {
      for (const p of changed) {
        tx.record(null, { eventId: newId(), aggregateType: PACE_AGGREGATE, aggregateId: p.serviceId, eventType: SERVICE_PACE, occurredAt: at, payload: p });
      }
      const next = { ...Object.fromEntries(this.published), ...Object.fromEntries(changed.map((p) => [p.serviceId, { averageMinutes: p.averageMinutes, openCounters: p.openCounters }])) };
      setSetting(tx, PUBLISHED_KEY, JSON.stringify(next));
    });
    for (const p of changed) this.published.set(p.serviceId, { averageMinutes: p.averageMinutes, openCounters: p.openCounters });
    return changed.length;
  }
}

function readPublished(ctx: BranchContext): Record<string, Basis> {
  const text = getSetting(ctx.store, PUBLISHED_KEY);
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, Basis>;
  } catch {
    return {};
  }
}
