// HTTP routes of payments at the branch: the agent records a payment at the counter, the kiosk (or an agent) starts
// a Mobile Money payment from the visitor's phone and follows it, receipts are printed, supervisors see the totals.
import type { Response, Router } from 'express';
import { z } from 'zod';
import { PrintResult } from '../../shared/contracts/print.js';
import {
  LocalDay, PaymentTotals, PaymentView, RecordPaymentBody, RefundBody, StartCheckoutBody, TicketPayments,
} from '../../shared/contracts/payments.js';
import { Language } from '../../shared/contracts/domain.js';
import type { Actor } from '../core/actor.js';
import type { BranchApi } from '../http/access.js';
import { TicketPrintFailure, type TicketPrintService } from '../print/print.service.js';
import { PaymentFailure } from './payment-failure.js';
import type { PaymentService } from './payment.service.js';

function sendFailure(res: Response, err: PaymentFailure): void {
  res.status(err.httpStatus).json({ error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) } });
}

const TotalsQuery = z.object({ from: LocalDay.optional().describe('First local day, YYYY-MM-DD (default today)'), to: LocalDay.optional().describe('Last local day (default: from)') });
const ReceiptQuery = z.object({ lang: Language.optional().describe('Language of the receipt (default: the ticket\'s)') });

export function registerPaymentRoutes(router: Router, api: BranchApi, payments: PaymentService, printing: TicketPrintService): void {
  api.add(router, {
    method: 'get', path: '/api/tickets/:id/payments', tag: 'payments', access: 'staff', response: TicketPayments,
    summary: 'What a ticket owes and its payments',
    description: 'feeXof is the fee of the ticket\'s service (null: free); paidXof counts succeeded payments of the ticket and of its booking; dueXof what is left.',
  }, ({ params }) => payments.forTicket(params.id as string));

  api.add(router, {
    method: 'post', path: '/api/tickets/:id/payments', tag: 'payments', access: 'staff', status: 201, body: RecordPaymentBody, response: PaymentView,
    summary: 'Record a payment received at the counter (cash, or Mobile Money with its transaction reference)',
    description: 'Works offline: one local transaction writes the payment (succeeded), its history and its outbox facts; head office gets it with the next sync. '
      + 'amountXof defaults to what is due. A Mobile Money transaction reference is accepted once (409 otherwise). A repeated commandId returns the first payment.',
  }, ({ params, body, actor }) => payments.recordForTicket(params.id as string, body, actor as Actor));

  api.add(router, {
    method: 'post', path: '/api/tickets/:id/checkout', tag: 'payments', access: 'issuer', status: 201, body: StartCheckoutBody, response: PaymentView,
    // Head office's refusals pass through (402, 422…); 502: its answer could not be read.
    errors: [402, 422, 429, 502],
    summary: 'Start a Mobile Money payment from the visitor\'s phone (QR code / payment link)',
    description: 'Head office opens the checkout with the provider (idempotency key = the payment id) and answers the link; the answer carries a QR code (SVG). '
      + 'The result arrives through the sync feed: follow it with GET /api/payments/:id. Errors: 503 CENTRAL_UNREACHABLE / CENTRAL_TIMEOUT / PROVIDER_UNAVAILABLE '
      + '(retry with the same commandId), 503 PAYMENTS_OFFLINE (no head office configured), 402 PAYMENT_DECLINED, 422 PROVIDER_NOT_CONFIGURED.',
  }, async ({ params, body, actor, res }) => {
    try {
      return await payments.startCheckoutForTicket(params.id as string, body, actor as Actor);
    } catch (err) {
      if (err instanceof PaymentFailure) return sendFailure(res, err);
      throw err;
    }
  });

  api.add(router, {
    method: 'get', path: '/api/payments/totals', tag: 'payments', access: 'supervisor', response: PaymentTotals,
    summary: 'Money received at this branch per day, service and method',
    description: 'The same figures as head office\'s for this branch once synced.', query: TotalsQuery,
  }, ({ query: { from, to } }) => payments.totals(from, to));

  api.add(router, {
    method: 'get', path: '/api/payments/:id', tag: 'payments', access: 'reader', response: PaymentView,
    summary: 'A payment, with its QR code while it is pending (the kiosk polls this)',
  }, ({ params }) => payments.getWithQr(params.id as string));

  api.add(router, {
    method: 'post', path: '/api/payments/:id/refund', tag: 'payments', access: 'supervisor', body: RefundBody, response: PaymentView,
    summary: 'Give back a payment recorded at the counter',
  }, ({ params, body, actor }) => payments.refund(params.id as string, body.reason, actor as Actor, body.commandId));

  api.add(router, {
    method: 'post', path: '/api/payments/:id/receipt/print', tag: 'payments', access: 'issuer', response: PrintResult,
    summary: 'Print the receipt of a succeeded payment on the kiosk\'s printer (staff: the default printer)',
    description: 'On failure: 503 with the printer\'s error code (PRINTER_OFFLINE, PAPER_OUT…); the payment is not affected.', query: ReceiptQuery,
  }, async ({ params, query: { lang }, actor, res }) => {
    try {
      return await printing.printReceipt(payments.receiptData(params.id as string, lang), actor);
    } catch (err) {
      if (err instanceof TicketPrintFailure) {
        res.status(err.httpStatus).json({ error: { code: err.code, message: err.message, details: err.details } });
        return undefined;
      }
      throw err;
    }
  });

  api.add(router, {
    method: 'get', path: '/api/payments/:id/receipt.html', tag: 'payments', access: 'staff',
    summary: 'Preview of a payment receipt (HTML, as printed)', query: ReceiptQuery, produces: 'text/html',
  }, ({ params, query: { lang }, res }) => {
    // Read first: an unknown id must answer the JSON error, not a JSON body labelled HTML.
    const html = printing.receiptPreviewHtml(payments.receiptData(params.id as string, lang));
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(html);
  });
}
