// Live updates for tracking pages: a Socket.IO namespace (/track) on central where each page joins its ticket's
// room. Views are pushed when this instance projected new facts of the branch, and when a poll of branch_sync sees
// that the branch pushed (through any central instance) or that its data turned stale.
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
interface Watched { ref: TicketRef; branchId: string | null; lastSent: string }

type TrackSocket = Socket<TrackClientToServer, TrackServerToClient>;

/** What changes for the visitor (not the clock). */
function signature(v: TrackView): string {
  return JSON.stringify({ ...v, serverTime: null, freshness: { ...v.freshness, ageSeconds: null } });
}

export class TrackingHub {
  private readonly watched = new Map<string, Watched>();
  private readonly branchMarks = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

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
        this.watched.set(key, { ref, branchId: view.branch?.id ?? null, lastSent: signature(view) });
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

  private async viewOf(ref: TicketRef): Promise<TrackView> {
    const views = await buildViews(this.deps.db, [ref], this.deps.viewContext());
    return views.get(refKey(ref)) as TrackView;
  }

  /** Recompute and push the views of followed tickets of a branch (and of tickets central did not know yet). */
  async refresh(branchId: string | null, alsoTickets: readonly string[] = []): Promise<void> {
    const also = new Set(alsoTickets);
    // A bare ref becomes ambiguous when another branch pushes the same id: the projected ids (`also`) catch it.
    const refs = [...this.watched.values()].filter((w) => w.branchId === branchId || w.branchId === null || also.has(w.ref.ticketId)).map((w) => w.ref);
    if (!refs.length) return;
    const views = await buildViews(this.deps.db, refs, this.deps.viewContext());
    const nsp = this.io.of(TRACK_NAMESPACE);
    for (const [id, view] of views) {
      const w = this.watched.get(id);
      if (!w) continue;
      const sig = signature(view);
      w.branchId = view.branch?.id ?? null;
      if (sig === w.lastSent) continue;
      w.lastSent = sig;
      nsp.to(this.room(id)).emit('track:update', view);
    }
  }

  /** Branches whose sync state moved (a push through another instance, a heartbeat) or whose data went stale. */
  async poll(): Promise<void> {
    if (this.polling || !this.watched.size) return;
    this.polling = true;
    try {
      const branchIds = [...new Set([...this.watched.values()].map((w) => w.branchId).filter((b): b is string => b !== null))];
      const ctx = this.deps.viewContext();
      const rows = branchIds.length
        ? await this.deps.db.selectFrom('branch_sync').select(['branch_id', 'last_seq', 'last_push_at', 'oldest_pending_at', 'head_seq']).where('branch_id', 'in', branchIds).execute()
        : [];
      for (const r of rows) {
        // The views' own rule: a mark that flips when, and only when, the views' freshness does.
        const { stale } = branchFreshness(syncStateOf(r), ctx.now, ctx.staleAfterSeconds);
        const mark = `${r.last_seq}|${r.last_push_at}|${r.head_seq}|${r.oldest_pending_at}|${stale}`;
        if (this.branchMarks.get(r.branch_id) === mark) continue;
        this.branchMarks.set(r.branch_id, mark);
        await this.refresh(r.branch_id);
      }
      // Tickets central did not know yet may have arrived through another instance.
      if ([...this.watched.values()].some((w) => w.branchId === null)) await this.refresh(null);
    } catch (err) {
      this.deps.logger.error({ err }, 'tracking poll failed');
    } finally {
      this.polling = false;
    }
  }
}
