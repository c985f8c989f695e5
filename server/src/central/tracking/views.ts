// What a visitor sees of a ticket, computed at central from the tickets its branch pushed: the position by the
// branch's own call-next rule (domain/call-policy.ts) and the wait by its estimate (domain/wait-estimate.ts) from the
// pace the branch sent (its average service time and open counters: the kiosk's and the paper ticket's figure), with
// the age of the data so that nothing old is shown as current.
import { WAITING_STATUSES } from '../../shared/domain/ticket-state.js';
import { isRemoteChannel, type Language, type LocalizedText, type QueueType, type TicketStatus } from '../../shared/contracts/domain.js';
import type { TrackView } from '../../shared/contracts/tracking.js';
import { rankForCall, type CallCandidate } from '../../shared/domain/call-policy.js';
import { displayTicketNumber } from '../../shared/domain/numbering.js';
import { averageServiceMinutes, estimateWaitMinutes, SERVICE_TIME_SAMPLES } from '../../shared/domain/wait-estimate.js';
import { branchFreshness, type BranchSyncState, type Freshness } from '../notifications/freshness.js';
import type { CentralAppointmentTables } from '../booking/booking.migration.js';
import type { TrackQuery } from './db.js';

export const DEFAULT_NOTIFY_AT_POSITION = 3;
export const DEFAULT_SERVICE_MINUTES = 5;
/** Tickets issued longer ago than this are not in today's line (a branch expires them at closing). */
const QUEUE_HORIZON_MS = 36 * 3600_000;
/**
 * A counter that called a ticket of the service within this window counts as serving it. Central does not know the
 * counters' status: a line nobody called from lately counts one counter (it cannot tell "closed" from "quiet").
 */
const OPEN_COUNTER_WINDOW_MS = 60 * 60_000;

export interface ViewContext {
  now: Date;
  staleAfterSeconds: number;
  defaultNotifyAt: number;
  channels: TrackView['channels'];
  vapidPublicKey: string | null;
}

/**
 * What a visitor follows: a ticket id (from the QR code) and, when known, its branch. Central keys tickets by branch
 * and id, so a bare id held by several branches is ambiguous and resolves to no ticket (the view lists the holders).
 */
export interface TicketRef { ticketId: string; branchId?: string | null }
export const refKey = (r: TicketRef): string => `${r.branchId ?? ''}\u0000${r.ticketId}`;

interface TicketFacts {
  id: string; branch_id: string; service_id: string; number: string; status: string; language: string; called_at: string | null;
  counter_number: number | null; channel: string;
}

interface QueueEntry extends CallCandidate { parked: boolean }

const WAITING = WAITING_STATUSES; // the domain's set: one home

export function syncStateOf(row: { last_push_at: string | null; last_seq: number; head_seq: number; oldest_pending_at: string | null } | undefined): BranchSyncState | null {
  return row ? { lastPushAt: row.last_push_at, lastSeq: row.last_seq, headSeq: row.head_seq, oldestPendingAt: row.oldest_pending_at } : null;
}

export async function branchSyncFreshness(db: TrackQuery, branchId: string, now: Date, staleAfterSeconds: number): Promise<Freshness> {
  const row = await db.selectFrom('branch_sync').select(['last_push_at', 'last_seq', 'head_seq', 'oldest_pending_at']).where('branch_id', '=', branchId).executeTakeFirst();
  return branchFreshness(syncStateOf(row), now, staleAfterSeconds);
}

/** The waiting lines of some services of a branch as central knows them, by service. */
async function loadQueues(db: TrackQuery, branchId: string, serviceIds: readonly string[], now: Date): Promise<Map<string, QueueEntry[]>> {
  const rows = await db.selectFrom('tickets as t')
    .leftJoin('tracking_tickets as x', (j) => j.onRef('x.ticket_id', '=', 't.id').onRef('x.branch_id', '=', 't.branch_id'))
    .select(['t.id', 't.service_id', 't.queue_type', 't.issued_at', 't.due_at', 'x.target_counter_id', 'x.parked_at'])
    .where('t.branch_id', '=', branchId)
    .where('t.issued_at', '>=', new Date(now.getTime() - QUEUE_HORIZON_MS).toISOString())
    .where('t.service_id', 'in', serviceIds)
    .where('t.status', 'in', WAITING as TicketStatus[])
    .execute();
  const out = new Map<string, QueueEntry[]>();
  for (const r of rows) {
    const list = out.get(r.service_id) ?? [];
    list.push({
      id: r.id, serviceId: r.service_id, queueType: r.queue_type as QueueType, issuedAt: r.issued_at, dueAt: r.due_at,
      targetCounterId: r.target_counter_id ?? null, parked: r.parked_at !== null && r.parked_at !== undefined,
    });
    out.set(r.service_id, list);
  }
  return out;
}

