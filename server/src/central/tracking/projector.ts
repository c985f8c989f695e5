// Follows what branches pushed to central (sync_events, in seq order per branch, with its own cursor) and turns it
// into tracking facts and notifications:
//   - parking and counter transfers of each ticket (central's ticket rows do not keep them), the counter number of
//     calls, and the phone / e-mail a visitor gave at the kiosk (as subscriptions);
//   - "you are called at counter X" for each recent call, "your turn is near" when a followed ticket's position
//     reaches its service's N, from fresh data only.
// The cursor, the facts and the queued deliveries commit in one transaction, and the delivery log's unique key
// holds across central instances: a replayed or re-read event never queues a message twice.
import { z } from 'zod';
import type { Logger } from 'pino';
import type { TicketStatus } from '../../shared/contracts/domain.js';
import { Language } from '../../shared/contracts/domain.js';
import type { CentralDialect } from '../db/database.js';
import { decideCalled, decideTurnNear } from '../notifications/freshness.js';
import type { Notifier } from '../notifications/notifier.js';
import { notificationDb } from '../notifications/store.js';
import { parseEmail, parsePhone } from '../notifications/recipients.js';
import type { Recipient } from '../notifications/types.js';
import { newId } from '../../shared/ids.js';
import type { TrackDb, TrackTrx } from './db.js';
import { branchSyncFreshness, buildViews, type ViewContext } from './views.js';

/** Events read per transaction. */
const BATCH = 500;

