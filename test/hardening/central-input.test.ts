// Issue 14, points 9 and 12 at central: a booking code with a broken percent-escape and an impossible date are
// 400 VALIDATION_ERROR on every route that takes them (never a 500, never a day that does not exist), against a real
// central server with a real branch synced to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicServiceView, SlotsResponse } from '../../server/src/shared/contracts/appointments.js';
import { startSyncedBranch, startCentral, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { TestClock } from '../support/clock.js';

type ErrorShape = { error: { code: string; message: string } };

describe('central: bad booking codes and dates', () => {
  const clock = new TestClock('2026-02-10T08:00:00Z'); // a Tuesday in Dakar
  let central: TestCentral;
  let b: SyncedBranch;
  let serviceA: string;

  beforeAll(async () => {
    central = await startCentral('sqlite', { clock });
    b = await startSyncedBranch(central, { clock });
    const admin = await b.login('admin');
    serviceA = (await b.service('A')).id;
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, horizonWorkingDays: 30 } })).status).toBe(200);
    await waitFor('the service bookable at central', async () =>
      (await central.api.get<PublicServiceView[]>(`/api/public/branches/${b.server.branchId}/services`)).body.length === 1);
  });
  afterAll(async () => {
    await b?.destroy();
    await central?.destroy();
  });

  it('point 9: every booking-code route answers 400 VALIDATION_ERROR to a broken escape', async () => {
    const code = encodeURIComponent('?code=%'); // %3Fcode%3D%25
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/public/bookings/${code}`],
      ['GET', `/api/public/bookings/${code}/qr.svg`],
      ['GET', `/api/public/bookings/${code}/qr.png`],
      ['GET', `/api/public/bookings/${code}/deposit`],
      ['POST', `/api/public/bookings/${code}/cancel`, {}],
      ['POST', `/api/public/bookings/${code}/move`, { startsAt: '2026-02-12T09:00:00.000Z' }],
      ['POST', `/api/public/bookings/${code}/deposit/checkout`, { provider: 'wave' }],
    ];
    for (const [method, path, body] of routes) {
      const res = await central.api.request<ErrorShape>(method, path, body === undefined ? {} : { body });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('point 12: impossible dates in the slots API are 400, real ones still answer slots', async () => {
    const slots = (q: string) => central.api.get<SlotsResponse & ErrorShape>(`/api/public/branches/${b.server.branchId}/services/${serviceA}/slots${q}`);
    for (const q of ['?from=2026-02-30', '?from=2026-13-45&to=2026-99-99', '?to=2026-02-29', '?from=2026-04-31']) {
      const res = await slots(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const real = await slots('?from=2026-02-11&to=2026-02-12');
    expect(real.status).toBe(200);
    expect(real.body.slots.length).toBeGreaterThan(0);
    expect((await slots('?from=2028-02-29&to=2028-02-29')).status).toBe(200); // a leap day is a real day
  });
});
