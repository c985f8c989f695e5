// Live updates for tracking pages: a Socket.IO namespace (/track) on central where each page joins its ticket's
// room. Views are pushed when this instance projected new facts of the branch, and when a poll of branch_sync sees
// that the branch pushed (through any central instance) or that its data turned stale.
import { isDeepStrictEqual } from 'node:util';
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import { TRACK_NAMESPACE, type TrackClientToServer, type TrackServerToClient, type TrackView } from '../../shared/contracts/tracking.js';
import type { TrackDb } from './db.js';
import type { ViewContext } from './views.js';
import { branchFreshness } from '../notifications/freshness.js';
import { buildViews, refKey, syncStateOf, type TicketRef } from './views.js';

/** Tickets one connection may follow. */
const MAX_TICKETS_PER_SOCKET = 5;

/** A followed ref, the branch its view resolved to (null: none yet, or several) and what was last sent. */
interface Watched { ref: TicketRef; branchId: string | null; lastSent: TrackView }

type TrackSocket = Socket<TrackClientToServer, TrackServerToClient>;

/** Views sent between two yields to the event loop: a refresh of 10,000 pages must not hold the thread. */
const EMIT_CHUNK = 500;
/** Joins whose views are built together (one read of each line for all of them). */
const JOIN_BATCH = 1000;

