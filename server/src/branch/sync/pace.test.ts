// When the branch queues its services' pace for head office: after what moves an estimate (a counter opening or
// closing, a completion), and not after a counter merely taking or letting go of a ticket (a call, a start), which
// does not even look (the look reads every service and the open counters: it ran after every command before).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import { staffActor } from '../../../../test/support/actors.js';
import { SERVICE_PACE, type ServicePaceV1 } from '../../shared/contracts/branch-directory.js';
import type { Actor } from '../core/actor.js';

describe("the services' pace for head office", () => {
  let p: TestParts;
  let awa: Actor;
  let serviceA: string;
  let counter1: string;
  const kiosk: Actor = { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' };
  let lookedAt: { mock: { calls: unknown[][] } };

  beforeEach(async () => {
    p = await buildTestParts('2026-03-10T09:00:00Z');
    awa = staffActor(p.ctx.store, 'awa');
    serviceA = p.catalog.list().find((s) => s.prefix === 'A')?.id as string;
    counter1 = p.counters.list().find((c) => c.number === 1)?.id as string;
    lookedAt = vi.spyOn(p.ticketViews, 'estimateBases');
  });
  afterEach(() => p.close());

  /** The pace records queued since the last call, once the look that follows a change (next turn) has run. */
  let seen = 0;
  let looks = 0;
  const queued = async (): Promise<ServicePaceV1[]> => {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    p.ctx.uow.settle();
    looks = lookedAt.mock.calls.length;
    const rows = p.ctx.store.sqlite.prepare('SELECT payload FROM outbox WHERE event_type = ? ORDER BY seq').all(SERVICE_PACE) as { payload: string }[];
    const fresh = rows.slice(seen).map((r) => JSON.parse(r.payload) as ServicePaceV1);
    seen = rows.length;
    return fresh;
  };

  it('is queued when a call opens the counter and at a completion, not when the counter only takes a ticket', async () => {
    await queued();
    const first = p.tickets.issue({ serviceId: serviceA }, kiosk);
    const second = p.tickets.issue({ serviceId: serviceA }, kiosk);
    expect(await queued()).toEqual([]);

    // The call opens counter 1: its services have one more open counter.
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(first.id);
    const opened = await queued();
    expect(opened.find((x) => x.serviceId === serviceA)).toMatchObject({ openCounters: 1 });

    // Taking the ticket to the desk moves nothing an estimate is made of: not looked at.
    const looksBefore = looks;
    p.clock.advance(4 * 60_000);
    p.tickets.start(first.id, awa);
    expect(await queued()).toEqual([]);
    expect(looks).toBe(looksBefore);

    // A completion measures a service time: the line's average moves.
    p.clock.advance(2 * 60_000);
    p.tickets.complete(first.id, awa, {});
    const served = await queued();
    expect(served.map((x) => x.serviceId)).toContain(serviceA);
    const before = opened.find((x) => x.serviceId === serviceA)?.averageMinutes as number;
    expect(served.find((x) => x.serviceId === serviceA)?.averageMinutes).toBeLessThan(before);

    // The next call at the open counter takes a ticket only.
    const looksAtCall = looks;
    expect(p.tickets.callNext(counter1, awa)?.id).toBe(second.id);
    expect(await queued()).toEqual([]);
    expect(looks).toBe(looksAtCall);

    // Closing the counter (after its ticket): no counter open for its services any more.
    p.tickets.noShow(second.id, awa);
    expect(await queued()).toEqual([]);
    p.counters.setStatus(counter1, 'closed', awa);
    expect((await queued()).find((x) => x.serviceId === serviceA)).toMatchObject({ openCounters: 0 });
  });
});
