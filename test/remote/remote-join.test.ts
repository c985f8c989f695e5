// Remote tickets (issue 18, slice 2) with real servers on loopback: a join at central reaches the branch over its
// live link, the branch issues a real ticket in the service's line (channel recorded, numbered like the others, its
// history and outbox rows, not arrived yet) and the answer returns through central; a retried join gives the same
// ticket; the limits per phone, per address and the branch's hourly share hold; with the branch cut off central
// refuses clearly and nothing is issued when the branch comes back. A public join is channel web only and needs the
// token of a one-time code sent by SMS to its own phone (read here from the simulated operator).
import Database from 'better-sqlite3';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteTicketView } from '../../server/src/shared/contracts/remote.js';
import type { SyncDetails } from '../../server/src/branch/sync/worker.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { smsTracking, Visitors } from '../support/visitor.js';

const dialects = await centralDialects();
// Polling far away: what arrives came over the live link.
const NO_POLLING = { periodicMs: 600_000 };

interface ErrorAnswer { error: { code: string; message: string } }

function branchTickets(branch: SyncedBranch): Array<{ id: string; number: string; channel: string; arrived_at: string | null; phone: string | null }> {
  const db = new Database(path.join(branch.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, number, channel, arrived_at, phone FROM tickets ORDER BY issued_at, seq').all() as never;
  } finally {
    db.close();
  }
}
function historyAndOutbox(branch: SyncedBranch, ticketId: string): { history: number; outbox: number } {
  const db = new Database(path.join(branch.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    const h = db.prepare("SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ? AND type = 'issued'").get(ticketId) as { n: number };
    const o = db.prepare("SELECT count(*) AS n FROM outbox WHERE aggregate_id = ? AND event_type = 'ticket.issued'").get(ticketId) as { n: number };
    return { history: h.n, outbox: o.n };
  } finally {
    db.close();
  }
}

function arrivals(branch: SyncedBranch, ticketId: string): { history: number; outbox: number } {
  const db = new Database(path.join(branch.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    const h = db.prepare("SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ? AND type = 'arrived'").get(ticketId) as { n: number };
    const o = db.prepare("SELECT count(*) AS n FROM outbox WHERE aggregate_id = ? AND event_type = 'ticket.arrived'").get(ticketId) as { n: number };
    return { history: h.n, outbox: o.n };
  } finally {
    db.close();
  }
}

describe.each(dialects)('remote tickets (%s central)', (dialect) => {
  let central: TestCentral;
  let branch: SyncedBranch;
  let proxy: FaultProxy;
  let serviceA: string;
  /** Services taking tickets now (a kiosk ticket was issued in each), and one that is not, if any. */
  let open: string[];
  let closed: string | undefined;
  let kiosk: string;
  let sms: OrangeSmsSimulator;
  let visitors: Visitors;

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    // Codes: many phones from this one address in the burst below (the code limits have their own test).
    central = await startCentral(dialect, { remote: { perPhonePerDay: 3, perAddressPerHour: 12 }, tracking: smsTracking(sms), visitorCodes: { perAddressPerHour: 1_000 } });
    visitors = new Visitors(central.api, sms);
    proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/'] });
    branch = await startSyncedBranch(central, { centralUrl: proxy.url, name: 'Agence Plateau', sync: NO_POLLING });
    const kioskForLines = await branch.kioskToken();
    open = [];
    for (const s of await branch.services()) {
      if ((await branch.api.issue(kioskForLines, { serviceId: s.id })).status === 201) open.push(s.id);
      else closed ??= s.id;
    }
    expect(open.length).toBeGreaterThanOrEqual(3);
    serviceA = open[0] as string;
    const supervisor = await branch.login('aminata');
    await waitFor('the live link open', async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body.link?.connected === true);
  });
  afterAll(async () => {
    await branch?.destroy();
    await proxy?.close();
    await central?.destroy();
    await sms?.close();
  });

  const join = async (body: Record<string, unknown>) => {
    const phone = (body.phone as string | undefined) ?? '+221771234567';
    return central.api.post<RemoteTicketView & ErrorAnswer>('/api/remote/joins', {
      branchId: branch.server.branchId, serviceId: serviceA, name: 'Awa Diop', phone, channel: 'web', idempotencyKey: randomUUID(),
      visitorToken: await visitors.token(phone), ...body,
    });
  };

  it('takes a public join only on the web channel, with the token of its own phone', async () => {
    const before = branchTickets(branch).length;
    // Without a token, with a made-up one, with another phone's: refused, and the branch hears of nothing.
    const bare = await central.api.post<ErrorAnswer>('/api/remote/joins', {
      branchId: branch.server.branchId, serviceId: serviceA, name: 'Awa Diop', phone: '+221771234567', channel: 'web', idempotencyKey: randomUUID(),
    });
    expect(bare.status).toBe(400);
    expect((await join({ visitorToken: 'sqv_made-up-token-000000000000' })).body.error.code).toBe('VISITOR_UNVERIFIED');
    const otherPhone = await join({ visitorToken: await visitors.token('+221775550000') });
    expect(otherPhone.status).toBe(403);
    expect(otherPhone.body.error.code).toBe('VISITOR_PHONE_MISMATCH');
    // SMS and USSD joins are made inside central from the operators' callbacks: a public caller cannot claim them.
    for (const channel of ['sms', 'ussd']) {
      const spoofed = await join({ channel });
      expect(spoofed.status).toBe(400);
      expect(spoofed.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect(branchTickets(branch)).toHaveLength(before);
  });

  it('issues a real ticket at the branch, numbered like the others, and a retry gives the same one', async () => {
    kiosk = await branch.kioskToken();
    const walkIn = await branch.api.issue(kiosk, { serviceId: serviceA });
    expect(walkIn.status).toBe(201);

    const key = randomUUID();
    const first = await join({ idempotencyKey: key });
    expect(first.status).toBe(200);
    expect(first.body.channel).toBe('web');
    // The next number of the line, after the walk-in.
    expect(Number(first.body.number.slice(1))).toBe(Number(walkIn.body.number.slice(1)) + 1);
    expect(first.body.displayNumber).toBe(`${first.body.number[0]}-${first.body.number.slice(1)}`);
    // The position the branch gives it: behind the walk-ins already waiting in the line.
    const there = await branch.api.get<{ position: number }>(`/api/tickets/${first.body.ticketId}`, kiosk);
    expect(first.body.position).toBe(there.body.position);
    expect(first.body.position).toBeGreaterThanOrEqual(2);
    expect(first.body.trackPath).toContain(first.body.ticketId);
    // The tracking page of a remote ticket carries the QR code its visitor shows the kiosk on arrival (its own
    // address, drawn in the HTML); a ticket taken at the kiosk has none.
    const page = async (id: string) => (await fetch(`${central.url}/t/${id}`)).text();
    const remotePage = await waitFor('the remote ticket known at central', async () => { const h = await page(first.body.ticketId); return h.includes('data-testid="arrive-qr"') && h; });
    expect(remotePage).toMatch(/<svg class="qr" viewBox="0 0 \d+ \d+" role="img" aria-label="À votre arrivée, présentez ce code/);
    const walkInPage = await waitFor('the walk-in known at central', async () => { const h = await page(walkIn.body.id); return h.includes(walkIn.body.number.slice(1)) && h; });
    expect(walkInPage).not.toContain('arrive-qr');

    const local = branchTickets(branch).find((t) => t.id === first.body.ticketId);
    expect(local).toMatchObject({ number: first.body.number, channel: 'web', arrived_at: null, phone: '+221771234567' });
    expect(historyAndOutbox(branch, first.body.ticketId)).toEqual({ history: 1, outbox: 1 });

    // "Pas encore arrivé" for the staff until the visitor scans the ticket's QR at the kiosk: then arrived, once.
    const agent = await branch.login('awa');
    expect((await branch.api.get<{ arrivedAt: string | null; channel: string }>(`/api/tickets/${first.body.ticketId}`, agent)).body).toMatchObject({ arrivedAt: null, channel: 'web' });
    type Arrival = { ticket: { arrivedAt: string | null; number: string; status: string }; alreadyArrived: boolean };
    const scanned = await branch.api.post<Arrival>(`/api/tickets/${first.body.ticketId}/arrive`, {}, kiosk);
    expect(scanned.status).toBe(200);
    expect(scanned.body.ticket.arrivedAt).not.toBeNull();
    expect(scanned.body).toMatchObject({ ticket: { number: first.body.number, status: 'waiting' }, alreadyArrived: false });
    const twice = await branch.api.post<Arrival>(`/api/tickets/${first.body.ticketId}/arrive`, {}, agent);
    expect(twice.body).toMatchObject({ ticket: { arrivedAt: scanned.body.ticket.arrivedAt }, alreadyArrived: true });
    expect(arrivals(branch, first.body.ticketId)).toEqual({ history: 1, outbox: 1 });

    // Double tap, lost answer: the same key gives the same ticket, and the branch holds it once.
    const again = await join({ idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body.ticketId).toBe(first.body.ticketId);
    expect(branchTickets(branch).filter((t) => t.number === first.body.number)).toHaveLength(1);

    // One active remote ticket per phone and line; another line is fine.
    const second = await join({});
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('REMOTE_TICKET_ACTIVE');
    const other = await join({ serviceId: open[1] });
    expect(other.body).toMatchObject({ channel: 'web' });
    expect(other.status).toBe(200);
    expect(branchTickets(branch).find((t) => t.id === other.body.ticketId)?.channel).toBe('web');
    // A burst from one phone (four taps at once, each its own key): one ticket, the others refused as active.
    const tapper = '+221770000003';
    const tapperToken = await visitors.token(tapper);
    const taps = await Promise.all(Array.from({ length: 4 }, () => join({ phone: tapper, visitorToken: tapperToken })));
    expect(taps.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const r of taps.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('REMOTE_TICKET_ACTIVE');
    expect(branchTickets(branch).filter((t) => t.phone === tapper)).toHaveLength(1);
    // The same key for another join is refused, not answered with the first ticket.
    expect((await join({ idempotencyKey: key, serviceId: open[1] })).status).toBe(409);
    // The branch's refusal comes back as it is: a line that is not taking tickets now.
    if (closed) expect((await join({ serviceId: closed, phone: '+221770000002' })).body.error.code).toBe('SERVICE_CLOSED');
  });

  it('holds the limits: a few per phone per day, per address, and the branch’s hourly share', async () => {
    // A third line for the same phone reaches the day's cap (3 with the two above).
    const phone = '+221771234567';
    const c = await join({ serviceId: open[2], phone });
    expect(c.status).toBe(200);
    const over = await join({ serviceId: closed ?? open[0], phone });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');

    // The branch's share: an admin turns remote tickets down to none.
    const admin = await branch.login('admin');
    const patched = await branch.api.request('PATCH', '/api/admin/remote', { token: admin, body: { sharePercent: 0, minPerHour: 0 } });
    expect(patched.status).toBe(200);
    const before = branchTickets(branch).length;
    const full = await join({ phone: '+221770000001' });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('REMOTE_SHARE_FULL');
    expect(branchTickets(branch)).toHaveLength(before);
    await branch.api.request('PATCH', '/api/admin/remote', { token: admin, body: { sharePercent: 50, minPerHour: 20 } });

    // A burst from one address (many phones): the address's hourly cap (12) holds, whatever the phones: at most 12
    // joins from it this hour get through to the branch (fewer: the joins above counted too), the rest are 429.
    const phones = Array.from({ length: 20 }, (_, i) => `+2217710000${String(10 + i)}`);
    // Each visitor confirmed its phone first (one code each, one after another), then they all join at once.
    const tokens: string[] = [];
    for (const p of phones) tokens.push(await visitors.token(p));
    const burst = await Promise.all(phones.map((p, i) => join({ phone: p, visitorToken: tokens[i] })));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length, statuses.join(' ')).toBeGreaterThanOrEqual(20 - 12);
    expect(statuses.filter((s) => s !== 429).length, statuses.join(' ')).toBeLessThanOrEqual(12);
  });

  it('with the branch cut off: a clear refusal, and nothing is issued when it comes back', async () => {
    const supervisor = await branch.login('aminata');
    const status = async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body;
    proxy.setDown(true);
    await waitFor('the link seen down', async () => (await status()).link?.connected === false);
    const before = branchTickets(branch).length;
    // Through another central instance: its per-address count is its own (the burst above used this one's up).
    const offline = await joinFromFreshCentral();
    expect(offline.status).toBe(503);
    expect(offline.body.error.code).toBe('BRANCH_OFFLINE');

    proxy.setDown(false);
    await waitFor('the link back', async () => (await status()).link?.connected === true, 20_000);
    const run = await branch.api.post<{ ok: boolean }>('/api/sync/run', {}, supervisor);
    expect(run.body.ok).toBe(true);
    expect(branchTickets(branch)).toHaveLength(before);
  });

  /** A join through a second central instance on the same database. */
  async function joinFromFreshCentral() {
    // The token is in the database: a code confirmed through one instance stands at the other.
    const visitorToken = await visitors.token('+221778888888');
    const other = await central.another();
    const res = await fetch(`${other.url}/api/remote/joins`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ branchId: branch.server.branchId, serviceId: serviceA, name: 'Fatou', phone: '+221778888888', channel: 'web', idempotencyKey: randomUUID(), visitorToken }),
    });
    return { status: res.status, body: await res.json() as ErrorAnswer };
  }
});
