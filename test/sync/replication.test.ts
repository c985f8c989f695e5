// A real branch server and a real central server with a fault-injecting proxy between them: the link drops,
// delays, duplicates, replays, cuts and goes down while the branch keeps serving; once it is back, central holds
// exactly the branch's records. Runs against a SQLite and a PostgreSQL central.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/src/shared/contracts/events.js';
import { appendFeed, compactFeed } from '../../server/src/central/ingest/feed.js';
import type { SyncDetails } from '../../server/src/shared/contracts/api.js';
import type { Health } from '../../server/src/shared/contracts/api.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import type { TestBranch } from '../support/branch.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { branchOutbox, centralHoldings, counterWorkload } from '../support/sync-check.js';

const dialects = await centralDialects();

async function health(branch: TestBranch): Promise<Health['sync']> {
  return (await branch.api.get<Health>('/api/health')).body.sync;
}

/** Wait until the branch says its outbox is drained, then compare both sides record by record. */
async function expectExact(central: TestCentral, branch: TestBranch): Promise<void> {
  await waitFor('the outbox to drain', async () => {
    const h = await health(branch);
    return h.backlog === 0 && h.lastError === null;
  }, 60_000);
  const local = branchOutbox(branch.dataDir);
  const remote = await centralHoldings(central, branch.server.branchId);
  expect(remote.quarantined).toBe(0);
  expect(remote.lastSeq).toBe(local.events.length);
  expect(local.ackedSeq).toBe(local.events.length);
  // Every event id once, at its seq: none lost, none twice, no gap.
  expect(remote.events).toEqual(local.events);
  expect(local.events.map((e) => e.seq)).toEqual(local.events.map((_, i) => i + 1));
  expect(remote.tickets).toEqual(local.tickets);
}