/**
 * The branch's rule (TicketService.view): parked tickets have no place; a ticket sent to a counter ranks there.
 * Ranked once per counter context and shared by every ticket of the line a refresh shows: a tracking page per
 * ticket of a 10,000-ticket line must not sort the line 10,000 times.
 */
class LinePositions {
  private readonly byId: Map<string, QueueEntry>;
  private readonly ranks = new Map<string, Map<string, number>>();
  constructor(private readonly queue: readonly QueueEntry[], private readonly now: Date) {
    this.byId = new Map(queue.map((q) => [q.id, q]));
  }

  of(ticketId: string): number | null {
    const me = this.byId.get(ticketId);
    if (!me || me.parked) return null;
    // The ticket's own counter context: a ticket sent to a counter is ranked among what that counter calls.
    const key = me.targetCounterId ?? '';
    let ranked = this.ranks.get(key);
    if (!ranked) {
      ranked = new Map(rankForCall(this.queue.filter((q) => !q.parked), { now: this.now, counterId: me.targetCounterId }).map((c, i) => [c.id, i + 1]));
      this.ranks.set(key, ranked);
    }
    return ranked.get(ticketId) ?? null;
  }
}

/** Average minutes per visitor and counters open for a service: what estimated waits are worked out from. */
interface ServicePace { average: number; openCounters: number }

/**
 * The branch's own pace for the service, as it last sent it (a completion or a counter opening sends it again; it is
 * as current as the branch's data, whose age the view carries). No counter open: no estimate, as at the kiosk.
 */
async function branchPaces(db: TrackQuery, branchId: string, serviceIds: readonly string[]): Promise<Map<string, ServicePace>> {
  const rows = await db.selectFrom('branch_service_pace').select(['service_id', 'average_minutes', 'open_counters'])
    .where('branch_id', '=', branchId).where('service_id', 'in', serviceIds).execute();
  return new Map(rows.map((r) => [r.service_id, { average: Number(r.average_minutes), openCounters: Number(r.open_counters) }]));
}

/**
 * A branch that never sent its pace (a version from before it did): the average from the served tickets central
 * holds and the counters that called lately (at least one).
 */
async function serviceRate(db: TrackQuery, branchId: string, serviceId: string, defaultMinutes: number, now: Date): Promise<ServicePace> {
  const since = new Date(now.getTime() - QUEUE_HORIZON_MS).toISOString();
  const served = await db.selectFrom('tickets').select(['started_at', 'finished_at'])
    .where('branch_id', '=', branchId).where('issued_at', '>=', since).where('service_id', '=', serviceId).where('status', '=', 'served')
    .where('started_at', 'is not', null).where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc').limit(SERVICE_TIME_SAMPLES).execute();
  const minutes = served.map((s) => (Date.parse(s.finished_at as string) - Date.parse(s.started_at as string)) / 60_000).filter((m) => m >= 0);
  const counters = await db.selectFrom('tickets').select('counter_id').distinct()
    .where('branch_id', '=', branchId).where('issued_at', '>=', since).where('service_id', '=', serviceId)
    .where('called_at', '>=', new Date(now.getTime() - OPEN_COUNTER_WINDOW_MS).toISOString()).where('counter_id', 'is not', null)
    .execute();
  return { average: averageServiceMinutes(minutes, defaultMinutes), openCounters: Math.max(1, counters.length) };
}

function unknownView(ticketId: string, ctx: ViewContext): TrackView {
  return {
    ticketId, known: false, number: null, displayNumber: null, status: null, language: 'fr', serviceId: null, serviceName: null, branch: null, position: null,
    estimatedWaitMinutes: null, counterNumber: null, calledAt: null, notifyAtPosition: ctx.defaultNotifyAt, remote: false,
    freshness: { dataAsOf: null, ageSeconds: null, stale: true, reason: null }, staleAfterSeconds: ctx.staleAfterSeconds,
    serverTime: ctx.now.toISOString(), channels: ctx.channels, vapidPublicKey: ctx.vapidPublicKey,
  };
}

