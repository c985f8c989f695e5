// Central's side of phone payments: it alone holds the provider keys. It opens checkouts (idempotency key = our
// payment id), takes the providers' webhooks (verified, each event applied once, amount and currency checked),
// polls pending checkouts to reconcile lost webhooks and expiries, and tells the branch each verdict through the
// branch's change feed (entity `payment`). The branch then records the change in its own payment, which comes back
// with its push: head office counts the branches' records (payments table), never its own guesses.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import {
  CURRENCY_XOF, PAYMENT_ENTITY, PaymentFeedPayload,
  type CheckoutRequest, type CheckoutResponse, type PaymentMethod, type PaymentStatus, type PaymentTotals, type ProviderName,
} from '../../shared/contracts/payments.js';
import { lockBranchSync, type CentralDb, type CentralTrx } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { appendFeed } from '../ingest/feed.js';
import { canMovePayment, checkAmountXof, isPaidTwice } from '../../shared/domain/payment-state.js';
import { dayWindow, paymentTotals } from '../../shared/domain/payment-totals.js';
import { newId } from '../../shared/ids.js';
import { assertMatches, PaymentMismatchError, ProviderError, type MobileMoneyProvider, type ProviderEvent } from './providers/index.js';
import type { CentralPaymentTables, PaymentCheckoutEventsTable, PaymentCheckoutsTable } from './payments.central-migration.js';
import { callbackContradiction, needsConfirmation } from './callback-confirmation.js';

export type Providers = Partial<Record<ProviderName, MobileMoneyProvider>>;

export interface CentralPaymentsOptions {
  /** Configured providers (createProvidersFromEnv, or simulators in the demo and tests). */
  providers?: Providers;
  /**
   * Base URL the providers and the payers' phones reach this central at (webhooks, return pages).
   * Default: the URL central listens on (fine on loopback with the simulators).
   */
  publicUrl?: string;
  /** How often pending checkouts are looked at. Default 30 s; 0 turns the timer off (tests call reconcileNow). */
  reconcileEveryMs?: number;
  /** A pending checkout is asked again at most this often. Default 20 s. */
  pollIntervalMs?: number;
  /** An unpaid checkout is expired this long after the provider's expiry. Default 60 s. */
  expiryGraceMs?: number;
  /** When the provider gives no expiry, a checkout is given up this long after creation. Default 30 min. */
  defaultTtlMs?: number;
}

export interface CentralPaymentsDeps {
  cdb: CentralDb;
  clock: Clock;
  logger: Logger;
  /** The URL central listens on, known once it does. */
  listenUrl: () => string;
}

export type ReportOutcome = 'applied' | 'duplicate' | 'unknown_payment' | 'mismatch' | 'unchanged' | 'ignored' | 'refused';

/** What a provider says about a payment: a verified webhook, a status lookup, or our own expiry. */
export interface ProviderReport {
  provider: ProviderName;
  providerRef: string;
  reference: string | null;
  status: PaymentStatus;
  amountXof: number | null;
  currency: string | null;
  /** Webhooks only: stable across redeliveries. */
  eventId: string | null;
  source: 'webhook' | 'poll' | 'expiry' | 'creation' | 'refund';
  raw?: unknown;
  /** Written in the history row of the change (a refund's reason). */
  data?: Record<string, unknown>;
  /** Written in the transaction of the change when it is applied (the audit row of a refund by head office). */
  alsoWrite?: (trx: CentralTrx, row: PaymentCheckoutsTable) => Promise<void>;
}

/** Who asks, at head office: limited to one organization's branches, or every one (null). */
export interface OfficeScope {
  organizationId: string | null;
}

const iso = (d: Date) => d.toISOString();