describe.each(dialects)('replication through an unreliable link (%s central)', (dialect) => {
  let central: TestCentral;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    central = await startCentral(dialect);
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    await central?.destroy();
  });

  async function linked(seed: number, name?: string): Promise<{ branch: SyncedBranch; proxy: FaultProxy }> {
    const proxy = await FaultProxy.start({ target: central.url, seed, paths: ['/api/sync/'], delayMs: 80 });
    const branch = await startSyncedBranch(central, { centralUrl: proxy.url, name });
    cleanup.push(() => branch.destroy(), () => proxy.close());
    return { branch, proxy };
  }

  it('serves hundreds of tickets while the link flaps, then central holds exactly the branch records', async () => {
    const { branch, proxy } = await linked(20250303);
    // Every kind of fault once first, whatever the timing (how many pushes a run makes varies with the machine's
    // load, and a rare fault could otherwise miss a short run); then random faults for the rest of the run.
    proxy.queue('drop-request', 'drop-reply', 'delay', 'slow-reply', 'error-5xx', 'duplicate', 'replay-later', 'cut-reply');
    proxy.setRandom({ 'drop-request': 0.08, 'drop-reply': 0.1, delay: 0.05, 'slow-reply': 0.05, 'error-5xx': 0.08, duplicate: 0.1, 'replay-later': 0.08, 'cut-reply': 0.06 });
    const issued = await counterWorkload(branch, {
      tickets: 240,
      // The link goes down for a while every 40 tickets: a partition while the branch keeps issuing and serving.
      onStep: (i) => {
        if (i % 40 === 10) proxy.setDown(true);
        if (i % 40 === 25) proxy.setDown(false);
      },
    });
    expect(issued).toBe(240);
    proxy.heal();
    await expectExact(central, branch);
    const faults = Object.entries(proxy.stats).filter(([f, n]) => f !== 'pass' && n > 0).map(([f]) => f);
    expect(faults.sort()).toEqual(['cut-reply', 'delay', 'drop-reply', 'drop-request', 'duplicate', 'error-5xx', 'replay-later', 'slow-reply']);
    expect(branchOutbox(branch.dataDir).events.length).toBeGreaterThan(500);
  });

  it('keeps several branches pushing at once separate', async () => {
    const links = await Promise.all([1, 2, 3].map((n) => linked(700 + n, `Agence ${n}`)));
    for (const { proxy } of links) proxy.setRandom({ 'drop-reply': 0.15, duplicate: 0.15, 'error-5xx': 0.1, 'replay-later': 0.1 });
    await Promise.all(links.map(({ branch }) => counterWorkload(branch, { tickets: 40 })));
    for (const { proxy } of links) proxy.heal();
    for (const { branch } of links) await expectExact(central, branch);
    const ids = links.map(({ branch }) => new Set(branchOutbox(branch.dataDir).events.map((e) => e.eventId)));
    for (const [i, { branch }] of links.entries()) {
      const mine = await centralHoldings(central, branch.server.branchId);
      for (const [j, other] of ids.entries()) {
        if (j !== i) expect(mine.events.filter((e) => other.has(e.eventId))).toEqual([]);
      }
    }
  });

  it('never makes ticket issuance or calls wait on the network', async () => {
    const { branch, proxy } = await linked(42);
    await counterWorkload(branch, { tickets: 4 });
    await expectExact(central, branch);
    // A push is held in flight (central has not even seen it): the counter keeps working meanwhile.
    proxy.hold('before');
    const kiosk = await branch.kioskToken();
    const svc = await branch.service('A');
    expect((await branch.api.issue(kiosk, { serviceId: svc.id })).status).toBe(201);
    await waitFor('a push held at the proxy', () => proxy.held > 0);
    const agent = await branch.login('awa');
    const counter = await branch.counter(1);
    for (let i = 0; i < 10; i++) expect((await branch.api.issue(kiosk, { serviceId: svc.id })).status).toBe(201);
    const call = await branch.api.post<{ ticket: { id: string } | null }>(`/api/counters/${counter.id}/call-next`, {}, agent);
    expect(call.status).toBe(200);
    expect(call.body.ticket).not.toBeNull();
    expect(proxy.held).toBeGreaterThan(0);
    expect((await health(branch)).backlog).toBeGreaterThanOrEqual(12);
    proxy.release();
    await expectExact(central, branch);
  });

  it('shows the link state in /api/health and raises a sync alert for the supervisor, then recovers', async () => {
    const { branch, proxy } = await linked(7);
    await waitFor('a first sync', async () => (await health(branch)).lastSuccessAt !== null);
    expect(await health(branch)).toMatchObject({ configured: true, online: true, backlog: 0, lagSeconds: 0, lastError: null });
    proxy.setDown(true);
    await counterWorkload(branch, { tickets: 6 });
    const supervisor = await branch.login('aminata');
    const alerts = await waitFor('a sync alert', async () => {
      const list = (await branch.api.get<Alert[]>('/api/alerts', supervisor)).body;
      return list.some((a) => a.kind === 'sync' && a.severity === 'warning') ? list : undefined;
    });
    expect(alerts.find((a) => a.kind === 'sync')?.message).toMatch(/Synchronisation avec le siège interrompue/);
    const down = await health(branch);
    expect(down.online).toBe(false);
    expect(down.backlog).toBeGreaterThan(6);
    expect(down.lastError).toMatch(/central unreachable/);
    expect(down.lagSeconds).not.toBeNull();
    const details = (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body;
    expect(details.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(details.headSeq - details.ackedSeq).toBe(down.backlog);
    expect((await branch.api.get('/api/sync/status', await branch.login('awa'))).status).toBe(403);

    proxy.setDown(false);
    await expectExact(central, branch);
    expect(await health(branch)).toMatchObject({ online: true, lastError: null, backlog: 0 });
    await waitFor('a recovery notice', async () =>
      (await branch.api.get<Alert[]>('/api/alerts', supervisor)).body.some((a) => a.kind === 'sync' && a.severity === 'info'));
    const view = await central.admin<{ sync: { lastSeq: number; backlog: number } }>('GET', `/api/central/branches/${branch.server.branchId}`);
    expect(view.body.sync).toMatchObject({ lastSeq: branchOutbox(branch.dataDir).events.length, backlog: 0 });
  });

  it('pulls head-office changes: the call-board message, unknown entity types parked, a snapshot after compaction', async () => {
    const { branch, proxy } = await linked(9);
    const id = branch.server.branchId;
    const state = branch.server.services.state;
    const supervisor = await branch.login('aminata');
    const parked = async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body.parkedChanges;

    expect((await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: 'Fermeture exceptionnelle à 12h' })).status).toBe(200);
    await waitFor('the message on the branch', () => state.message() === 'Fermeture exceptionnelle à 12h');

    // A change of a type this branch does not know (yet) is parked; the feed goes on.
    const cdb = central.server.central;
    await cdb.db.transaction().execute((trx) => appendFeed(trx, cdb.dialect, id, { entityType: 'loyalty_offer', entityId: 'offer-1', op: 'upsert', payload: { text: '-10 %' } }, new Date().toISOString()));
    await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: 'Bienvenue' });
    await waitFor('the second message', () => state.message() === 'Bienvenue');
    expect(await parked()).toBe(1);

    // While the branch is cut off, head office sets and clears messages and compacts the feed past its cursor.
    proxy.setDown(true);
    await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: '' });
    await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: 'Nouveaux horaires : 8h-16h' });
    const head = (await central.admin<{ sync: { feedVersion: number } }>('GET', `/api/central/branches/${id}`)).body.sync.feedVersion;
    const compacted = await compactFeed(cdb, id, head);
    expect(compacted.floor).toBe(head - 1);
    proxy.setDown(false);
    await waitFor('the snapshot applied', () => state.message() === 'Nouveaux horaires : 8h-16h');
    const after = (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body;
    expect(after.pullCursor).toBe(head);
    expect(after.parkedChanges).toBe(1);
    // A replayed page changes nothing: the versions held are not older than the feed's.
    await branch.server.sync?.syncNow();
    expect(state.message()).toBe('Nouveaux horaires : 8h-16h');
  });

  it('resends what central lost when central is restored from an older backup', async () => {
    const { branch } = await linked(11);
    await counterWorkload(branch, { tickets: 10 });
    await expectExact(central, branch);
    const id = branch.server.branchId;
    const keep = 7;
    // What a restore of yesterday's backup looks like for this branch: central only holds seq 1..7.
    const db = central.server.db;
    const lost = await db.selectFrom('sync_events').select(['event_id', 'aggregate_id']).where('branch_id', '=', id).where('seq', '>', keep).execute();
    await db.deleteFrom('ticket_events').where('id', 'in', lost.map((l) => l.event_id)).execute();
    await db.deleteFrom('sync_events').where('branch_id', '=', id).where('seq', '>', keep).execute();
    await db.updateTable('branch_sync').set({ last_seq: keep }).where('branch_id', '=', id).execute();
    await counterWorkload(branch, { tickets: 2 });
    await expectExact(central, branch);
  });
});
