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
import { chunks, type CentralDialect } from '../db/database.js';
import { decideCalled, decideTurnNear } from '../notifications/freshness.js';
import type { Notifier, NotifyInput } from '../notifications/notifier.js';
import { notificationDb } from '../notifications/store.js';
import { parseEmail, parsePhone } from '../notifications/recipients.js';
import type { Recipient } from '../notifications/types.js';
import { newId } from '../../shared/ids.js';
import type { TrackDb, TrackTrx } from './db.js';
import type { TrackingSubscriptionsTable, TrackingTicketsTable } from './tracking.migration.js';
import type { TrackView } from '../../shared/contracts/tracking.js';
import { branchSyncFreshness, buildViews, type ViewContext } from './views.js';

/** Events read per transaction. */
const BATCH = 500;
/** Rows per multi-row statement or IN list (under both dialects' bound-parameter limits at 10 columns). */
const CHUNK = 500;

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

/** A ticket record of a batch, read once. */
interface TicketRecord { seq: number; p: PushedTicket; called: boolean; counterNumber: number | null }

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
  /** Events read per transaction (default 500; tests project record by record with 1). */
  batchSize?: number;
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

  /**
   * Read the next events of one branch, apply them and decide notifications, in one transaction. A batch costs a
   * fixed number of statements (multi-row reads and writes), not one or more per record: at national scale the
   * projection of every pushed record runs on the same database as the ingest.
   */
  async projectBranch(branchId: string): Promise<{ read: number; ticketIds: string[]; more: boolean }> {
    const { db, notifier } = this.deps;
    const batch = this.deps.batchSize ?? BATCH;
    let queued = 0;
    const result = await db.transaction().execute(async (trx) => {
      const cursor = await this.lockCursor(trx, branchId);
      const sync = await trx.selectFrom('branch_sync').select(['last_seq']).where('branch_id', '=', branchId).executeTakeFirst();
      const upTo = sync?.last_seq ?? 0;
      const events = upTo > cursor
        ? await trx.selectFrom('sync_events').select(['event_id', 'seq', 'aggregate_type', 'status', 'payload', 'occurred_at'])
          .where('branch_id', '=', branchId).where('seq', '>', cursor).where('seq', '<=', upTo)
          .orderBy('seq').limit(batch).execute()
        : [];
      // A full batch that reaches the branch's last record leaves nothing more: no empty pass after it.
      const more = events.length === batch && (events[events.length - 1]?.seq ?? upTo) < upTo;
      const newCursor = more ? (events[events.length - 1]?.seq ?? cursor) : Math.max(cursor, upTo);
      const now = this.deps.now();
      const nowIso = now.toISOString();
      const records: TicketRecord[] = [];
      for (const e of events) {
        if (e.aggregate_type !== 'ticket' || e.status !== 'applied') continue;
        let parsed: PushedTicket;
        try {
          parsed = PushedTicket.parse(JSON.parse(e.payload));
        } catch (err) {
          this.deps.logger.warn({ err, branchId, seq: e.seq }, 'tracking skipped a ticket record it cannot read');
          continue;
        }
        records.push({ seq: e.seq, p: parsed, called: CALL_EVENTS.has(parsed.event.type), counterNumber: counterNumberOf(parsed.event.data) });
      }
      await this.applyTicketFacts(trx, branchId, records, nowIso);
      if (newCursor !== cursor) await trx.updateTable('tracking_cursor').set({ last_seq: newCursor }).where('branch_id', '=', branchId).execute();
      const calls = records.filter((r) => r.called)
        .map((r) => ({ eventId: r.p.event.id, at: r.p.event.at, ticketId: r.p.ticket.id, counterNumber: r.counterNumber }));
      // Calls are decided on every batch; "turn near" only once the branch's backlog is read (positions are
      // computed from the latest state, so an intermediate batch would add nothing).
      queued += await this.notifyCalls(trx, branchId, calls, now);
      if (!more) queued += await this.notifyTurnNear(trx, branchId, now);
      return { read: events.length, ticketIds: [...new Set(records.map((r) => r.p.ticket.id))], more };
    });
    if (queued) notifier.queued();
    return result;
  }

  /**
   * Take the branch's cursor for this transaction and read it, in one statement on both dialects: an upsert locks
   * the row in PostgreSQL (until commit) and takes SQLite's write lock, so two passes never read the same cursor.
   */
  private async lockCursor(trx: TrackTrx, branchId: string): Promise<number> {
    const row = await trx.insertInto('tracking_cursor').values({ branch_id: branchId, last_seq: 0 })
      .onConflict((oc) => oc.column('branch_id').doUpdateSet((eb) => ({ last_seq: eb.ref('tracking_cursor.last_seq') })))
      .returning('last_seq').executeTakeFirstOrThrow();
    return Number(row.last_seq);
  }

  /**
   * The facts of a batch's ticket records, with the effect of applying them one by one in seq order: a record
   * newer than the ticket's row replaces its service, target counter and parking; a call sets the counter number
   * and later events keep the last one known; an older or replayed record changes nothing. The rows are read
   * once, folded here, and written back in one upsert (still guarded by source_seq).
   */
  private async applyTicketFacts(trx: TrackTrx, branchId: string, records: readonly TicketRecord[], now: string): Promise<void> {
    if (!records.length) return;
    const ids = [...new Set(records.map((r) => r.p.ticket.id))];
    const rows = new Map<string, TrackingTicketsTable>();
    for (const part of chunks(ids, CHUNK)) {
      const held = await trx.selectFrom('tracking_tickets').selectAll().where('branch_id', '=', branchId).where('ticket_id', 'in', part).execute();
      for (const h of held) rows.set(h.ticket_id, { ...h, source_seq: Number(h.source_seq) });
    }
    const changed = new Map<string, TrackingTicketsTable>();
    const contacts = new Map<string, TrackingSubscriptionsTable>();
    for (const r of records) {
      const t = r.p.ticket;
      const row = rows.get(t.id);
      if (!row || row.source_seq < r.seq) {
        const next: TrackingTicketsTable = {
          ticket_id: t.id, branch_id: branchId, service_id: t.service_id, target_counter_id: t.target_counter_id ?? null,
          parked_at: t.parked_at ?? null, counter_number: r.called ? r.counterNumber : (row?.counter_number ?? null), source_seq: r.seq,
        };
        rows.set(t.id, next);
        changed.set(t.id, next);
      }
      // Contacts given when the ticket was issued become its subscriptions (checked again: central trusts no one).
      const given: Recipient[] = [];
      try { if (t.phone) given.push({ channel: 'sms', address: parsePhone(t.phone), language: t.language }); } catch { /* not a usable number */ }
      try { if (t.email) given.push({ channel: 'email', address: parseEmail(t.email), language: t.language }); } catch { /* not a usable address */ }
      for (const c of given) {
        const key = `${t.id}\u0000${c.channel}\u0000${c.address}`;
        // The first record that gave it wins, as a later insert of the same subscription does nothing.
        if (!contacts.has(key)) {
          contacts.set(key, {
            id: newId(), ticket_id: t.id, branch_id: branchId, channel: c.channel, recipient: c.address, target: JSON.stringify(c),
            language: c.language, source: 'ticket', created_at: now, revoked_at: null,
          });
        }
      }
    }
    for (const part of chunks([...changed.values()], CHUNK)) {
      await trx.insertInto('tracking_tickets').values(part)
        .onConflict((oc) => oc.columns(['branch_id', 'ticket_id']).doUpdateSet((eb) => ({
          service_id: eb.ref('excluded.service_id'), target_counter_id: eb.ref('excluded.target_counter_id'), parked_at: eb.ref('excluded.parked_at'),
          counter_number: eb.ref('excluded.counter_number'), source_seq: eb.ref('excluded.source_seq'),
        })).where((eb) => eb('tracking_tickets.source_seq', '<', eb.ref('excluded.source_seq'))))
        .execute();
    }
    for (const part of chunks([...contacts.values()], CHUNK)) {
      await trx.insertInto('tracking_subscriptions').values(part)
        .onConflict((oc) => oc.columns(['branch_id', 'ticket_id', 'channel', 'recipient']).doNothing()).execute();
    }
  }

  /** The live subscriptions of several tickets of a branch, by ticket. */
  private async recipientsOf(trx: TrackTrx, branchId: string, ticketIds: readonly string[]): Promise<Map<string, Recipient[]>> {
    const out = new Map<string, Recipient[]>();
    for (const part of chunks([...new Set(ticketIds)], CHUNK)) {
      const rows = await trx.selectFrom('tracking_subscriptions').select(['ticket_id', 'target'])
        .where('branch_id', '=', branchId).where('ticket_id', 'in', part).where('revoked_at', 'is', null).orderBy('created_at').orderBy('id').execute();
      for (const r of rows) {
        const list = out.get(r.ticket_id) ?? [];
        list.push(JSON.parse(r.target) as Recipient);
        out.set(r.ticket_id, list);
      }
    }
    return out;
  }

  private async branchName(trx: TrackTrx, branchId: string): Promise<string> {
    const b = await trx.selectFrom('branches').select('name').where('id', '=', branchId).executeTakeFirst();
    return b?.name ?? '';
  }

  private async notifyCalls(trx: TrackTrx, branchId: string, calls: ReadonlyArray<{ eventId: string; at: string; ticketId: string; counterNumber: number | null }>, now: Date): Promise<number> {
    if (!calls.length) return 0;
    const { settings, notifier, logger } = this.deps;
    const recipients = await this.recipientsOf(trx, branchId, calls.map((c) => c.ticketId));
    const followed = calls.filter((c) => recipients.has(c.ticketId));
    if (!followed.length) return 0;
    const tickets = new Map<string, { status: string; number: string }>();
    for (const part of chunks([...new Set(followed.map((c) => c.ticketId))], CHUNK)) {
      const rows = await trx.selectFrom('tickets').select(['id', 'status', 'number']).where('branch_id', '=', branchId).where('id', 'in', part).execute();
      for (const r of rows) tickets.set(r.id, r);
    }
    const inputs: NotifyInput[] = [];
    let branchName: string | null = null;
    for (const c of followed) {
      const ticket = tickets.get(c.ticketId);
      if (!ticket) continue;
      const decision = decideCalled({ eventAt: c.at, now, currentStatus: ticket.status as TicketStatus, maxEventAgeSeconds: settings.calledMaxAgeSeconds });
      if (!decision.send) {
        logger.info({ ticketId: c.ticketId, eventId: c.eventId, reason: decision.reason }, 'call not announced');
        continue;
      }
      branchName ??= await this.branchName(trx, branchId);
      inputs.push({
        // Event ids are unique per branch only.
        eventKey: `called:${branchId}:${c.eventId}`,
        params: { kind: 'called', ticketNumber: ticket.number, counterNumber: c.counterNumber, branchName, trackUrl: trackUrl(settings.publicUrl(), c.ticketId) },
        recipients: recipients.get(c.ticketId) ?? [],
        expiresAt: new Date(now.getTime() + settings.calledMaxAgeSeconds * 1000).toISOString(),
        ref: { type: 'ticket', id: c.ticketId },
        branchId,
      });
    }
    return (await notifier.notifyMany(notificationDb(trx), inputs, now.toISOString())).queued;
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
    const due: TrackView[] = [];
    for (const v of views.values()) {
      if (!v.known || !v.status || !v.serviceId || !v.number) continue;
      const decision = decideTurnNear({
        status: v.status, position: v.position, notifyAtPosition: v.notifyAtPosition, freshness,
        ...(v.remote && { remote: { estimatedWaitMinutes: v.estimatedWaitMinutes, leadMinutes: settings.remoteLeadMinutes } }),
      });
      if (decision.send) due.push(v);
    }
    if (!due.length) return 0;
    const recipients = await this.recipientsOf(trx, branchId, due.map((v) => v.ticketId));
    const inputs: NotifyInput[] = due.map((v) => ({
      eventKey: `turn_near:${branchId}:${v.ticketId}:${v.serviceId}`,
      params: { kind: 'turn_near', ticketNumber: v.number as string, position: v.position as number, waitMinutes: v.estimatedWaitMinutes, branchName: v.branch?.name ?? '', trackUrl: trackUrl(settings.publicUrl(), v.ticketId) },
      recipients: recipients.get(v.ticketId) ?? [],
      expiresAt: new Date(now.getTime() + settings.staleAfterSeconds * 1000).toISOString(),
      ref: { type: 'ticket', id: v.ticketId },
      branchId,
    }));
    return (await notifier.notifyMany(notificationDb(trx), inputs, now.toISOString())).queued;
  }
}
