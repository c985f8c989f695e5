// The branch server's REST API against a real server, a real SQLite file and real HTTP.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, QueueSummary, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { TestClock } from '../support/clock.js';

type ErrorShape = { error: { code: string; message: string } };

function expectError(res: { status: number; body: unknown }, status: number, code?: string) {
  expect(res.status).toBe(status);
  const body = res.body as ErrorShape;
  expect(typeof body.error.code).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(3);
  if (code) expect(body.error.code).toBe(code);
}

function countRows(b: TestBranch, table: string): number {
  const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('branch REST API', () => {
  let b: TestBranch;
  let kiosk: string;
  let awa: string;
  let moussa: string;
  let admin: string;
  let svcA: ServiceView;
  let svcC: ServiceView;
  let counter1: string;
  let counter2: string;
  const clock = new TestClock('2026-11-24T10:00:00Z'); // a Tuesday, 10:00 in Dakar

  beforeAll(async () => {
    b = await startBranch({ clock });
    kiosk = await b.kioskToken();
    awa = await b.login('awa');
    moussa = await b.login('moussa');
    admin = await b.login('admin');
    svcA = await b.service('A');
    svcC = await b.service('C');
    counter1 = (await b.counter(1)).id;
    counter2 = (await b.counter(2)).id;
  });
  afterAll(async () => { await b.destroy(); });

  it('answers health with the database in WAL mode', async () => {
    const res = await b.api.get<{ status: string; database: { journalMode: string }; timeZone: string }>('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database.journalMode).toBe('wal');
    expect(res.body.timeZone).toBe('Africa/Dakar');
  });

  it('lists services with names in three languages, and counters with their services', async () => {
    const services = await b.services();
    expect(services.map((s) => s.prefix)).toEqual(['A', 'B', 'C', 'D']);
    expect(services[0]?.name).toEqual({ fr: 'Dépôt / Retrait', wo: 'Denc / Génne xaalis', en: 'Deposit / Withdrawal' });
    const counters = await b.counters();
    expect(counters).toHaveLength(4);
    expect(counters.find((c) => c.number === 1)?.serviceIds).toEqual([svcA.id, svcC.id]);
  });

  it('issues a ticket: 201 with number, position and estimated wait', async () => {
    const res = await b.api.issue(kiosk, { serviceId: svcA.id, language: 'wo', phone: '77 123 45 67' });
    expect(res.status).toBe(201);
    const t = res.body;
    expect(t.number).toMatch(/^A\d{3}$/);
    expect(t.status).toBe('waiting');
    expect(t.priority).toBeNull();
    expect(t.queueType).toBe('normal');
    expect(t.channel).toBe('kiosk');
    expect(t.language).toBe('wo');
    expect(t.position).toBeGreaterThanOrEqual(1);
    // No counter is open yet: no minutes are promised (the estimate itself is tested below).
    expect(t).toMatchObject({ estimatedWaitMinutes: null, noOpenCounter: true });
    expect(t.issuedAt).toBe(clock.now().toISOString());
    // phone is kept, shown to staff, hidden from the public
    expect((await b.api.get<TicketView>(`/api/tickets/${t.id}`, awa)).body.phone).toBe('+221771234567');
    expect((await b.api.get<TicketView>(`/api/tickets/${t.id}`)).body.phone).toBeNull();
  });

  it('numbers tickets per service and per Dakar day, resetting at local midnight', async () => {
    const day = new TestClock('2026-11-26T23:58:00Z'); // Dakar is UTC+0 all year
    const other = await startBranch({ clock: day });
    try {
      const k = await other.kioskToken();
      const a = await other.service('A');
      const c = await other.service('C');
      const n1 = (await other.api.issue(k, { serviceId: a.id })).body.number;
      const n2 = (await other.api.issue(k, { serviceId: a.id })).body.number;
      const c1 = (await other.api.issue(k, { serviceId: c.id })).body.number;
      expect([n1, n2, c1]).toEqual(['A001', 'A002', 'C001']);
      day.set('2026-11-26T23:59:59Z');
      expect((await other.api.issue(k, { serviceId: a.id })).body.number).toBe('A003');
      day.set('2026-11-27T00:00:01Z');
      const next = (await other.api.issue(k, { serviceId: a.id })).body;
      expect(next.number).toBe('A001');
      expect(next.serviceDay).toBe('2026-11-27');
      // A branch moved to another time zone turns its day over at its own midnight.
      const adminToken = await other.login('admin');
      expect((await other.api.request('PATCH', '/api/admin/branch', { token: adminToken, body: { timeZone: 'Asia/Tokyo' } })).status).toBe(200);
      day.set('2026-11-27T15:00:01Z'); // 00:00:01 on the 28th in Tokyo
      const tokyo = (await other.api.issue(k, { serviceId: a.id })).body;
      expect(tokyo.serviceDay).toBe('2026-11-28');
      expect(tokyo.number).toBe('A001');
    } finally {
      await other.destroy();
    }
  });

  it('refuses unauthenticated and wrong-role callers with 401/403, changing nothing', async () => {
    const before = countRows(b, 'tickets');
    expectError(await b.api.issue('', { serviceId: svcA.id }), 401, 'UNAUTHENTICATED');
    expectError(await b.api.issue('sqd_not-a-real-token', { serviceId: svcA.id }), 401);
    const display = await b.displayToken();
    expectError(await b.api.issue(display, { serviceId: svcA.id }), 403, 'FORBIDDEN');
    expectError(await b.api.post(`/api/counters/${counter1}/call-next`, {}), 401);
    expectError(await b.api.post(`/api/counters/${counter1}/call-next`, {}, kiosk), 403);
    expectError(await b.api.post(`/api/counters/${counter1}/call-next`, {}, display), 403);
    expectError(await b.api.get('/api/admin/users', awa), 403);
    expectError(await b.api.post('/api/admin/services', { prefix: 'Z', name: { fr: 'x', wo: 'x', en: 'x' } }, awa), 403);
    expectError(await b.api.post('/api/auth/login', { login: 'awa', password: 'wrong-password' }), 401);
    expectError(await b.api.issue(kiosk, { serviceId: svcA.id, priority: 'vip' }), 403);
    expect(countRows(b, 'tickets')).toBe(before);
  });

  it('answers 400 with the error shape for malformed input, and writes nothing', async () => {
    const before = countRows(b, 'tickets');
    const cases: unknown[] = [
      {},
      { serviceId: 42 },
      { serviceId: svcA.id, priority: 'royal' },
      { serviceId: svcA.id, language: 'de' },
      { serviceId: svcA.id, phone: '12345' },
      { serviceId: svcA.id, phone: '+33612345678' },
      { serviceId: svcA.id, unknownField: true },
      [svcA.id],
    ];
    for (const body of cases) expectError(await b.api.issue(kiosk, body as Record<string, unknown>), 400, 'VALIDATION_ERROR');
    expectError(await b.api.request('POST', '/api/tickets', { token: kiosk, rawBody: '{"serviceId":' }), 400, 'VALIDATION_ERROR');
    expectError(await b.api.request('POST', '/api/tickets', { token: kiosk, rawBody: JSON.stringify({ serviceId: svcA.id, pad: 'x'.repeat(40_000) }) }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await b.api.issue(kiosk, { serviceId: 'no-such-service' }), 404, 'NOT_FOUND');
    expectError(await b.api.get('/api/tickets/no-such-ticket'), 404, 'NOT_FOUND');
    expectError(await b.api.post('/api/tickets/no-such-ticket/start', {}, awa), 404, 'NOT_FOUND');
    expectError(await b.api.post('/api/counters/no-such-counter/call-next', {}, awa), 404, 'NOT_FOUND');
    expectError(await b.api.post(`/api/counters/${counter1}/call-next`, { commandId: 'not-a-uuid' }, awa), 400);
    expectError(await b.api.get('/api/no-such-route'), 404, 'NOT_FOUND');
    expect(countRows(b, 'tickets')).toBe(before);
  });

  it('refuses a ticket for a closed or paused service, or outside its hours', async () => {
    const before = countRows(b, 'tickets');
    const svcB = await b.service('B'); // Mon–Fri 08:00–15:00
    const saturday = new TestClock('2026-11-28T10:00:00Z');
    const other = await startBranch({ clock: saturday });
    try {
      const k = await other.kioskToken();
      const b2 = await other.service('B');
      expect(b2.openNow).toBe(false);
      expectError(await other.api.issue(k, { serviceId: b2.id }), 409, 'SERVICE_CLOSED');
    } finally {
      await other.destroy();
    }
    const supervisor = await b.login('aminata');
    expect((await b.api.post(`/api/services/${svcB.id}/status`, { status: 'paused' }, supervisor)).status).toBe(200);
    expectError(await b.api.issue(kiosk, { serviceId: svcB.id }), 409, 'SERVICE_CLOSED');
    expect((await b.api.post(`/api/services/${svcB.id}/status`, { status: 'closed' }, supervisor)).status).toBe(200);
    expectError(await b.api.issue(kiosk, { serviceId: svcB.id }), 409, 'SERVICE_CLOSED');
    expect((await b.api.post(`/api/services/${svcB.id}/status`, { status: 'active' }, supervisor)).status).toBe(200);
    expect(countRows(b, 'tickets')).toBe(before);
  });

  it('runs a whole visit and records every transition as an event row', async () => {
    const t = (await b.api.issue(kiosk, { serviceId: svcC.id })).body;
    // Another waiting C ticket may be older; call until ours comes, at counter 1 (serves A then C).
    await b.api.post(`/api/counters/${counter1}/status`, { status: 'open' }, awa);
    let called: TicketView | null = null;
    for (let i = 0; i < 20 && called?.id !== t.id; i++) {
      if (called) await b.api.post(`/api/tickets/${called.id}/no-show`, {}, awa);
      called = (await b.api.post<CommandResult>(`/api/counters/${counter1}/call-next`, {}, awa)).body.ticket;
    }
    expect(called?.id).toBe(t.id);
    expect(called?.status).toBe('called');
    expect(called?.counterId).toBe(counter1);
    expect((await b.api.post<CommandResult>(`/api/tickets/${t.id}/recall`, {}, awa)).body.ticket?.recallCount).toBe(1);
    expect((await b.api.post<CommandResult>(`/api/tickets/${t.id}/start`, {}, awa)).body.ticket?.status).toBe('serving');
    clock.advanceMinutes(6);
    const done = (await b.api.post<CommandResult>(`/api/tickets/${t.id}/complete`, { outcome: 'ok', note: 'virement fait' }, awa)).body.ticket;
    expect(done?.status).toBe('served');
    const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
    const events = db.prepare('SELECT type, from_status, to_status, counter_id, user_id FROM ticket_events WHERE ticket_id = ? ORDER BY id').all(t.id) as Array<Record<string, string | null>>;
    const outbox = db.prepare('SELECT count(*) AS n FROM outbox WHERE aggregate_id = ?').get(t.id) as { n: number };
    db.close();
    expect(events.map((e) => `${e.type}:${e.from_status ?? '-'}>${e.to_status}`)).toEqual([
      'issued:->waiting', 'called:waiting>called', 'recalled:called>called', 'started:called>serving', 'served:serving>served',
    ]);
    expect(events.slice(1).every((e) => e.counter_id === counter1 && e.user_id)).toBe(true);
    expect(outbox.n).toBe(events.length);
  });

  it('answers 409 to every illegal transition and changes nothing', async () => {
    const t = (await b.api.issue(kiosk, { serviceId: svcA.id })).body;
    const eventsBefore = countRows(b, 'ticket_events');
    // A waiting ticket cannot be started, completed, recalled or no-showed.
    for (const action of ['start', 'complete', 'recall', 'no-show']) {
      expectError(await b.api.post(`/api/tickets/${t.id}/${action}`, {}, awa), 409, 'INVALID_TRANSITION');
    }
    expect((await b.api.get<TicketView>(`/api/tickets/${t.id}`)).body.status).toBe('waiting');
    // A served ticket cannot be called again, cancelled or served twice.
    const supervisor = await b.login('aminata');
    expect((await b.api.post<CommandResult>(`/api/tickets/${t.id}/cancel`, { reason: 'left' }, supervisor)).body.ticket?.status).toBe('cancelled');
    for (const action of ['start', 'complete', 'recall', 'no-show', 'cancel']) {
      expectError(await b.api.post(`/api/tickets/${t.id}/${action}`, {}, supervisor), 409, 'INVALID_TRANSITION');
    }
    expectError(await b.api.post(`/api/tickets/${t.id}/transfer`, { serviceId: svcC.id }, supervisor), 409, 'INVALID_TRANSITION');
    expect((await b.api.get<TicketView>(`/api/tickets/${t.id}`)).body.status).toBe('cancelled');
    expect(countRows(b, 'ticket_events')).toBe(eventsBefore + 1);
  });

  it('lets an agent act only at the counter they hold; supervisors anywhere', async () => {
    await b.api.post(`/api/counters/${counter1}/status`, { status: 'open' }, awa);
    await b.api.issue(kiosk, { serviceId: svcA.id });
    const called = (await b.api.post<CommandResult>(`/api/counters/${counter1}/call-next`, {}, awa)).body.ticket;
    expect(called).not.toBeNull();
    expectError(await b.api.post(`/api/counters/${counter1}/call-next`, {}, moussa), 403, 'FORBIDDEN');
    expectError(await b.api.post(`/api/tickets/${called?.id}/start`, {}, moussa), 403, 'FORBIDDEN');
    const supervisor = await b.login('aminata');
    expect((await b.api.post<CommandResult>(`/api/tickets/${called?.id}/start`, {}, supervisor)).body.ticket?.status).toBe('serving');
    expect((await b.api.post<CommandResult>(`/api/tickets/${called?.id}/complete`, {}, awa)).body.ticket?.status).toBe('served');
  });

  it('refuses call-next while the counter still has a ticket, and on a paused counter', async () => {
    await b.api.post(`/api/counters/${counter2}/status`, { status: 'open' }, moussa);
    await b.api.issue(kiosk, { serviceId: svcA.id });
    await b.api.issue(kiosk, { serviceId: svcA.id });
    const first = (await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, {}, moussa)).body.ticket;
    expectError(await b.api.post(`/api/counters/${counter2}/call-next`, {}, moussa), 409, 'COUNTER_BUSY');
    await b.api.post(`/api/tickets/${first?.id}/no-show`, {}, moussa);
    expect((await b.api.post(`/api/counters/${counter2}/status`, { status: 'paused' }, moussa)).status).toBe(200);
    expectError(await b.api.post(`/api/counters/${counter2}/call-next`, {}, moussa), 409, 'COUNTER_CLOSED');
    expect((await b.api.post(`/api/counters/${counter2}/status`, { status: 'open' }, moussa)).status).toBe(200);
    const second = (await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, {}, moussa)).body.ticket;
    expect(second?.status).toBe('called');
    await b.api.post(`/api/tickets/${second?.id}/no-show`, {}, moussa);
  });

  it('applies a retried command once (same commandId)', async () => {
    await b.api.issue(kiosk, { serviceId: svcA.id });
    await b.api.issue(kiosk, { serviceId: svcA.id });
    const commandId = crypto.randomUUID();
    const r1 = (await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, { commandId }, moussa)).body.ticket;
    const r2 = (await b.api.post<CommandResult>(`/api/counters/${counter2}/call-next`, { commandId }, moussa)).body.ticket;
    expect(r1?.id).toBeTruthy();
    expect(r2?.id).toBe(r1?.id);
    const completeId = crypto.randomUUID();
    await b.api.post(`/api/tickets/${r1?.id}/start`, {}, moussa);
    const c1 = await b.api.post<CommandResult>(`/api/tickets/${r1?.id}/complete`, { commandId: completeId }, moussa);
    const c2 = await b.api.post<CommandResult>(`/api/tickets/${r1?.id}/complete`, { commandId: completeId }, moussa);
    expect(c1.status).toBe(200);
    expect(c2.status).toBe(200);
    expect(c2.body.ticket?.status).toBe('served');
    const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
    const served = db.prepare("SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ? AND type IN ('called','served')").get(r1?.id) as { n: number };
    db.close();
    expect(served.n).toBe(2);
    // The same command id for another command is a conflict, not a silent replay.
    expectError(await b.api.post(`/api/counters/${counter2}/call-next`, { commandId: completeId }, moussa), 409, 'CONFLICT');
  });

  it('issues once for a retried kiosk request (same commandId): same ticket, one history row, one outbox row; another body is a 409', async () => {
    const commandId = crypto.randomUUID();
    const body = { commandId, serviceId: svcA.id, language: 'wo', priority: 'elderly', phone: '77 123 45 67' };
    const before = { tickets: countRows(b, 'tickets'), events: countRows(b, 'ticket_events'), outbox: countRows(b, 'outbox') };
    const first = await b.api.issue(kiosk, body);
    expect(first.status).toBe(201);
    // The kiosk never saw the answer and sends the same request again (phone written another way: the same number).
    const again = await b.api.issue(kiosk, { ...body, phone: '+221771234567' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(countRows(b, 'tickets')).toBe(before.tickets + 1);
    expect(countRows(b, 'ticket_events')).toBe(before.events + 1);
    expect(countRows(b, 'outbox')).toBe(before.outbox + 1);
    const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ?').get(first.body.id) as { n: number }).n).toBe(1);
      expect((db.prepare("SELECT count(*) AS n FROM outbox WHERE aggregate_id = ? AND event_type = 'ticket.issued'").get(first.body.id) as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
    // The same id with another request is refused, and changes nothing.
    for (const other of [{ ...body, priority: 'pregnant' }, { ...body, serviceId: svcC.id }, { commandId, serviceId: svcA.id }]) {
      const res = await b.api.issue(kiosk, other);
      expectError(res, 409, 'CONFLICT');
      expect((res.body as unknown as ErrorShape).error.message).toMatch(/different request/);
    }
    // Another kiosk reusing the id is not given this kiosk's ticket.
    expectError(await b.api.issue(await b.kioskToken(), body), 409, 'CONFLICT');
    expect(countRows(b, 'tickets')).toBe(before.tickets + 1);
    expect(countRows(b, 'ticket_events')).toBe(before.events + 1);
    expect(countRows(b, 'outbox')).toBe(before.outbox + 1);
    expect((await b.api.get<TicketView>(`/api/tickets/${first.body.id}`, awa)).body.priority).toBe('elderly');
    expectError(await b.api.issue(kiosk, { commandId: 'not-a-uuid', serviceId: svcA.id }), 400);
    await b.api.post(`/api/tickets/${first.body.id}/cancel`, {}, await b.login('aminata'));
  });

  it('does not count a repeated issuance against the kiosk rate limit', async () => {
    const other = await startBranch({ kioskRateLimitPerMinute: 2 });
    try {
      const k = await other.kioskToken();
      const a = await other.service('A');
      const commandId = crypto.randomUUID();
      const first = await other.api.issue(k, { commandId, serviceId: a.id });
      expect(first.status).toBe(201);
      for (let i = 0; i < 3; i++) expect((await other.api.issue(k, { commandId, serviceId: a.id })).body.id).toBe(first.body.id);
      expect((await other.api.issue(k, { serviceId: a.id })).status).toBe(201);
      expectError(await other.api.issue(k, { serviceId: a.id }), 429, 'RATE_LIMITED');
      // Rate-limited or not, the retry of an issued request still gets its ticket.
      expect((await other.api.issue(k, { commandId, serviceId: a.id })).body.id).toBe(first.body.id);
    } finally {
      await other.destroy();
    }
  });

  it('transfers a ticket to another service keeping its number and issue time', async () => {
    const supervisor = await b.login('aminata');
    const t = (await b.api.issue(kiosk, { serviceId: svcA.id })).body;
    const moved = (await b.api.post<CommandResult>(`/api/tickets/${t.id}/transfer`, { serviceId: svcC.id }, supervisor)).body.ticket;
    expect(moved?.status).toBe('transferred');
    expect(moved?.serviceId).toBe(svcC.id);
    expect(moved?.number).toBe(t.number);
    expect(moved?.issuedAt).toBe(t.issuedAt);
    expect(moved?.position).toBeGreaterThanOrEqual(1);
    expectError(await b.api.post(`/api/tickets/${t.id}/transfer`, {}, supervisor), 400, 'VALIDATION_ERROR');
    expectError(await b.api.post(`/api/tickets/${t.id}/transfer`, { serviceId: 'nope' }, supervisor), 404);
    await b.api.post(`/api/tickets/${t.id}/cancel`, {}, supervisor);
  });

  it('transfers a ticket to a counter that does not serve its line: called there first, keeping its issue time', async () => {
    const other = await startBranch({ clock });
    try {
      const k = await other.kioskToken();
      const [a, c] = [await other.service('A'), await other.service('C')];
      const [c1, c2] = [(await other.counter(1)).id, (await other.counter(2)).id]; // 1 serves A and C, 2 serves A only
      const [awaT, moussaT] = [await other.login('awa'), await other.login('moussa')];
      const sent = (await other.api.issue(k, { serviceId: c.id })).body;
      expect((await other.api.post<CommandResult>(`/api/counters/${c1}/call-next`, {}, awaT)).body.ticket?.id).toBe(sent.id);
      const waitingA = (await other.api.issue(k, { serviceId: a.id })).body;
      const moved = (await other.api.post<CommandResult>(`/api/tickets/${sent.id}/transfer`, { counterId: c2 }, awaT)).body.ticket;
      expect(moved).toMatchObject({ status: 'transferred', serviceId: c.id, targetCounterId: c2, issuedAt: sent.issuedAt, number: sent.number });
      // Counter 2 calls it before its own line's ticket; counter 1 then gets that one, not the transferred ticket.
      const called = (await other.api.post<CommandResult>(`/api/counters/${c2}/call-next`, {}, moussaT)).body.ticket;
      expect(called).toMatchObject({ id: sent.id, status: 'called', counterId: c2, targetCounterId: null, issuedAt: sent.issuedAt });
      expect((await other.api.post<CommandResult>(`/api/counters/${c1}/call-next`, {}, awaT)).body.ticket?.id).toBe(waitingA.id);
    } finally {
      await other.destroy();
    }
  });

  it('computes position and estimated wait from measured service times and open counters', async () => {
    const c = new TestClock('2026-11-24T09:00:00Z');
    const other = await startBranch({ clock: c });
    try {
      const k = await other.kioskToken();
      const a = await other.service('A'); // default service time 4 min
      const agent = await other.login('awa');
      const counterOf2 = (await other.counter(2)).id; // serves A only
      await other.api.post(`/api/counters/${counterOf2}/status`, { status: 'open' }, agent);
      const tickets: TicketView[] = [];
      for (let i = 0; i < 4; i++) tickets.push((await other.api.issue(k, { serviceId: a.id })).body);
      expect(tickets.map((t) => t.position)).toEqual([1, 2, 3, 4]);
      expect(tickets.map((t) => t.estimatedWaitMinutes)).toEqual([4, 8, 12, 16]);
      // Serve three tickets at 10 minutes each: the estimate follows the measured time, not the default.
      for (let i = 0; i < 3; i++) {
        const called = (await other.api.post<CommandResult>(`/api/counters/${counterOf2}/call-next`, {}, agent)).body.ticket;
        await other.api.post(`/api/tickets/${called?.id}/start`, {}, agent);
        c.advanceMinutes(10);
        await other.api.post(`/api/tickets/${called?.id}/complete`, {}, agent);
      }
      const last = (await other.api.get<TicketView>(`/api/tickets/${tickets[3]?.id}`)).body;
      expect(last.position).toBe(1);
      // (3 × 10 + 2 × 4) / 5 = 7.6 minutes per visit
      expect(last.estimatedWaitMinutes).toBe(8);
      const more = (await other.api.issue(k, { serviceId: a.id })).body;
      expect(more.position).toBe(2);
      expect(more.estimatedWaitMinutes).toBe(15);
      // A second open counter for A halves the wait.
      const counterOf1 = (await other.counter(1)).id;
      const moussa = await other.login('moussa');
      await other.api.post(`/api/counters/${counterOf1}/status`, { status: 'open' }, moussa);
      expect((await other.api.get<TicketView>(`/api/tickets/${more.id}`)).body.estimatedWaitMinutes).toBe(8);
      const queue = (await other.api.get<QueueSummary>('/api/queue')).body;
      const qa = queue.services.find((s) => s.serviceId === a.id);
      expect(qa?.waitingCount).toBe(2);
      expect(qa?.openCounters).toBe(2);
      expect(qa?.longestWaitMinutes).toBe(30);
    } finally {
      await other.destroy();
    }
  });

  it('marks a called ticket not started within 30 minutes as no-show, and expires waiting tickets at closing', async () => {
    const c = new TestClock('2026-11-24T16:00:00Z');
    const other = await startBranch({ clock: c });
    try {
      const adminToken = await other.login('admin');
      const hours = { open: '08:00', close: '17:00' };
      await other.api.request('PATCH', '/api/admin/branch', { token: adminToken, body: { openingHours: { 1: [hours], 2: [hours], 3: [hours], 4: [hours], 5: [hours], 6: [], 7: [] } } });
      const k = await other.kioskToken();
      const a = await other.service('A');
      const agent = await other.login('awa');
      const counter = (await other.counter(2)).id;
      const t1 = (await other.api.issue(k, { serviceId: a.id })).body;
      const t2 = (await other.api.issue(k, { serviceId: a.id })).body;
      await other.api.post(`/api/counters/${counter}/call-next`, {}, agent);
      c.advanceMinutes(31);
      other.server.services.tickets.sweepNoShows();
      expect((await other.api.get<TicketView>(`/api/tickets/${t1.id}`)).body.status).toBe('no_show');
      expect((await other.api.get<TicketView>(`/api/tickets/${t2.id}`)).body.status).toBe('waiting');
      c.set('2026-11-24T17:00:00Z');
      other.server.services.tickets.expireAtClosing();
      expect((await other.api.get<TicketView>(`/api/tickets/${t2.id}`)).body.status).toBe('expired');
    } finally {
      await other.destroy();
    }
  });

  it('keeps everything across a restart', async () => {
    const dataDir = b.dataDir;
    const before = await b.api.issue(kiosk, { serviceId: svcA.id });
    const queueBefore = (await b.api.get<QueueSummary>('/api/queue')).body;
    await b.close();
    b = await startBranch({ dataDir, clock });
    expect(b.server.firstStartCredentials).toEqual([]);
    const after = await b.api.get<TicketView>(`/api/tickets/${before.body.id}`);
    expect(after.body.number).toBe(before.body.number);
    expect(after.body.status).toBe('waiting');
    const queueAfter = (await b.api.get<QueueSummary>('/api/queue')).body;
    expect(queueAfter.services.map((s) => s.waitingCount)).toEqual(queueBefore.services.map((s) => s.waitingCount));
    // Old tokens keep working: sessions and device tokens are in the database.
    expect((await b.api.issue(kiosk, { serviceId: svcA.id })).status).toBe(201);
    expect((await b.api.get('/api/auth/me', awa)).status).toBe(200);
  });

  it('serves an OpenAPI document generated from the schemas, and a docs page', async () => {
    const doc = (await b.api.get<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>> }>('/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/health', '/api/services', '/api/counters', '/api/tickets', '/api/tickets/{id}', '/api/queue', '/api/auth/login', '/api/counters/{id}/call-next', '/api/tickets/{id}/transfer', '/api/admin/services', '/api/admin/users', '/api/admin/counters']) {
      expect(doc.paths[p], p).toBeTruthy();
    }
    expect(doc.paths['/api/tickets']?.post?.requestBody?.content['application/json']?.schema.required).toEqual(['serviceId']);
    const issueBody = doc.paths['/api/tickets']?.post?.requestBody?.content['application/json']?.schema as { properties?: Record<string, { format?: string; description?: string }> };
    expect(issueBody.properties?.commandId?.format).toBe('uuid');
    expect(issueBody.properties?.commandId?.description).toMatch(/same id with another body is a 409/);
    const docs = await fetch(`${b.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('documents what the routes really answer: bodies, content types, statuses and query parameters', async () => {
    type Op = { parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: { type?: string } }> }> };
    const doc = (await b.api.get<{ paths: Record<string, Record<string, Op>> }>('/api/openapi.json')).body;
    const op = (path: string, method: string): Op => {
      const found = doc.paths[path]?.[method];
      if (!found) throw new Error(`${method} ${path} is not documented`);
      return found;
    };
    const types = (path: string, method: string, status = '200') => Object.keys(op(path, method).responses[status]?.content ?? {});
    // Answers with a body are documented with it (not as "204 Done").
    expect(op('/api/alerts', 'get').responses['200']?.content?.['application/json']?.schema.type).toBe('array');
    expect(op('/api/alerts', 'get').responses['204']).toBeUndefined();
    expect(types('/api/tickets/{id}/ticket.html', 'get')).toEqual(['text/html', 'image/svg+xml']);
    expect(types('/api/admin/printers/sample.html', 'get')).toEqual(['text/html', 'image/svg+xml']);
    expect(types('/api/payments/{id}/receipt.html', 'get')).toEqual(['text/html']);
    // Statuses the routes return.
    expect(Object.keys(op('/api/auth/login', 'post').responses)).toEqual(expect.arrayContaining(['401', '429']));
    expect(Object.keys(op('/api/devices/pair', 'post').responses)).toEqual(expect.arrayContaining(['401', '429']));
    expect(Object.keys(op('/api/tickets', 'post').responses)).toEqual(expect.arrayContaining(['201', '404', '429']));
    expect(Object.keys(op('/api/appointments/check-in', 'post').responses)).toEqual(expect.arrayContaining(['200', '201', '422']));
    // Query parameters, from the routes' query schemas.
    const query = (path: string, method = 'get') => (op(path, method).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(query('/api/tickets/{id}/ticket.html')).toEqual(['format', 'paper', 'lang']);
    expect(query('/api/admin/printers/sample.html')).toEqual(['format', 'paper', 'lang']);
    expect(query('/api/payments/{id}/receipt.html')).toEqual(['lang']);
    expect(query('/api/payments/{id}/receipt/print', 'post')).toEqual(['lang']);
    expect(query('/api/payments/totals')).toEqual(['from', 'to']);
    expect(query('/api/appointments/bookings')).toEqual(['day']);
    expect(query('/api/appointments/holidays')).toEqual(['from', 'to']);
    // And they are validated as declared.
    const bad = await b.api.get<ErrorShape>('/api/payments/totals?from=2026-02-30', admin);
    expectError(bad, 400, 'VALIDATION_ERROR');
  });

  it('lets an admin manage services, counters and users', async () => {
    const svc = await b.api.post<ServiceView>('/api/admin/services', { prefix: 'E', name: { fr: 'Retrait express', wo: 'Génne xaalis gaaw', en: 'Express withdrawal' }, express: true }, admin);
    expect(svc.status).toBe(201);
    expectError(await b.api.post('/api/admin/services', { prefix: 'E', name: { fr: 'x', wo: 'x', en: 'x' } }, admin), 409, 'CONFLICT');
    expectError(await b.api.post('/api/admin/services', { prefix: 'ee', name: { fr: 'x', wo: 'x', en: 'x' } }, admin), 400);
    const express = (await b.api.issue(kiosk, { serviceId: svc.body.id })).body;
    expect(express.queueType).toBe('express');
    expect(express.number).toBe('E001');
    const counter = await b.api.post<{ id: string; serviceIds: string[] }>('/api/admin/counters', { number: 9, name: 'Guichet 9', serviceIds: [svc.body.id, svcA.id] }, admin);
    expect(counter.status).toBe(201);
    expect(counter.body.serviceIds).toEqual([svc.body.id, svcA.id]);
    expectError(await b.api.post('/api/admin/counters', { number: 9, name: 'Twice' }, admin), 409);
    expectError(await b.api.post('/api/admin/counters', { number: 10, name: 'Bad', serviceIds: ['nope'] }, admin), 404);
    const user = await b.api.post<{ id: string; role: string }>('/api/admin/users', { login: 'ibrahima', displayName: 'Ibrahima Ba', role: 'agent', password: 'un-mot-de-passe' }, admin);
    expect(user.status).toBe(201);
    expectError(await b.api.post('/api/admin/users', { login: 'ibrahima', displayName: 'x', role: 'agent', password: 'un-mot-de-passe' }, admin), 409);
    expectError(await b.api.post('/api/admin/users', { login: 'x1', displayName: 'x', role: 'agent', password: 'short' }, admin), 400);
    const login = await b.api.post<{ token: string }>('/api/auth/login', { login: 'ibrahima', password: 'un-mot-de-passe' });
    expect(login.status).toBe(200);
    expect((await b.api.request('DELETE', `/api/admin/users/${user.body.id}`, { token: admin })).status).toBe(200);
    expectError(await b.api.get('/api/auth/me', login.body.token), 401);
    expectError(await b.api.post('/api/auth/login', { login: 'ibrahima', password: 'un-mot-de-passe' }), 401);
    // Passwords are stored with a KDF, never in clear.
    const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
    const hash = (db.prepare("SELECT password_hash FROM users WHERE login = 'ibrahima'").get() as { password_hash: string }).password_hash;
    db.close();
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('un-mot-de-passe');
  });

  it('lets an admin describe the branch and its organization (type, region), validated', async () => {
    const res = await b.api.request<{ name: string; organization: { type: string; region: string; name: string } }>('PATCH', '/api/admin/branch', {
      token: admin, body: { name: 'Agence Thiès Centre', organization: { type: 'bank', region: 'Thiès', name: 'Banque Teranga' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Agence Thiès Centre');
    expect(res.body.organization).toMatchObject({ type: 'bank', region: 'Thiès' });
    expectError(await b.api.request('PATCH', '/api/admin/branch', { token: admin, body: { organization: { region: 'Paris' } } }), 400, 'VALIDATION_ERROR');
    expectError(await b.api.request('PATCH', '/api/admin/branch', { token: admin, body: { organization: { type: 'casino' } } }), 400, 'VALIDATION_ERROR');
    expectError(await b.api.request('PATCH', '/api/admin/branch', { token: admin, body: { timeZone: 'Mars/Olympus' } }), 400, 'VALIDATION_ERROR');
    expectError(await b.api.request('PATCH', '/api/admin/branch', { token: awa, body: { name: 'x' } }), 403);
    expect((await b.api.get<{ name: string }>('/api/branch')).body.name).toBe('Agence Thiès Centre');
  });

  it('pairs a device with an admin pairing code; the code works once; revocation stops the token', async () => {
    const created = await b.api.post<{ device: { id: string }; pairingCode: string }>('/api/admin/devices', { name: 'Borne hall', role: 'kiosk' }, admin);
    expect(created.status).toBe(201);
    expect(created.body.pairingCode).toMatch(/^\d{6}$/);
    expectError(await b.api.post('/api/devices/pair', { code: '12345' }), 400);
    const paired = await b.api.post<{ deviceToken: string }>('/api/devices/pair', { code: created.body.pairingCode });
    expect(paired.status).toBe(200);
    expectError(await b.api.post('/api/devices/pair', { code: created.body.pairingCode }), 401);
    expect((await b.api.issue(paired.body.deviceToken, { serviceId: svcA.id })).status).toBe(201);
    await b.api.post(`/api/admin/devices/${created.body.device.id}/revoke`, {}, admin);
    expectError(await b.api.issue(paired.body.deviceToken, { serviceId: svcA.id }), 401);
  });

  it('rate-limits ticket issuance per kiosk', async () => {
    const other = await startBranch({ kioskRateLimitPerMinute: 5 });
    try {
      const k1 = await other.kioskToken();
      const k2 = await other.kioskToken();
      const a = await other.service('A');
      for (let i = 0; i < 5; i++) expect((await other.api.issue(k1, { serviceId: a.id })).status).toBe(201);
      expectError(await other.api.issue(k1, { serviceId: a.id }), 429, 'RATE_LIMITED');
      expect((await other.api.issue(k2, { serviceId: a.id })).status).toBe(201);
    } finally {
      await other.destroy();
    }
  });

  it('refuses loopback auto-pairing outside demo mode', async () => {
    const other = await startBranch({ demo: false });
    try {
      expectError(await other.api.post('/api/devices/pair-local', { role: 'kiosk' }), 403, 'FORBIDDEN');
      expect(await other.services()).toEqual([]);
    } finally {
      await other.destroy();
    }
  });
});
