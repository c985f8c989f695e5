// What each screen is sent, and when. The changes of one turn of the event loop are gathered and flushed as ONE
// `changes` batch per audience room (staff, call boards, kiosks), and each audience gets only what it shows
// (docs/realtime.md): every Socket.IO message costs a writev per socket, so one message per socket per turn, and none
// to a screen that shows nothing of a change, is what keeps a busy branch's only thread free for its commands.
import { performance } from 'node:perf_hooks';
import type { CounterView, QueueSummary, TicketView } from '../../shared/contracts/api.js';
import type { Alert, Audience, BranchSnapshot, CallEvent, ChangeBatch } from '../../shared/contracts/events.js';
import type { CounterService } from '../counters/counter.service.js';
import type { BranchState } from '../supervision/branch-state.js';
import type { TicketQueries } from '../tickets/ticket.queries.js';
import type { TicketRow } from '../tickets/ticket.repository.js';

/** The queue summary (a few statements per service: waitingLineStats): worked out at most this often while things change. */
export const QUEUE_MIN_MS = 50;
/**
 * Call boards and kiosks show only the waiting count per line: a new count rides their next batch (a call, a message),
 * or goes alone at most this often. A visitor cannot tell a count a second late; 28 screens told of every command can.
 */
export const SCREEN_QUEUE_MS = 1_000;
/**
 * Staff screens' batches go at most this often: the changes since the last one (tickets, counters, calls, the
 * message) wait at most this long, so that a busy branch's commands share a batch: at 300 commands and 40 calls a
 * second, each staff socket gets 20 messages a second instead of 300 (a call no longer opens a batch of its own for
 * them: the agent who called has the answer, the boards have the call at once). 50 ms is well under what a person
 * notices on a screen (~100 ms) and a third of the messages a 16 ms window sent (each costs a write per socket).
 * An alert or a catalog change goes at once.
 */
export const STAFF_COALESCE_MS = 50;

export interface FanoutDeps {
  state: Pick<BranchState, 'snapshot' | 'queueSummary'>;
  ticketViews: Pick<TicketQueries, 'view' | 'lineEdges'>;
  counters: Pick<CounterService, 'find'>;
  /** How many sockets an audience's room holds now. */
  size(audience: Audience): number;
  /** Send a batch to every socket of the audience's room (Socket.IO encodes it once for the room). */
  emit(audience: Audience, batch: ChangeBatch): void;
  /** The clock of the coalescing windows, in milliseconds (a test passes its fake clock). */
  now?: () => number;
}

type Screen = Exclude<Audience, 'staff'>;
interface ScreenQueue {
  /** Waiting counts of the last queue the audience was sent (a snapshot's included). */
  sentKey: string | null;
  pending: QueueSummary | null;
  pendingKey: string | null;
  lastSentAt: number;
}

/** What a call board or a kiosk shows of the queue summary: the waiting count per line. */
const screenKey = (q: QueueSummary): string => q.services.map((s) => `${s.serviceId}:${s.waitingCount}`).join(',');

/** What waits for the staff room's next batch. */
interface StaffPending {
  calls: CallEvent[];
  tickets: Map<string, { row: TicketRow; view?: TicketView }>;
  /**
   * Tickets that left lines: a call leaves its own line (by service); another change (a transfer, a cancellation …)
   * is counted against every line, since the row no longer says which line it left.
   */
  departed: { any: number; byService: Map<string, number> };
  counterIds: Set<string>;
  message: { text: string | null } | null;
  alerts: Alert[];
  resync: boolean;
  /** The queue summary worked out since the last staff batch, not sent to staff yet. */
  queue: QueueSummary | null;
  /** Something waits (the batch goes at the end of the window, or at once when `urgent`). */
  dirty: boolean;
  urgent: boolean;
}

/** What waits for the call boards' and kiosks' next batches (their queue counts wait in `ScreenQueue`). */
interface ScreensPending {
  calls: CallEvent[];
  message: { text: string | null } | null;
  kioskChanged: boolean;
  resync: boolean;
  dirty: boolean;
}

const noStaffChange = (): StaffPending => ({
  calls: [], tickets: new Map(), departed: { any: 0, byService: new Map() }, counterIds: new Set(), message: null, alerts: [],
  resync: false, queue: null, dirty: false, urgent: false,
});
const noScreenChange = (): ScreensPending => ({ calls: [], message: null, kioskChanged: false, resync: false, dirty: false });

export class Fanout {
  private readonly revisions: Record<Audience, number> = { staff: 0, displays: 0, kiosks: 0 };
  // Gathered since each room's last batch.
  private staff = noStaffChange();
  private screensPending = noScreenChange();
  private queueDirty = false;
  private lastQueueAt = Number.NEGATIVE_INFINITY;
  private readonly screens: Record<Screen, ScreenQueue> = {
    displays: { sentKey: null, pending: null, pendingKey: null, lastSentAt: Number.NEGATIVE_INFINITY },
    kiosks: { sentKey: null, pending: null, pendingKey: null, lastSentAt: Number.NEGATIVE_INFINITY },
  };
  /** A counter's view as last sent to staff: a ticket started at a counter changes nothing of it, so it is not sent again. */
  private readonly sentCounters = new Map<string, string>();
  private immediate: NodeJS.Immediate | null = null;
  private lastStaffFlushAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;

