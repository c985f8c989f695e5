// Issue 17: head office's payments and notification delivery log are read per organization, as Analytics is. Two
// organizations, each with a real branch server syncing to a real central (SQLite and PostgreSQL), a real Wave
// payment at each through the Wave simulator, a "your ticket is called" e-mail at each through a local SMTP sink:
// an analyst of A sees only A's totals, phone payments and deliveries, and gets 404 for B's; an analyst cannot
// refund (403); A's organization admin cannot refund B's payment (404, nothing changes) and refunds A's, audited by
// name in the transaction that marks it refunded.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { PaymentTotals, PaymentView } from '../../server/src/shared/contracts/payments.js';
import type { WaveSimulator } from '../../server/src/simulators/payments/index.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';
import { startPaymentProviders, type PaymentProviders } from '../support/payment-providers.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

const dialects = await centralDialects();
const ORG_A = { id: 'org-a', name: 'Banque Teranga', type: 'bank' };
const ORG_B = { id: 'org-b', name: 'Hôpital Fann', type: 'hospital' };
const FEE = 1500;

type Err = { error: { code: string; message: string } };
interface Checkout { paymentId: string; branchId: string | null; status: string; provider: string; amountXof: number }
interface DeliveryRow { id: string; branchId: string | null; ticketId: string | null; channel: string; status: string }
interface AuditRow { actorLogin: string; action: string; target: string | null; organizationId: string | null; details: Record<string, unknown> | null }