export class CentralPayments {
  readonly providers: Providers;
  private readonly opts: Required<Omit<CentralPaymentsOptions, 'providers' | 'publicUrl'>> & { publicUrl: string | undefined };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly deps: CentralPaymentsDeps, options: CentralPaymentsOptions = {}) {
    this.providers = options.providers ?? {};
    this.opts = {
      publicUrl: options.publicUrl,
      reconcileEveryMs: options.reconcileEveryMs ?? 30_000,
      pollIntervalMs: options.pollIntervalMs ?? 20_000,
      expiryGraceMs: options.expiryGraceMs ?? 60_000,
      defaultTtlMs: options.defaultTtlMs ?? 30 * 60_000,
    };
  }

  private get db() {
    return this.deps.cdb.db.withTables<CentralPaymentTables>();
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  publicUrl(): string {
    return (this.opts.publicUrl ?? this.deps.listenUrl()).replace(/\/+$/, '');
  }

  webhookUrl(provider: ProviderName): string {
    return `${this.publicUrl()}/api/payments/webhooks/${provider}`;
  }

  start(): void {
    this.stopped = false;
    if (this.opts.reconcileEveryMs <= 0 || Object.keys(this.providers).length === 0) return;
    this.timer = setInterval(() => { void this.reconcileNow().catch((err: unknown) => this.deps.logger.error({ err }, 'payment reconciliation failed')); }, this.opts.reconcileEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  // ---------- checkout ----------

  /**
   * Open (or find again) the checkout of a payment. The payment id is the provider's idempotency key: a retry, from
   * the branch or after a lost answer from the provider, never opens a second charge.
   */
  async openCheckout(branchId: string | null, req: CheckoutRequest): Promise<CheckoutResponse> {
    const provider = this.providers[req.provider];
    if (!provider) throw new CentralError(422, 'PROVIDER_NOT_CONFIGURED', `${req.provider} is not configured at head office`);
    checkAmountXof(req.amountXof);
    const now = iso(this.deps.clock.now());
    await this.deps.cdb.db.transaction().execute(async (trx) => {
      const inserted = await trx.withTables<CentralPaymentTables>().insertInto('payment_checkouts').values({
        payment_id: req.paymentId, branch_id: branchId, ticket_id: req.ticketId, booking_id: req.bookingId, service_id: req.serviceId,
        provider: req.provider, channel: req.channel, amount_xof: req.amountXof, currency: CURRENCY_XOF, status: 'pending',
        provider_ref: null, payment_url: null, qr_data: null, expires_at: null, payer_phone: req.phone, review_reason: null,
        created_at: now, updated_at: now, settled_at: null, checked_at: null,
      }).onConflict((oc) => oc.column('payment_id').doNothing()).returning('payment_id').execute();
      if (inserted.length > 0) await this.history(trx, req.paymentId, 'created', null, 'pending', 'creation', null, now);
    });
    const row = await this.db.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', req.paymentId).executeTakeFirstOrThrow();
    if (row.branch_id !== branchId || row.provider !== req.provider || row.amount_xof !== req.amountXof) {
      throw new CentralError(409, 'CONFLICT', `payment ${req.paymentId} already has a checkout for another branch, provider or amount`);
    }
    if (row.provider_ref && row.payment_url) return toCheckoutResponse(row);
    if (row.status !== 'pending') throw new CentralError(409, 'CHECKOUT_CLOSED', `the checkout of payment ${req.paymentId} is ${row.status}`);

    const base = this.publicUrl();
    const input = {
      amountXof: row.amount_xof,
      reference: row.payment_id,
      idempotencyKey: row.payment_id,
      successUrl: `${base}/api/payments/return/${encodeURIComponent(row.payment_id)}?result=success`,
      errorUrl: `${base}/api/payments/return/${encodeURIComponent(row.payment_id)}?result=error`,
      callbackUrl: this.webhookUrl(req.provider),
      ...(row.payer_phone ? { customerPhone: row.payer_phone } : {}),
      ...(req.description ? { description: req.description } : {}),
    };
    let checkout;
    try {
      try {
        checkout = await provider.createCheckout(input);
      } catch (err) {
        // A timeout may mean the checkout exists and only the answer was lost: ask again with the same key.
        if (!(err instanceof ProviderError) || !err.retryable) throw err;
        this.deps.logger.warn({ paymentId: row.payment_id, provider: req.provider, code: err.code }, 'checkout creation failed, retrying with the same idempotency key');
        checkout = await provider.createCheckout(input);
      }
    } catch (err) {
      throw await this.creationFailed(row, err);
    }
    const expiresAt = checkout.expiresAt ? new Date(checkout.expiresAt).toISOString() : new Date(Date.parse(now) + this.opts.defaultTtlMs).toISOString();
    await this.deps.cdb.db.transaction().execute(async (trx) => {
      const t = trx.withTables<CentralPaymentTables>();
      await t.updateTable('payment_checkouts').set({
        provider_ref: checkout.providerRef, payment_url: checkout.paymentUrl, qr_data: checkout.qrData ?? checkout.paymentUrl,
        expires_at: expiresAt, updated_at: iso(this.deps.clock.now()),
      }).where('payment_id', '=', row.payment_id).where('provider_ref', 'is', null).execute();
      const fresh = await t.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', row.payment_id).executeTakeFirstOrThrow();
      await this.publish(trx, fresh);
    });
    const saved = await this.db.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', row.payment_id).executeTakeFirstOrThrow();
    if (checkout.status !== 'pending') {
      await this.applyReport({ provider: req.provider, providerRef: checkout.providerRef, reference: row.payment_id, status: checkout.status, amountXof: row.amount_xof, currency: CURRENCY_XOF, eventId: null, source: 'creation' });
    }
    return toCheckoutResponse(saved);
  }

  /** The provider refused or failed: an error for the branch, and a failed checkout when the refusal is final. */
  private async creationFailed(row: PaymentCheckoutsTable, err: unknown): Promise<CentralError> {
    if (!(err instanceof ProviderError)) {
      this.deps.logger.error({ err, paymentId: row.payment_id }, 'checkout creation failed');
      return new CentralError(502, 'PROVIDER_ERROR', 'the payment provider could not be used');
    }
    this.deps.logger.warn({ paymentId: row.payment_id, provider: row.provider, code: err.code, httpStatus: err.httpStatus, providerCode: err.providerCode }, 'checkout creation refused');
    if (err.code === 'DECLINED' || err.code === 'INVALID_REQUEST') {
      await this.settle(row.payment_id, 'failed', null);
      return err.code === 'DECLINED'
        ? new CentralError(402, 'PAYMENT_DECLINED', `${row.provider} refused the payment: ${err.message}`)
        : new CentralError(422, 'PAYMENT_INVALID', `${row.provider} refused the request: ${err.message}`);
    }
    if (err.code === 'CONFLICT') return new CentralError(409, 'PROVIDER_CONFLICT', err.message);
    return new CentralError(503, 'PROVIDER_UNAVAILABLE', `${row.provider} is not answering (${err.code}): try again in a moment`);
  }

  /** Our own decision on a checkout that has no provider reference to report on (refused at creation). */
  private async settle(paymentId: string, status: PaymentStatus, review: string | null): Promise<void> {
    await this.deps.cdb.db.transaction().execute(async (trx) => {
      const t = trx.withTables<CentralPaymentTables>();
      const row = await this.lockCheckout(trx, paymentId);
      if (!row || row.status === status || !canMovePayment(row.status as PaymentStatus, status)) return;
      const now = iso(this.deps.clock.now());
      await t.updateTable('payment_checkouts').set({ status, updated_at: now, review_reason: review ?? row.review_reason }).where('payment_id', '=', paymentId).execute();
      await this.history(trx, paymentId, status, row.status, status, 'creation', null, now);
      await this.publish(trx, { ...row, status, updated_at: now });
    });
  }

  // ---------- provider reports ----------

  /**
   * Callers pass verified webhooks (parseWebhook). A success from a provider whose callbacks are not signed per
   * message is confirmed with its status lookup first: refused (logged, in the checkout's history, never stored as
   * applied) when the lookup contradicts it; a lookup that fails answers 503 so that the provider sends it again.
   */
  async webhook(event: ProviderEvent): Promise<ReportOutcome> {
    const provider = this.providers[event.provider];
    if (provider && needsConfirmation(event, provider)) {
      let state;
      try {
        state = await provider.getStatus(event.providerRef);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        this.deps.logger.warn({ provider: event.provider, providerRef: event.providerRef, code: err.code }, 'callback not confirmed: the status lookup failed');
        throw new CentralError(503, 'PROVIDER_UNAVAILABLE', `${event.provider} status lookup failed (${err.code}): send the callback again later`);
      }
      const contradiction = callbackContradiction(event, state);
      if (contradiction) {
        await this.refuseCallback(event, contradiction);
        return 'refused';
      }
    }
    return this.applyReport({ ...event, source: 'webhook' });
  }

  /** A callback the provider's lookup contradicts: logged, and in the checkout's history when the payment exists. */
  private async refuseCallback(event: ProviderEvent, reason: string): Promise<void> {
    this.deps.logger.warn({ provider: event.provider, providerRef: event.providerRef, reference: event.reference, eventId: event.eventId, reason }, 'provider callback refused: its status lookup contradicts it');
    const row = await this.db.selectFrom('payment_checkouts').selectAll().where('provider', '=', event.provider)
      .where((eb) => eb.or([eb('provider_ref', '=', event.providerRef), eb('payment_id', '=', event.reference ?? event.providerRef)])).executeTakeFirst();
    if (!row) return;
    await this.deps.cdb.db.transaction().execute(async (trx) => {
      await this.history(trx, row.payment_id, 'callback_refused', row.status, row.status, 'webhook', event.eventId, iso(this.deps.clock.now()),
        { reason, reported: event.status, amountXof: event.amountXof });
    });
  }

  async applyReport(report: ProviderReport): Promise<ReportOutcome> {
    return this.deps.cdb.db.transaction().execute(async (trx) => {
      const t = trx.withTables<CentralPaymentTables>();
      const now = iso(this.deps.clock.now());
      if (report.eventId !== null) {
        const inserted = await t.insertInto('provider_events').values({
          provider: report.provider, event_id: report.eventId, payment_id: null, provider_ref: report.providerRef, status: report.status,
          amount: String(report.amountXof), currency: String(report.currency), outcome: 'received', received_at: now,
          payload: JSON.stringify(report.raw ?? null).slice(0, 16_000),
        }).onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing()).returning('event_id').execute();
        // Already applied (a provider retry, or the same webhook twice): nothing more to do.
        if (inserted.length === 0) return 'duplicate';
      }
      const outcome = await this.applyInside(trx, report, now);
      if (report.eventId !== null) {
        await t.updateTable('provider_events').set({ outcome: outcome.outcome, payment_id: outcome.paymentId })
          .where('provider', '=', report.provider).where('event_id', '=', report.eventId).execute();
      }
      return outcome.outcome;
    });
  }

  private async applyInside(trx: CentralTrx, report: ProviderReport, now: string): Promise<{ outcome: ReportOutcome; paymentId: string | null }> {
    const t = trx.withTables<CentralPaymentTables>();
    let found = await t.selectFrom('payment_checkouts').select('payment_id').where('provider', '=', report.provider).where('provider_ref', '=', report.providerRef).executeTakeFirst();
    if (!found && report.reference) {
      found = await t.selectFrom('payment_checkouts').select('payment_id').where('provider', '=', report.provider).where('payment_id', '=', report.reference).executeTakeFirst();
    }
    const row = found ? await this.lockCheckout(trx, found.payment_id) : undefined;
    if (!row) {
      this.deps.logger.warn({ provider: report.provider, providerRef: report.providerRef, source: report.source }, 'provider report for an unknown payment');
      return { outcome: 'unknown_payment', paymentId: null };
    }
    // Pending with nothing to compare (Orange Money before payment) changes nothing.
    if (report.status === 'pending') return { outcome: 'unchanged', paymentId: row.payment_id };
    try {
      assertMatches({ amountXof: row.amount_xof, currency: row.currency, reference: row.payment_id, ...(row.provider_ref ? { providerRef: row.provider_ref } : {}) },
        // A status lookup carries no reference (null): only what the provider reports is compared.
        { amountXof: report.amountXof, currency: report.currency, providerRef: report.providerRef, ...(report.reference !== null ? { reference: report.reference } : {}) });
    } catch (err) {
      if (!(err instanceof PaymentMismatchError)) throw err;
      // Not paid as asked: set aside for a person, never counted as paid.
      const reason = err.mismatches.map((m) => `${m.field} expected ${String(m.expected)}, got ${String(m.actual)}`).join('; ').slice(0, 500);
      this.deps.logger.warn({ paymentId: row.payment_id, provider: report.provider, reason, source: report.source }, 'provider report does not match the payment');
      if (row.review_reason !== reason) {
        await t.updateTable('payment_checkouts').set({ review_reason: reason, updated_at: now }).where('payment_id', '=', row.payment_id).execute();
        await this.history(trx, row.payment_id, 'flagged', row.status, row.status, report.source, report.eventId, now, { reason, reported: report.status });
        await this.publish(trx, { ...row, review_reason: reason, updated_at: now });
      }
      return { outcome: 'mismatch', paymentId: row.payment_id };
    }
    if (report.status === row.status) return { outcome: 'unchanged', paymentId: row.payment_id };
    if (!canMovePayment(row.status as PaymentStatus, report.status)) {
      // Late or out of order (a failure after the success): never move a payment backwards.
      return { outcome: 'ignored', paymentId: row.payment_id };
    }
    const settledAt = report.status === 'succeeded' ? now : row.settled_at;
    await t.updateTable('payment_checkouts').set({ status: report.status, settled_at: settledAt, updated_at: now }).where('payment_id', '=', row.payment_id).execute();
    await this.history(trx, row.payment_id, report.status, row.status, report.status, report.source, report.eventId, now, report.data);
    const changed = { ...row, status: report.status, settled_at: settledAt, updated_at: now };
    await this.publish(trx, changed);
    await report.alsoWrite?.(trx, changed);
    return { outcome: 'applied', paymentId: row.payment_id };
  }

  /** The checkout row, locked for the rest of the transaction (a webhook and a poll of the same payment serialise). */
  private async lockCheckout(trx: CentralTrx, paymentId: string): Promise<PaymentCheckoutsTable | undefined> {
    const t = trx.withTables<CentralPaymentTables>();
    if (this.deps.cdb.dialect === 'postgres') {
      return t.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', paymentId).forUpdate().executeTakeFirst();
    }
    // SQLite: a no-op write takes the database write lock at once.
    await t.updateTable('payment_checkouts').set((eb) => ({ status: eb.ref('status') })).where('payment_id', '=', paymentId).execute();
    return t.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
  }

  /** The history row of a change of a checkout, in the transaction of the change. */
  private async history(
    trx: CentralTrx, paymentId: string, type: string, from: string | null, to: string, source: ProviderReport['source'],
    providerEventId: string | null, at: string, data?: Record<string, unknown>,
  ): Promise<void> {
    await trx.withTables<CentralPaymentTables>().insertInto('payment_checkout_events').values({
      id: newId(), payment_id: paymentId, type, from_status: from, to_status: to, source, provider_event_id: providerEventId,
      data: data && Object.keys(data).length ? JSON.stringify(data) : null, at,
    }).execute();
  }

  /** A checkout's history at central, oldest first. */
  async checkoutHistory(paymentId: string): Promise<PaymentCheckoutEventsTable[]> {
    return this.db.selectFrom('payment_checkout_events').selectAll().where('payment_id', '=', paymentId).orderBy('at').orderBy('id').execute();
  }

  // ---------- refund ----------

  /**
   * Head office gives a phone payment back: the provider refunds it (Wave's refund API), then the checkout becomes
   * refunded, with its history row, and the branch learns it through its feed (its own payment follows, and the
   * totals count it as refunded). A refund whose answer was lost is recognised on the retry (the provider says the
   * payment is already refunded). A payment of another organization's branch answers 404, as if it did not exist;
   * `audit` is written in the transaction that marks it refunded.
   */
  async refund(paymentId: string, reason: string | null, scope: OfficeScope = { organizationId: null }, audit?: ProviderReport['alsoWrite']): Promise<PaymentCheckoutsTable> {
    const row = (await this.listCheckouts({ paymentId, organizationId: scope.organizationId, limit: 1 }))[0];
    if (!row) throw new CentralError(404, 'NOT_FOUND', `no phone payment ${paymentId} at head office`);
    if (row.status !== 'succeeded') throw new CentralError(409, 'INVALID_TRANSITION', `a ${row.status} payment cannot be refunded`);
    if (row.review_reason !== null && !isPaidTwice(row.review_reason)) throw new CentralError(409, 'UNDER_REVIEW', `payment ${paymentId} is set aside for review: ${row.review_reason}`);
    const provider = this.providers[row.provider as ProviderName];
    if (!provider) throw new CentralError(422, 'PROVIDER_NOT_CONFIGURED', `${row.provider} is not configured at head office`);
    if (!provider.refund || !row.provider_ref) {
      throw new CentralError(422, 'REFUND_NOT_SUPPORTED', `${row.provider} offers no refund API: give the money back from its merchant portal`);
    }
    try {
      await provider.refund(row.provider_ref);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      // Refunded already (a retry after a lost answer)? The provider's status says so.
      const state = err.code === 'CONFLICT' ? await provider.getStatus(row.provider_ref).catch(() => null) : null;
      if (state?.status !== 'refunded') {
        if (err.retryable) throw new CentralError(503, 'PROVIDER_UNAVAILABLE', `${row.provider} is not answering (${err.code}): try again in a moment`);
        throw new CentralError(409, 'REFUND_REFUSED', `${row.provider} refused the refund: ${err.message}`);
      }
    }
    const outcome = await this.applyReport({
      provider: row.provider as ProviderName, providerRef: row.provider_ref, reference: row.payment_id, status: 'refunded',
      amountXof: row.amount_xof, currency: row.currency, eventId: null, source: 'refund', ...(reason ? { data: { reason } } : {}),
      ...(audit ? { alsoWrite: audit } : {}),
    });
    if (outcome !== 'applied' && outcome !== 'unchanged') this.deps.logger.warn({ paymentId, outcome }, 'refund not applied');
    return this.db.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
  }

  /** Tell the payment's branch, in the same transaction as the change. */
  private async publish(trx: CentralTrx, row: PaymentCheckoutsTable): Promise<void> {
    if (!row.branch_id) return;
    if (!(await lockBranchSync(trx, this.deps.cdb.dialect, row.branch_id))) return;
    const payload: PaymentFeedPayload = PaymentFeedPayload.parse({
      id: row.payment_id, ticketId: row.ticket_id, bookingId: row.booking_id, serviceId: row.service_id, provider: row.provider,
      channel: row.channel, amountXof: row.amount_xof, currency: row.currency, status: row.status, providerRef: row.provider_ref,
      paymentUrl: row.payment_url, expiresAt: row.expires_at, review: row.review_reason, settledAt: row.settled_at, updatedAt: row.updated_at,
    });
    await appendFeed(trx, this.deps.cdb.dialect, row.branch_id, { entityType: PAYMENT_ENTITY, entityId: row.payment_id, op: 'upsert', payload }, row.updated_at);
  }

  // ---------- reconciliation ----------

  /** Look at pending checkouts now: the provider's status for each, and expiry of the unpaid ones. Returns how many changed. */
  reconcileNow(): Promise<number> {
    if (this.running) return this.running;
    const run = this.reconcile().finally(() => { this.running = null; });
    this.running = run;
    return run;
  }

  /** One checkout now (the payer came back from the provider's page). */
  async reconcileOne(paymentId: string): Promise<PaymentCheckoutsTable | undefined> {
    const row = await this.db.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
    if (row?.status === 'pending' && row.provider_ref) await this.check(row);
    return this.db.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
  }

  private async reconcile(): Promise<number> {
    const now = this.deps.clock.now();
    const before = iso(new Date(now.getTime() - this.opts.pollIntervalMs));
    const rows = await this.db.selectFrom('payment_checkouts').selectAll()
      // A checkout set aside for review waits for a person, not for the next poll.
      .where('status', '=', 'pending').where('provider_ref', 'is not', null).where('review_reason', 'is', null)
      .where((eb) => eb.or([eb('checked_at', 'is', null), eb('checked_at', '<=', before)]))
      .orderBy('created_at').limit(100).execute();
    let changed = 0;
    for (const row of rows) {
      if (this.stopped) break;
      if (await this.check(row)) changed += 1;
    }
    return changed;
  }

  private async check(row: PaymentCheckoutsTable): Promise<boolean> {
    const provider = this.providers[row.provider as ProviderName];
    const ref = row.provider_ref;
    if (!provider || !ref) return false;
    await this.db.updateTable('payment_checkouts').set({ checked_at: iso(this.deps.clock.now()) }).where('payment_id', '=', row.payment_id).execute();
    let state;
    try {
      state = await provider.getStatus(ref);
    } catch (err) {
      if (err instanceof ProviderError && (err.retryable || err.code === 'NOT_FOUND')) {
        this.deps.logger.warn({ paymentId: row.payment_id, code: err.code }, 'payment status lookup failed');
        return false;
      }
      throw err;
    }
    const report = { provider: row.provider as ProviderName, providerRef: ref, reference: null, eventId: null };
    if (state.status !== 'pending') {
      return (await this.applyReport({ ...report, status: state.status, amountXof: state.amountXof, currency: state.currency, source: 'poll' })) === 'applied';
    }
    const expiresAt = row.expires_at ? Date.parse(row.expires_at) : Date.parse(row.created_at) + this.opts.defaultTtlMs;
    if (this.deps.clock.now().getTime() < expiresAt + this.opts.expiryGraceMs) return false;
    // Past its expiry and still unpaid: close it at the provider when it can be (Wave), then expire it here.
    if (provider.expire) {
      try {
        await provider.expire(ref);
      } catch (err) {
        // CONFLICT: it was completed meanwhile; the next look sees the success.
        if (err instanceof ProviderError) return false;
        throw err;
      }
    }
    return (await this.applyReport({ ...report, status: 'expired', amountXof: row.amount_xof, currency: row.currency, source: 'expiry' })) === 'applied';
  }

  // ---------- head office ----------

  /**
   * Received money per branch, day (each branch's zone), service and method, from the branches' own records; only
   * the branches of `organizationId` when it is set (the filter is in each query).
   */
  async totals(q: { from?: string; to?: string; branchId?: string; organizationId?: string | null }): Promise<PaymentTotals> {
    let branchQ = this.deps.cdb.db.selectFrom('branches').select(['id', 'time_zone']);
    if (q.organizationId) branchQ = branchQ.where('organization_id', '=', q.organizationId);
    const branches = await branchQ.execute();
    const zones = new Map(branches.map((b) => [b.id, b.time_zone]));
    const defaultZone = (q.branchId ? zones.get(q.branchId) : undefined) ?? 'Africa/Dakar';
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: defaultZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(this.deps.clock.now());
    const from = q.from ?? q.to ?? today;
    const to = q.to ?? from;
    const window = dayWindow(from, to, defaultZone);
    // Widened by a day each side so that every branch's own local days are covered; paymentTotals keeps the right ones.
    const lo = iso(new Date(Date.parse(window.from) - 86_400_000));
    const hi = iso(new Date(Date.parse(window.to) + 86_400_000));
    let query = this.db.selectFrom('payments').selectAll().where('settled_at', '>=', lo).where('settled_at', '<', hi).where('status', 'in', ['succeeded', 'refunded']);
    if (q.branchId) query = query.where('branch_id', '=', q.branchId);
    if (q.organizationId) query = query.where('branch_id', 'in', this.branchesOf(q.organizationId));
    const rows = await query.execute();
    const totals = paymentTotals(rows.map((r) => ({
      branchId: r.branch_id, serviceId: r.service_id, method: r.method as PaymentMethod, amountXof: Number(r.amount_xof),
      status: r.status as PaymentStatus, settledAt: r.settled_at, review: r.review_reason,
    })), from, to, (id) => zones.get(id) ?? 'Africa/Dakar');

    // Successes central saw that the branch has not confirmed yet (it is offline): shown apart, never mixed in.
    let awaiting = this.db.selectFrom('payment_checkouts as c')
      .leftJoin('payments as p', (j) => j.onRef('p.id', '=', 'c.payment_id').onRef('p.branch_id', '=', 'c.branch_id'))
      .select(['c.amount_xof']).where('c.status', '=', 'succeeded').where('c.settled_at', '>=', window.from).where('c.settled_at', '<', window.to)
      .where((eb) => eb.or([eb('p.id', 'is', null), eb('p.status', 'not in', ['succeeded', 'refunded'])]));
    if (q.branchId) awaiting = awaiting.where('c.branch_id', '=', q.branchId);
    if (q.organizationId) awaiting = awaiting.where('c.branch_id', 'in', this.branchesOf(q.organizationId));
    const waiting = await awaiting.execute();
    // Set aside: reports that did not match (still pending), and successes that paid a visit twice (to refund).
    let flaggedQ = this.db.selectFrom('payment_checkouts').select('payment_id').where('review_reason', 'is not', null).where('status', 'in', ['pending', 'succeeded']);
    if (q.branchId) flaggedQ = flaggedQ.where('branch_id', '=', q.branchId);
    if (q.organizationId) flaggedQ = flaggedQ.where('branch_id', 'in', this.branchesOf(q.organizationId));
    const flagged = await flaggedQ.execute();
    return {
      ...totals,
      awaitingBranch: { count: waiting.length, amountXof: waiting.reduce((s, r) => s + Number(r.amount_xof), 0) },
      flagged: flagged.length,
    };
  }

  /** The ids of an organization's branches, as a subquery. */
  private branchesOf(organizationId: string) {
    return this.db.selectFrom('branches').select('id').where('organization_id', '=', organizationId);
  }

  /** Phone payments, newest first; only those of `organizationId`'s branches when it is set. */
  async listCheckouts(q: { status?: PaymentStatus; flagged?: boolean; branchId?: string; paymentId?: string; organizationId?: string | null; limit: number }): Promise<PaymentCheckoutsTable[]> {
    let query = this.db.selectFrom('payment_checkouts').selectAll().orderBy('created_at', 'desc').limit(q.limit);
    if (q.organizationId) query = query.where('branch_id', 'in', this.branchesOf(q.organizationId));
    if (q.paymentId) query = query.where('payment_id', '=', q.paymentId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.flagged) query = query.where('review_reason', 'is not', null);
    if (q.branchId) query = query.where('branch_id', '=', q.branchId);
    return query.execute();
  }
}

function toCheckoutResponse(row: PaymentCheckoutsTable): CheckoutResponse {
  return {
    paymentId: row.payment_id, provider: row.provider as ProviderName, status: row.status as PaymentStatus,
    providerRef: row.provider_ref ?? '', paymentUrl: row.payment_url ?? '', qrData: row.qr_data, expiresAt: row.expires_at,
  };
}