  private readonly now: () => number;

  constructor(private readonly d: FanoutDeps) {
    this.now = d.now ?? (() => performance.now());
  }

  // ---- what happened (domain events, after their commit) ----
  issued(ticket: TicketRow, view?: TicketView): void {
    this.staff.tickets.set(ticket.id, { row: ticket, ...(view ? { view } : {}) });
    this.queueDirty = true;
    this.staffChanged();
  }

  called(ticket: TicketRow, call: CallEvent): void {
    const departed = this.staff.departed.byService;
    departed.set(ticket.service_id, (departed.get(ticket.service_id) ?? 0) + 1);
    this.staff.tickets.set(ticket.id, { row: ticket });
    this.staff.calls.push(call);
    this.queueDirty = true;
    this.staffChanged();
    // The call boards announce it at the end of this turn; staff screens get it with their window's batch (the
    // agent who called has the answer already).
    this.screensPending.calls.push(call);
    this.screensChanged();
  }

  changed(ticket: TicketRow): void {
    // A start or a completion takes nobody out of a line: the ticket had been called.
    if (ticket.status !== 'serving' && ticket.status !== 'served') this.staff.departed.any += 1;
    this.staff.tickets.set(ticket.id, { row: ticket });
    this.queueDirty = true;
    this.staffChanged();
  }

  counterChanged(counterId: string): void {
    this.staff.counterIds.add(counterId);
    this.queueDirty = true;
    this.staffChanged();
  }

  catalogChanged(): void {
    this.sentCounters.clear();
    this.staff.resync = true;
    this.staffChanged(true);
    this.screensPending.resync = true;
    this.screensChanged();
  }

  messageChanged(text: string | null): void {
    this.staff.message = { text };
    this.staffChanged();
    this.screensPending.message = { text };
    this.screensChanged();
  }

  alertRaised(alert: Alert): void {
    this.staff.alerts.push(alert);
    this.staffChanged(true);
  }

  kioskSettingsChanged(): void {
    this.screensPending.kioskChanged = true;
    this.screensChanged();
  }

  /**
   * The state a socket of this audience starts from (on connect, on state:sync), with the audience's revision. What
   * was gathered but not sent yet is flushed first: the snapshot holds it, and the socket must not get it again in
   * a batch (a call would be announced twice).
   */
  snapshotFor(audience: Audience): BranchSnapshot {
    if (this.staff.dirty || this.screensPending.dirty) this.flush(true);
    return this.forAudience(audience, this.d.state.snapshot(audience === 'staff'));
  }

  close(): void {
    this.closed = true;
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
  }

  // ---- flushing ----
  /** A change staff screens show: their batch goes once STAFF_COALESCE_MS have passed since the last one (or now). */
  private staffChanged(urgent = false): void {
    this.staff.dirty = true;
    this.staff.urgent ||= urgent;
    if (this.closed) return;
    const due = this.lastStaffFlushAt + STAFF_COALESCE_MS;
    if (urgent || this.now() >= due) this.soon();
    else this.later(due);
  }

  /** A change call boards or kiosks show at once (a call, a message, a setting): flushed at the end of this turn. */
  private screensChanged(): void {
    this.screensPending.dirty = true;
    this.soon();
  }

  private soon(): void {
    if (this.closed || this.immediate) return;
    this.immediate = setImmediate(() => this.flush(false));
  }

