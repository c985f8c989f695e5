// "Your turn is near" at the position the branch set for the service (Administration › Services, issue 16): a real
// branch syncs to a real central; the branch's value reaches central with its directory and the notifier sends the
// message at that position, before head office's setting for the service and the server's default; when the branch
// clears its value, head office's applies again, then the default (SMARTQUEUE_TRACK_NOTIFY_AT, 3 here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceView } from '../../server/src/shared/contracts/api.js';
import { centralDialects } from '../support/postgres.js';
import { waitFor } from '../support/central.js';
import { issue, startTrackingWorld, waitForView, type TrackingWorld } from './support.js';

const dialects = await centralDialects();

describe.each(dialects)('the branch\'s "your turn is near" position on %s', (dialect) => {
  let w: TrackingWorld;
  let admin: string;
  const ahead: string[] = [];
  let followed = '';

  beforeAll(async () => {
    w = await startTrackingWorld(dialect, { tracking: { notifyAtPosition: 3 } });
    admin = await w.branch.login('admin');
  });
  afterAll(async () => { await w?.close(); });

  const setAtBranch = async (notifyAtPosition: number | null) => {
    const r = await w.branch.api.request<ServiceView>('PATCH', `/api/admin/services/${w.serviceA}`, { token: admin, body: { notifyAtPosition } });
    expect(r.status).toBe(200);
    expect(r.body.notifyAtPosition).toBe(notifyAtPosition);
  };

  it('sends the message at the branch\'s position, not head office\'s nor the default', async () => {
    // Head office says 2 for this service; the branch says 4.
    expect((await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, { services: [{ serviceId: w.serviceA, notifyAtPosition: 2 }] })).status).toBe(200);
    await setAtBranch(4);
    for (let i = 0; i < 5; i++) ahead.push(await issue(w));
    followed = await issue(w, { phone: '77 765 43 21' });
    const v = await waitForView(w, followed, 'the branch\'s position at central', (x) => x.position === 6 && x.notifyAtPosition === 4);
    expect(v.notifyAtPosition).toBe(4);

    const counter = await w.openCounter('awa', 2); // counter 2 serves A only
    for (let i = 0; i < 2; i++) expect(await w.serveNext('awa', counter)).toBe(ahead[i]);
    // Position 4: told now, once, and the message says position 4 (had it gone at 5 it would say so; at 2 or 3, not yet).
    const sms = await waitFor('turn-near SMS', () => w.sms.messages.find((m) => m.to === '+221777654321'));
    expect(sms.message).toContain('(position 4)');
    expect(w.sms.messages.filter((m) => m.to === '+221777654321')).toHaveLength(1);
  });

  it('falls back to head office\'s setting for the service, then to the default, when the branch clears its own', async () => {
    await setAtBranch(null);
    await waitForView(w, followed, 'head office\'s position again', (x) => x.notifyAtPosition === 2);
    expect((await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, { services: [{ serviceId: w.serviceA }] })).status).toBe(200);
    await waitForView(w, followed, 'the default position', (x) => x.notifyAtPosition === 3);
  });
});
