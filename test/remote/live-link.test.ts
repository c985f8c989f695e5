// The branch's live link to central (issue 18, slice 1), real servers on loopback through the fault proxy: a feed
// change reaches the branch at once although its periodic cycle is 10 minutes away (so only the link can bring it),
// also when another central instance made the change; the link drops and returns and the change made meanwhile
// arrives on reconnection; a revoked credential closes the stream and the link stays shut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncDetails } from '../../server/src/shared/contracts/api.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

const dialects = await centralDialects();
// Longer than any test here: a change that arrives came over the live link, not by polling.
const NO_POLLING = { periodicMs: 600_000 };

describe.each(dialects)('the live link branch → central (%s central)', (dialect) => {
  let central: TestCentral;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    central = await startCentral(dialect);
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    await central?.destroy();
  });

  async function linked(name: string): Promise<{ branch: SyncedBranch; proxy: FaultProxy; status: () => Promise<SyncDetails> }> {
    const proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/'] });
    const branch = await startSyncedBranch(central, { centralUrl: proxy.url, name, sync: NO_POLLING });
    cleanup.push(() => branch.destroy(), () => proxy.close());
    const supervisor = await branch.login('aminata');
    const status = async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body;
    await waitFor('the live link open', async () => (await status()).link?.connected === true);
    // The start-up cycle is over: from now on the branch pulls only when told.
    await waitFor('the first cycle done', async () => (await status()).status.lastSuccessAt !== null);
    return { branch, proxy, status };
  }

  it('brings a feed change at once, also one made by another central instance', async () => {
    const { branch, status } = await linked('Agence lien');
    const id = branch.server.branchId;
    const state = branch.server.services.state;
    const cursorBefore = (await status()).pullCursor;

    expect((await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: 'Bienvenue à l’agence' })).status).toBe(200);
    await waitFor('the message over the link', () => state.message() === 'Bienvenue à l’agence', 20_000);
    expect((await status()).pullCursor).toBeGreaterThan(cursorBefore);

    // Another instance on the same database: this one learns it from its look at the branches' rows.
    const other = await central.another();
    const res = await fetch(`${other.url}/api/central/branches/${id}/display-message`, {
      method: 'PUT', headers: { authorization: `Bearer ${central.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Second guichet ouvert' }),
    });
    expect(res.status).toBe(200);
    await waitFor('the other instance’s message', () => state.message() === 'Second guichet ouvert', 20_000);
  });

  it('drops and returns: a change made while the link is down arrives when it is back', async () => {
    const { branch, proxy, status } = await linked('Agence coupure');
    const id = branch.server.branchId;
    const state = branch.server.services.state;

    proxy.setDown(true);
    await waitFor('the link seen down', async () => (await status()).link?.connected === false);
    expect((await central.admin('PUT', `/api/central/branches/${id}/display-message`, { text: 'Pendant la coupure' })).status).toBe(200);
    // Nothing can bring it while the link is down (and polling is minutes away).
    await new Promise((r) => setTimeout(r, 300));
    expect(state.message()).not.toBe('Pendant la coupure');

    proxy.setDown(false);
    await waitFor('the link back', async () => (await status()).link?.connected === true, 20_000);
    await waitFor('the change made meanwhile', () => state.message() === 'Pendant la coupure', 20_000);
  });

  it('a revoked branch credential closes the stream, and the link stays shut', async () => {
    const { branch, proxy, status } = await linked('Agence révoquée');
    const id = branch.server.branchId;
    expect(proxy.streams).toBe(1);

    expect((await central.admin('POST', `/api/central/branches/${id}/revoke`)).status).toBe(200);
    await waitFor('the stream closed', async () => (await status()).link?.connected === false);
    await waitFor('the reconnection refused', async () => /401|revoked/i.test((await status()).link?.lastError ?? ''));
    // Retries keep being refused: no stream is open again.
    await new Promise((r) => setTimeout(r, 400));
    expect((await status()).link?.connected).toBe(false);
    expect(proxy.streams).toBe(0);
  });
});
