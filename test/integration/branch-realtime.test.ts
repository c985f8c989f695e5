// Socket.IO gateway and concurrency: real server, real socket.io clients, many agents at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, CounterView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { BranchSnapshot, ChangeBatch, Response } from '../../server/src/shared/contracts/events.js';
import { nextChange, startBranch, type TestBranch, type TypedSocket } from '../support/branch.js';

function ack<T>(socket: TypedSocket, event: string, payload: unknown): Promise<Response<T>> {
  return new Promise((resolve) => {
    (socket.emit as unknown as (e: string, p: unknown, cb: (r: Response<T>) => void) => void)(event, payload, resolve);
  });
}

function snapshotOf(socket: TypedSocket): Promise<BranchSnapshot> {
  return new Promise((resolve, reject) => socket.emit('state:sync', (r) => (r.ok ? resolve(r.data) : reject(new Error(r.error.message)))));
}

describe('branch realtime', () => {
  let b: TestBranch;
  let kiosk: string;
  let serviceA: string;

  beforeAll(async () => {
    b = await startBranch();
    kiosk = await b.kioskToken();
    serviceA = (await b.service('A')).id;
  });
  afterAll(async () => { await b.destroy(); });

  it('refuses a socket without a valid credential', async () => {
    await expect(b.socket('')).rejects.toThrow('UNAUTHENTICATED');
    await expect(b.socket('sqs_forged')).rejects.toThrow('UNAUTHENTICATED');
  });

  it('sends the current state on connect, then batches of what changed as tickets move', async () => {
    const display = await b.socket(await b.displayToken());
    // the snapshot arrives right after connect; ask again to be sure we have it
    const snap = await snapshotOf(display);
    expect(snap.branch.name).toBe('Agence Plateau');
    expect(snap.services).toHaveLength(4);
    expect(snap.counters).toEqual([]); // a call board shows no counter: none kept current for it
    expect(snap.activeTickets).toEqual([]); // displays do not get visitors' tickets
    const agentToken = await b.login('awa');
    const agent = await b.socket(agentToken);
    expect((await snapshotOf(agent)).counters).toHaveLength(4);
    const counter = (await b.counter(2)).id;

    const issued = nextChange(agent, (c) => c.tickets?.[0]);
    const queue = nextChange(display, (c) => ((c.queue?.services.find((s) => s.serviceId === serviceA)?.waitingCount ?? 0) > 0 ? c.queue : undefined));
    const t = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    expect((await issued).id).toBe(t.id);
    await queue;

    const called = nextChange(display, (c) => c.calls?.[0]);
    const res = await ack<{ ticket: TicketView | null }>(agent, 'counter:call-next', { counterId: counter, commandId: crypto.randomUUID() });
    expect(res.ok).toBe(true);
    expect(await called).toMatchObject({ ticketId: t.id, number: t.number, counterNumber: 2, counterName: 'Guichet 2', recall: false });

    const recalled = nextChange(display, (c) => c.calls?.[0]);
    expect((await ack(agent, 'ticket:recall', { ticketId: t.id })).ok).toBe(true);
    expect((await recalled).recall).toBe(true);

    const finished = nextChange(agent, (c) => c.tickets?.find((x) => x.status === 'served'));
    expect((await ack(agent, 'ticket:start', { ticketId: t.id })).ok).toBe(true);
    expect((await ack(agent, 'ticket:complete', { ticketId: t.id, outcome: 'ok' })).ok).toBe(true);
    expect(await finished).toMatchObject({ id: t.id, status: 'served' });

    // illegal transition over the socket: a clear error, nothing changed
    const again = await ack(agent, 'ticket:complete', { ticketId: t.id });
    expect(again).toEqual({ ok: false, error: { code: 'INVALID_TRANSITION', message: expect.any(String) } });
  });

  it('tells staff of a counter change once: when it calls and when it is free, not again when the visitor is started', async () => {
    const staff = await b.socket(await b.login('aminata'));
    const token = await b.login('moussa');
    const counter = await b.counter(4); // serves C first, then A
    const seen: CounterView[] = [];
    staff.on('changes', (c) => { for (const x of c.counters ?? []) if (x.id === counter.id) seen.push(x); });
    const freed = nextChange(staff, (c) => c.counters?.find((x) => x.id === counter.id && x.currentTicketId === null));
    const issued = await b.api.issue(kiosk, { serviceId: (await b.service('C')).id });
    expect(issued.status).toBe(201);
    const t = issued.body;
    // Each command's batch is awaited before the next command, so the staff window cannot merge them.
    const calledSeen = nextChange(staff, (c) => c.counters?.find((x) => x.id === counter.id && x.currentTicketId === t.id));
    expect((await b.api.post<CommandResult>(`/api/counters/${counter.id}/call-next`, {}, token)).body.ticket?.id).toBe(t.id);
    await calledSeen;
    const startedSeen = nextChange(staff, (c) => c.tickets?.find((x) => x.id === t.id && x.status === 'serving'));
    expect((await b.api.post(`/api/tickets/${t.id}/start`, {}, token)).status).toBe(200);
    await startedSeen;
    expect((await b.api.post(`/api/tickets/${t.id}/complete`, {}, token)).status).toBe(200);
    await freed;
    // Socket.IO keeps the order: what came before the "free" view is all there was.
    expect(seen.map((c) => [c.status, c.currentTicketId])).toEqual([['open', t.id], ['open', null]]);
  });

  it('sends every screen a fresh snapshot when a line changes: staff with the active tickets, call boards without', async () => {
    const supervisor = await b.login('aminata');
    const display = await b.socket(await b.displayToken());
    const staff = await b.socket(supervisor);
    const serviceD = (await b.service('D')).id;
    const t = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    const paused = (c: ChangeBatch) => (c.snapshot?.services.find((x) => x.id === serviceD)?.status === 'paused' ? c.snapshot : undefined);
    const forDisplay = nextChange(display, paused);
    const forStaff = nextChange(staff, paused);
    expect((await b.api.post(`/api/services/${serviceD}/status`, { status: 'paused' }, supervisor)).status).toBe(200);
    const [d, st] = await Promise.all([forDisplay, forStaff]);
    expect(d.activeTickets).toEqual([]);
    expect(st.activeTickets.map((x) => x.id)).toContain(t.id);
    expect((await b.api.post(`/api/services/${serviceD}/status`, { status: 'active' }, supervisor)).status).toBe(200);
  });

  it('refuses agent commands from display and kiosk sockets', async () => {
    const t = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    const counter = (await b.counter(1)).id;
    for (const token of [await b.displayToken(), kiosk]) {
      const socket = await b.socket(token);
      const r1 = await ack(socket, 'counter:call-next', { counterId: counter });
      expect(r1).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const r2 = await ack(socket, 'ticket:cancel', { ticketId: t.id });
      expect(r2).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect((await b.api.get<TicketView>(`/api/tickets/${t.id}`)).body.status).toBe('waiting');
  });

  it('validates socket command payloads', async () => {
    const agent = await b.socket(await b.login('fatou'));
    expect(await ack(agent, 'counter:call-next', { counterId: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await ack(agent, 'ticket:transfer', { ticketId: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await ack(agent, 'ticket:start', null)).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('never gives the same ticket to two agents calling at the same instant', async () => {
    const other = await startBranch();
    try {
      const k = await other.kioskToken();
      const a = (await other.service('A')).id;
      const c = (await other.service('C')).id;
      for (let i = 0; i < 30; i++) await other.api.issue(k, { serviceId: i % 2 ? a : c });
      // four counters, each with its own staff member; all press "call next" together, repeatedly, over REST and sockets
      const staff = ['awa', 'moussa', 'fatou', 'aminata'];
      const counters = await other.counters();
      const tokens = await Promise.all(staff.map((s) => other.login(s)));
      const sockets = await Promise.all(tokens.map((t) => other.socket(t)));
      const calledIds: string[] = [];
      const errors: unknown[] = [];
      for (let round = 0; round < 20 && calledIds.length < 30; round++) {
        const results = await Promise.all(counters.map((counter, i) => {
          if (i % 2 === 0) {
            return other.api.post<CommandResult>(`/api/counters/${counter.id}/call-next`, {}, tokens[i]).then((r) => r.body.ticket);
          }
          return ack<{ ticket: TicketView | null }>(sockets[i] as TypedSocket, 'counter:call-next', { counterId: counter.id }).then((r) => {
            if (!r.ok) errors.push(r.error);
            return r.ok ? r.data.ticket : null;
          });
        }));
        const tickets = results.filter((t): t is TicketView => t !== null);
        calledIds.push(...tickets.map((t) => t.id));
        // finish them so each counter can call again
        await Promise.all(tickets.map((t, i) => other.api.post(`/api/tickets/${t.id}/no-show`, {}, tokens[counters.findIndex((c2) => c2.id === t.counterId)] ?? tokens[i])));
      }
      expect(errors).toEqual([]);
      expect(calledIds.length).toBe(30);
      expect(new Set(calledIds).size).toBe(calledIds.length);
    } finally {
      await other.destroy();
    }
  });

  it('gives a reconnecting client the current state, not only later events', async () => {
    const dataDir = b.dataDir;
    const displayToken = await b.displayToken();
    const t = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    await b.close();
    b = await startBranch({ dataDir, passwords: b.passwords });
    const display = await b.socket(displayToken);
    const snapshot = await snapshotOf(display);
    const qa = snapshot.queue.services.find((s) => s.serviceId === serviceA);
    expect(qa?.waitingCount).toBeGreaterThanOrEqual(1);
    expect(snapshot.recentCalls.length).toBeGreaterThan(0); // the call board keeps its history across a restart
    const staff = await b.socket(await b.login('aminata'));
    const staffSnap = await snapshotOf(staff);
    expect(staffSnap.activeTickets.some((x) => x.id === t.id)).toBe(true);
  });
});