  /** A flush for what waits on an interval (staff's window, the queue summary, the screens' counts), unless one is due sooner. */
  private later(at: number): void {
    if (this.closed || (this.timer && this.timerAt <= at)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.flush(false);
    }, Math.max(0, at - this.now()));
  }

  private forAudience(audience: Audience, snapshot: BranchSnapshot): BranchSnapshot {
    const revision = this.revisions[audience];
    if (audience === 'staff') return { ...snapshot, revision };
    // Call boards and kiosks show no counter (and kiosks no call nor message): not kept current for them, not sent.
    if (audience === 'displays') return { ...snapshot, counters: [], revision };
    return { ...snapshot, counters: [], recentCalls: [], message: null, revision };
  }

  private send(audience: Audience, batch: Omit<ChangeBatch, 'revision'>): void {
    if (Object.keys(batch).length === 0) return;
    this.revisions[audience] += 1;
    this.d.emit(audience, { revision: this.revisions[audience], ...batch });
  }

  /** Send what is due: `all` (before a snapshot) sends staff's batch whatever its window. */
  private flush(all: boolean): void {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    const now = this.now();
    const screens = this.screensPending;
    this.screensPending = noScreenChange();
    const resync = this.staff.resync || screens.resync;

    // Once per flush at most, and at most every QUEUE_MIN_MS; a resync's snapshots carry a fresh one.
    let queue: QueueSummary | null = null;
    const nobody = this.d.size('staff') + this.d.size('displays') + this.d.size('kiosks') === 0;
    if (resync || nobody) {
      this.queueDirty = false;
      this.lastQueueAt = now;
    } else if (this.queueDirty && now - this.lastQueueAt >= QUEUE_MIN_MS) {
      queue = this.d.state.queueSummary();
      this.queueDirty = false;
      this.lastQueueAt = now;
    }
    if (queue) {
      // Staff get it with their next batch, at once or at the end of their window.
      this.staff.queue = queue;
      this.staff.dirty = true;
    }

    const staffDue = this.staff.dirty && (all || this.staff.urgent || now >= this.lastStaffFlushAt + STAFF_COALESCE_MS);
    if (staffDue) this.flushStaff(now);
    else if (this.staff.dirty) this.later(this.lastStaffFlushAt + STAFF_COALESCE_MS);
    this.flushScreens(now, screens, queue);
    if (this.queueDirty) this.later(this.lastQueueAt + QUEUE_MIN_MS);
  }

  /** Staff: everything, as deltas. */
  private flushStaff(now: number): void {
    const { calls, tickets, counterIds, message, alerts, resync, departed, queue } = this.staff;
    this.staff = noStaffChange();
    this.lastStaffFlushAt = now;
    if (this.d.size('staff') === 0) {
      // Nobody was told: a staff socket connecting later starts from a snapshot, whatever was sent before.
      for (const id of counterIds) this.sentCounters.delete(id);
      return;
    }
    const batch: Omit<ChangeBatch, 'revision'> = {};
    if (resync) batch.snapshot = this.forAudience('staff', this.d.state.snapshot(true));
    if (calls.length) batch.calls = calls;
    if (!resync) {
      const views = [...tickets.values()].map((t) => t.view ?? this.d.ticketViews.view(t.row));
      // Staff screens hold the head of each line, not all of it: tickets that left a line move others into its
      // head, which are sent with them (lineEdges).
      for (const edge of this.d.ticketViews.lineEdges(departed)) if (!tickets.has(edge.id)) views.push(edge);
      if (views.length) batch.tickets = views;
      const changed = this.changedCounters(counterIds);
      if (changed.length) batch.counters = changed;
      if (queue) batch.queue = queue;
      if (message) batch.message = message;
    }
    if (alerts.length) batch.alerts = alerts;
    this.send('staff', batch);
  }

  /** Call boards and kiosks: calls and the message at once, the waiting counts at most every SCREEN_QUEUE_MS. */
  private flushScreens(now: number, pending: ScreensPending, queue: QueueSummary | null): void {
    const { calls, message, kioskChanged, resync } = pending;
    const screenSnapshot = resync && (this.d.size('displays') > 0 || this.d.size('kiosks') > 0) ? this.d.state.snapshot(false) : null;
    for (const audience of ['displays', 'kiosks'] as const) {
      const sq = this.screens[audience];
      const present = this.d.size(audience) > 0;
      const batch: Omit<ChangeBatch, 'revision'> = {};
      if (resync) {
        sq.pending = null;
        sq.pendingKey = null;
        if (screenSnapshot) {
          batch.snapshot = this.forAudience(audience, screenSnapshot);
          sq.sentKey = screenKey(screenSnapshot.queue);
          sq.lastSentAt = now;
        }
      } else if (queue) {
        const key = screenKey(queue);
        if (key === sq.sentKey) {
          sq.pending = null;
          sq.pendingKey = null;
        } else {
          sq.pending = queue;
          sq.pendingKey = key;
        }
      }
      if (audience === 'displays') {
        if (calls.length) batch.calls = calls;
        if (message && !resync) batch.message = message;
      } else if (kioskChanged) {
        batch.kioskChanged = true;
      }
      if (!present) {
        // No socket to tell: one connecting later gets a snapshot.
        if (sq.pendingKey !== null) sq.sentKey = sq.pendingKey;
        sq.pending = null;
        sq.pendingKey = null;
        continue;
      }
      if (sq.pending && (Object.keys(batch).length > 0 || now - sq.lastSentAt >= SCREEN_QUEUE_MS)) {
        batch.queue = sq.pending;
        sq.sentKey = sq.pendingKey;
        sq.pending = null;
        sq.pendingKey = null;
        sq.lastSentAt = now;
      }
      this.send(audience, batch);
      if (sq.pending) this.later(sq.lastSentAt + SCREEN_QUEUE_MS);
    }
  }

  private changedCounters(ids: Set<string>): CounterView[] {
    const out: CounterView[] = [];
    for (const id of ids) {
      const counter = this.d.counters.find(id);
      if (!counter) {
        this.sentCounters.delete(id);
        continue;
      }
      const json = JSON.stringify(counter);
      if (this.sentCounters.get(id) === json) continue;
      this.sentCounters.set(id, json);
      out.push(counter);
    }
    return out;
  }
}
