// Payments recorded at the counter on a real branch server (real SQLite file, real HTTP), without any central:
// they must work fully offline, write their history and outbox facts, and refuse mistakes.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBranch, type TestBranch } from '../../../../test/support/branch.js';
import type { ServiceView, TicketView } from '../../shared/contracts/api.js';
import type { PaymentTotals, PaymentView, TicketPayments } from '../../shared/contracts/payments.js';

let branch: TestBranch;
let printDir: string;
let admin: string;
let agent: string;
let supervisor: string;
let kiosk: string;
let service: ServiceView;

beforeAll(async () => {
  printDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-receipts-'));
  branch = await startBranch({ printer: `simulated:${printDir}` });
  admin = await branch.login('admin');
  agent = await branch.login('awa');
  supervisor = await branch.login('aminata');
  kiosk = await branch.kioskToken();
  const a = await branch.service('A');
  const patched = await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { feeXof: 2000 } });
  expect(patched.status).toBe(200);
  service = patched.body;
});

afterAll(async () => {
  await branch?.destroy();
  fs.rmSync(printDir, { recursive: true, force: true });
});

async function issue(): Promise<TicketView> {
  const res = await branch.api.issue(kiosk, { serviceId: service.id });
  expect(res.status).toBe(201);
  return res.body;
}

const pay = (ticketId: string, body: Record<string, unknown>, token = agent) =>
  branch.api.post<PaymentView & { error?: { code: string } }>(`/api/tickets/${ticketId}/payments`, body, token);
const due = async (ticketId: string) => (await branch.api.get<TicketPayments>(`/api/tickets/${ticketId}/payments`, agent)).body;

function outbox(): Array<{ aggregate_type: string; aggregate_id: string; event_type: string; payload: string }> {
  return branch.server.services.ctx.store.sqlite.prepare("SELECT aggregate_type, aggregate_id, event_type, payload FROM outbox WHERE aggregate_type = 'payment' ORDER BY seq").all() as never;
}

describe('a service fee', () => {
  it('is set by an admin without touching the service\'s other settings', async () => {
    const before = (await branch.services()).find((s) => s.prefix === 'B') as ServiceView;
    const res = await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${before.id}`, { token: admin, body: { feeXof: 500 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, feeXof: 500 });
    const cleared = await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${before.id}`, { token: admin, body: { feeXof: null } });
    expect(cleared.body).toEqual({ ...before, feeXof: null });
    const bad = await branch.api.request('PATCH', `/api/admin/services/${before.id}`, { token: admin, body: { feeXof: 12.5 } });
    expect(bad.status).toBe(400);
    expect(service.feeXof).toBe(2000);
  });
});

