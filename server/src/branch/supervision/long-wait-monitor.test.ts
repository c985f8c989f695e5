// The long-wait alert: raised once when a line's longest wait crosses its target, re-armed when it is back under.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../shared/contracts/api.js';
import type { Alert } from '../../shared/contracts/events.js';
import { nextChange, startBranch, type TestBranch, type TypedSocket } from '../../../../test/support/branch.js';
import { TestClock } from '../../../../test/support/clock.js';

describe('long-wait alert', () => {
  let b: TestBranch;
  let kiosk: string;
  let awa: string;
  let supervisor: string;
  let serviceA: string;
  let counter2: string;
  let socket: TypedSocket;
  const received: Alert[] = [];
  const clock = new TestClock('2026-03-10T09:00:00Z');

  beforeAll(async () => {
    b = await startBranch({ clock });
    kiosk = await b.kioskToken();
    awa = await b.login('awa');
    supervisor = await b.login('aminata');
    serviceA = (await b.service('A')).id; // target: 15 minutes
    counter2 = (await b.counter(2)).id; // serves A only
    socket = await b.socket(supervisor);
    socket.on('changes', (c) => received.push(...(c.alerts ?? [])));
  });
  afterAll(async () => { await b.destroy(); });

  const check = () => b.server.services.longWaits.check();

  it('raises one alert per crossing of the target, not one per sweep', async () => {
    expect((await b.api.issue(kiosk, { serviceId: serviceA })).status).toBe(201);
    expect(check()).toEqual([]);
    clock.advanceMinutes(14);
    expect(check()).toEqual([]);

    clock.advanceMinutes(1);
    const pushed = nextChange(socket, (c) => c.alerts?.find((a) => a.kind === 'long_wait'));
    const raised = check();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'long_wait', severity: 'warning', data: { serviceId: serviceA, prefix: 'A', longestWaitMinutes: 15, targetWaitMinutes: 15, waitingCount: 1 } });
    const live = await pushed;
    expect(live.id).toBe(raised[0]?.id);

    clock.advanceMinutes(5);
    expect(check()).toEqual([]);
    expect(check()).toEqual([]);
  });

  it('alerts again after the line came back under its target', async () => {
    const called = await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, {}, awa);
    expect(called.body.ticket).not.toBeNull();
    expect(check()).toEqual([]); // nobody waits: re-armed

    expect((await b.api.issue(kiosk, { serviceId: serviceA })).status).toBe(201);
    clock.advanceMinutes(16);
    expect(check()).toHaveLength(1);
    expect(check()).toEqual([]);

    const list = await b.api.get<Alert[]>('/api/alerts', supervisor);
    expect(list.status).toBe(200);
    expect(list.body.filter((a) => a.kind === 'long_wait')).toHaveLength(2);
    expect(received.filter((a) => a.kind === 'long_wait')).toHaveLength(2);
  });
});
