// Phone payments end to end with real parts: a branch server and a central server (SQLite, and PostgreSQL when it
// is reachable), the three provider simulators as real HTTP servers sending signed webhooks, and a proxy that can
// cut the branch's link to central. The kiosk starts the payment, central opens the checkout and takes the
// webhook, the branch learns the verdict through the feed, and central's totals match the branch's records.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { Health } from '../../server/src/shared/contracts/api.js';
import type { CheckoutResponse, PaymentTotals, PaymentView, TicketPayments } from '../../server/src/shared/contracts/payments.js';
import type { CentralPaymentTables } from '../../server/src/central/payments/payments.central-migration.js';
import { signWaveWebhook } from '../../server/src/central/payments/providers/index.js';
import type { FreeMoneySimulator, OrangeMoneySimulator, WaveSimulator } from '../../server/src/simulators/payments/index.js';
import { WAVE, startPaymentProviders } from '../support/payment-providers.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

const dialects = await centralDialects();

const FEE = 2000;
const PHONE = '+221771234567';

type ErrorBody = { error: { code: string; message: string; details?: { paymentId?: string } } };

describe.each(dialects)('Mobile Money payments through central (%s central)', (dialect) => {
  // Central's clock: real time, plus what a test adds to reach an expiry.
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  let wave: WaveSimulator;
  let orange: OrangeMoneySimulator;
  let free: FreeMoneySimulator;
  let central: TestCentral;
  let proxy: FaultProxy;
  let branch: SyncedBranch;
  let kiosk: string;
  let agent: string;
  let supervisor: string;
  let service: ServiceView;

  beforeAll(async () => {
    // The adapters as production builds them, pointed at the simulators; a short timeout keeps stalls quick.
    const sims = await startPaymentProviders();
    ({ wave, orange, free } = sims);
    const providers = sims.providers;
    central = await startCentral(dialect, { clock, payments: { providers, reconcileEveryMs: 0, pollIntervalMs: 0, expiryGraceMs: 0 } });
    // Wave and Orange Money post to the URL registered in their portal; Free Money to each payment's callback URL.
    wave.setWebhookUrl(`${central.url}/api/payments/webhooks/wave`);
    orange.setWebhookUrl(`${central.url}/api/payments/webhooks/orange_money`);
    proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/'] });
    branch = await startSyncedBranch(central, { centralUrl: proxy.url });
    kiosk = await branch.kioskToken();
    agent = await branch.login('awa');
    supervisor = await branch.login('aminata');
    const admin = await branch.login('admin');
    const a = await branch.service('A');
    service = (await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { feeXof: FEE } })).body;
    expect(service.feeXof).toBe(FEE);
  });

  afterAll(async () => {
    await branch?.destroy();
    await proxy?.close();
    await central?.destroy();
    for (const sim of [wave, orange, free]) await sim?.close();
  });

  const cdb = () => central.server.db.withTables<CentralPaymentTables>();

  async function issue(): Promise<TicketView> {
    const res = await branch.api.issue(kiosk, { serviceId: service.id });
    expect(res.status).toBe(201);
    return res.body;
  }

  function checkout(ticketId: string, body: Record<string, unknown>) {
    return branch.api.post<PaymentView & ErrorBody>(`/api/tickets/${ticketId}/checkout`, body, kiosk);
  }

  async function started(provider: string, extra: Record<string, unknown> = {}): Promise<{ ticket: TicketView; payment: PaymentView }> {
    const ticket = await issue();
    const res = await checkout(ticket.id, { provider, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ticket, payment: res.body };
  }

  const atBranch = async (id: string) => (await branch.api.get<PaymentView>(`/api/payments/${id}`, kiosk)).body;
  const dueOf = async (ticketId: string) => (await branch.api.get<TicketPayments>(`/api/tickets/${ticketId}/payments`, agent)).body;
  const waitBranch = (id: string, what: string, check: (p: PaymentView) => boolean) =>
    waitFor(`payment ${what} at the branch`, async () => { const p = await atBranch(id); return check(p) ? p : undefined; }, 20_000);
  const checkoutRow = (id: string) => cdb().selectFrom('payment_checkouts').selectAll().where('payment_id', '=', id).executeTakeFirstOrThrow();
  /** Central's history of a checkout: one row per change, written with the change. */
  const centralHistory = async (id: string) => (await central.admin<{ history: Array<{ type: string; from: string | null; to: string; source: string; providerEventId: string | null }> }>(
    'GET', `/api/central/payments/checkouts/${id}`)).body.history.map((e) => `${e.type}:${e.from ?? '∅'}→${e.to}:${e.source}`);
  const branchHistory = (id: string) => branch.server.services.ctx.store.sqlite
    .prepare('SELECT type, from_status, to_status, source FROM payment_events WHERE payment_id = ? ORDER BY rowid').all(id) as Array<{ type: string; from_status: string | null; to_status: string; source: string }>;
  const branchFacts = (id: string) => (branch.server.services.ctx.store.sqlite
    .prepare("SELECT event_type FROM outbox WHERE aggregate_type = 'payment' AND aggregate_id = ? ORDER BY seq").all(id) as Array<{ event_type: string }>).map((r) => r.event_type);

  async function drained(): Promise<void> {
    await waitFor('the outbox to drain', async () => {
      const h = (await branch.api.get<Health>('/api/health')).body.sync;
      return h.backlog === 0 && h.lastError === null;
    }, 30_000);
  }

  it('a visitor pays by Wave from the kiosk: central verifies the webhook, the branch learns it, central counts it', async () => {
    const { ticket, payment } = await started('wave');
    expect(payment).toMatchObject({ ticketId: ticket.id, amountXof: FEE, method: 'wave', channel: 'kiosk', status: 'pending' });
    expect(payment.providerRef).toMatch(/^cos-/);
    expect(payment.checkout?.paymentUrl).toContain(wave.url);
    expect(payment.checkout?.qrSvg).toContain('<svg');
    // The provider was asked once, with our payment id as idempotency key and reference.
    const sims = wave.paymentsFor(payment.id);
    expect(sims).toHaveLength(1);
    expect(sims[0]).toMatchObject({ amountXof: FEE, currency: 'XOF', status: 'pending' });
    expect(wave.requests.filter((r) => r.path === '/v1/checkout/sessions').map((r) => r.headers['idempotency-key'])).toContain(payment.id);
    expect((await dueOf(ticket.id)).pending).toBe(true);

    const deliveries = await wave.complete(payment.providerRef as string);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    const paid = await waitBranch(payment.id, 'succeeded', (p) => p.status === 'succeeded');
    expect(paid.checkout).toMatchObject({ qrSvg: null });
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: FEE, dueXof: 0, pending: false });
    expect(branchHistory(payment.id)).toEqual([
      { type: 'created', from_status: null, to_status: 'pending', source: 'branch' },
      { type: 'succeeded', from_status: 'pending', to_status: 'succeeded', source: 'central' },
    ]);
    expect(branchFacts(payment.id)).toEqual(['payment.created', 'payment.succeeded']);

    await drained();
    expect(await checkoutRow(payment.id)).toMatchObject({ status: 'succeeded', provider_ref: payment.providerRef, review_reason: null });
    expect(await centralHistory(payment.id)).toEqual(['created:∅→pending:creation', 'succeeded:pending→succeeded:webhook']);
    const copy = await cdb().selectFrom('payments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow();
    expect(copy).toMatchObject({ branch_id: branch.server.branchId, status: 'succeeded', amount_xof: FEE, method: 'wave', channel: 'kiosk', ticket_id: ticket.id });
  });

  it('the kiosk prints the receipt of a paid phone payment', async () => {
    const { payment } = await started('free_money', { phone: PHONE });
    await free.complete(payment.providerRef as string);
    await waitBranch(payment.id, 'succeeded', (p) => p.status === 'succeeded');
    const printed = await branch.api.post<{ status: string }>(`/api/payments/${payment.id}/receipt/print`, {}, kiosk);
    expect(printed.status).toBe(200);
    expect(printed.body.status).toBe('printed');
  });

  it('a declined payment fails; one refused when it is created is never charged', async () => {
    const { ticket, payment } = await started('orange_money');
    expect(payment.providerRef).toBe(payment.id);
    await orange.decline(payment.id);
    await waitBranch(payment.id, 'failed', (p) => p.status === 'failed');
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: 0, dueXof: FEE, pending: false });

    // Free Money sandbox: a number ending in 00 is refused at creation (insufficient balance).
    const other = await issue();
    const refused = await checkout(other.id, { provider: 'free_money', phone: '+221770000000' });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('PAYMENT_DECLINED');
    const id = refused.body.error.details?.paymentId as string;
    expect((await atBranch(id)).status).toBe('failed');
    expect(free.paymentsFor(id)).toEqual([]);
    expect(await checkoutRow(id)).toMatchObject({ status: 'failed', provider_ref: null });
    expect(await centralHistory(id)).toEqual(['created:∅→pending:creation', 'failed:pending→failed:creation']);
    expect(await centralHistory(payment.id)).toEqual(['created:∅→pending:creation', 'failed:pending→failed:webhook']);
  });

  it('a duplicated or redelivered webhook is applied once', async () => {
    const { payment } = await started('wave');
    const copies = await wave.complete(payment.providerRef as string, { copies: 3 });
    expect(copies.map((d) => d.status)).toEqual([200, 200, 200]);
    const again = await wave.resend(payment.providerRef as string);
    expect(again.map((d) => d.status)).toEqual([200]);
    await waitBranch(payment.id, 'succeeded', (p) => p.status === 'succeeded');
    const events = await cdb().selectFrom('provider_events').selectAll().where('payment_id', '=', payment.id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event_id: copies[0]?.eventId, outcome: 'applied' });
    await branch.server.sync?.syncNow();
    expect(branchHistory(payment.id).map((e) => e.type)).toEqual(['created', 'succeeded']);
    expect(branchFacts(payment.id)).toEqual(['payment.created', 'payment.succeeded']);
  });

  it('a forged or stale webhook is refused and changes nothing; the status poll still finds a real payment', async () => {
    const { ticket, payment } = await started('wave');
    const feedBefore = await central.server.db.selectFrom('branch_feed').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const forged = await wave.complete(payment.providerRef as string, { forgeSignature: true });
    expect(forged.map((d) => d.status)).toEqual([401]);
    const stale = await wave.resend(payment.providerRef as string, { timestampOffsetSec: -3600 });
    expect(stale.map((d) => d.status)).toEqual([401]);

    const { payment: om } = await started('orange_money');
    expect((await orange.complete(om.id, { forgeSignature: true })).map((d) => d.status)).toEqual([401]);
    const { payment: fm } = await started('free_money', { phone: PHONE });
    expect((await free.complete(fm.providerRef as string, { forgeSignature: true })).map((d) => d.status)).toEqual([401]);

    const unsigned = await fetch(`${central.url}/api/payments/webhooks/wave`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"AE_x","type":"checkout.session.completed"}' });
    expect(unsigned.status).toBe(401);

    await branch.server.sync?.syncNow();
    for (const p of [payment, om, fm]) {
      expect((await checkoutRow(p.id)).status).toBe('pending');
      expect(await cdb().selectFrom('provider_events').selectAll().where('provider_ref', '=', p.providerRef as string).execute()).toEqual([]);
      expect((await atBranch(p.id)).status).toBe('pending');
    }
    const feedAfter = await central.server.db.selectFrom('branch_feed').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(feedAfter.n)).toBe(Number(feedBefore.n) + 2); // the two checkouts opened meanwhile, nothing else
    expect((await dueOf(ticket.id)).dueXof).toBe(FEE);

    // The provider did take the money: polling its status (as after a lost webhook) settles it.
    expect(await central.server.payments.reconcileNow()).toBeGreaterThanOrEqual(2);
    await waitBranch(payment.id, 'succeeded', (p) => p.status === 'succeeded');
    await waitBranch(fm.id, 'succeeded', (p) => p.status === 'succeeded');
  });

  it('an amount or currency that does not match is flagged for review, never counted as paid', async () => {
    const { ticket, payment } = await started('wave');
    const tampered = await wave.complete(payment.providerRef as string, { amountXof: 1500 });
    expect(tampered.map((d) => d.status)).toEqual([200]);
    const flagged = await waitBranch(payment.id, 'flagged', (p) => p.review !== null);
    expect(flagged.status).toBe('pending');
    expect(flagged.review).toContain('amountXof expected 2000, got 1500');
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: 0, dueXof: FEE });
    expect(await checkoutRow(payment.id)).toMatchObject({ status: 'pending', review_reason: expect.stringContaining('1500') });

    const { payment: fm } = await started('free_money', { phone: PHONE });
    await free.complete(fm.providerRef as string, { currency: 'EUR' });
    const eur = await waitBranch(fm.id, 'flagged', (p) => p.review !== null);
    expect(eur.status).toBe('pending');
    expect(eur.review).toContain('currency expected XOF, got EUR');
    expect(branchFacts(fm.id)).toEqual(['payment.created', 'payment.flagged']);

    const review = await central.admin<Array<{ paymentId: string }>>('GET', '/api/central/payments/checkouts?flagged=true');
    expect(review.body.map((r) => r.paymentId)).toEqual(expect.arrayContaining([payment.id, fm.id]));
  });

  it('a creation whose answer was lost is retried with the same idempotency key: one charge at the provider', async () => {
    const ticket = await issue();
    const replaysBefore = wave.idempotentReplays;
    wave.stallNext(1, { afterHandling: true });
    const commandId = randomUUID();
    const res = await checkout(ticket.id, { provider: 'wave', commandId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(wave.paymentsFor(res.body.id)).toHaveLength(1);
    expect(wave.idempotentReplays).toBe(replaysBefore + 1);

    // The kiosk retries the same command: the same payment, and the provider is not asked again.
    const requests = wave.requests.length;
    const again = await checkout(ticket.id, { provider: 'wave', commandId });
    expect(again.body.id).toBe(res.body.id);
    expect(again.body.providerRef).toBe(res.body.providerRef);
    // The branch (or anyone with its credential) replays the creation at central: answered from central's record.
    const replay = await fetch(`${central.url}/api/sync/payments/checkouts`, {
      method: 'POST', headers: { authorization: `Bearer ${branch.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paymentId: res.body.id, provider: 'wave', amountXof: FEE, channel: 'kiosk', ticketId: ticket.id, bookingId: null, serviceId: service.id, phone: null, description: null }),
    });
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as CheckoutResponse).providerRef).toBe(res.body.providerRef);
    expect(wave.requests.length).toBe(requests);
    expect(wave.paymentsFor(res.body.id)).toHaveLength(1);
    // The same id with another amount is refused.
    const other = await fetch(`${central.url}/api/sync/payments/checkouts`, {
      method: 'POST', headers: { authorization: `Bearer ${branch.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paymentId: res.body.id, provider: 'wave', amountXof: 1, channel: 'kiosk', ticketId: ticket.id, bookingId: null, serviceId: service.id, phone: null, description: null }),
    });
    expect(other.status).toBe(409);
  });

  it('a provider or a link that does not answer: 503, and the retry opens a single checkout', async () => {
    const ticket = await issue();
    const commandId = randomUUID();
    wave.stallNext(2);
    const timedOut = await checkout(ticket.id, { provider: 'wave', commandId });
    expect(timedOut.status).toBe(503);
    expect(timedOut.body.error.code).toBe('PROVIDER_UNAVAILABLE');
    const id = timedOut.body.error.details?.paymentId as string;
    expect(await atBranch(id)).toMatchObject({ status: 'pending', checkout: null });
    const retried = await checkout(ticket.id, { provider: 'wave', commandId });
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(id);
    expect(wave.paymentsFor(id)).toHaveLength(1);

    proxy.setDown(true);
    try {
      const other = await issue();
      const offline = await checkout(other.id, { provider: 'orange_money' });
      expect(offline.status).toBe(503);
      expect(offline.body.error.code).toBe('CENTRAL_UNREACHABLE');
    } finally {
      proxy.setDown(false);
    }
  });

  it('an unpaid checkout expires; money that arrives after the expiry still counts (late success)', async () => {
    const { payment: om } = await started('orange_money');
    const { payment: wv } = await started('wave');
    offsetMs += 45 * 60_000;
    expect(await central.server.payments.reconcileNow()).toBeGreaterThanOrEqual(2);
    await waitBranch(om.id, 'expired', (p) => p.status === 'expired');
    await waitBranch(wv.id, 'expired', (p) => p.status === 'expired');
    // Wave sessions are closed at the provider too; an Orange QR code cannot be, so the payer may still pay it.
    expect(wave.payment(wv.providerRef as string).status).toBe('expired');
    await orange.complete(om.id);
    const late = await waitBranch(om.id, 'succeeded late', (p) => p.status === 'succeeded');
    expect(late.settledAt).not.toBeNull();
    expect(branchHistory(om.id).map((e) => `${e.from_status}→${e.to_status}`)).toEqual(['null→pending', 'pending→expired', 'expired→succeeded']);
    expect(await centralHistory(om.id)).toEqual(['created:∅→pending:creation', 'expired:pending→expired:expiry', 'succeeded:expired→succeeded:webhook']);
    expect(await centralHistory(wv.id)).toEqual(['created:∅→pending:creation', 'expired:pending→expired:expiry']);
  });

  it('head office refunds a phone payment: the provider gives the money back, the branch records it, totals count it', async () => {
    const { ticket, payment } = await started('wave');
    await wave.complete(payment.providerRef as string);
    await waitBranch(payment.id, 'succeeded', (p) => p.status === 'succeeded');
    // The branch cannot give back a phone payment itself: the provider must.
    const atCounter = await branch.api.post<ErrorBody>(`/api/payments/${payment.id}/refund`, {}, supervisor);
    expect(atCounter.status).toBe(409);
    expect(atCounter.body.error.message).toContain('head office');

    const refund = (id: string, body: unknown = {}) => central.admin<{ status: string } & ErrorBody>('POST', `/api/central/payments/${id}/refund`, body);
    const done = await refund(payment.id, { reason: 'service non rendu' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('refunded');
    expect(wave.payment(payment.providerRef as string).status).toBe('refunded');
    expect(wave.requests.filter((r) => r.path === `/v1/checkout/sessions/${payment.providerRef}/refund`)).toHaveLength(1);
    expect(await centralHistory(payment.id)).toEqual([
      'created:∅→pending:creation', 'succeeded:pending→succeeded:webhook', 'refunded:succeeded→refunded:refund',
    ]);
    const refunded = await waitBranch(payment.id, 'refunded', (p) => p.status === 'refunded');
    expect(refunded.settledAt).not.toBeNull();
    expect(branchHistory(payment.id).map((e) => `${e.type}:${e.source}`)).toEqual(['created:branch', 'succeeded:central', 'refunded:central']);
    expect(branchFacts(payment.id)).toEqual(['payment.created', 'payment.succeeded', 'payment.refunded']);
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: 0, dueXof: FEE });
    await drained();
    expect(await cdb().selectFrom('payments').select(['status', 'amount_xof']).where('id', '=', payment.id).executeTakeFirstOrThrow()).toMatchObject({ status: 'refunded' });
    const events = await cdb().selectFrom('payment_events').select(['type', 'source']).where('payment_id', '=', payment.id).orderBy('id').execute();
    expect(events.map((e) => `${e.type}:${e.source}`)).toEqual(['created:branch', 'succeeded:central', 'refunded:central']);

    // Refused, with a clear answer, and nothing changes.
    const again = await refund(payment.id);
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    const { payment: om } = await started('orange_money');
    const pending = await refund(om.id);
    expect([pending.status, pending.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    await orange.complete(om.id);
    await waitBranch(om.id, 'succeeded', (p) => p.status === 'succeeded');
    const noApi = await refund(om.id);
    expect([noApi.status, noApi.body.error.code]).toEqual([422, 'REFUND_NOT_SUPPORTED']);
    expect((await refund('no-such-payment')).status).toBe(404);
    expect((await refund(om.id, { reason: 'x', amountXof: 5 })).status).toBe(400);
    expect((await central.api.post(`/api/central/payments/${om.id}/refund`, {})).status).toBe(401);
    expect((await checkoutRow(om.id)).status).toBe('succeeded');
    expect(await centralHistory(om.id)).toEqual(['created:∅→pending:creation', 'succeeded:pending→succeeded:webhook']);
  });

  it('bad input gets a clear 4xx and changes nothing, at the branch and at central', async () => {
    const ticket = await issue();
    const store = branch.server.services.ctx.store.sqlite;
    const count = (sql: string) => (store.prepare(sql).get() as { n: number }).n;
    await drained();
    const before = {
      payments: count('SELECT count(*) AS n FROM payments'), events: count('SELECT count(*) AS n FROM payment_events'),
      outbox: count("SELECT count(*) AS n FROM outbox WHERE aggregate_type = 'payment'"),
      checkouts: (await cdb().selectFrom('payment_checkouts').select('payment_id').execute()).length,
      providerEvents: (await cdb().selectFrom('provider_events').select('event_id').execute()).length,
      providerCalls: wave.requests.length + orange.requests.length + free.requests.length,
    };
    const expectError = (res: { status: number; body: ErrorBody }, status: number, code: string, message?: RegExp) => {
      expect([res.status, res.body.error.code], JSON.stringify(res.body)).toEqual([status, code]);
      if (message) expect(res.body.error.message).toMatch(message);
    };
    // Branch: starting a phone payment.
    expectError(await checkout(ticket.id, { provider: 'paypal' }), 400, 'VALIDATION_ERROR', /provider/);
    expectError(await checkout(ticket.id, { provider: 'wave', amountXof: 12.5 }), 400, 'VALIDATION_ERROR', /whole francs/);
    expectError(await checkout(ticket.id, { provider: 'wave', amountXof: 0 }), 400, 'VALIDATION_ERROR');
    expectError(await checkout(ticket.id, { provider: 'free_money', phone: '12 34' }), 400, 'VALIDATION_ERROR', /phone/);
    expectError(await checkout(ticket.id, { provider: 'wave', currency: 'EUR' }), 400, 'VALIDATION_ERROR');
    expectError(await checkout(ticket.id, { provider: 'wave', amountXof: FEE + 1 }), 409, 'CONFLICT', /only 2000 F CFA are due/);
    expectError(await checkout('no-such-ticket', { provider: 'wave' }), 404, 'NOT_FOUND');
    // Branch: counter payments, refunds, totals.
    const record = (body: unknown) => branch.api.post<ErrorBody>(`/api/tickets/${ticket.id}/payments`, body, agent);
    expectError(await record({ method: 'cash', reference: 'T_CASH1234' }), 400, 'VALIDATION_ERROR', /cash payment has no transaction reference/);
    expectError(await record({ method: 'orange_money' }), 400, 'VALIDATION_ERROR', /transaction reference/);
    expectError(await record({ method: 'wave', reference: 'a b' }), 400, 'VALIDATION_ERROR');
    expectError(await record({ method: 'cash', amountXof: -100 }), 400, 'VALIDATION_ERROR');
    expectError(await branch.api.post<ErrorBody>('/api/payments/no-such-payment/refund', {}, supervisor), 404, 'NOT_FOUND');
    expectError(await branch.api.get<ErrorBody>('/api/payments/totals?from=2026-13-01', supervisor), 400, 'VALIDATION_ERROR');
    expectError(await branch.api.get<ErrorBody>('/api/payments/totals?from=2026-03-10&to=2026-03-01', supervisor), 400, 'VALIDATION_ERROR', /before/);
    // Central: a branch's checkout request, the totals, the webhooks.
    const open = (body: unknown, credential = branch.credential) => fetch(`${central.url}/api/sync/payments/checkouts`, {
      method: 'POST', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const good = { paymentId: randomUUID(), provider: 'wave', amountXof: FEE, channel: 'kiosk', ticketId: ticket.id, bookingId: null, serviceId: service.id, phone: null, description: null };
    for (const bad of [{ ...good, amountXof: 10.5 }, { ...good, amountXof: -1 }, { ...good, provider: 'paypal' }, { ...good, currency: 'EUR' }, { ...good, phone: '77 12' }]) {
      const res = await open(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('VALIDATION_ERROR');
    }
    expect((await open(good, 'not-a-credential')).status).toBe(401);
    expectError(await central.admin<ErrorBody>('GET', '/api/central/payments/totals?from=yesterday'), 400, 'VALIDATION_ERROR');
    expectError(await central.admin<ErrorBody>('GET', '/api/central/payments/totals?from=2026-03-10&to=2026-03-01'), 400, 'VALIDATION_ERROR', /before/);
    const hook = (provider: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${central.url}/api/payments/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await hook('paypal', '{}')).status).toBe(404);
    // Correctly signed, but not a Wave event: refused as malformed.
    const junk = '{"hello":"world"}';
    const signed = await hook('wave', junk, { 'wave-signature': signWaveWebhook(WAVE.webhookSecret, Math.floor(Date.now() / 1000), junk) });
    expect(signed.status).toBe(400);
    expect(((await signed.json()) as ErrorBody).error.code).toBe('WEBHOOK_REFUSED');

    expect({
      payments: count('SELECT count(*) AS n FROM payments'), events: count('SELECT count(*) AS n FROM payment_events'),
      outbox: count("SELECT count(*) AS n FROM outbox WHERE aggregate_type = 'payment'"),
      checkouts: (await cdb().selectFrom('payment_checkouts').select('payment_id').execute()).length,
      providerEvents: (await cdb().selectFrom('provider_events').select('event_id').execute()).length,
      providerCalls: wave.requests.length + orange.requests.length + free.requests.length,
    }).toEqual(before);
    expect(await dueOf(ticket.id)).toMatchObject({ paidXof: 0, dueXof: FEE, payments: [] });
  });

  it('counter payments recorded while head office is unreachable sync later; central\'s totals equal the branch\'s records', async () => {
    proxy.setDown(true);
    const ids: string[] = [];
    try {
      for (const [i, body] of [{ method: 'cash' }, { method: 'wave', reference: 'T_OFFLINE0001' }, { method: 'orange_money', reference: 'MP.OFFLINE.0002' }, { method: 'cash', amountXof: 500 }].entries()) {
        const t = await issue();
        const res = await branch.api.post<PaymentView>(`/api/tickets/${t.id}/payments`, body, agent);
        expect(res.status, `payment ${i}`).toBe(201);
        ids.push(res.body.id);
      }
      expect((await branch.api.post<PaymentView>(`/api/payments/${ids[0]}/refund`, { reason: 'erreur de caisse' }, supervisor)).status).toBe(200);
      const h = (await branch.api.get<Health>('/api/health')).body.sync;
      expect(h.backlog).toBeGreaterThan(0);
      const held = await cdb().selectFrom('payments').select('id').where('id', 'in', ids).execute();
      expect(held).toEqual([]);
    } finally {
      proxy.setDown(false);
    }
    // Verdicts central published meanwhile become branch facts on the pull, which the next push carries.
    await branch.server.sync?.syncNow();
    await branch.server.sync?.syncNow();
    await drained();

    // Central holds the branch's payments exactly as the branch does.
    const local = branch.server.services.ctx.store.sqlite
      .prepare('SELECT id, status, amount_xof, method, settled_at, review_reason FROM payments ORDER BY id').all() as Array<Record<string, unknown>>;
    const remote = (await cdb().selectFrom('payments').select(['id', 'status', 'amount_xof', 'method', 'settled_at', 'review_reason'])
      .where('branch_id', '=', branch.server.branchId).orderBy('id').execute()).map((r) => ({ ...r, amount_xof: Number(r.amount_xof) }));
    expect(remote).toEqual(local);
    expect(local.filter((r) => ids.includes(r.id as string)).map((r) => r.status)).toEqual(expect.arrayContaining(['refunded', 'succeeded']));

    const days = { from: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), to: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) };
    const atBranchTotals = (await branch.api.get<PaymentTotals>(`/api/payments/totals?from=${days.from}&to=${days.to}`, supervisor)).body;
    const atCentral = await central.admin<PaymentTotals>('GET', `/api/central/payments/totals?from=${days.from}&to=${days.to}&branchId=${branch.server.branchId}`);
    expect(atCentral.status).toBe(200);
    // Per branch, day, service and provider (rows), and each grouping on its own.
    expect(atCentral.body.rows).toEqual(atBranchTotals.rows);
    expect(atCentral.body.byBranch).toEqual(atBranchTotals.byBranch);
    expect(atCentral.body.byDay).toEqual(atBranchTotals.byDay);
    expect(atCentral.body.byService).toEqual(atBranchTotals.byService);
    expect(atCentral.body.byMethod).toEqual(atBranchTotals.byMethod);
    expect(atCentral.body.total).toEqual(atBranchTotals.total);
    // Every way of paying is in them: cash and the three providers, from the counter and from phones.
    expect(atBranchTotals.byMethod.map((m) => m.method)).toEqual(['cash', 'free_money', 'orange_money', 'wave']);
    expect(atBranchTotals.byBranch.map((b) => b.branchId)).toEqual([branch.server.branchId]);
    expect(atBranchTotals.total.count).toBeGreaterThanOrEqual(8);
    // The cash refunded at the counter and the Wave payment refunded by head office: net of both.
    expect(atBranchTotals.total.refundedCount).toBe(2);
    expect(atBranchTotals.total.refundedXof).toBe(FEE + FEE);
    expect(atBranchTotals.total.netXof).toBe(atBranchTotals.total.receivedXof - FEE - FEE);
    // And they are the branch's own records, summed by hand.
    const received = local.filter((r) => r.status === 'succeeded' || r.status === 'refunded').filter((r) => r.review_reason === null);
    expect(atCentral.body.total.receivedXof).toBe(received.reduce((s, r) => s + (r.amount_xof as number), 0));
    expect(atCentral.body.awaitingBranch).toEqual({ count: 0, amountXof: 0 });
    expect(atCentral.body.flagged).toBeGreaterThanOrEqual(2);
    expect((await central.api.get('/api/central/payments/totals')).status).toBe(401);
  });
});