describe('counter payments', () => {
  it('records cash: the ticket is paid, with its history and outbox facts', async () => {
    const ticket = await issue();
    expect(await due(ticket.id)).toMatchObject({ feeXof: 2000, paidXof: 0, dueXof: 2000, pending: false, payments: [] });
    const res = await pay(ticket.id, { method: 'cash' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ticketId: ticket.id, amountXof: 2000, currency: 'XOF', method: 'cash', channel: 'counter', status: 'succeeded', providerRef: null, review: null });
    expect(await due(ticket.id)).toMatchObject({ paidXof: 2000, dueXof: 0 });

    const facts = outbox().filter((r) => r.aggregate_id === res.body.id);
    expect(facts.map((f) => f.event_type)).toEqual(['payment.created', 'payment.succeeded']);
    const last = JSON.parse(facts[1]?.payload ?? '{}') as { payment: { status: string; amount_xof: number; settled_at: string }; event: { from: string; to: string; source: string } };
    expect(last.payment).toMatchObject({ status: 'succeeded', amount_xof: 2000 });
    expect(last.event).toMatchObject({ from: 'pending', to: 'succeeded', source: 'branch' });
    const history = branch.server.services.ctx.store.sqlite.prepare('SELECT type, from_status, to_status FROM payment_events WHERE payment_id = ? ORDER BY rowid').all(res.body.id);
    expect(history).toEqual([{ type: 'created', from_status: null, to_status: 'pending' }, { type: 'succeeded', from_status: 'pending', to_status: 'succeeded' }]);

    // Nothing is due any more: a second payment is a mistake.
    const again = await pay(ticket.id, { method: 'cash' });
    expect(again.status).toBe(409);
  });

  it('records part payments up to the fee, and Mobile Money with its transaction reference once', async () => {
    const ticket = await issue();
    expect((await pay(ticket.id, { method: 'cash', amountXof: 500 })).status).toBe(201);
    expect((await pay(ticket.id, { method: 'wave', amountXof: 2000, reference: 'T_TOOMUCH1' })).status).toBe(409);
    expect((await pay(ticket.id, { method: 'wave' })).status).toBe(400);
    expect((await pay(ticket.id, { method: 'cash', amountXof: 10.5 })).status).toBe(400);
    const wave = await pay(ticket.id, { method: 'wave', reference: 'T_ABC123XYZ' });
    expect(wave.status).toBe(201);
    expect(wave.body).toMatchObject({ amountXof: 1500, method: 'wave', providerRef: 'T_ABC123XYZ', status: 'succeeded' });
    expect(await due(ticket.id)).toMatchObject({ paidXof: 2000, dueXof: 0 });

    const other = await issue();
    const dup = await pay(other.id, { method: 'wave', reference: 'T_ABC123XYZ' });
    expect(dup.status).toBe(409);
    expect((await due(other.id)).payments).toEqual([]);
  });

  it('applies a retried command once', async () => {
    const ticket = await issue();
    const commandId = randomUUID();
    const first = await pay(ticket.id, { method: 'cash', amountXof: 700, commandId });
    const second = await pay(ticket.id, { method: 'cash', amountXof: 700, commandId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect((await due(ticket.id)).payments).toHaveLength(1);
  });

  it('is staff work: a kiosk cannot record a payment', async () => {
    const ticket = await issue();
    expect((await pay(ticket.id, { method: 'cash' }, kiosk)).status).toBe(403);
    expect((await branch.api.post(`/api/tickets/${ticket.id}/payments`, { method: 'cash' })).status).toBe(401);
  });

  it('is refunded by a supervisor only', async () => {
    const ticket = await issue();
    const paid = (await pay(ticket.id, { method: 'cash' })).body;
    expect((await branch.api.post(`/api/payments/${paid.id}/refund`, { reason: 'double payment' }, agent)).status).toBe(403);
    const refunded = await branch.api.post<PaymentView>(`/api/payments/${paid.id}/refund`, { reason: 'double payment' }, supervisor);
    expect(refunded.status).toBe(200);
    expect(refunded.body.status).toBe('refunded');
    expect(await due(ticket.id)).toMatchObject({ paidXof: 0, dueXof: 2000 });
    const twice = await branch.api.post<{ error: { code: string } }>(`/api/payments/${paid.id}/refund`, {}, supervisor);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('INVALID_TRANSITION');
    expect(outbox().filter((r) => r.aggregate_id === paid.id).map((r) => r.event_type)).toEqual(['payment.created', 'payment.succeeded', 'payment.refunded']);
  });

  it('prints a receipt on the kiosk\'s printer', async () => {
    const ticket = await issue();
    const paid = (await pay(ticket.id, { method: 'orange_money', reference: 'MP250310.1234.A56789' })).body;
    const printed = await branch.api.post<{ status: string }>(`/api/payments/${paid.id}/receipt/print`, {}, kiosk);
    expect(printed.status).toBe(200);
    expect(printed.body.status).toBe('printed');
    const txt = fs.readdirSync(printDir).filter((f) => f.includes('-receipt-') && f.endsWith('.txt'));
    expect(txt).toHaveLength(1);
    const text = fs.readFileSync(path.join(printDir, txt[0] as string), 'utf8');
    expect(text).toContain('Orange Money');
    expect(text).toContain('MP250310.1234.A56789');
    expect(text).toMatch(/2[\s.\u202f\u00a0]?000/);
    const preview = await branch.api.request<string>('GET', `/api/payments/${paid.id}/receipt.html`, { token: agent });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('MP250310.1234.A56789');
  });

  it('cannot start a phone payment without head office, and says so', async () => {
    const ticket = await issue();
    const res = await branch.api.post<{ error: { code: string } }>(`/api/tickets/${ticket.id}/checkout`, { provider: 'wave' }, kiosk);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('PAYMENTS_OFFLINE');
    expect((await due(ticket.id)).payments).toEqual([]);
  });

  it('totals the day per service and method for supervisors', async () => {
    const res = await branch.api.get<PaymentTotals>('/api/payments/totals', supervisor);
    expect(res.status).toBe(200);
    const rows = branch.server.services.ctx.store.sqlite.prepare("SELECT method, amount_xof, status FROM payments WHERE status IN ('succeeded', 'refunded')").all() as Array<{ method: string; amount_xof: number; status: string }>;
    const received = rows.reduce((s, r) => s + r.amount_xof, 0);
    const refunded = rows.filter((r) => r.status === 'refunded').reduce((s, r) => s + r.amount_xof, 0);
    expect(res.body.total).toEqual({ count: rows.length, receivedXof: received, refundedCount: rows.filter((r) => r.status === 'refunded').length, refundedXof: refunded, netXof: received - refunded });
    expect(res.body.byMethod.map((m) => m.method).sort()).toEqual([...new Set(rows.map((r) => r.method))].sort());
    expect((await branch.api.get('/api/payments/totals', agent)).status).toBe(403);
  });
});
