// Central's payment routes:
//   POST /api/payments/webhooks/:provider   the providers' webhooks: raw body (signatures are over the exact bytes)
//   GET  /api/payments/return/:paymentId    where the payer's browser lands after paying (reconciles, shows the result)
//   POST /api/sync/payments/checkouts       a branch opens a checkout (branch credential)
//   GET  /api/central/payments/totals       head office: received money per branch, day, service, method (admin token)
//   GET  /api/central/payments/checkouts    head office: phone payments, e.g. ?flagged=true for the ones to review
//   GET  /api/central/payments/checkouts/:paymentId   head office: one phone payment with its history
//   POST /api/central/payments/:paymentId/refund       head office: give a phone payment back (the provider refunds it)
//   GET  /api/public/bookings/:code/deposit            a remote booking's deposit: what is due, its payments
//   POST /api/public/bookings/:code/deposit/checkout   pay it from the phone: the link and its QR code
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  CentralRefundBody, CheckoutRequest, DepositCheckoutBody, PaymentStatus, PaymentTotalsQuery, ProviderName,
} from '../../shared/contracts/payments.js';
import { authenticateBranch, sameHash, sha256 } from '../branches/branches.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { DomainError } from '../../shared/domain/errors.js';
import { bearerToken } from '../../shared/http/bearer.js';
import { zodMessage } from '../../shared/http/errors.js';
import { WebhookVerificationError, type ProviderEvent } from './providers/index.js';
import { BookingDeposits } from './booking-deposit.js';
import type { CentralPayments } from './central-payments.js';
import type { PaymentCheckoutsTable } from './payments.central-migration.js';

export interface CentralPaymentRouteDeps {
  cdb: CentralDb;
  payments: CentralPayments;
  /** SHA-256 of the accepted admin tokens. */
  adminTokenHashes: string[];
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CentralError(400, 'VALIDATION_ERROR', zodMessage(r.error), r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}

/** Domain rule errors (a bad amount, a bad day range) as central answers them. */
async function domain<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError) throw new CentralError(err.code === 'VALIDATION_ERROR' ? 400 : 409, err.code, err.message);
    throw err;
  }
}

const CheckoutsQuery = z.object({
  status: PaymentStatus.optional(),
  flagged: z.enum(['true', 'false']).optional(),
  branchId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const ReturnQuery = z.object({ result: z.enum(['success', 'error']).optional() });

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

export function registerCentralPaymentRoutes(router: Router, deps: CentralPaymentRouteDeps): void {
  const { cdb, payments } = deps;
  const deposits = new BookingDeposits(cdb, payments, payments.clock);
  const json = express.json({ limit: '16kb' });

  const admin = (req: Request, _res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) throw new CentralError(401, 'UNAUTHENTICATED', 'head-office routes need the admin token: Authorization: Bearer …');
    const hash = sha256(token);
    if (!deps.adminTokenHashes.some((h) => sameHash(h, hash))) throw new CentralError(403, 'FORBIDDEN', 'this token is not the central admin token');
    next();
  };

  // Raw body, on this route only and before any JSON parser: the signature is computed over the exact bytes.
  router.post('/api/payments/webhooks/:provider', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const name = ProviderName.safeParse(req.params.provider);
    const provider = name.success ? payments.providers[name.data] : undefined;
    if (!provider) throw new CentralError(404, 'NOT_FOUND', `no payment provider ${String(req.params.provider)} is configured here`);
    let event: ProviderEvent;
    try {
      event = provider.parseWebhook({ headers: req.headers, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) });
    } catch (err) {
      if (err instanceof WebhookVerificationError) {
        // Nothing is stored or changed for a webhook we cannot trust.
        throw new CentralError(err.reason === 'malformed_payload' ? 400 : 401, 'WEBHOOK_REFUSED', `webhook refused: ${err.reason}`);
      }
      throw err;
    }
    const outcome = await payments.webhook(event);
    // 2xx once stored, even for an unknown payment: a provider treats a 4xx as final and would not send it again.
    res.json({ received: true, outcome });
  });

  router.get('/api/payments/return/:paymentId', async (req, res) => {
    parse(ReturnQuery, req.query);
    const row = await payments.reconcileOne(String(req.params.paymentId));
    const text = row ? (RETURN_TEXT[row.status] ?? row.status) : 'Paiement inconnu. / Unknown payment.';
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
      + `<title>SmartQueue</title></head><body style="font-family:sans-serif;font-size:1.3rem;margin:2rem">`
      + `<h1>SmartQueue</h1><p data-status="${row?.status ?? 'unknown'}">${text}</p>`
      + `${row ? `<p>${row.amount_xof} F CFA</p>` : ''}</body></html>`);
  });

  router.post('/api/sync/payments/checkouts', express.json({ limit: '16kb' }), async (req, res) => {
    const branchId = await authenticateBranch(cdb, bearerToken(req));
    const body = parse(CheckoutRequest, req.body);
    res.status(201).json(await domain(() => payments.openCheckout(branchId, body)));
  });

  router.get('/api/central/payments/totals', admin, async (req, res) => {
    const q = parse(PaymentTotalsQuery, req.query);
    res.json(await domain(() => payments.totals(q)));
  });

  router.get('/api/central/payments/checkouts', admin, async (req, res) => {
    const q = parse(CheckoutsQuery, req.query);
    const rows = await payments.listCheckouts({ status: q.status, flagged: q.flagged === 'true', branchId: q.branchId, limit: q.limit });
    res.json(rows.map(checkoutView));
  });

  router.get('/api/central/payments/checkouts/:paymentId', admin, async (req, res) => {
    const id = String(req.params.paymentId);
    const row = (await payments.listCheckouts({ paymentId: id, limit: 1 }))[0];
    if (!row) throw new CentralError(404, 'NOT_FOUND', `no phone payment ${id} at head office`);
    const history = (await payments.checkoutHistory(id)).map((e) => ({
      type: e.type, from: e.from_status, to: e.to_status, source: e.source, providerEventId: e.provider_event_id,
      data: e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null, at: e.at,
    }));
    res.json({ ...checkoutView(row), history });
  });

  router.post('/api/central/payments/:paymentId/refund', admin, json, async (req, res) => {
    const body = parse(CentralRefundBody, req.body ?? {});
    res.json(checkoutView(await payments.refund(String(req.params.paymentId), body.reason ?? null)));
  });

  router.get('/api/public/bookings/:code/deposit', async (req, res) => {
    res.json(await deposits.view(String(req.params.code)));
  });

  router.post('/api/public/bookings/:code/deposit/checkout', json, async (req, res) => {
    const body = parse(DepositCheckoutBody, req.body ?? {});
    res.status(201).json(await domain(() => deposits.checkout(String(req.params.code), body)));
  });
}
