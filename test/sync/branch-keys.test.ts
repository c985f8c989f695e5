// Issue 14, point 17: central keys every replicated record by its branch as well as its id. A branch B that pushes
// a record with the id of branch F's ticket (while F is offline) writes B's own row; F's real record is accepted
// when F comes back, and F's visitor sees F's ticket on the tracking page, never B's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse, SyncEvent } from '../../server/src/shared/contracts/sync.js';
import type { TrackView } from '../../server/src/shared/contracts/tracking.js';
import { ApiClient } from '../support/branch.js';
import { startCentral, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { ticketRecords } from '../support/sync-records.js';

const dialects = await centralDialects();

type Shaped = SyncEvent & { branchId?: string; payload: { ticket: Record<string, unknown>; event: Record<string, unknown> } };

describe.each(dialects)('records keyed by branch (%s)', (dialect) => {
  let central: TestCentral;
  beforeAll(async () => {
    central = await startCentral(dialect);
  });
  afterAll(async () => {
    await central?.destroy();
  });

  it("a branch that reuses another branch's ticket and event ids shadows nothing: the real records are accepted and shown", async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const f = `br-f-${suffix}`;
    const b = `br-b-${suffix}`;
    const credF = await central.enrol(f, 'Agence Fann');
    const credB = await central.enrol(b, 'Agence Bargny');
    const push = (branchId: string, credential: string, events: SyncEvent[]) =>
      new ApiClient(central.url).request<PushResponse>('POST', '/api/sync/push', { token: credential, body: { protocolVersion: 1, branchId, events } });

    // F issues a ticket while offline: nothing reaches central yet.
    const [real] = ticketRecords(f, 1, { serviceId: 'svc-f', prefix: 'A', issuedAt: new Date() }, 7) as Shaped[];
    const ticketId = real?.aggregateId as string;
    // B pushes first a record of its own with F's ticket id and event id.
    const forged = structuredClone(ticketRecords(b, 1, { serviceId: 'svc-b', prefix: 'Z', issuedAt: new Date() }, 99)[0]) as Shaped;
    forged.aggregateId = ticketId;
    forged.eventId = real?.eventId as string;
    forged.payload.ticket.id = ticketId;
    forged.payload.event.id = real?.eventId as string;
    const fromB = await push(b, credB, [forged]);
    expect(fromB.status).toBe(200);

    // F comes back: its record is accepted, not quarantined.
    const fromF = await push(f, credF, [real as SyncEvent]);
    expect(fromF.status).toBe(200);
    expect(fromF.body).toMatchObject({ ackedSeq: 1, applied: 1, rejected: [] });
    expect((await central.admin<unknown[]>('GET', `/api/central/branches/${f}/quarantine`)).body).toEqual([]);
    const fEvents = (await central.admin<Array<{ eventId: string; status: string }>>('GET', `/api/central/branches/${f}/events`)).body;
    expect(fEvents).toEqual([expect.objectContaining({ eventId: real?.eventId, status: 'applied' })]);

    // F's visitor, whose page names F's branch: F's ticket, number and branch.
    const mine = await central.api.get<TrackView>(`/api/track/${ticketId}?branch=${f}`);
    expect(mine.body).toMatchObject({ known: true, number: 'A007', branch: { id: f, name: 'Agence Fann' }, serviceId: 'svc-f' });
    const page = await fetch(`${central.url}/t/${ticketId}?branch=${f}`);
    const html = await page.text();
    expect(html).toContain('"number":"A007"');
    expect(html).not.toContain('Z099');
    // The bare id from the QR code is held by two branches: central does not guess, it lists both to choose from.
    const bare = await central.api.get<TrackView>(`/api/track/${ticketId}`);
    expect(bare.body.known).toBe(false);
    expect(bare.body.holders?.map((h) => `${h.branchName} ${h.number}`).sort()).toEqual(['Agence Bargny Z-099', 'Agence Fann A-007']);

    // F's day figures count F's ticket, B's count B's own.
    const day = new Date().toISOString().slice(0, 10);
    const statsF = await central.admin<{ totals: { issued: number }; byService: Array<{ serviceId: string }> }>('GET', `/api/central/branches/${f}/stats?day=${day}&tz=UTC`);
    expect(statsF.body.totals.issued).toBe(1);
    expect(statsF.body.byService.map((s) => s.serviceId)).toEqual(['svc-f']);
  });
});
