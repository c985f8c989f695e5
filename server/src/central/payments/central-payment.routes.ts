// Central's payment routes:
//   POST /api/payments/webhooks/:provider   the providers' webhooks: raw body (signatures are over the exact bytes)
//   GET  /api/payments/return/:paymentId    where the payer's browser lands after paying (reconciles, shows the result)
//   POST /api/sync/payments/checkouts       a branch opens a checkout (branch credential)
//   GET  /api/central/payments/totals       head office: received money per branch, day, service, method
//   GET  /api/central/payments/checkouts    head office: phone payments, e.g. ?flagged=true for the ones to review
//   GET  /api/central/payments/checkouts/:paymentId   head office: one phone payment with its history
//   POST /api/central/payments/:paymentId/refund       head office: give a phone payment back (the provider refunds it)
// The head-office routes are scoped like Analytics: an analyst or organization admin sees its organization's
// branches only (another organization's branch or payment answers 404); only an organization admin refunds.
//   GET  /api/public/bookings/:code/deposit            a remote booking's deposit: what is due, its payments
//   POST /api/public/bookings/:code/deposit/checkout   pay it from the phone: the link and its QR code
import type { Router } from 'express';
import { z } from 'zod';
import {
  BookingDepositView, CentralRefundBody, CheckoutHistoryEvent, CheckoutRequest, CheckoutResponse, DepositCheckoutBody, DepositCheckoutView,
  PaymentStatus, PaymentTotals, PaymentTotalsQuery, ProviderName,
} from '../../shared/contracts/payments.js';
import type { CentralDb } from '../db/database.js';
import type { Accounts } from '../accounts/accounts.js';
import { callerBranch, callerOrganization, callerUser, checkBranchScope, type CentralApi } from '../http/access.js';
import { CentralError } from '../http/errors.js';
import { WebhookVerificationError, type ProviderEvent } from './providers/index.js';
import { BookingDeposits } from './booking-deposit.js';
import type { CentralPayments } from './central-payments.js';
import type { PaymentCheckoutsTable } from './payments.central-migration.js';

export interface CentralPaymentRouteDeps {
  cdb: CentralDb;
  payments: CentralPayments;
  accounts: Accounts;
}

