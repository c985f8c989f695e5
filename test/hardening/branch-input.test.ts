// Issue 14, points 9, 10 and 13 at the branch: bad input answers a 4xx JSON error (never a 500, never HTML that
// echoes what the caller sent), against a real branch server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBranch, type TestBranch } from '../support/branch.js';

type ErrorShape = { error: { code: string; message: string } };

describe('branch: bad input is a 4xx, never a 500', () => {
  let b: TestBranch;
  let admin: string;
  let kiosk: string;
  let awa: string;

  beforeAll(async () => {
    b = await startBranch();
    admin = await b.login('admin');
    kiosk = await b.kioskToken();
    awa = await b.login('awa');
  });
  afterAll(async () => { await b.destroy(); });

  it('point 9: a booking code with a broken percent-escape is 400 VALIDATION_ERROR at check-in', async () => {
    for (const code of ['?code=%', 'https://x.sn/booking?code=%E0%A4%A', '?code=%zz']) {
      const res = await b.api.post<ErrorShape>('/api/appointments/check-in', { code }, kiosk);
      expect(res.status, code).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const staff = await b.api.get<ErrorShape>(`/api/appointments/bookings/${encodeURIComponent('?code=%')}`, awa);
    expect(staff.status).toBeLessThan(500);
  });

  it('point 10: PATCH /api/admin/devices/:id with {} is 400 and changes nothing', async () => {
    const created = await b.api.post<{ device: { id: string; name: string } }>('/api/admin/devices', { name: 'Borne 1', role: 'kiosk' }, admin);
    expect(created.status).toBe(201);
    const res = await b.api.request<ErrorShape>('PATCH', `/api/admin/devices/${created.body.device.id}`, { token: admin, body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    const after = await b.api.get<{ id: string; name: string }[]>('/api/admin/devices', admin);
    expect(after.body.find((d) => d.id === created.body.device.id)?.name).toBe('Borne 1');
  });

  it('point 13: a receipt for an unknown id is a JSON error labelled JSON, never HTML', async () => {
    const res = await fetch(`${b.url}/api/payments/${encodeURIComponent('<b>x</b>')}/receipt.html`, { headers: { authorization: `Bearer ${awa}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // Inside a JSON string labelled JSON the id is data: a browser never renders it as markup.
    const body = JSON.parse(await res.text()) as ErrorShape;
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('<b>x</b>');
  });
});
