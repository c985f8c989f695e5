// Issue 19: the branch's broadcasts. One `changes` message per socket per turn of the event loop however many
// changes it holds, nothing to a screen that shows nothing of a change, staff screens kept by deltas with a revision
// (a snapshot only on connection or on a gap), and each call announced once on a board. Real server, real
// Socket.IO clients; the client side is the screens' own store (ui-shared/live-store.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, TicketView } from '../../server/src/shared/contracts/api.js';
import type { BranchSnapshot, CallEvent, ChangeBatch } from '../../server/src/shared/contracts/events.js';
import { SCREEN_QUEUE_MS } from '../../server/src/branch/realtime/fanout.js';
import { liveStore, LiveStore, type LiveSource } from '../../ui-shared/live-store.js';
import { io as ioClient } from 'socket.io-client';
import { startBranch, type TestBranch, type TypedSocket } from '../support/branch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SYSTEM = { kind: 'system' } as const;

/** Every batch a socket receives from now on. */
function record(socket: TypedSocket): ChangeBatch[] {
  const got: ChangeBatch[] = [];
  socket.on('changes', (c) => got.push(c));
  return got;
}

function snapshotOf(socket: TypedSocket): Promise<BranchSnapshot> {
  return new Promise((resolve, reject) => socket.emit('state:sync', (r) => (r.ok ? resolve(r.data) : reject(new Error(r.error.message)))));
}