describe.each(dialects)('head office scoped by organization: payments and notifications (%s)', (dialect) => {
  let sims: PaymentProviders;
  let wave: WaveSimulator;
  let sink: SmtpSink;
  let central: TestCentral;
  let a: SyncedBranch;
  let b: SyncedBranch;
  let analystA: string;
  let adminA: string;
  let platform: string;
  const paid = new Map<SyncedBranch, { ticket: TicketView; payment: PaymentView }>();

  const as = <T>(token: string, method: string, path: string, body?: unknown) =>
    central.api.request<T>(method, path, { token, ...(body !== undefined && { body }) });
  const signIn = async (login: string, password: string) =>
    (await central.api.request<{ token: string }>('POST', '/api/office/login', { body: { login, password } })).body.token;
  const day = new Date().toISOString().slice(0, 10); // the branches are in Africa/Dakar (UTC)

  /** A ticket paid by Wave at the branch's kiosk, followed by e-mail, then called: a payment and a delivery. */
  async function visit(branch: SyncedBranch, email: string): Promise<void> {
    const admin = await branch.login('admin');
    const service = await branch.service('A');
    expect((await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${service.id}`, { token: admin, body: { feeXof: FEE } })).status).toBe(200);
    const kiosk = await branch.kioskToken();
    const issued = await branch.api.issue(kiosk, { serviceId: service.id });
    expect(issued.status).toBe(201);
    const ticket = issued.body;
    const checkout = await branch.api.post<PaymentView>(`/api/tickets/${ticket.id}/checkout`, { provider: 'wave', commandId: randomUUID() }, kiosk);
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    expect((await wave.complete(checkout.body.providerRef as string)).map((d) => d.status)).toEqual([200]);
    await waitFor('the Wave payment at the branch', async () => (await branch.api.get<PaymentView>(`/api/payments/${checkout.body.id}`, kiosk)).body.status === 'succeeded');
    paid.set(branch, { ticket, payment: checkout.body });

    await waitFor('central knows the ticket', async () => (await central.api.get<{ known: boolean }>(`/api/track/${ticket.id}`)).body.known);
    expect((await central.api.post(`/api/track/${ticket.id}/subscriptions`, { channel: 'email', address: email })).status).toBe(201);
    const agent = await branch.login('awa');
    const counter = await branch.counter(1);
    expect((await branch.api.post(`/api/counters/${counter.id}/status`, { status: 'open' }, agent)).status).toBe(200);
    const called = await branch.api.post<CommandResult>(`/api/counters/${counter.id}/call-next`, {}, agent);
    expect(called.body.ticket?.id).toBe(ticket.id);
    await waitFor(`the call e-mail to ${email}`, () => sink.messages.some((m) => m.to.includes(email)));
  }

  beforeAll(async () => {
    sims = await startPaymentProviders();
    wave = sims.wave;
    sink = await new SmtpSink().start();
    central = await startCentral(dialect, {
      payments: { providers: sims.providers, reconcileEveryMs: 0, pollIntervalMs: 0 },
      tracking: {
        publicUrl: 'https://suivi.example.sn', staleAfterSeconds: 10, pollMs: 100,
        delivery: { pollMs: 100, backoff: { minMs: 100, maxMs: 1000 } },
        channels: { email: { url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' } },
      },
    });
    wave.setWebhookUrl(`${central.url}/api/payments/webhooks/wave`);
    a = await startSyncedBranch(central, { name: 'Agence Plateau', organization: ORG_A });
    b = await startSyncedBranch(central, { name: 'Hôpital de Fann', organization: ORG_B });
    expect((await central.admin('POST', '/api/office/bootstrap', { login: 'fatou', displayName: 'Fatou Ndiaye', password: 'platform secret 1' })).status).toBe(201);
    expect((await central.admin('POST', '/api/office/users', { login: 'awa', displayName: 'Awa Diop', password: 'analyst secret 1', role: 'analyst', organizationId: ORG_A.id })).status).toBe(201);
    expect((await central.admin('POST', '/api/office/users', { login: 'moussa', displayName: 'Moussa Sarr', password: 'org admin secret', role: 'org_admin', organizationId: ORG_A.id })).status).toBe(201);
    platform = await signIn('fatou', 'platform secret 1');
    analystA = await signIn('awa', 'analyst secret 1');
    adminA = await signIn('moussa', 'org admin secret');
    await visit(a, 'client.a@example.sn');
    await visit(b, 'client.b@example.sn');
    await waitFor('central counts both payments', async () =>
      (await as<PaymentTotals>(platform, 'GET', `/api/central/payments/totals?from=${day}&to=${day}`)).body.total.count === 2);
  }, 120_000);
  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
    await central?.destroy();
    await sims?.close();
    await sink?.close();
  });

  const idOf = (branch: SyncedBranch) => branch.server.branchId;
  const paymentOf = (branch: SyncedBranch) => (paid.get(branch) as { payment: PaymentView }).payment;

  it("an analyst reads only its organization's totals and phone payments; another organization's answer 404", async () => {
    const mine = (await as<PaymentTotals>(analystA, 'GET', `/api/central/payments/totals?from=${day}&to=${day}`)).body;
    expect(mine.total).toMatchObject({ count: 1, receivedXof: FEE });
    expect(mine.byBranch.map((r) => r.branchId)).toEqual([idOf(a)]);
    expect(mine.byService.every((r) => r.branchId === idOf(a))).toBe(true);
    const all = (await as<PaymentTotals>(platform, 'GET', `/api/central/payments/totals?from=${day}&to=${day}`)).body;
    expect(all.byBranch.map((r) => r.branchId).sort()).toEqual([idOf(a), idOf(b)].sort());
    expect((await as<Err>(analystA, 'GET', `/api/central/payments/totals?branchId=${idOf(b)}`)).status).toBe(404);
    expect((await as<PaymentTotals>(analystA, 'GET', `/api/central/payments/totals?from=${day}&to=${day}&branchId=${idOf(a)}`)).body.total.count).toBe(1);

    const list = (await as<Checkout[]>(analystA, 'GET', '/api/central/payments/checkouts')).body;
    expect(list.map((c) => c.paymentId)).toEqual([paymentOf(a).id]);
    expect((await as<Checkout[]>(platform, 'GET', '/api/central/payments/checkouts')).body.map((c) => c.paymentId).sort())
      .toEqual([paymentOf(a).id, paymentOf(b).id].sort());
    expect((await as<Err>(analystA, 'GET', `/api/central/payments/checkouts?branchId=${idOf(b)}`)).status).toBe(404);
    expect((await as<Checkout>(analystA, 'GET', `/api/central/payments/checkouts/${paymentOf(a).id}`)).status).toBe(200);
    const other = await as<Err>(analystA, 'GET', `/api/central/payments/checkouts/${paymentOf(b).id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
  });

  it("an analyst reads only the deliveries about its organization's branches", async () => {
    const mine = await waitFor('the call e-mail recorded as sent', async () => {
      const rows = (await as<DeliveryRow[]>(analystA, 'GET', '/api/central/notifications')).body;
      return rows.some((d) => d.status === 'sent') ? rows : undefined;
    });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((d) => d.branchId === idOf(a))).toBe(true);
    expect(mine.map((d) => d.ticketId)).toContain((paid.get(a) as { ticket: TicketView }).ticket.id);
    const all = (await as<DeliveryRow[]>(platform, 'GET', '/api/central/notifications')).body;
    expect(new Set(all.map((d) => d.branchId))).toEqual(new Set([idOf(a), idOf(b)]));
    expect((await as<Err>(analystA, 'GET', `/api/central/notifications?branchId=${idOf(b)}`)).status).toBe(404);
    expect((await as<DeliveryRow[]>(analystA, 'GET', `/api/central/notifications?branchId=${idOf(a)}`)).body.map((d) => d.id).sort()).toEqual(mine.map((d) => d.id).sort());
  });

  it("refunds: an analyst may not (403); A's admin gets 404 for B's payment and refunds A's, audited by name", async () => {
    const forbidden = await as<Err>(analystA, 'POST', `/api/central/payments/${paymentOf(a).id}/refund`, {});
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    const elsewhere = await as<Err>(adminA, 'POST', `/api/central/payments/${paymentOf(b).id}/refund`, { reason: 'pas la nôtre' });
    expect(elsewhere.status).toBe(404);
    // Neither refused request changed anything, at central or at the provider.
    for (const branch of [a, b]) {
      expect((await as<Checkout>(platform, 'GET', `/api/central/payments/checkouts/${paymentOf(branch).id}`)).body.status).toBe('succeeded');
      expect(wave.payment(paymentOf(branch).providerRef as string).status).toBe('succeeded');
    }

    const done = await as<Checkout>(adminA, 'POST', `/api/central/payments/${paymentOf(a).id}/refund`, { reason: 'service non rendu' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('refunded');
    expect(wave.payment(paymentOf(a).providerRef as string).status).toBe('refunded');
    const audit = (await as<AuditRow[]>(adminA, 'GET', '/api/office/audit')).body;
    expect(audit.find((r) => r.action === 'payment.refunded')).toMatchObject({
      actorLogin: 'moussa', target: `payment:${paymentOf(a).id}`, organizationId: ORG_A.id,
      details: { branchId: idOf(a), provider: 'wave', amountXof: FEE, reason: 'service non rendu' },
    });
    // The branch learns it through its feed and pushes its own record back: head office counts the refund.
    await waitFor("the refund in A's totals", async () => {
      const t = (await as<PaymentTotals>(analystA, 'GET', `/api/central/payments/totals?from=${day}&to=${day}`)).body;
      return t.total.refundedCount === 1 && t.total.refundedXof === FEE;
    });
    const others = (await as<PaymentTotals>(platform, 'GET', `/api/central/payments/totals?from=${day}&to=${day}&branchId=${idOf(b)}`)).body;
    expect(others.total).toMatchObject({ count: 1, refundedCount: 0 });
  });
});
