// Issue 16, server side: what the admin screens need beyond the earlier REST admin API, against a real branch server
// started empty (SMARTQUEUE_DEMO=0): service order (new services last, reorder), icons from the kiosk's list, the
// audit log (same transaction as the change, filter by kind, replicated through the outbox), what closing a service
// would do, last sign-in, password reset shown once, the last admin, devices online now, revocation closing a
// socket, and a test page with the printer's answer (printed, paper out, unreachable).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceView, UserView } from '../../server/src/shared/contracts/api.js';
import type { AuditEntryView, DeviceStatusView, PasswordReset, ServiceStatusPreview, TestPageResult, UserAdminView } from '../../server/src/shared/contracts/admin.js';
import { AdminChangeV1 } from '../../server/src/shared/contracts/replicated.js';
import { BranchDirectoryV1 } from '../../server/src/shared/contracts/branch-directory.js';
import { classifyRecord } from '../../server/src/central/ingest/ingest.js';
import { FakePrinter } from '../fixtures/fake-printer.js';
import { startBranch, type TestBranch } from '../support/branch.js';

const names = (fr: string) => ({ fr, wo: `${fr} (wo)`, en: `${fr} (en)` });

describe('branch administration API (issue 16)', () => {
  let b: TestBranch;
  let admin: string;
  const printer = new FakePrinter();

  beforeAll(async () => {
    await printer.start();
    b = await startBranch({ demo: false });
    admin = await b.login('admin');
    // Open around the clock: tickets can be issued whenever the test runs.
    const allDay = [{ open: '00:00', close: '24:00' }];
    const hours = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, allDay]));
    expect((await b.api.request('PATCH', '/api/admin/branch', { token: admin, body: { openingHours: hours } })).status).toBe(200);
  });
  afterAll(async () => {
    await b?.destroy();
    await printer.close();
  });

  const createService = async (prefix: string, extra: Record<string, unknown> = {}) => {
    const res = await b.api.post<ServiceView>('/api/admin/services', { prefix, name: names(`Service ${prefix}`), ...extra }, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const audit = async (kind?: string) => (await b.api.get<AuditEntryView[]>(`/api/admin/audit${kind ? `?kind=${kind}` : ''}`, admin)).body;

  it('puts new services last and reorders them; the order must name every service once', async () => {
    const a = await createService('A', { icon: 'cash' });
    const e = await createService('E');
    const c = await createService('C', { icon: 'document' });
    expect((await b.services()).map((s) => s.prefix)).toEqual(['A', 'E', 'C']);
    expect([a.sortOrder, e.sortOrder, c.sortOrder]).toEqual([0, 1, 2]);

    const res = await b.api.request<ServiceView[]>('PUT', '/api/admin/services/order', { token: admin, body: { serviceIds: [c.id, a.id, e.id] } });
    expect(res.status).toBe(200);
    expect((await b.services()).map((s) => s.prefix)).toEqual(['C', 'A', 'E']);

    const partial = await b.api.request('PUT', '/api/admin/services/order', { token: admin, body: { serviceIds: [c.id, a.id] } });
    expect(partial.status).toBe(400);
    expect((await b.services()).map((s) => s.prefix)).toEqual(['C', 'A', 'E']);
    const agent = await b.api.request('PUT', '/api/admin/services/order', { body: { serviceIds: [a.id, c.id, e.id] } });
    expect(agent.status).toBe(401);
  });

  it('refuses opening hours that close before they open or overlap, naming the range, and changes nothing', async () => {
    const before = (await b.api.get<{ openingHours: unknown }>('/api/branch')).body.openingHours;
    const week = (tuesday: Array<{ open: string; close: string }>) => ({ 1: [], 2: tuesday, 3: [], 4: [], 5: [], 6: [], 7: [] });
    type Refused = { error: { code: string; details: Array<{ path: Array<string | number>; params?: { issue?: string }; weekday?: number; range?: string }> } };
    const reversed = await b.api.request<Refused>('PATCH', '/api/admin/branch', { token: admin, body: { openingHours: week([{ open: '08:00', close: '12:30' }, { open: '16:00', close: '14:00' }]) } });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details).toEqual([expect.objectContaining({ path: ['openingHours', '2', 1], params: { issue: 'range_order' }, weekday: 2, range: '16:00–14:00' })]);
    const overlap = await b.api.request<Refused>('POST', '/api/admin/branch/preview', { token: admin, body: { openingHours: week([{ open: '14:00', close: '17:00' }, { open: '08:00', close: '15:00' }]) } });
    expect(overlap.status).toBe(400);
    expect(overlap.body.error.details).toEqual([expect.objectContaining({ path: ['openingHours', '2', 0], params: { issue: 'range_overlap' } })]);
    const a = await b.service('A');
    const service = await b.api.request<Refused>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { openingHours: week([{ open: '09:00', close: '09:00' }]) } });
    expect(service.status).toBe(400);
    expect(service.body.error.details.map((d) => d.path.join('.'))).toEqual(['openingHours.2.0']);
    expect((await b.api.get<{ openingHours: unknown }>('/api/branch')).body.openingHours).toEqual(before);
    expect((await b.service('A')).openingHours).toEqual(a.openingHours);
  });

  it('accepts only the kiosk\'s icons, and says which field is wrong', async () => {
    const res = await b.api.post<{ error: { code: string; details: Array<{ path: string[] }> } }>('/api/admin/services', { prefix: 'Z', name: names('Z'), icon: 'rocket' }, admin);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.map((d) => d.path.join('.'))).toContain('icon');
    const id = (await b.service('A')).id;
    const patch = await b.api.request('PATCH', `/api/admin/services/${id}`, { token: admin, body: { icon: 'rocket' } });
    expect(patch.status).toBe(400);
    expect((await b.service('A')).icon).toBe('cash');
  });

  it('records every admin change with who, when and before → after, filterable by kind, and replicates it', async () => {
    const a = await b.service('A');
    expect((await b.api.request('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { targetWaitMinutes: 25 } })).status).toBe(200);
    const entries = await audit('service');
    expect((await audit('branch'))[0]).toMatchObject({ action: 'update', after: { openingHours: expect.any(Object) } });
    expect(entries.every((e) => e.kind === 'service')).toBe(true);
    const update = entries.find((e) => e.action === 'update' && e.entityId === a.id);
    expect(update).toMatchObject({ actor: { name: 'Administrateur' }, before: { targetWaitMinutes: 15 }, after: { targetWaitMinutes: 25 } });
    expect(entries.filter((e) => e.action === 'create')).toHaveLength(3);
    expect(entries.find((e) => e.action === 'reorder')).toMatchObject({ before: ['A', 'E', 'C'], after: ['C', 'A', 'E'] });

    // A refused change writes no entry.
    const count = (await audit()).length;
    expect((await b.api.request('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { prefix: 'C' } })).status).toBe(409);
    expect((await audit()).length).toBe(count);

    // Same rows in the outbox, each a valid admin.changed record that central accepts.
    const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
    try {
      const rows = db.prepare("select seq, event_id, aggregate_type, aggregate_id, event_type, event_version, payload, occurred_at from outbox where aggregate_type = 'admin' order by seq").all() as Array<Record<string, string | number>>;
      expect(rows.length).toBe(count);
      for (const r of rows) {
        const payload = AdminChangeV1.parse(JSON.parse(String(r.payload)));
        expect(payload.id).toBe(r.event_id);
        const decision = classifyRecord(b.server.branchId, {
          seq: Number(r.seq), eventId: String(r.event_id), aggregateType: String(r.aggregate_type), aggregateId: String(r.aggregate_id),
          eventType: String(r.event_type), eventVersion: Number(r.event_version), payload, occurredAt: String(r.occurred_at),
        });
        expect(decision.kind).toBe('parked');
      }
    } finally {
      db.close();
    }
  });

  it('sets a service\'s "your turn is near" position (null: head office\'s), and sends it to head office with the directory', async () => {
    const a = await b.service('A');
    expect(a.notifyAtPosition).toBeNull();
    const set = await b.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { notifyAtPosition: 4 } });
    expect(set.status).toBe(200);
    expect(set.body.notifyAtPosition).toBe(4);
    expect((await b.service('A')).icon).toBe('cash');
    // Out of range: refused beside the field, nothing changed.
    for (const bad of [0, 51, 2.5, '3']) {
      const r = await b.api.request<{ error: { code: string; details: Array<{ path: string[] }> } }>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { notifyAtPosition: bad } });
      expect(r.status).toBe(400);
      expect(r.body.error.details.map((d) => d.path.join('.'))).toEqual(['notifyAtPosition']);
    }
    expect((await b.service('A')).notifyAtPosition).toBe(4);
    const created = await createService('N', { notifyAtPosition: 2 });
    expect(created.notifyAtPosition).toBe(2);

    // The directory head office reads carries each service's position (central's notifier uses it).
    const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
    try {
      const last = db.prepare("select payload from outbox where event_type = 'directory.published' order by seq desc limit 1").get() as { payload: string };
      const directory = BranchDirectoryV1.parse(JSON.parse(last.payload));
      expect(directory.services.find((s) => s.id === a.id)?.notifyAtPosition).toBe(4);
      expect(directory.services.find((s) => s.id === created.id)?.notifyAtPosition).toBe(2);
    } finally {
      db.close();
    }
    // Back to head office's setting, then remove the extra service (later tests count services).
    expect((await b.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { notifyAtPosition: null } })).body.notifyAtPosition).toBeNull();
    expect((await b.api.request('DELETE', `/api/admin/services/${created.id}`, { token: admin })).status).toBe(204);
  });

  it('tells how many tickets wait before a service is closed, and what happens to them', async () => {
    const c = await b.service('C');
    const kiosk = (await b.api.post<{ pairingCode: string }>('/api/admin/devices', { name: 'Borne test', role: 'kiosk', printer: 'simulated' }, admin)).body;
    const paired = await b.api.post<{ deviceToken: string }>('/api/devices/pair', { code: kiosk.pairingCode });
    for (let i = 0; i < 2; i++) expect((await b.api.issue(paired.body.deviceToken, { serviceId: c.id })).status).toBe(201);
    const preview = await b.api.post<ServiceStatusPreview>(`/api/services/${c.id}/status/preview`, { status: 'closed' }, admin);
    expect(preview.body).toEqual({ waitingTickets: 2, calledTickets: 0, outcome: 'still_called' });
    expect((await b.service('C')).status).toBe('active');
    const empty = await b.api.post<ServiceStatusPreview>(`/api/services/${(await b.service('E')).id}/status/preview`, { status: 'closed' }, admin);
    expect(empty.body).toEqual({ waitingTickets: 0, calledTickets: 0, outcome: 'none' });
  });

  it('shows last sign-in, resets a password once, and keeps the last admin', async () => {
    const created = await b.api.post<UserView>('/api/admin/users', { login: 'binta', displayName: 'Binta Diop', role: 'agent', password: 'first-password' }, admin);
    expect(created.status).toBe(201);
    let users = (await b.api.get<UserAdminView[]>('/api/admin/users', admin)).body;
    expect(users.find((u) => u.login === 'binta')?.lastSignInAt).toBeNull();
    expect((await b.api.post('/api/auth/login', { login: 'binta', password: 'first-password' })).status).toBe(200);
    users = (await b.api.get<UserAdminView[]>('/api/admin/users', admin)).body;
    expect(users.find((u) => u.login === 'binta')?.lastSignInAt).toEqual(expect.any(String));

    const reset = await b.api.post<PasswordReset>(`/api/admin/users/${created.body.id}/reset-password`, {}, admin);
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^[A-Za-z2-9]{12}$/);
    expect((await b.api.post('/api/auth/login', { login: 'binta', password: 'first-password' })).status).toBe(401);
    expect((await b.api.post('/api/auth/login', { login: 'binta', password: reset.body.password })).status).toBe(200);
    expect(JSON.stringify(await audit('user'))).not.toContain(reset.body.password);
    expect(JSON.stringify(await audit('user'))).not.toContain('first-password');

    const adminId = users.find((u) => u.login === 'admin')?.id as string;
    const last = await b.api.request('PATCH', `/api/admin/users/${adminId}`, { token: admin, body: { active: false } });
    expect(last.status).toBe(409);
    expect((await b.api.request('PATCH', `/api/admin/users/${adminId}`, { token: admin, body: { role: 'agent' } })).status).toBe(409);
    expect((await b.api.request('DELETE', `/api/admin/users/${adminId}`, { token: admin })).status).toBe(409);
    expect((await b.api.get('/api/auth/me', admin)).status).toBe(200);
  });

  it('lists devices online now, closes a revoked device\'s socket, and prints a test page with the printer\'s answer', async () => {
    const created = (await b.api.post<{ device: { id: string }; pairingCode: string }>('/api/admin/devices', { name: 'Borne entrée', role: 'kiosk', printer: printer.spec }, admin)).body;
    const token = (await b.api.post<{ deviceToken: string }>('/api/devices/pair', { code: created.pairingCode })).body.deviceToken;
    const device = async () => (await b.api.get<DeviceStatusView[]>('/api/admin/devices', admin)).body.find((d) => d.id === created.device.id) as DeviceStatusView;
    expect(await device()).toMatchObject({ online: false, paper: null, printer: printer.spec });

    const socket = await b.socket(token);
    expect((await device()).online).toBe(true);

    const page = async () => (await b.api.post<TestPageResult>(`/api/admin/devices/${created.device.id}/test-page`, {}, admin)).body;
    expect(await page()).toMatchObject({ outcome: 'printed', paper: 'ok' });
    expect((await device()).paper).toBe('ok');
    printer.paper = 'out';
    expect(await page()).toMatchObject({ outcome: 'paper_out', code: 'PAPER_OUT' });
    expect((await device()).paper).toBe('out');
    printer.paper = 'ok';
    expect((await b.api.request('PATCH', `/api/admin/devices/${created.device.id}`, { token: admin, body: { printer: 'tcp://127.0.0.1:1' } })).status).toBe(200);
    expect(await page()).toMatchObject({ outcome: 'unreachable', code: 'PRINTER_OFFLINE' });

    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    expect((await b.api.post(`/api/admin/devices/${created.device.id}/revoke`, {}, admin)).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    await expect.poll(async () => (await device()).online).toBe(false);
    expect((await b.api.get('/api/devices/me', token)).status).toBe(401);
    const kinds = (await audit('device')).map((e) => e.action);
    expect(kinds).toEqual(expect.arrayContaining(['create', 'update', 'revoke']));
  });
});
