// Issue 14, points 1-4: money is applied only when the provider confirms it, a visit is never charged twice by
// phone, a command id means one request, and a payment is recorded only by the agent at the ticket's counter.
// Real parts: a branch and a central server (SQLite), the three provider simulators as real HTTP servers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { Health } from '../../server/src/shared/contracts/api.js';
import type { PaymentTotals, PaymentView, TicketPayments } from '../../server/src/shared/contracts/payments.js';
import type { CentralPaymentTables } from '../../server/src/central/payments/payments.central-migration.js';
import type { OrangeMoneySimulator, WaveSimulator } from '../../server/src/simulators/payments/index.js';
import { ORANGE, startPaymentProviders, type PaymentProviders } from '../support/payment-providers.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';

const FEE = 2000;

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe('hardened payments', () => {
  let wave: WaveSimulator;
  let orange: OrangeMoneySimulator;
  let sims: PaymentProviders;
  let central: TestCentral;
  let branch: SyncedBranch;
  let kiosk: string;
  let awa: string;
  let moussa: string;
  let aminata: string;
  let service: ServiceView;

  beforeAll(async () => {
    sims = await startPaymentProviders();
    ({ wave, orange } = sims);
    const providers = sims.providers;
    central = await startCentral('sqlite', { payments: { providers, reconcileEveryMs: 0, pollIntervalMs: 0 } });
    wave.setWebhookUrl(`${central.url}/api/payments/webhooks/wave`);
    orange.setWebhookUrl(`${central.url}/api/payments/webhooks/orange_money`);
    branch = await startSyncedBranch(central);
    kiosk = await branch.kioskToken();
    awa = await branch.login('awa');
    moussa = await branch.login('moussa');
    aminata = await branch.login('aminata');
    const admin = await branch.login('admin');
    const a = await branch.service('A');
    service = (await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { feeXof: FEE } })).body;
  });
  afterAll(async () => {
    await branch?.destroy();
    await central?.destroy();
    await sims?.close();
  });

  const cdb = () => central.server.db.withTables<CentralPaymentTables>();
  const checkoutRow = (id: string) => cdb().selectFrom('payment_checkouts').selectAll().where('payment_id', '=', id).executeTakeFirstOrThrow();
  const atBranch = async (id: string) => (await branch.api.get<PaymentView>(`/api/payments/${id}`, kiosk)).body;
  const dueOf = async (ticketId: string) => (await branch.api.get<TicketPayments>(`/api/tickets/${ticketId}/payments`, aminata)).body;
  const waitBranch = (id: string, what: string, check: (p: PaymentView) => boolean) =>
    waitFor(`payment ${what} at the branch`, async () => { const p = await atBranch(id); return check(p) ? p : undefined; }, 20_000);
  async function issue(): Promise<TicketView> {
    const res = await branch.api.issue(kiosk, { serviceId: service.id });
    expect(res.status).toBe(201);
    return res.body;
  }
  const checkout = (ticketId: string, body: Record<string, unknown>) => branch.api.post<PaymentView & ErrorBody>(`/api/tickets/${ticketId}/checkout`, body, kiosk);
  async function started(provider: string, ticket?: TicketView): Promise<{ ticket: TicketView; payment: PaymentView }> {
    const t = ticket ?? await issue();
    const res = await checkout(t.id, { provider, commandId: randomUUID() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ticket: t, payment: res.body };
  }
  async function drained(): Promise<void> {
    await waitFor('the outbox to drain', async () => {
      const h = (await branch.api.get<Health>('/api/health')).body.sync;
      return h.backlog === 0 && h.lastError === null;
    }, 30_000);
  }
  /** An Orange Money callback as Orange sends it, with the genuine shared key. */
  const orangeCallback = (body: Record<string, unknown>) => fetch(`${central.url}/api/payments/webhooks/orange_money`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': ORANGE.callbackKey }, body: JSON.stringify(body),
  });

  it('point 1: a forged Orange Money success (genuine key, new body) is refused: the provider\'s lookup says unpaid', async () => {
    const { ticket, payment } = await started('orange_money');
    const res = await orangeCallback({
      transactionId: 'MP261201.1200.F0RG3D', status: 'SUCCESS', amount: { value: FEE, unit: 'XOF' },
      reference: payment.id, metadata: { reference: payment.id }, type: 'MERCHANT_PAYMENT',
    });
    const body = await res.json() as { outcome?: string };
    expect(body.outcome).toBe('refused');
    expect((await checkoutRow(payment.id)).status).toBe('pending');
    await branch.server.sync?.syncNow();
    expect((await atBranch(payment.id)).status).toBe('pending');
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: 0, dueXof: FEE });
    // The lookup was asked, and the refusal is in the checkout's history at central.
    expect(orange.requests.some((r) => r.path === '/api/eWallet/v1/transactions' && r.query.reference === payment.id)).toBe(true);
    const history = await cdb().selectFrom('payment_checkout_events').selectAll().where('payment_id', '=', payment.id).execute();
    expect(history.map((h) => h.type)).toContain('callback_refused');

    // The visitor then really pays: Orange's own callback is confirmed by the same lookup and applied.
    expect((await orange.complete(payment.id)).map((d) => d.status)).toEqual([200]);
    await waitBranch(payment.id, 'succeeded', (p) => p.status === 'succeeded');
  });

  it('point 1: a genuine-looking callback that the simulator\'s lookup contradicts is refused; a lookup that fails is retried later (503)', async () => {
    const { payment } = await started('orange_money');
    orange.disagreeOnLookup(payment.id, 'failed');
    expect((await orange.complete(payment.id)).map((d) => d.status)).toEqual([200]);
    expect((await checkoutRow(payment.id)).status).toBe('pending');

    const { payment: other } = await started('orange_money');
    orange.failNext(1, 503);
    // The token is cached, so the one failed request is the lookup: central answers 503 and Orange retries.
    const [first] = await orange.complete(other.id);
    expect(first?.status).toBe(503);
    expect((await checkoutRow(other.id)).status).toBe('pending');
    expect((await orange.resend(other.id)).map((d) => d.status)).toEqual([200]);
    expect((await checkoutRow(other.id)).status).toBe('succeeded');
  });

  it('point 2: one open phone checkout per ticket; a second success for a paid ticket is flagged for refund, not counted', async () => {
    const { ticket, payment: first } = await started('wave');
    const { payment: second } = await started('orange_money', ticket);
    expect(second.id).not.toBe(first.id);
    // The Wave checkout is superseded: it is no longer open at the branch.
    expect((await atBranch(first.id)).status).toBe('failed');
    expect((await dueOf(ticket.id)).payments.filter((p) => p.status === 'pending').map((p) => p.id)).toEqual([second.id]);

    // The visitor pays both anyway (the Wave page was still open on the phone).
    await orange.complete(second.id);
    await waitBranch(second.id, 'succeeded', (p) => p.status === 'succeeded');
    await wave.complete(first.providerRef as string);
    const late = await waitBranch(first.id, 'flagged', (p) => p.review !== null);
    expect(late.status).toBe('succeeded');
    expect(late.review).toMatch(/paid twice/);
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: FEE, dueXof: 0 });

    await drained();
    const totals = (await central.admin<PaymentTotals>('GET', '/api/central/payments/totals')).body;
    expect(totals.total.receivedXof).toBe(
      (await branch.api.get<PaymentTotals>('/api/payments/totals', aminata)).body.total.receivedXof);
    const flagged = (await central.admin<Array<{ paymentId: string }>>('GET', '/api/central/payments/checkouts?flagged=true')).body;
    expect(flagged.map((r) => r.paymentId)).toContain(first.id);
  });

  it('point 3: the same command id with another provider is a 409', async () => {
    const ticket = await issue();
    const commandId = randomUUID();
    expect((await checkout(ticket.id, { provider: 'wave', commandId })).status).toBe(201);
    const again = await checkout(ticket.id, { provider: 'wave', commandId });
    expect(again.status).toBe(201); // a retry: the same payment
    const other = await checkout(ticket.id, { provider: 'orange_money', commandId });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CONFLICT');
  });

  it('point 4: a cash payment on a ticket at another agent\'s counter is 403, like every ticket command', async () => {
    const c1 = await branch.counter(1);
    expect((await branch.api.post(`/api/counters/${c1.id}/status`, { status: 'open' }, awa)).status).toBe(200);
    const mine = await issue();
    let called: TicketView | null = null;
    for (let i = 0; i < 50 && called?.id !== mine.id; i++) {
      const res = await branch.api.post<CommandResult>(`/api/counters/${c1.id}/call-next`, {}, awa);
      called = res.body.ticket;
      if (!called) throw new Error('nothing to call');
      if (called.id !== mine.id) expect((await branch.api.post(`/api/tickets/${called.id}/no-show`, {}, awa)).status).toBe(200);
    }
    if (!called) throw new Error('nothing to call');
    expect((await branch.api.post(`/api/tickets/${called.id}/start`, {}, moussa)).status).toBe(403);
    const res = await branch.api.post<ErrorBody>(`/api/tickets/${called.id}/payments`, { method: 'cash' }, moussa);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await dueOf(called.id)).payments).toEqual([]);
    expect((await branch.api.post(`/api/tickets/${called.id}/payments`, { method: 'cash' }, awa)).status).toBe(201);
    // A waiting ticket, at no counter, is still paid at any counter (a cash desk before the call).
    expect((await branch.api.post(`/api/tickets/${(await issue()).id}/payments`, { method: 'cash' }, moussa)).status).toBe(201);
  });
});
