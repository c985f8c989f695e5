// The client side of the branch's socket protocol (docs/realtime.md), without React: a snapshot on every connection,
// then numbered batches of changes. A batch is applied only as the next revision; an older one is already in the
// state; a newer one means one went missing: the store asks `state:sync` and ignores batches until the answer.
// No DOM here: the integration tests drive it with a real socket.
import { ACTIVE_STATUSES } from '../server/src/shared/domain/ticket-state.js';
import type { Alert, BranchSnapshot, CallEvent, ChangeBatch, Response } from '../server/src/shared/contracts/events.js';
import type { CounterView, TicketView } from '../server/src/shared/contracts/api.js';

const RECENT_CALLS = 12;
const ALERTS_KEPT = 50;

export interface LiveData {
  snapshot: BranchSnapshot | null;
  alerts: Alert[];
  lastCall: CallEvent | null;
  /** Bumped each time the server says the kiosk's settings changed (read GET /api/kiosk/config again). */
  settingsChanged: number;
}

export type BatchOutcome = 'applied' | 'stale' | 'gap' | 'waiting';

export interface LiveStoreHooks {
  /** Ask the server for the whole state (state:sync); the answer goes to `snapshot` (or `syncFailed`). */
  sync(): void;
  /** The data changed. */
  changed(data: LiveData): void;
  /** A call or recall to announce: once each, in order, never for calls the state already held. */
  call?(call: CallEvent): void;
}

function upsertTickets(list: TicketView[], changed: TicketView[]): TicketView[] {
  const byId = new Map(changed.map((t) => [t.id, t]));
  const kept = list.filter((x) => !byId.has(x.id));
  return kept.concat([...byId.values()].filter((t) => ACTIVE_STATUSES.includes(t.status)));
}

function upsertCounters(list: CounterView[], changed: CounterView[]): CounterView[] {
  const byId = new Map(changed.map((c) => [c.id, c]));
  return list.map((c) => byId.get(c.id) ?? c).concat(changed.filter((c) => !list.some((x) => x.id === c.id)));
}

/** The state after a batch (its revision included); a batch with a snapshot replaces the state. */
export function applyBatch(snap: BranchSnapshot, batch: ChangeBatch): BranchSnapshot {
  if (batch.snapshot) return { ...batch.snapshot, revision: batch.revision };
  const next: BranchSnapshot = { ...snap, revision: batch.revision };
  if (batch.calls?.length) next.recentCalls = [...batch.calls].reverse().concat(snap.recentCalls).slice(0, RECENT_CALLS);
  if (batch.tickets?.length) next.activeTickets = upsertTickets(snap.activeTickets, batch.tickets);
  if (batch.counters?.length) next.counters = upsertCounters(snap.counters, batch.counters);
  if (batch.queue) next.queue = batch.queue;
  if (batch.message) next.message = batch.message.text;
  return next;
}

export class LiveStore {
  private data: LiveData = { snapshot: null, alerts: [], lastCall: null, settingsChanged: 0 };
  private syncing = false;

  constructor(private readonly hooks: LiveStoreHooks) {}

  get current(): LiveData {
    return this.data;
  }

  /** On connect and as the answer to state:sync: the whole state, whatever the store held. */
  snapshot(snapshot: BranchSnapshot): void {
    this.syncing = false;
    this.set({ ...this.data, snapshot });
  }

  syncFailed(): void {
    this.syncing = false;
  }

  /** The connection dropped: the next connection starts with a snapshot. */
  disconnected(): void {
    this.syncing = false;
  }

  batch(batch: ChangeBatch): BatchOutcome {
    const snap = this.data.snapshot;
    if (!snap || this.syncing) return 'waiting';
    if (batch.revision <= snap.revision) return 'stale';
    if (batch.revision > snap.revision + 1 && !batch.snapshot) {
      this.syncing = true;
      this.hooks.sync();
      return 'gap';
    }
    const calls = batch.calls ?? [];
    this.set({
      snapshot: applyBatch(snap, batch),
      alerts: batch.alerts?.length ? [...batch.alerts].reverse().concat(this.data.alerts).slice(0, ALERTS_KEPT) : this.data.alerts,
      lastCall: calls.at(-1) ?? this.data.lastCall,
      settingsChanged: this.data.settingsChanged + (batch.kioskChanged ? 1 : 0),
    });
    for (const call of calls) this.hooks.call?.(call);
    return 'applied';
  }

  private set(data: LiveData): void {
    this.data = data;
    this.hooks.changed(data);
  }
}

/** What the store needs of a socket: Socket.IO's client socket has it. */
export interface LiveSource {
  on(event: 'state:snapshot', listener: (snapshot: BranchSnapshot) => void): unknown;
  on(event: 'changes', listener: (batch: ChangeBatch) => void): unknown;
  emit(event: 'state:sync', ack: (res: Response<BranchSnapshot>) => void): unknown;
}

/** A store fed by a socket: its snapshots and batches, and state:sync on a gap. */
export function liveStore(socket: LiveSource, hooks: Omit<LiveStoreHooks, 'sync'>): LiveStore {
  const store = new LiveStore({
    ...hooks,
    sync: () => { socket.emit('state:sync', (res) => (res.ok ? store.snapshot(res.data) : store.syncFailed())); },
  });
  socket.on('state:snapshot', (snapshot) => store.snapshot(snapshot));
  socket.on('changes', (batch) => { store.batch(batch); });
  return store;
}
