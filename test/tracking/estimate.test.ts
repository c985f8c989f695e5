// One estimate wherever the visitor looks: a real branch syncs to a real central; the wait its kiosk shows and its
// printer prints for a ticket (a fake TCP printer, decoded as a printer reads it) is the wait central's tracking
// page shows for that ticket, as the line moves (a measured service time, a counter closing), and the page names
// the service as the branch does. Service D of the demo agency takes 12 minutes a visitor where central's own
// default is 5: before, the phone said 5 min where the paper said 12.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import { DEFAULT_SERVICE_MINUTES } from '../../server/src/central/tracking/views.js';
import { decodeEscPos } from '../fixtures/escpos-decoder.js';
import { FakePrinter } from '../fixtures/fake-printer.js';
import { centralDialects } from '../support/postgres.js';
import { waitFor } from '../support/central.js';
import { startTrackingWorld, type TrackingWorld } from './support.js';

const dialects = await centralDialects();

describe.each(dialects)('the estimate on the phone is the branch\'s, on %s', (dialect) => {
  const printer = new FakePrinter();
  let w: TrackingWorld;
  let serviceD: ServiceView;
  let counter = '';
  const tickets: TicketView[] = [];

  /** Until central holds everything the branch wrote (its outbox is empty): the view is then the branch's state. */
  async function caughtUp(): Promise<void> {
    await waitFor('the branch to have pushed everything', async () => {
      const h = (await w.branch.api.get<Health>('/api/health')).body;
      return h.sync.backlog === 0 && h.sync.lastError === null;
    }, 20_000);
  }
  async function atBranch(id: string): Promise<TicketView> {
    return (await w.branch.api.get<TicketView>(`/api/tickets/${id}`)).body;
  }

  beforeAll(async () => {
    await printer.start();
    w = await startTrackingWorld(dialect, { printer: printer.spec });
    serviceD = await w.branch.service('D');
    expect(serviceD.defaultServiceMinutes).toBe(12);
    expect(DEFAULT_SERVICE_MINUTES).not.toBe(12);
    counter = await w.openCounter('awa', 3);
    for (let i = 0; i < 3; i++) {
      const r = await w.branch.api.issue(w.kiosk, { serviceId: serviceD.id, language: 'fr' });
      expect(r.status).toBe(201);
      tickets.push(r.body);
    }
  });
  afterAll(async () => {
    await w?.close();
    await printer.close();
  });

  it('shows the kiosk\'s and the paper ticket\'s wait, and the branch\'s name for the service', async () => {
    // The kiosk's answer: 3rd in line, one counter, 12 minutes a visitor.
    const last = tickets[2] as TicketView;
    expect(last.position).toBe(3);
    expect(last.estimatedWaitMinutes).toBe(36);
    const printed = await w.branch.api.post(`/api/tickets/${last.id}/print`, {}, w.kiosk);
    expect(printed.status).toBe(200);
    const [job] = await printer.waitForJobs(1);
    const lines = decodeEscPos(job as Buffer, { chineseByDefault: true }).lines.map((l) => l.text);
    expect(lines.some((l) => /Attente estimée/.test(l) && /\b36 min\b/.test(l)), lines.join('\n')).toBe(true);

    await caughtUp();
    for (const t of tickets) {
      const v = await w.view(t.id);
      expect(v).toMatchObject({ known: true, position: t.position, estimatedWaitMinutes: t.estimatedWaitMinutes });
      expect(v.freshness.stale).toBe(false);
      // Head office named nothing: the branch's own names, in every language.
      expect(v.serviceName).toEqual(serviceD.name);
    }
  });

  it('follows the branch\'s measured pace and says no wait when no counter is open, as the kiosk does', async () => {
    // The first visitor is served in no time: the branch's average falls below 12 minutes.
    const token = await w.branch.login('awa');
    const call = await w.branch.api.post<{ ticket: TicketView | null }>(`/api/counters/${counter}/call-next`, {}, token);
    expect(call.body.ticket?.id).toBe(tickets[0]?.id);
    for (const step of ['start', 'complete']) expect((await w.branch.api.post(`/api/tickets/${tickets[0]?.id}/${step}`, {}, token)).status).toBe(200);
    const second = await atBranch(tickets[1]?.id as string);
    const third = await atBranch(tickets[2]?.id as string);
    expect(second.position).toBe(1);
    expect(third.position).toBe(2);
    expect(third.estimatedWaitMinutes).toBeLessThan(24);
    await caughtUp();
    for (const t of [second, third]) {
      expect(await w.view(t.id)).toMatchObject({ position: t.position, estimatedWaitMinutes: t.estimatedWaitMinutes });
    }

    // The counter closes: the branch promises no wait (no counter open); neither does the phone.
    expect((await w.branch.api.post(`/api/counters/${counter}/status`, { status: 'closed' }, token)).status).toBe(200);
    const waiting = await atBranch(third.id);
    expect(waiting).toMatchObject({ position: 2, estimatedWaitMinutes: null, noOpenCounter: true });
    await caughtUp();
    expect(await w.view(third.id)).toMatchObject({ position: 2, estimatedWaitMinutes: null });
  });
});