/** A socket with the screens' store listening from before it connects (so it sees the connection's snapshot). */
async function connectStore(url: string, token: string, calls: CallEvent[] = []): Promise<{ socket: TypedSocket; store: LiveStore }> {
  const socket: TypedSocket = ioClient(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  const store = liveStore(socket, { changed: () => {}, call: (c) => calls.push(c) });
  socket.connect();
  await until('the connection\'s snapshot', () => store.current.snapshot !== null);
  return { socket, store };
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** What deltas keep current: positions and estimates are those of each ticket's own last change (docs/realtime.md). */
function comparable(s: BranchSnapshot) {
  return {
    revision: s.revision,
    branch: s.branch,
    services: s.services,
    counters: [...s.counters].sort((x, y) => x.id.localeCompare(y.id)),
    activeTickets: [...s.activeTickets].sort((x, y) => x.id.localeCompare(y.id))
      .map(({ position: _p, estimatedWaitMinutes: _e, noOpenCounter: _n, ...rest }) => rest),
    queue: s.queue.services.map(({ serviceId, status, waitingCount, openCounters, averageServiceMinutes }) => ({ serviceId, status, waitingCount, openCounters, averageServiceMinutes })),
    recentCalls: s.recentCalls,
    message: s.message,
    skipAbsent: s.skipAbsent,
    closure: s.closure,
  };
}

describe('branch broadcasts (issue 19)', () => {
  let b: TestBranch;
  let kiosk: string;
  let serviceA: string;
  let serviceC: string;

  beforeAll(async () => {
    b = await startBranch();
    kiosk = await b.kioskToken();
    serviceA = (await b.service('A')).id;
    serviceC = (await b.service('C')).id;
  });
  afterAll(async () => { await b.destroy(); });

  const tickets = () => b.server.services.tickets;
  /** Long enough for the queue summary and the screens' waiting counts to be due again. */
  const quiet = () => sleep(SCREEN_QUEUE_MS + 150);

  it('gives each socket one message for all the changes of one turn', async () => {
    const staff = await b.socket(await b.login('aminata'));
    const display = await b.socket(await b.displayToken());
    const kioskSocket = await b.socket(kiosk);
    const counter = (await b.counter(1)).id; // serves A
    await quiet();
    const got = { staff: record(staff), display: record(display), kiosk: record(kioskSocket) };
    // Three tickets issued and one called, in one turn of the event loop.
    const issued = [1, 2, 3].map(() => tickets().issue({ serviceId: serviceA }, SYSTEM));
    const called = tickets().callNext(counter, SYSTEM);
    expect(called).not.toBeNull();
    await sleep(300);
    expect(got.staff).toHaveLength(1);
    expect(got.display).toHaveLength(1);
    expect(got.kiosk).toHaveLength(1);
    const [st] = got.staff;
    expect(st?.tickets?.map((t) => t.id).sort()).toEqual(issued.map((t) => t.id).sort());
    expect(st?.tickets?.find((t) => t.id === called?.id)?.status).toBe('called');
    expect(st?.calls?.map((c) => c.ticketId)).toEqual([called?.id]);
    expect(st?.counters?.map((c) => c.id)).toEqual([counter]);
    expect(st?.queue).toBeDefined();
    // The board: the call and its line's new count; no ticket, no counter.
    expect(Object.keys(got.display[0] ?? {}).sort()).toEqual(['calls', 'queue', 'revision']);
    // The kiosk: the waiting count only.
    expect(Object.keys(got.kiosk[0] ?? {}).sort()).toEqual(['queue', 'revision']);
    expect(got.kiosk[0]?.queue).toEqual(st?.queue); // one summary worked out for all
    tickets().noShow(called?.id as string, SYSTEM); // counter 1 free for the next tests
  });

  it('sends a kiosk nothing of a call cycle but the line\'s new count, and a call board nothing of a start or a completion', async () => {
    const agent = await b.login('awa');
    const counter = (await b.counter(2)).id;
    expect((await b.api.issue(kiosk, { serviceId: serviceA })).status).toBe(201);
    const display = await b.socket(await b.displayToken());
    const kioskSocket = await b.socket(kiosk);
    await quiet();

    let got = { display: record(display), kiosk: record(kioskSocket) };
    const ticket = (await b.api.post<CommandResult>(`/api/counters/${counter}/call-next`, {}, agent)).body.ticket as TicketView;
    expect(ticket).not.toBeNull();
    await quiet();
    // The board announces the call; the kiosk only learns that one fewer waits (at most a second later).
    expect(got.display.flatMap((c) => c.calls ?? []).map((c) => c.ticketId)).toEqual([ticket.id]);
    expect(got.kiosk.length).toBeLessThanOrEqual(1);
    for (const c of got.kiosk) expect(Object.keys(c).sort()).toEqual(['queue', 'revision']);

    display.removeAllListeners('changes');
    kioskSocket.removeAllListeners('changes');
    got = { display: record(display), kiosk: record(kioskSocket) };
    expect((await b.api.post(`/api/tickets/${ticket.id}/start`, {}, agent)).status).toBe(200);
    expect((await b.api.post(`/api/tickets/${ticket.id}/complete`, {}, agent)).status).toBe(200);
    await quiet();
    expect(got.display).toEqual([]);
    expect(got.kiosk).toEqual([]);
  });

  it('keeps a staff screen by deltas equal to a fresh snapshot after a burst of commands', async () => {
    const supervisor = await b.login('aminata');
    const { socket: staff, store } = await connectStore(b.url, supervisor);
    const counters = await Promise.all([1, 2, 4].map((n) => b.counter(n)));
    // A burst: kiosk issues, calls, a start and a completion, a transfer, a no-show, a cancel, a board message, over
    // HTTP, and an in-process turn with several changes.
    const issued = await Promise.all(Array.from({ length: 12 }, (_, i) => b.api.issue(kiosk, { serviceId: i % 3 ? serviceA : serviceC })));
    expect(issued.every((r) => r.status === 201)).toBe(true);
    const called = await Promise.all(counters.map((c) => b.api.post<CommandResult>(`/api/counters/${c.id}/call-next`, {}, supervisor)));
    const [t1, t2, t3] = called.map((r) => r.body.ticket as TicketView);
    expect([t1, t2, t3].every((t) => t)).toBe(true);
    const results = await Promise.all([
      b.api.post(`/api/tickets/${t1?.id}/start`, {}, supervisor).then(() => b.api.post(`/api/tickets/${t1?.id}/complete`, {}, supervisor)),
      b.api.post(`/api/tickets/${t2?.id}/transfer`, { serviceId: serviceC }, supervisor),
      b.api.post(`/api/tickets/${t3?.id}/no-show`, {}, supervisor),
      b.api.post(`/api/tickets/${issued[5]?.body.id}/cancel`, {}, supervisor),
      b.api.request('PUT', '/api/display/message', { token: supervisor, body: { text: 'Bienvenue' } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 3; i++) tickets().issue({ serviceId: serviceA }, SYSTEM);
    await sleep(300);
    const fresh = await snapshotOf(staff);
    const held = store.current.snapshot as BranchSnapshot;
    expect(held.revision).toBe(fresh.revision);
    expect(held.message).toBe('Bienvenue');
    expect(comparable(held)).toEqual(comparable(fresh));
    staff.disconnect();
  });

  it('asks state:sync when a batch is missing, and ends equal to the server', async () => {
    const staff = await b.socket(await b.login('aminata'));
    // The screens' store, fed by the socket with one batch lost on the way.
    let dropped: ChangeBatch | null = null;
    let syncs = 0;
    const lossy: LiveSource = {
      on: ((event: 'state:snapshot' | 'changes', listener: (x: never) => void) => {
        if (event === 'state:snapshot') staff.on('state:snapshot', listener as (snapshot: BranchSnapshot) => void);
        else staff.on('changes', (c) => { if (!dropped && c.tickets) dropped = c; else (listener as (c: ChangeBatch) => void)(c); });
      }) as LiveSource['on'],
      emit: ((event: 'state:sync', ack: Parameters<LiveSource['emit']>[1]) => { syncs += 1; staff.emit(event, ack); }) as LiveSource['emit'],
    };
    const store = liveStore(lossy, { changed: () => {} });
    // This test's socket connected before the store listened: start it from a snapshot asked for.
    store.snapshot(await snapshotOf(staff));
    const first = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    await until('the first batch to be lost', () => dropped !== null);
    // The next batch (this ticket's, or the queue summary's a few ms later) shows the gap: one state:sync.
    const second = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    await until('the store to sync', () => syncs === 1 && (store.current.snapshot?.activeTickets.some((t) => t.id === second.id) ?? false));
    const held = store.current.snapshot as BranchSnapshot;
    expect(held.activeTickets.some((t) => t.id === first.id)).toBe(true); // the lost batch's ticket, from the sync
    expect(held.revision).toBeGreaterThanOrEqual((dropped as ChangeBatch | null)?.revision ?? Number.NaN);
    await sleep(100);
    expect(comparable(store.current.snapshot as BranchSnapshot)).toEqual(comparable(await snapshotOf(staff)));
    expect(syncs).toBe(1);
  });

  it('applies a batch only as the next revision: older ones are ignored, a newer one is a gap', () => {
    let syncs = 0;
    const calls: CallEvent[] = [];
    const store = new LiveStore({ sync: () => { syncs += 1; }, changed: () => {}, call: (c) => calls.push(c) });
    const call = (n: string): CallEvent => ({ ticketId: n, number: n, serviceId: 's', queueType: 'normal', counterId: 'c', counterNumber: 1, counterName: 'Guichet 1', at: '2026-12-02T10:00:00Z', recall: false });
    const base = { revision: 5, recentCalls: [], activeTickets: [], counters: [] } as unknown as BranchSnapshot;
    expect(store.batch({ revision: 1, calls: [call('A001')] })).toBe('waiting'); // no snapshot yet
    store.snapshot(base);
    expect(store.batch({ revision: 5, calls: [call('A001')] })).toBe('stale');
    expect(store.batch({ revision: 6, calls: [call('A002'), call('A003')] })).toBe('applied');
    expect(store.current.snapshot?.recentCalls.map((c) => c.number)).toEqual(['A003', 'A002']);
    expect(store.batch({ revision: 6, calls: [call('A002')] })).toBe('stale');
    expect(store.batch({ revision: 8, calls: [call('A005')] })).toBe('gap');
    expect(store.batch({ revision: 9, calls: [call('A006')] })).toBe('waiting'); // until the sync answers
    expect(syncs).toBe(1);
    store.snapshot({ ...base, revision: 9 });
    expect(store.batch({ revision: 10, calls: [call('A007')] })).toBe('applied');
    expect(calls.map((c) => c.number)).toEqual(['A002', 'A003', 'A007']);
  });

  it('announces a call once on a board that connects while the call waits to be flushed, and once on the others', async () => {
    const token = await b.displayToken();
    const counter = (await b.counter(4)).id; // serves C first, then A
    tickets().issue({ serviceId: serviceC }, SYSTEM);
    tickets().issue({ serviceId: serviceC }, SYSTEM);
    const earlierCalls: CallEvent[] = [];
    const { socket: earlier, store: earlierStore } = await connectStore(b.url, token, earlierCalls);
    await quiet();
    // The call is made inside the new board's connection handler, just before its snapshot is taken: the batch that
    // holds it is still to be flushed when the socket joins.
    const devices = b.server.services.devices;
    const original = devices.socketOpened.bind(devices);
    let call: TicketView | null = null;
    devices.socketOpened = (id: string) => {
      devices.socketOpened = original;
      call = tickets().callNext(counter, SYSTEM);
      original(id);
    };
    const lateCalls: CallEvent[] = [];
    const { socket: late, store: lateStore } = await connectStore(b.url, token, lateCalls);
    const first = call as TicketView | null;
    expect(first).not.toBeNull();
    await until('the first board to announce it', () => earlierCalls.length === 1);
    await sleep(200);
    expect(earlierCalls.map((c) => c.ticketId)).toEqual([first?.id]);
    expect(lateCalls).toEqual([]); // it came in the snapshot: shown as the current call, not announced again
    expect(lateStore.current.snapshot?.recentCalls[0]?.ticketId).toBe(first?.id);

    // The next call: announced once on each.
    expect((await b.api.post(`/api/tickets/${first?.id}/no-show`, {}, await b.login('aminata'))).status).toBe(200);
    const next = tickets().callNext(counter, SYSTEM);
    await until('both boards to announce the next call', () => earlierCalls.length === 2 && lateCalls.length === 1);
    await sleep(200);
    expect(earlierCalls.map((c) => c.ticketId)).toEqual([first?.id, next?.id]);
    expect(lateCalls.map((c) => c.ticketId)).toEqual([next?.id]);
    expect(lateStore.current.snapshot?.recentCalls.map((c) => c.ticketId)).toEqual(earlierStore.current.snapshot?.recentCalls.map((c) => c.ticketId));
    earlier.disconnect();
    late.disconnect();
  });
});