/** Whether a visitor would see a difference (the clock, serverTime and the data's age, aside), field by field. */
function sameView(a: TrackView, b: TrackView): boolean {
  const keys = Object.keys(a) as Array<keyof TrackView>;
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (k === 'serverTime') continue;
    if (k === 'freshness') {
      const fa = a.freshness;
      const fb = b.freshness;
      if (fa.dataAsOf !== fb.dataAsOf || fa.stale !== fb.stale || fa.reason !== fb.reason) return false;
      continue;
    }
    if (!isDeepStrictEqual(a[k], b[k])) return false;
  }
  return true;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TrackingHub {
  private readonly watched = new Map<string, Watched>();
  private readonly branchMarks = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  /** Joins waiting for their first view, built in batches. */
  private readonly joins: Array<{ ref: TicketRef; resolve: (v: TrackView) => void; reject: (err: unknown) => void }> = [];
  private joining = false;
  /** Branches to refresh (null: tickets not resolved yet), with tickets projected meanwhile; one refresh at a time. */
  private readonly pending = new Map<string | null, Set<string>>();
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly io: Server,
    private readonly deps: { db: TrackDb; logger: Logger; viewContext: () => ViewContext },
  ) {
    const nsp = io.of(TRACK_NAMESPACE);
    nsp.on('connection', (socket: TrackSocket) => this.onConnection(socket));
  }

  start(pollMs: number): void {
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private room(key: string): string {
    return `t:${key}`;
  }

  private onConnection(socket: TrackSocket): void {
    const mine = new Set<string>();
    socket.on('track:join', (req, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const ticketId = typeof req?.ticketId === 'string' ? req.ticketId : '';
      const branchId = typeof req?.branchId === 'string' && req.branchId.length <= 64 ? req.branchId : null;
      if (!ticketId || ticketId.length > 64) return reply({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'ticketId is required' } });
      const ref: TicketRef = { ticketId, branchId };
      const key = refKey(ref);
      if (!mine.has(key) && mine.size >= MAX_TICKETS_PER_SOCKET) {
        return reply({ ok: false, error: { code: 'TOO_MANY_TICKETS', message: `one connection follows at most ${MAX_TICKETS_PER_SOCKET} tickets` } });
      }
      mine.add(key);
      void socket.join(this.room(key));
      void this.viewOf(ref).then((view) => {
        this.watched.set(key, { ref, branchId: view.branch?.id ?? null, lastSent: view });
        reply({ ok: true, data: view });
      }).catch((err: unknown) => {
        this.deps.logger.error({ err, ticketId }, 'tracking view failed');
        reply({ ok: false, error: { code: 'INTERNAL', message: 'could not read the ticket, try again' } });
      });
    });
    socket.on('disconnect', () => {
      for (const id of mine) if (!this.io.of(TRACK_NAMESPACE).adapter.rooms.get(this.room(id))?.size) this.watched.delete(id);
    });
  }

  /**
   * A joining page's view. Joins arriving while views are being built wait and are built together: 10,000 pages
   * joining read the line a few dozen times, not 10,000 times.
   */
  private viewOf(ref: TicketRef): Promise<TrackView> {
    return new Promise<TrackView>((resolve, reject) => {
      this.joins.push({ ref, resolve, reject });
      void this.buildJoins();
    });
  }

  private async buildJoins(): Promise<void> {
    if (this.joining) return;
    this.joining = true;
    try {
      while (this.joins.length) {
        const batch = this.joins.splice(0, JOIN_BATCH);
        try {
          const views = await buildViews(this.deps.db, batch.map((j) => j.ref), this.deps.viewContext());
          for (const j of batch) j.resolve(views.get(refKey(j.ref)) as TrackView);
        } catch (err) {
          for (const j of batch) j.reject(err);
        }
      }
    } finally {
      this.joining = false;
    }
  }

  /**
   * Recompute and push the views of followed tickets of a branch (and of tickets central did not know yet).
   * Refreshes run one after another (a newer view is never overtaken by an older one); asked again meanwhile, a
   * branch is refreshed once more after.
   */
  refresh(branchId: string | null, alsoTickets: readonly string[] = []): Promise<void> {
    const also = this.pending.get(branchId) ?? new Set<string>();
    for (const t of alsoTickets) also.add(t);
    this.pending.set(branchId, also);
    this.refreshing ??= this.runRefreshes().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  private async runRefreshes(): Promise<void> {
    for (;;) {
      const next = this.pending.entries().next();
      if (next.done) return;
      const [branchId, also] = next.value;
      this.pending.delete(branchId);
      try {
        await this.refreshBranch(branchId, also);
      } catch (err) {
        this.deps.logger.error({ err, branchId }, 'tracking refresh failed');
      }
    }
  }

  private async refreshBranch(branchId: string | null, also: ReadonlySet<string>): Promise<void> {
    // A bare ref becomes ambiguous when another branch pushes the same id: the projected ids (`also`) catch it.
    const refs = [...this.watched.values()].filter((w) => w.branchId === branchId || w.branchId === null || also.has(w.ref.ticketId)).map((w) => w.ref);
    if (!refs.length) return;
    // The branch's sync mark as it is before the views are read: the next poll refreshes again only if it moves
    // after this (a push this instance projected was refreshed twice, the second time for nothing: 0.4–0.6 s of
    // the thread with 10,000 pages).
    const mark = branchId === null ? undefined : (await this.syncMarks([branchId])).get(branchId);
    const views = await buildViews(this.deps.db, refs, this.deps.viewContext());
    if (branchId !== null && mark !== undefined) this.branchMarks.set(branchId, mark);
    const nsp = this.io.of(TRACK_NAMESPACE);
    let sent = 0;
    for (const [id, view] of views) {
      const w = this.watched.get(id);
      if (!w) continue;
      w.branchId = view.branch?.id ?? null;
      if (sameView(view, w.lastSent)) continue;
      w.lastSent = view;
      nsp.to(this.room(id)).emit('track:update', view);
      // Let the sockets write and other work run between chunks.
      if (++sent % EMIT_CHUNK === 0) await yieldToLoop();
    }
  }

  /** Branches whose sync state moved (a push through another instance, a heartbeat) or whose data went stale. */
  async poll(): Promise<void> {
    if (this.polling || !this.watched.size) return;
    this.polling = true;
    try {
      const branchIds = [...new Set([...this.watched.values()].map((w) => w.branchId).filter((b): b is string => b !== null))];
      for (const [branchId, mark] of await this.syncMarks(branchIds)) {
        if (this.branchMarks.get(branchId) === mark) continue;
        this.branchMarks.set(branchId, mark);
        await this.refresh(branchId);
      }
      // Tickets central did not know yet may have arrived through another instance.
      if ([...this.watched.values()].some((w) => w.branchId === null)) await this.refresh(null);
    } catch (err) {
      this.deps.logger.error({ err }, 'tracking poll failed');
    } finally {
      this.polling = false;
    }
  }

  /**
   * What the views of each branch depend on beyond its tickets, as one string per branch: its sync state, with the
   * tracking cursor (facts another instance projected after the push, a call's counter, parking, change the views
   * too), and the views' own freshness rule, so that the mark flips when, and only when, their freshness does.
   */
  private async syncMarks(branchIds: readonly string[]): Promise<Map<string, string>> {
    const marks = new Map<string, string>();
    if (!branchIds.length) return marks;
    const ctx = this.deps.viewContext();
    const rows = await this.deps.db.selectFrom('branch_sync as s').leftJoin('tracking_cursor as c', 'c.branch_id', 's.branch_id')
      .select(['s.branch_id', 's.last_seq', 's.last_push_at', 's.oldest_pending_at', 's.head_seq', 'c.last_seq as tracked_seq']).where('s.branch_id', 'in', branchIds).execute();
    for (const r of rows) {
      const { stale } = branchFreshness(syncStateOf(r), ctx.now, ctx.staleAfterSeconds);
      marks.set(r.branch_id, `${r.last_seq}|${r.tracked_seq ?? 0}|${r.last_push_at}|${r.head_seq}|${r.oldest_pending_at}|${stale}`);
    }
    return marks;
  }
}