/** Views of several tickets at once (keyed by refKey): each branch's freshness and each service's line are read once. */
export async function buildViews(db: TrackQuery, refs: readonly TicketRef[], ctx: ViewContext): Promise<Map<string, TrackView>> {
  const out = new Map<string, TrackView>();
  const wanted = refs.filter((r) => r.ticketId.length > 0 && r.ticketId.length <= 64);
  const ids = [...new Set(wanted.map((r) => r.ticketId))];
  if (!ids.length) return out;
  const held: TicketFacts[] = [];
  // IN lists of a bounded size: SQLite caps bound parameters.
  for (let i = 0; i < ids.length; i += 1000) {
    held.push(...await db.selectFrom('tickets as t')
      .leftJoin('tracking_tickets as x', (j) => j.onRef('x.ticket_id', '=', 't.id').onRef('x.branch_id', '=', 't.branch_id'))
      .select(['t.id', 't.branch_id', 't.service_id', 't.number', 't.status', 't.language', 't.called_at', 't.channel', 'x.counter_number'])
      .where('t.id', 'in', ids.slice(i, i + 1000))
      .execute() as TicketFacts[]);
  }
  // Each ref resolves to the one ticket of its branch, or of the only branch holding that id.
  const resolved = new Map<string, TicketFacts>();
  const ambiguous = new Map<string, TicketFacts[]>();
  const byId = new Map<string, TicketFacts[]>();
  for (const t of held) {
    const list = byId.get(t.id);
    if (list) list.push(t);
    else byId.set(t.id, [t]);
  }
  for (const r of wanted) {
    const candidates = (byId.get(r.ticketId) ?? []).filter((t) => !r.branchId || t.branch_id === r.branchId);
    if (candidates.length === 1) resolved.set(refKey(r), candidates[0] as TicketFacts);
    else if (candidates.length > 1) ambiguous.set(refKey(r), candidates);
  }
  const tickets = [...new Map([...resolved.values()].map((t) => [`${t.branch_id}\u0000${t.id}`, t])).values()];

  const branchIds = [...new Set(tickets.map((t) => t.branch_id))];
  const branches = new Map<string, { name: string; hasLocation: boolean; freshness: Freshness }>();
  if (branchIds.length) {
    // Name, location and sync state of every branch in one read.
    const infos = await db.selectFrom('branches').leftJoin('tracking_branches as tb', 'tb.branch_id', 'branches.id')
      .leftJoin('branch_sync as bs', 'bs.branch_id', 'branches.id')
      .select(['branches.id', 'branches.name', 'tb.latitude', 'tb.longitude', 'bs.last_push_at', 'bs.last_seq', 'bs.head_seq', 'bs.oldest_pending_at'])
      .where('branches.id', 'in', branchIds).execute();
    for (const info of infos) {
      const sync = info.last_seq === null || info.last_seq === undefined ? undefined
        : { last_push_at: info.last_push_at ?? null, last_seq: Number(info.last_seq), head_seq: Number(info.head_seq ?? 0), oldest_pending_at: info.oldest_pending_at ?? null };
      branches.set(info.id, {
        name: info.name,
        hasLocation: info.latitude !== null && info.latitude !== undefined && info.longitude !== null && info.longitude !== undefined,
        freshness: branchFreshness(syncStateOf(sync), ctx.now, ctx.staleAfterSeconds),
      });
    }
  }

  const services = new Map<string, { name: LocalizedText | null; notifyAt: number; defaultMinutes: number; queue?: QueueEntry[]; positions?: LinePositions; rate?: ServicePace }>();
  const serviceKey = (t: TicketFacts) => `${t.branch_id}\u0000${t.service_id}`;
  // Each branch's services are read together: a few statements per branch, not per service.
  for (const b of branchIds) {
    const mine = tickets.filter((t) => t.branch_id === b);
    const serviceIds = [...new Set(mine.map((t) => t.service_id))];
    const waitingIds = [...new Set(mine.filter((t) => WAITING.includes(t.status as TicketStatus)).map((t) => t.service_id))];
    const cfgs = new Map((await db.selectFrom('tracking_services').selectAll().where('branch_id', '=', b).where('service_id', 'in', serviceIds).execute()).map((c) => [c.service_id, c]));
    // The head office's name for the service, else the branch's own (its directory: what the kiosk and the paper
    // ticket say), else the one it sent with its appointment settings (a branch from before directories).
    const listed = new Map((await db.selectFrom('branch_services')
      .select(['service_id', 'name_fr', 'name_wo', 'name_en', 'notify_at_position']).where('branch_id', '=', b).where('service_id', 'in', serviceIds).execute()).map((l) => [l.service_id, l]));
    const unnamed = serviceIds.filter((id) => !cfgs.get(id)?.name && !listed.has(id));
    const booked = new Map(unnamed.length ? (await db.withTables<CentralAppointmentTables>().selectFrom('appointment_services')
      .select(['service_id', 'name_fr', 'name_wo', 'name_en']).where('branch_id', '=', b).where('service_id', 'in', unnamed).execute()).map((a) => [a.service_id, a]) : []);
    const queues = waitingIds.length ? await loadQueues(db, b, waitingIds, ctx.now) : new Map<string, QueueEntry[]>();
    const paces = waitingIds.length ? await branchPaces(db, b, waitingIds) : new Map<string, ServicePace>();
    for (const serviceId of serviceIds) {
      const cfg = cfgs.get(serviceId);
      const l = listed.get(serviceId);
      const named = cfg?.name ? undefined : l ?? booked.get(serviceId);
      const s: { name: LocalizedText | null; notifyAt: number; defaultMinutes: number; queue?: QueueEntry[]; rate?: ServicePace } = {
        name: cfg?.name ? (JSON.parse(cfg.name) as LocalizedText) : named ? { fr: named.name_fr, wo: named.name_wo, en: named.name_en } : null,
        // The branch's own position for the service (set on screen there), else head office's for it, else its default.
        notifyAt: l?.notify_at_position ?? cfg?.notify_at_position ?? ctx.defaultNotifyAt,
        defaultMinutes: cfg?.default_service_minutes ?? DEFAULT_SERVICE_MINUTES,
      };
      if (waitingIds.includes(serviceId)) {
        s.queue = queues.get(serviceId) ?? [];
        s.rate = paces.get(serviceId) ?? await serviceRate(db, b, serviceId, s.defaultMinutes, ctx.now);
      }
      services.set(`${b}\u0000${serviceId}`, s);
    }
  }

  for (const [key, t] of resolved) {
    const s = services.get(serviceKey(t));
    const b = branches.get(t.branch_id);
    if (!s || !b) continue;
    if (s.queue) s.positions ??= new LinePositions(s.queue, ctx.now);
    const position = s.positions ? s.positions.of(t.id) : null;
    const called = t.status === 'called' || t.status === 'serving';
    out.set(key, {
      ticketId: t.id, known: true, number: t.number, displayNumber: displayTicketNumber(t.number), status: t.status as TicketStatus, language: t.language as Language,
      serviceId: t.service_id, serviceName: s.name, branch: { id: t.branch_id, name: b.name, hasLocation: b.hasLocation },
      position, estimatedWaitMinutes: position !== null && s.rate ? estimateWaitMinutes(position, s.rate.average, s.rate.openCounters) : null,
      counterNumber: called ? t.counter_number : null, calledAt: t.called_at, notifyAtPosition: s.notifyAt, remote: isRemoteChannel(t.channel),
      freshness: b.freshness, staleAfterSeconds: ctx.staleAfterSeconds, serverTime: ctx.now.toISOString(),
      channels: ctx.channels, vapidPublicKey: ctx.vapidPublicKey,
    });
  }
  for (const [key, list] of ambiguous) {
    const names = await db.selectFrom('branches').select(['id', 'name']).where('id', 'in', list.map((t) => t.branch_id)).execute();
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    out.set(key, { ...unknownView(list[0]?.id ?? '', ctx), holders: list.map((t) => ({ branchId: t.branch_id, branchName: nameOf.get(t.branch_id) ?? '', number: displayTicketNumber(t.number) })) });
  }
  for (const r of wanted) if (!out.has(refKey(r))) out.set(refKey(r), unknownView(r.ticketId, ctx));
  return out;
}
