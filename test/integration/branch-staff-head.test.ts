// Issue 19: a staff screen holds the head of each line (STAFF_LINE_HEAD tickets, with every ticket at a counter and
// every special one), not a line of thousands per snapshot. As tickets are called the batches bring the tickets that
// move into the head, so a screen connected before the line grew and one connected to a long line both keep the
// head the whole line's ranking gives, and the agent's "next" list stays call-next's. Real server, real sockets, the
// screens' own store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../server/src/shared/contracts/api.js';
import { counterCallOrder } from '../../server/src/shared/domain/call-policy.js';
import { isWaitingStatus } from '../../server/src/shared/domain/ticket-state.js';
import { STAFF_LINE_HEAD } from '../../server/src/branch/tickets/ticket.queries.js';
import type { Actor } from '../../server/src/branch/core/actor.js';
import { staffActor } from '../support/actors.js';
import { liveStore, type LiveStore } from '../../ui-shared/live-store.js';
import { io as ioClient } from 'socket.io-client';
import { startBranch, type TestBranch, type TypedSocket } from '../support/branch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('staff screens hold the head of each line (issue 19)', () => {
  let b: TestBranch;
  const sockets: TypedSocket[] = [];
  beforeAll(async () => { b = await startBranch(); });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await b.destroy();
  });

  const connect = async (token: string): Promise<LiveStore> => {
    const socket: TypedSocket = ioClient(b.server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
    sockets.push(socket);
    const store = liveStore(socket, { changed: () => {}, call: () => {} });
    socket.connect();
    await until('the snapshot', () => store.current.snapshot !== null);
    return store;
  };

  it('keeps the head the whole line ranks first, connected before or after the line grew', async () => {
    const s = b.server.services;
    const token = await b.login('aminata');
    const early = await connect(token);
    const serviceA = (await b.service('A')).id;
    const counter1 = await b.counter(1);
    const supervisor = staffActor(s.ctx.store, 'aminata');
    const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-test', role: 'kiosk' };
    const line = STAFF_LINE_HEAD + 40;
    for (let i = 0; i < line; i++) s.tickets.issue({ serviceId: serviceA, ...(i % 7 === 3 ? { priority: 'elderly' as const } : {}) }, kiosk);
    const late = await connect(token);

    const waitingOf = (tickets: readonly TicketView[]) => tickets.filter((t) => t.serviceId === serviceA && isWaitingStatus(t.status) && !t.parkedAt);
    const lateHeld = waitingOf(late.current.snapshot?.activeTickets ?? []);
    expect(lateHeld.length, 'a snapshot holds the head of a long line only').toBe(STAFF_LINE_HEAD);
    expect(late.current.snapshot?.queue.services.find((q) => q.serviceId === serviceA)?.waitingCount).toBe(line);

    for (let call = 0; call <= line; call++) {
      const whole = waitingOf(s.ticketViews.activeViews());
      const head = [...whole].sort((x, y) => (x.position ?? 0) - (y.position ?? 0)).slice(0, STAFF_LINE_HEAD);
      // The agent's "next" list over what the screen holds must be call-next's over the whole line.
      const next = (list: readonly TicketView[]) => counterCallOrder(list, counter1, new Set(), new Date()).slice(0, 6).map((t) => t.number);
      const check = (store: LiveStore) => {
        const held = waitingOf(store.current.snapshot?.activeTickets ?? []);
        const ids = new Set(held.map((t) => t.id));
        return { missing: head.filter((t) => !ids.has(t.id)).map((t) => `${t.number} (position ${t.position})`), next: next(held) };
      };
      const expected = { missing: [], next: next(whole) };
      // Batches are flushed at the end of the turn: give a loaded machine time to deliver them, then compare.
      await until('the batches', () => [early, late].every((st) => JSON.stringify(check(st)) === JSON.stringify(expected)), 3_000).catch(() => {});
      expect(check(early), `connected before, after ${call} calls`).toEqual(expected);
      expect(check(late), `connected to the long line, after ${call} calls`).toEqual(expected);
      if (whole.length === 0) break;
      const called = s.tickets.callNext(counter1.id, supervisor);
      if (!called) break;
      s.tickets.complete(s.tickets.start(called.id, supervisor).id, supervisor, {});
    }
    expect(waitingOf(s.ticketViews.activeViews())).toEqual([]);
  });
});