const CheckoutsQuery = z.object({
  status: PaymentStatus.optional(),
  flagged: z.enum(['true', 'false']).optional(),
  branchId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const ReturnQuery = z.object({ result: z.enum(['success', 'error']).optional() });
const PaymentParams = z.object({ paymentId: z.string().min(1).max(64) });
const CodeParams = z.object({ code: z.string().min(1).max(64) });
const CheckoutView = z.object({
  paymentId: z.string(), branchId: z.string().nullable(), ticketId: z.string().nullable(), bookingId: z.string().nullable(), serviceId: z.string().nullable(),
  provider: z.string(), channel: z.string(), amountXof: z.number().int(), currency: z.string(), status: PaymentStatus,
  providerRef: z.string().nullable(), paymentUrl: z.string().nullable(), expiresAt: z.string().nullable(), review: z.string().nullable(),
  createdAt: z.string(), updatedAt: z.string(), settledAt: z.string().nullable(),
});
const small = { kind: 'json', limit: '16kb' } as const;

const RETURN_TEXT: Record<string, string> = {
  succeeded: 'Paiement reçu. Merci ! / Payment received. Thank you!',
  pending: 'Paiement en cours de confirmation… / Payment being confirmed…',
  failed: 'Paiement refusé. / Payment declined.',
  expired: 'Paiement expiré. / Payment expired.',
  refunded: 'Paiement remboursé. / Payment refunded.',
};

function checkoutView(r: PaymentCheckoutsTable) {
  return {
    paymentId: r.payment_id, branchId: r.branch_id, ticketId: r.ticket_id, bookingId: r.booking_id, serviceId: r.service_id,
    provider: r.provider, channel: r.channel, amountXof: Number(r.amount_xof), currency: r.currency, status: r.status,
    providerRef: r.provider_ref, paymentUrl: r.payment_url, expiresAt: r.expires_at, review: r.review_reason,
    createdAt: r.created_at, updatedAt: r.updated_at, settledAt: r.settled_at,
  };
}

export function registerCentralPaymentRoutes(router: Router, api: CentralApi, deps: CentralPaymentRouteDeps): void {
  const { cdb, payments, accounts } = deps;
  const deposits = new BookingDeposits(cdb, payments, payments.clock);

  // Raw body: the signature is computed over the exact bytes.
  api.add(router, {
    method: 'post', path: '/api/payments/webhooks/:provider', tag: 'payments', access: 'public', summary: "A provider's webhook (signed)",
    params: z.object({ provider: z.string().min(1).max(32) }), bodyKind: { kind: 'raw', limit: '256kb', contentType: 'application/json' },
    body: z.record(z.string(), z.unknown()), response: z.object({ received: z.literal(true), outcome: z.string() }), errors: [401],
    description: "Checked with the provider's signature over the raw bytes; nothing is stored for a webhook that fails it.",
  }, async ({ params, req, raw }) => {
    const name = ProviderName.safeParse(params.provider);
    const provider = name.success ? payments.providers[name.data] : undefined;
    if (!provider) throw new CentralError(404, 'NOT_FOUND', `no payment provider ${String(params.provider)} is configured here`);
    let event: ProviderEvent;
    try {
      event = provider.parseWebhook({ headers: req.headers, rawBody: raw });
    } catch (err) {
      if (err instanceof WebhookVerificationError) {
        // Nothing is stored or changed for a webhook we cannot trust.
        throw new CentralError(err.reason === 'malformed_payload' ? 400 : 401, 'WEBHOOK_REFUSED', `webhook refused: ${err.reason}`);
      }
      throw err;
    }
    const outcome = await payments.webhook(event);
    // 2xx once stored, even for an unknown payment: a provider treats a 4xx as final and would not send it again.
    return { received: true, outcome };
  });

  api.add(router, {
    method: 'get', path: '/api/payments/return/:paymentId', tag: 'payments', access: 'public',
    summary: "Where the payer's browser lands after paying (reconciles, shows the result)",
    params: PaymentParams, query: ReturnQuery, produces: 'text/html',
  }, async ({ params, res }) => {
    const row = await payments.reconcileOne(params.paymentId as string);
    const text = row ? (RETURN_TEXT[row.status] ?? row.status) : 'Paiement inconnu. / Unknown payment.';
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
      + `<title>SmartQueue</title></head><body style="font-family:sans-serif;font-size:1.3rem;margin:2rem">`
      + `<h1>SmartQueue</h1><p data-status="${row?.status ?? 'unknown'}">${text}</p>`
      + `${row ? `<p>${row.amount_xof} F CFA</p>` : ''}</body></html>`);
  });

  api.add(router, {
    method: 'post', path: '/api/sync/payments/checkouts', tag: 'payments', access: 'branch', summary: 'A branch opens a phone checkout',
    body: CheckoutRequest, bodyKind: small, response: CheckoutResponse, status: 201, errors: [402, 422, 502],
  }, ({ body, actor }) => payments.openCheckout(callerBranch(actor), body));

  api.add(router, {
    method: 'get', path: '/api/central/payments/totals', tag: 'payments', access: 'analyst', summary: "Money received per branch, day, service and method (the caller's organization)",
    query: PaymentTotalsQuery, response: PaymentTotals,
    // 404: a branch of another organization.
    errors: [404],
  }, async ({ query, actor }) => {
    if (query.branchId) await checkBranchScope(cdb, actor, query.branchId);
    return payments.totals({ ...query, organizationId: callerOrganization(actor) });
  });

  api.add(router, {
    method: 'get', path: '/api/central/payments/checkouts', tag: 'payments', access: 'analyst',
    summary: "Phone payments of the caller's organization (e.g. ?flagged=true for the ones to review)",
    query: CheckoutsQuery, response: z.array(CheckoutView),
    // 404: a branch of another organization.
    errors: [404],
  }, async ({ query: q, actor }) => {
    if (q.branchId) await checkBranchScope(cdb, actor, q.branchId);
    const rows = await payments.listCheckouts({ status: q.status, flagged: q.flagged === 'true', branchId: q.branchId, organizationId: callerOrganization(actor), limit: q.limit });
    return rows.map(checkoutView);
  });

  api.add(router, {
    method: 'get', path: '/api/central/payments/checkouts/:paymentId', tag: 'payments', access: 'analyst', summary: 'One phone payment with its history',
    params: PaymentParams, response: CheckoutView.extend({ history: z.array(CheckoutHistoryEvent) }),
    description: "404 for a payment of another organization's branch, as for one that does not exist.",
  }, async ({ params, actor }) => {
    const id = params.paymentId as string;
    const row = (await payments.listCheckouts({ paymentId: id, organizationId: callerOrganization(actor), limit: 1 }))[0];
    if (!row) throw new CentralError(404, 'NOT_FOUND', `no phone payment ${id} at head office`);
    const history = (await payments.checkoutHistory(id)).map((e) => ({
      type: e.type, from: e.from_status, to: e.to_status, source: e.source, providerEventId: e.provider_event_id,
      data: e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null, at: e.at,
    }));
    return { ...checkoutView(row), history };
  });

  api.add(router, {
    method: 'post', path: '/api/central/payments/:paymentId/refund', tag: 'payments', access: 'orgAdmin', summary: 'Give a phone payment back (the provider refunds it)',
    params: PaymentParams, body: CentralRefundBody, bodyKind: small, response: CheckoutView, errors: [422, 502],
    description: "404 for a payment of another organization's branch. Audited as the signed-in user, in the transaction that marks it refunded.",
  }, async ({ params, body, actor }) => {
    const id = params.paymentId as string;
    const reason = body.reason ?? null;
    const row = await payments.refund(id, reason, { organizationId: callerOrganization(actor) }, async (trx, refunded) => {
      const org = refunded.branch_id
        ? (await trx.selectFrom('branches').select('organization_id').where('id', '=', refunded.branch_id).executeTakeFirst())?.organization_id ?? null
        : null;
      await accounts.audit(callerUser(actor), 'payment.refunded', `payment:${id}`, org,
        { branchId: refunded.branch_id, provider: refunded.provider, amountXof: refunded.amount_xof, reason }, undefined, trx);
    });
    return checkoutView(row);
  });

  api.add(router, {
    method: 'get', path: '/api/public/bookings/:code/deposit', tag: 'bookings', access: 'public', summary: "A remote booking's deposit: what is due, its payments",
    params: CodeParams, response: BookingDepositView,
  }, ({ params }) => deposits.view(params.code as string));

  api.add(router, {
    method: 'post', path: '/api/public/bookings/:code/deposit/checkout', tag: 'bookings', access: 'public', summary: 'Pay the deposit from the phone: the link and its QR code',
    params: CodeParams, body: DepositCheckoutBody, bodyKind: small, response: DepositCheckoutView, status: 201, errors: [402, 422, 502],
  }, ({ params, body }) => deposits.checkout(params.code as string, body));
}
