// The central API over HTTP, on SQLite and on PostgreSQL: enrolment, credentials, push and pull as a branch
// speaks them, bad input refused with clear errors and nothing written, the head-office read API, and two
// central instances serving one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactFeed, appendFeed } from '../../server/src/central/ingest/feed.js';
import type { BranchDayStats, CentralBranchView, PullResponse, PushResponse, SyncEvent } from '../../server/src/shared/contracts/sync.js';
import { ApiClient } from '../support/branch.js';
import { startCentral, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { servedTickets, ticketRecords } from '../support/sync-records.js';

const dialects = await centralDialects();
let counter = 0;
const newId = (dialect: string) => `br-${dialect}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

interface ErrorAnswer { error: { code: string; message: string; details?: unknown } }

function client(url: string, credential?: string) {
  const api = new ApiClient(url);
  return {
    push: <T = PushResponse>(body: unknown) => api.request<T>('POST', '/api/sync/push', { token: credential, body }),
    pushRaw: <T = unknown>(raw: string) => api.request<T>('POST', '/api/sync/push', { token: credential, rawBody: raw }),
    pull: <T = PullResponse>(cursor: number, limit = 500, protocolVersion = 1) => api.request<T>('GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}&protocolVersion=${protocolVersion}`, { token: credential }),
  };
}

const batch = (branchId: string, events: unknown[], extra: Record<string, unknown> = {}) => ({ protocolVersion: 1, branchId, events, ...extra });