/** What tracking reads of a pushed ticket record: the branch's full ticket row and the event. */
const PushedTicket = z.object({
  ticket: z.object({
    id: z.string(),
    branch_id: z.string(),
    service_id: z.string(),
    number: z.string(),
    status: z.string(),
    language: Language.catch('fr'),
    phone: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    target_counter_id: z.string().nullable().optional(),
    parked_at: z.string().nullable().optional(),
  }),
  event: z.object({
    id: z.string(),
    type: z.string(),
    at: z.string(),
    data: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
});
type PushedTicket = z.infer<typeof PushedTicket>;

const CALL_EVENTS = new Set(['called', 'recalled', 'unparked']);

export interface ProjectorSettings {
  staleAfterSeconds: number;
  /** A call older than this when central learns of it is not announced. Default staleAfterSeconds. */
  calledMaxAgeSeconds: number;
  defaultNotifyAt: number;
  /** A remote ticket's "your turn is near" also goes once its estimated wait is down to this (decideTurnNear). */
  remoteLeadMinutes: number;
  /** Base URL visitors reach central at (links in messages). */
  publicUrl: () => string;
  viewContext: () => ViewContext;
}

export interface ProjectorDeps {
  db: TrackDb;
  dialect: CentralDialect;
  now: () => Date;
  logger: Logger;
  notifier: Notifier;
  settings: ProjectorSettings;
  /** After a branch's facts committed: the hub refreshes what visitors see. */
  onProjected?: (branchId: string, ticketIds: string[]) => void;
}

export function trackUrl(base: string, ticketId: string): string {
  return `${base.replace(/\/+$/, '')}/t/${encodeURIComponent(ticketId)}`;
}

function counterNumberOf(data: Record<string, unknown> | null | undefined): number | null {
  const n = data?.counterNumber;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

export class TrackingProjector {
  private readonly dirty = new Set<string>();
  /** Branches whose followed tickets could not be evaluated because their data was stale: tried again every pass. */
  private readonly staleSkipped = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: ProjectorDeps) {}

  start(pollMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Re-evaluate a branch's followed tickets on the next pass (a new subscription, a changed setting). */
  markDirty(branchId: string): void {
    this.dirty.add(branchId);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'tracking projection failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One pass over every branch with unread events or pending re-evaluation. */
  async runOnce(): Promise<void> {
    const behind = await this.deps.db.selectFrom('branch_sync as s')
      .leftJoin('tracking_cursor as c', 'c.branch_id', 's.branch_id')
      .select(['s.branch_id'])
      .where((eb) => eb.or([eb('c.last_seq', 'is', null), eb('c.last_seq', '<', eb.ref('s.last_seq'))]))
      .where('s.last_seq', '>', 0)
      .execute();
    const branches = new Set([...behind.map((b) => b.branch_id), ...this.dirty, ...this.staleSkipped]);
    this.dirty.clear();
    for (const branchId of branches) {
      for (;;) {
        const { read, ticketIds, more } = await this.projectBranch(branchId);
        if (read || ticketIds.length) this.deps.onProjected?.(branchId, ticketIds);
        if (!more) break;
      }
    }
  }

  /** Read the next events of one branch, apply them and decide notifications, in one transaction. */
  async projectBranch(branchId: string): Promise<{ read: number; ticketIds: string[]; more: boolean }> {
    const { db, notifier } = this.deps;
    let queued = 0;
    const result = await db.transaction().execute(async (trx) => {
      const cursor = await this.lockCursor(trx, branchId);
      const sync = await trx.selectFrom('branch_sync').select(['last_seq']).where('branch_id', '=', branchId).executeTakeFirst();
      const upTo = sync?.last_seq ?? 0;
      const events = upTo > cursor
        ? await trx.selectFrom('sync_events').select(['event_id', 'seq', 'aggregate_type', 'status', 'payload', 'occurred_at'])
          .where('branch_id', '=', branchId).where('seq', '>', cursor).where('seq', '<=', upTo)
          .orderBy('seq').limit(BATCH).execute()
        : [];
      const more = events.length === BATCH;
      const newCursor = more ? (events[events.length - 1]?.seq ?? cursor) : Math.max(cursor, upTo);
      const now = this.deps.now();
      const nowIso = now.toISOString();
      const touched = new Set<string>();
      const calls: Array<{ eventId: string; at: string; ticketId: string; counterNumber: number | null }> = [];
      for (const e of events) {
        if (e.aggregate_type !== 'ticket' || e.status !== 'applied') continue;
        let parsed: PushedTicket;
        try {
          parsed = PushedTicket.parse(JSON.parse(e.payload));
        } catch (err) {
          this.deps.logger.warn({ err, branchId, seq: e.seq }, 'tracking skipped a ticket record it cannot read');
          continue;
        }
        await this.applyTicketFacts(trx, branchId, e.seq, parsed, nowIso);
        touched.add(parsed.ticket.id);
        if (CALL_EVENTS.has(parsed.event.type)) {
          calls.push({ eventId: parsed.event.id, at: parsed.event.at, ticketId: parsed.ticket.id, counterNumber: counterNumberOf(parsed.event.data) });
        }
      }
      if (newCursor !== cursor) await trx.updateTable('tracking_cursor').set({ last_seq: newCursor }).where('branch_id', '=', branchId).execute();
      // Calls are decided on every batch; "turn near" only once the branch's backlog is read (positions are
      // computed from the latest state, so an intermediate batch would add nothing).
      queued += await this.notifyCalls(trx, branchId, calls, now);
      if (!more) queued += await this.notifyTurnNear(trx, branchId, now);
      return { read: events.length, ticketIds: [...touched], more };
    });
    if (queued) notifier.queued();
    return result;
  }

  private async lockCursor(trx: TrackTrx, branchId: string): Promise<number> {
    await trx.insertInto('tracking_cursor').values({ branch_id: branchId, last_seq: 0 }).onConflict((oc) => oc.column('branch_id').doNothing()).execute();
    if (this.deps.dialect === 'postgres') {
      const row = await trx.selectFrom('tracking_cursor').select('last_seq').where('branch_id', '=', branchId).forUpdate().executeTakeFirstOrThrow();
      return row.last_seq;
    }
    // SQLite: a write takes the database lock now, so two passes never read the same cursor.
    await trx.updateTable('tracking_cursor').set((eb) => ({ last_seq: eb.ref('last_seq') })).where('branch_id', '=', branchId).execute();
    const row = await trx.selectFrom('tracking_cursor').select('last_seq').where('branch_id', '=', branchId).executeTakeFirstOrThrow();
    return row.last_seq;
  }

  private async applyTicketFacts(trx: TrackTrx, branchId: string, seq: number, p: PushedTicket, now: string): Promise<void> {
    const t = p.ticket;
    const called = CALL_EVENTS.has(p.event.type);
    const counterNumber = counterNumberOf(p.event.data);
    await trx.insertInto('tracking_tickets').values({
      ticket_id: t.id, branch_id: branchId, service_id: t.service_id, target_counter_id: t.target_counter_id ?? null,
      parked_at: t.parked_at ?? null, counter_number: called ? counterNumber : null, source_seq: seq,
    }).onConflict((oc) => oc.columns(['branch_id', 'ticket_id']).doUpdateSet((eb) => ({
      service_id: eb.ref('excluded.service_id'), target_counter_id: eb.ref('excluded.target_counter_id'), parked_at: eb.ref('excluded.parked_at'),
      // A call sets the counter; later events (start, park…) keep the last one known.
      counter_number: called ? eb.ref('excluded.counter_number') : eb.ref('tracking_tickets.counter_number'),
      source_seq: eb.ref('excluded.source_seq'),
    })).where((eb) => eb('tracking_tickets.source_seq', '<', eb.ref('excluded.source_seq'))))
      .execute();
    // Contacts given when the ticket was issued become its subscriptions (checked again: central trusts no one).
    const contacts: Recipient[] = [];
    try { if (t.phone) contacts.push({ channel: 'sms', address: parsePhone(t.phone), language: t.language }); } catch { /* not a usable number */ }
    try { if (t.email) contacts.push({ channel: 'email', address: parseEmail(t.email), language: t.language }); } catch { /* not a usable address */ }
    for (const r of contacts) {
      await trx.insertInto('tracking_subscriptions').values({
        id: newId(), ticket_id: t.id, branch_id: branchId, channel: r.channel, recipient: r.address, target: JSON.stringify(r),
        language: r.language, source: 'ticket', created_at: now, revoked_at: null,
      }).onConflict((oc) => oc.columns(['branch_id', 'ticket_id', 'channel', 'recipient']).doNothing()).execute();
    }
  }

  private async recipientsOf(trx: TrackTrx, branchId: string, ticketId: string): Promise<Recipient[]> {
    const rows = await trx.selectFrom('tracking_subscriptions').select('target')
      .where('branch_id', '=', branchId).where('ticket_id', '=', ticketId).where('revoked_at', 'is', null).execute();
    return rows.map((r) => JSON.parse(r.target) as Recipient);
  }

  private async branchName(trx: TrackTrx, branchId: string): Promise<string> {
    const b = await trx.selectFrom('branches').select('name').where('id', '=', branchId).executeTakeFirst();
    return b?.name ?? '';
  }

  private async notifyCalls(trx: TrackTrx, branchId: string, calls: Array<{ eventId: string; at: string; ticketId: string; counterNumber: number | null }>, now: Date): Promise<number> {
    let queued = 0;
    const { settings, notifier, logger } = this.deps;
    for (const c of calls) {
      const recipients = await this.recipientsOf(trx, branchId, c.ticketId);
      if (!recipients.length) continue;
      const ticket = await trx.selectFrom('tickets').select(['status', 'number']).where('branch_id', '=', branchId).where('id', '=', c.ticketId).executeTakeFirst();
      if (!ticket) continue;
      const decision = decideCalled({ eventAt: c.at, now, currentStatus: ticket.status as TicketStatus, maxEventAgeSeconds: settings.calledMaxAgeSeconds });
      if (!decision.send) {
        logger.info({ ticketId: c.ticketId, eventId: c.eventId, reason: decision.reason }, 'call not announced');
        continue;
      }
      const r = await notifier.notify(notificationDb(trx), {
        // Event ids are unique per branch only.
        eventKey: `called:${branchId}:${c.eventId}`,
        params: { kind: 'called', ticketNumber: ticket.number, counterNumber: c.counterNumber, branchName: await this.branchName(trx, branchId), trackUrl: trackUrl(settings.publicUrl(), c.ticketId) },
        recipients,
        expiresAt: new Date(now.getTime() + settings.calledMaxAgeSeconds * 1000).toISOString(),
        ref: { type: 'ticket', id: c.ticketId },
        branchId,
      }, now.toISOString());
      queued += r.queued;
    }
    return queued;
  }

  private async notifyTurnNear(trx: TrackTrx, branchId: string, now: Date): Promise<number> {
    const { settings, notifier, logger } = this.deps;
    const followed = await trx.selectFrom('tracking_subscriptions as s')
      .innerJoin('tickets as t', (j) => j.onRef('t.id', '=', 's.ticket_id').onRef('t.branch_id', '=', 's.branch_id'))
      .select('s.ticket_id').distinct()
      .where('s.branch_id', '=', branchId).where('s.revoked_at', 'is', null).where('t.status', 'in', ['waiting', 'transferred'])
      .execute();
    if (!followed.length) {
      this.staleSkipped.delete(branchId);
      return 0;
    }
    const freshness = await branchSyncFreshness(trx, branchId, now, settings.staleAfterSeconds);
    if (freshness.stale) {
      if (!this.staleSkipped.has(branchId)) logger.info({ branchId, ageSeconds: freshness.ageSeconds, reason: freshness.reason }, 'no "your turn is near" from stale data');
      this.staleSkipped.add(branchId);
      return 0;
    }
    this.staleSkipped.delete(branchId);
    const views = await buildViews(trx, followed.map((f) => ({ ticketId: f.ticket_id, branchId })), { ...settings.viewContext(), now });
    let queued = 0;
    for (const v of views.values()) {
      if (!v.known || !v.status || !v.serviceId || !v.number) continue;
      const decision = decideTurnNear({
        status: v.status, position: v.position, notifyAtPosition: v.notifyAtPosition, freshness,
        ...(v.remote && { remote: { estimatedWaitMinutes: v.estimatedWaitMinutes, leadMinutes: settings.remoteLeadMinutes } }),
      });
      if (!decision.send) continue;
      const r = await notifier.notify(notificationDb(trx), {
        eventKey: `turn_near:${branchId}:${v.ticketId}:${v.serviceId}`,
        params: { kind: 'turn_near', ticketNumber: v.number, position: v.position as number, waitMinutes: v.estimatedWaitMinutes, branchName: v.branch?.name ?? '', trackUrl: trackUrl(settings.publicUrl(), v.ticketId) },
        recipients: await this.recipientsOf(trx, branchId, v.ticketId),
        expiresAt: new Date(now.getTime() + settings.staleAfterSeconds * 1000).toISOString(),
        ref: { type: 'ticket', id: v.ticketId },
        branchId,
      }, now.toISOString());
      queued += r.queued;
    }
    return queued;
  }
}