describe.each(dialects)('central API (%s)', (dialect) => {
  let central: TestCentral;

  beforeAll(async () => {
    central = await startCentral(dialect);
  });
  afterAll(async () => {
    await central?.destroy();
  });

  async function enrolled() {
    const id = newId(dialect);
    const credential = await central.enrol(id);
    return { id, credential, c: client(central.url, credential) };
  }
  const eventIds = async (branchId: string) =>
    (await central.admin<Array<{ eventId: string; seq: number }>>('GET', `/api/central/branches/${branchId}/events?limit=5000`)).body.map((e) => e.eventId);

  it('answers its health without credentials', async () => {
    const res = await central.api.get<{ status: string; role: string; database: { dialect: string } }>('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', role: 'central', database: { ok: true, dialect } });
  });

  it('enrols a branch for the admin only and gives it a credential once', async () => {
    const body = { id: newId(dialect), name: 'Agence Médina', code: 'DKR-MED', region: 'Dakar', organization: { name: 'Hôpital Principal', type: 'hospital' } };
    expect((await central.api.post<ErrorAnswer>('/api/central/branches', body)).status).toBe(401);
    expect((await central.api.post<ErrorAnswer>('/api/central/branches', body, 'not-the-token')).status).toBe(403);
    const invalid = await central.admin<ErrorAnswer>('POST', '/api/central/branches', { ...body, region: 'Paris' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_ERROR');
    const ok = await central.admin<{ branch: CentralBranchView; credential: string }>('POST', '/api/central/branches', body);
    expect(ok.status).toBe(201);
    expect(ok.body.credential).toMatch(/^sqb_[A-Za-z0-9_-]{40,}$/);
    expect(ok.body.branch).toMatchObject({ id: body.id, name: 'Agence Médina', region: 'Dakar', status: 'active', timeZone: 'Africa/Dakar', organization: { name: 'Hôpital Principal', type: 'hospital' } });
    expect(ok.body.branch.sync).toMatchObject({ lastSeq: 0, lastSyncAt: null, backlog: 0 });
    const again = await central.admin<ErrorAnswer>('POST', '/api/central/branches', body);
    expect(again.status).toBe(409);
    // Only the hash is stored.
    const stored = await central.server.db.selectFrom('branch_credentials').select('token_hash').where('branch_id', '=', body.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toContain(ok.body.credential);
    expect(stored[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps head-office routes for the admin token: a branch credential is not enough', async () => {
    const { credential } = await enrolled();
    expect((await central.api.get<ErrorAnswer>('/api/central/branches')).status).toBe(401);
    expect((await central.api.get<ErrorAnswer>('/api/central/branches', credential)).status).toBe(403);
  });

  it('refuses sync requests without a known credential (401)', async () => {
    const { id } = await enrolled();
    for (const c of [client(central.url), client(central.url, 'sqb_unknown'), client(central.url, 'garbage')]) {
      const push = await c.push<ErrorAnswer>(batch(id, servedTickets(id, 1)));
      expect(push.status).toBe(401);
      expect(push.body.error.code).toBe('UNAUTHENTICATED');
      expect((await c.pull<ErrorAnswer>(0)).status).toBe(401);
    }
    expect(await eventIds(id)).toEqual([]);
  });

  it("refuses a push in another branch's name (403) and writes nothing for either", async () => {
    const a = await enrolled();
    const b = await enrolled();
    const res = await a.c.push<ErrorAnswer>(batch(b.id, servedTickets(b.id, 2)));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WRONG_BRANCH');
    expect(res.body.error.message).toContain(a.id);
    expect(await eventIds(a.id)).toEqual([]);
    expect(await eventIds(b.id)).toEqual([]);
  });

  it('refuses revoked credentials and revoked branches; a new credential works again', async () => {
    const { id, credential, c } = await enrolled();
    expect((await c.push(batch(id, servedTickets(id, 1)))).status).toBe(200);
    const rotated = await central.admin<{ credential: string }>('POST', `/api/central/branches/${id}/credentials`, { revokeOthers: true });
    expect(rotated.status).toBe(201);
    const old = await c.push<ErrorAnswer>(batch(id, []));
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('CREDENTIAL_REVOKED');
    const fresh = client(central.url, rotated.body.credential);
    expect((await fresh.push(batch(id, []))).status).toBe(200);

    const revoked = await central.admin<CentralBranchView>('POST', `/api/central/branches/${id}/revoke`);
    expect(revoked.body.status).toBe('revoked');
    const after = await fresh.push<ErrorAnswer>(batch(id, []));
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('CREDENTIAL_REVOKED');
    expect((await fresh.pull<ErrorAnswer>(0)).status).toBe(401);
    expect(credential).not.toBe(rotated.body.credential);
  });

  it('answers 426 to a protocol version it does not speak', async () => {
    const { id, c } = await enrolled();
    const res = await c.push<ErrorAnswer>({ ...batch(id, servedTickets(id, 1)), protocolVersion: 99 });
    expect(res.status).toBe(426);
    expect(res.body.error).toMatchObject({ code: 'UPGRADE_REQUIRED', details: { supported: [1] } });
    expect((await c.pull<ErrorAnswer>(0, 10, 99)).status).toBe(426);
    expect(await eventIds(id)).toEqual([]);
  });

  it('refuses malformed batches with 400 and writes nothing', async () => {
    const { id, c } = await enrolled();
    const good = servedTickets(id, 1);
    const cases: unknown[] = [
      { branchId: id, events: good },
      { protocolVersion: 1, branchId: id },
      batch(id, [{ ...good[0], seq: 'one' }]),
      batch(id, [{ ...good[0], eventId: undefined }]),
      batch(id, [good[0], good[2]]),
    ];
    for (const body of cases) {
      const res = await c.push<ErrorAnswer>(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    const notJson = await c.pushRaw<ErrorAnswer>('{"protocolVersion":1,');
    expect(notJson.status).toBe(400);
    expect(await eventIds(id)).toEqual([]);
  });

  it('refuses oversized batches with 413 and writes nothing', async () => {
    const { id, c } = await enrolled();
    const tooMany = await c.push<ErrorAnswer>(batch(id, servedTickets(id, 126)));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'BATCH_TOO_LARGE', details: { maxEvents: 500 } });
    const big = servedTickets(id, 1).map((e) => ({ ...e, payload: { ...(e.payload as object), padding: 'x'.repeat(1_100_000) } }));
    const tooBig = await c.push<ErrorAnswer>(batch(id, big));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await eventIds(id)).toEqual([]);
  });

  it('answers a gap with 409 and the seq it expects', async () => {
    const { id, c } = await enrolled();
    const records = servedTickets(id, 2);
    expect((await c.push(batch(id, records.slice(0, 3)))).body.ackedSeq).toBe(3);
    const gap = await c.push<ErrorAnswer>(batch(id, records.slice(4)));
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'SEQUENCE_GAP', details: { expectedSeq: 4, lastSeq: 3 } });
    expect(await eventIds(id)).toEqual(records.slice(0, 3).map((r) => r.eventId));
  });

  it('quarantines a malformed record, reports it, and shows it to head office', async () => {
    const { id, c } = await enrolled();
    const records: unknown[] = servedTickets(id, 1);
    records[1] = { ...(records[1] as SyncEvent), eventType: 'ticket.teleported' };
    const res = await c.push(batch(id, records));
    expect(res.status).toBe(200);
    expect(res.body.ackedSeq).toBe(4);
    expect(res.body.rejected).toEqual([{ seq: 2, eventId: (records[1] as SyncEvent).eventId, reason: expect.stringContaining('ticket.teleported') }]);
    const quarantine = await central.admin<Array<{ seq: number; reason: string }>>('GET', `/api/central/branches/${id}/quarantine`);
    expect(quarantine.body.map((q) => q.seq)).toEqual([2]);
    const view = await central.admin<CentralBranchView>('GET', `/api/central/branches/${id}`);
    expect(view.body.sync).toMatchObject({ lastSeq: 4, rejected: 1 });
  });

  it('shows each branch with its last sync, backlog and lag as the branch reported them', async () => {
    const { id, c } = await enrolled();
    const records = servedTickets(id, 1);
    const oldest = new Date(Date.now() - 600_000).toISOString();
    await c.push(batch(id, records.slice(0, 2), { headSeq: 10, oldestPendingAt: oldest }));
    const list = await central.admin<CentralBranchView[]>('GET', '/api/central/branches');
    const mine = list.body.find((b) => b.id === id);
    expect(mine?.sync.backlog).toBe(8);
    expect(mine?.sync.lastSyncAt).not.toBeNull();
    expect(mine?.sync.lagSeconds).toBeGreaterThanOrEqual(600);
    await c.push(batch(id, records.slice(2), { headSeq: 4, oldestPendingAt: null }));
    const after = await central.admin<CentralBranchView>('GET', `/api/central/branches/${id}`);
    expect(after.body.sync).toMatchObject({ lastSeq: 4, backlog: 0, lagSeconds: 0 });
  });

  it('feeds central changes to the branch with a cursor: display message set, paged, cleared', async () => {
    const { id, c } = await enrolled();
    // Every page also says what central can send to the branch's visitors: no SMS channel here (the kiosk offers none).
    expect((await c.pull(0)).body).toEqual({ changes: [], cursor: 0, hasMore: false, notifications: { sms: false } });
    for (const text of ['Fermeture à 12h', 'Fermeture à 13h']) {
      expect((await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text })).status).toBe(200);
    }
    expect((await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: '' })).status).toBe(200);
    const page1 = await c.pull(0, 2);
    expect(page1.body.hasMore).toBe(true);
    expect(page1.body.cursor).toBe(2);
    expect(page1.body.changes.map((ch) => [ch.version, ch.entityType, ch.op, ch.payload])).toEqual([
      [1, 'display_message', 'upsert', { text: 'Fermeture à 12h' }],
      [2, 'display_message', 'upsert', { text: 'Fermeture à 13h' }],
    ]);
    const page2 = await c.pull(page1.body.cursor, 2);
    expect(page2.body).toMatchObject({ cursor: 3, hasMore: false });
    expect(page2.body.changes.map((ch) => [ch.version, ch.op, ch.payload])).toEqual([[3, 'delete', null]]);
    expect((await c.pull(3)).body).toEqual({ changes: [], cursor: 3, hasMore: false, notifications: { sms: false } });
    const view = await central.admin<CentralBranchView>('GET', `/api/central/branches/${id}`);
    expect(view.body.sync).toMatchObject({ feedVersion: 3, pullCursor: 3 });
    // A branch only ever reads its own feed.
    const other = await enrolled();
    expect((await other.c.pull(0)).body.changes).toEqual([]);
  });

  it('answers 410 with a snapshot when the feed was compacted past the cursor (or the cursor is ahead)', async () => {
    const { id, c } = await enrolled();
    const cdb = central.server.central;
    const add = (entityType: string, entityId: string, op: 'upsert' | 'delete', payload: unknown) =>
      cdb.db.transaction().execute((trx) => appendFeed(trx, cdb.dialect, id, { entityType, entityId, op, payload }, new Date().toISOString()));
    await add('display_message', 'current', 'upsert', { text: 'a' }); // v1, superseded
    await add('config', 'x', 'upsert', { v: 1 }); //                      v2, deleted below
    await add('config', 'x', 'delete', null); //                          v3, tombstone
    await add('display_message', 'current', 'upsert', { text: 'b' }); // v4
    await add('config', 'y', 'upsert', { v: 2 }); //                      v5
    expect(await compactFeed(cdb, id, 4)).toEqual({ deleted: 3, floor: 3 });
    const expired = await c.pull<ErrorAnswer & { snapshot: { version: number; entities: Array<{ version: number; entityId: string; payload: unknown }> } }>(1);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('CURSOR_EXPIRED');
    expect(expired.body.snapshot.version).toBe(5);
    expect(expired.body.snapshot.entities.map((e) => [e.version, e.entityId, e.payload])).toEqual([[4, 'current', { text: 'b' }], [5, 'y', { v: 2 }]]);
    const fromFloor = await c.pull(3);
    expect(fromFloor.status).toBe(200);
    expect(fromFloor.body.changes.map((ch) => ch.version)).toEqual([4, 5]);
    expect((await c.pull(99)).status).toBe(410);
  });

  it('gives head office the figures of a branch day: counts, average and p90 wait and service, per service and agent', async () => {
    const { id, c } = await enrolled();
    const at = (hhmm: string) => new Date(`2025-03-03T${hhmm}:00Z`);
    const plans = [
      { serviceId: 'svc-a', prefix: 'A', agentId: 'awa', issuedAt: at('09:00'), waitSeconds: 60, serviceSeconds: 100 },
      { serviceId: 'svc-a', prefix: 'A', agentId: 'awa', issuedAt: at('09:05'), waitSeconds: 120, serviceSeconds: 200 },
      { serviceId: 'svc-a', prefix: 'A', agentId: 'moussa', issuedAt: at('09:10'), waitSeconds: 600, serviceSeconds: 300 },
      { serviceId: 'svc-b', prefix: 'B', agentId: 'moussa', issuedAt: at('10:00'), waitSeconds: 900, end: 'no_show' as const },
      { serviceId: 'svc-b', prefix: 'B', issuedAt: at('10:30'), end: 'cancelled' as const },
      { serviceId: 'svc-b', prefix: 'B', issuedAt: at('11:00') },
      // 23:30 UTC is still the 3rd in Dakar (UTC+0), already the 4th in Paris (UTC+1).
      { serviceId: 'svc-b', prefix: 'B', agentId: 'moussa', issuedAt: at('23:30'), waitSeconds: 30, serviceSeconds: 60 },
      { serviceId: 'svc-a', prefix: 'A', agentId: 'awa', issuedAt: new Date('2025-03-04T09:00:00Z'), waitSeconds: 5, serviceSeconds: 5 },
    ];
    const records: SyncEvent[] = [];
    plans.forEach((p, i) => records.push(...ticketRecords(id, records.length + 1, p, i + 1)));
    expect((await c.push(batch(id, records))).body.ackedSeq).toBe(records.length);

    const res = await central.admin<BranchDayStats>('GET', `/api/central/branches/${id}/stats?day=2025-03-03`);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s).toMatchObject({ day: '2025-03-03', timeZone: 'Africa/Dakar', from: '2025-03-03T00:00:00.000Z', to: '2025-03-04T00:00:00.000Z' });
    expect(s.totals).toEqual({
      issued: 7, served: 4, noShow: 1, cancelled: 1, expired: 0,
      wait: { count: 5, averageSeconds: Math.round((60 + 120 + 600 + 900 + 30) / 5), p90Seconds: 900 },
      service: { count: 4, averageSeconds: Math.round((100 + 200 + 300 + 60) / 4), p90Seconds: 300 },
    });
    const a = s.byService.find((x) => x.prefix === 'A');
    expect(a).toMatchObject({ serviceId: 'svc-a', issued: 3, served: 3, wait: { count: 3, averageSeconds: 260, p90Seconds: 600 }, service: { averageSeconds: 200, p90Seconds: 300 } });
    const b = s.byService.find((x) => x.prefix === 'B');
    expect(b).toMatchObject({ issued: 4, served: 1, noShow: 1, cancelled: 1 });
    expect(s.byAgent.map((x) => [x.agentId, x.issued, x.served])).toEqual([['awa', 2, 2], ['moussa', 3, 2]]);

    const paris = await central.admin<BranchDayStats>('GET', `/api/central/branches/${id}/stats?day=2025-03-03&tz=Europe/Paris`);
    expect(paris.body.totals.issued).toBe(6);
    const all = await central.admin<Array<{ branchId: string; totals: { issued: number } }>>('GET', '/api/central/stats?day=2025-03-03');
    expect(all.body.find((x) => x.branchId === id)?.totals.issued).toBe(7);
    expect((await central.admin<ErrorAnswer>('GET', `/api/central/branches/${id}/stats?day=03/03/2025`)).status).toBe(400);
    expect((await central.admin<ErrorAnswer>('GET', '/api/central/branches/nope/stats?day=2025-03-03')).status).toBe(404);
  });

  it('serves from two instances on one database: two branches pushing through both stay exact and separate', async () => {
    const second = await central.another();
    const a = await enrolled();
    const b = await enrolled();
    const records = { [a.id]: servedTickets(a.id, 60), [b.id]: servedTickets(b.id, 60) };
    const credentials = { [a.id]: a.credential, [b.id]: b.credential };
    const urls = [central.url, second.url];
    // Each branch pushes batches of 20 in turn through both instances; every batch is also sent to the other
    // instance at the same moment (a duplicate racing the original).
    const run = async (branchId: string) => {
      const list = records[branchId] as SyncEvent[];
      for (let i = 0; i < list.length; i += 20) {
        const body = batch(branchId, list.slice(i, i + 20));
        const answers = await Promise.all(urls.map((u) => client(u, credentials[branchId]).push(body)));
        for (const ans of answers) expect(ans.status).toBe(200);
        expect(answers.map((x) => x.body.applied).sort()).toEqual([0, 20]);
      }
    };
    await Promise.all([run(a.id), run(b.id)]);
    expect(await eventIds(a.id)).toEqual(records[a.id]?.map((r) => r.eventId));
    expect(await eventIds(b.id)).toEqual(records[b.id]?.map((r) => r.eventId));
    const tickets = await central.server.db.selectFrom('tickets').select(['branch_id']).where('branch_id', 'in', [a.id, b.id]).execute();
    expect(tickets.filter((t) => t.branch_id === a.id)).toHaveLength(60);
    expect(tickets.filter((t) => t.branch_id === b.id)).toHaveLength(60);
    // Head office reads the same through either instance.
    const viaSecond = await new ApiClient(second.url).get<CentralBranchView>(`/api/central/branches/${a.id}`, central.adminToken);
    expect(viaSecond.body.sync.lastSeq).toBe(240);
  });
});
