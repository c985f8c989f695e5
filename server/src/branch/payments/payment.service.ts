// Payments at the branch. Two kinds:
// - recorded at the counter (cash, or a Mobile Money payment whose transaction reference the agent types): one
//   SQLite transaction writes the payment, its history and its outbox facts; it needs no network and syncs later;
// - paid from the visitor's phone (kiosk QR code): the branch writes the pending payment, then asks central to open
//   the checkout with the provider (central holds the keys and gets the webhooks); the verdict comes back through
//   central's change feed (payment-feed.ts).
// A remote booking's deposit is opened at central (payments/central/booking-deposit.ts) and arrives through the feed
// with its booking id; once the visitor checks in, it counts toward the ticket's fee (paymentsOfTicket).
import QRCode from 'qrcode';
import type { z } from 'zod';
import {
  PAYMENT_METHOD_LABELS,
  type PaymentChannel, type PaymentMethod, type PaymentTotals, type PaymentView, type ProviderName, type RecordPaymentBody,
  type StartCheckoutBody, type TicketPayments,
} from '../../shared/contracts/payments.js';
import type { Language } from '../../shared/contracts/domain.js';
import type { Actor } from '../core/actor.js';
import { nowIso, type BranchContext } from '../core/context.js';
import { actorId } from '../core/actor.js';
import { requestFingerprint, type Tx } from '../db/unit-of-work.js';
import type { CounterService } from '../counters/counter.service.js';
import type { BranchInfo } from '../settings/branch-info.js';
import { DomainError } from '../../shared/domain/errors.js';
import { amountDue, amountForNewPayment, type AmountDue } from '../../shared/domain/payment-state.js';
import { dayWindow, paymentTotals } from '../../shared/domain/payment-totals.js';
import { displayTicketNumber } from '../../shared/domain/numbering.js';
import type { ReceiptPrintData } from '../print/data.js';
import { findService } from '../services/service.repository.js';
import { findTicket, type TicketRow } from '../tickets/ticket.repository.js';
import type { CheckoutClient } from './central-client.js';
import { PaymentFailure } from './payment-failure.js';
import {
  changePaymentStatus, findByProviderRef, findPayment, insertPayment, paymentsOfTicket, receivedBetween,
  staleCheckoutsWithoutLink, toPaymentView, updatePaymentDetails, type ChangeBy, type PaymentRow,
} from './payment.repository.js';

/** A phone payment that never got its checkout (head office unreachable) is given up after this long. */
export const UNLINKED_CHECKOUT_TTL_MS = 15 * 60_000;

export interface PaymentTarget {
  ticketId: string | null;
  bookingId: string | null;
  serviceId: string | null;
  feeXof: number | null;
  /** Payments already made for the same visit (ticket and its booking). */
  existing: PaymentRow[];
}

function changeBy(actor: Actor): ChangeBy {
  return {
    userId: actor.kind === 'staff' ? actor.userId : null,
    deviceId: actor.kind === 'device' ? actor.deviceId : null,
    source: 'branch',
  };
}

function dueOf(target: PaymentTarget): AmountDue {
  return amountDue(target.feeXof, target.existing.map((p) => ({ amountXof: p.amount_xof, status: p.status as PaymentView['status'], review: p.review_reason })));
}

export class PaymentService {
  constructor(
    private readonly ctx: BranchContext,
    private readonly branch: BranchInfo,
    private readonly checkout: CheckoutClient | null,
    /** Who may act on a ticket at a counter: the same rule as the ticket commands. */
    private readonly counters: Pick<CounterService, 'counterOfTicket'>,
  ) {}

  /** Phone payments need central (it holds the provider keys); counter payments never do. */
  get phonePaymentsAvailable(): boolean {
    return this.checkout !== null;
  }

  // ---------- reads ----------

  get(id: string): PaymentView {
    const row = findPayment(this.ctx.store, id);
    if (!row) throw new DomainError('NOT_FOUND', `payment ${id} does not exist`);
    return toPaymentView(row);
  }

  /** The payment with its QR code drawn (the kiosk shows it). */
  async getWithQr(id: string): Promise<PaymentView> {
    const row = findPayment(this.ctx.store, id);
    if (!row) throw new DomainError('NOT_FOUND', `payment ${id} does not exist`);
    return this.viewWithQr(row);
  }

  forTicket(ticketId: string): TicketPayments {
    const target = this.ticketTarget(ticketId);
    const due = dueOf(target);
    return { ticketId, feeXof: due.feeXof, paidXof: due.paidXof, dueXof: due.dueXof, pending: due.pending, payments: target.existing.map((r) => toPaymentView(r)) };
  }

  /** Today's (or a range of days') received money at this branch, per day, service and method. */
  totals(fromDay: string | undefined, toDay: string | undefined): PaymentTotals {
    const zone = this.ctx.timeZone;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(this.ctx.clock.now());
    const from = fromDay ?? toDay ?? today;
    const to = toDay ?? from;
    const window = dayWindow(from, to, zone);
    const rows = receivedBetween(this.ctx.store, window.from, window.to);
    return paymentTotals(rows.map((r) => ({
      branchId: r.branch_id, serviceId: r.service_id, method: r.method as PaymentMethod, amountXof: r.amount_xof,
      status: r.status as PaymentView['status'], settledAt: r.settled_at, review: r.review_reason,
    })), from, to, () => zone);
  }

  // ---------- at the counter ----------

  /** An agent records money received for a ticket: cash, or Mobile Money with its transaction reference. */
  recordForTicket(ticketId: string, input: z.output<typeof RecordPaymentBody>, actor: Actor): PaymentView {
    if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'payments are recorded by staff at the counter');
    const id = this.once(input.commandId, actor, `payment:${ticketId}:${requestFingerprint(input)}`, (tx) => {
      const ticket = findTicket(tx, ticketId);
      // A ticket called to another agent's counter is theirs to handle (403), as for every ticket command.
      if (ticket) this.counters.counterOfTicket(tx, ticket, actor);
      const target = this.ticketTarget(ticketId);
      return this.recordIn(tx, target, input, actor).id;
    });
    return this.get(id);
  }

  private recordIn(store: Tx, target: PaymentTarget, input: z.output<typeof RecordPaymentBody>, actor: Actor): PaymentRow {
    const amount = amountForNewPayment(input.amountXof, dueOf(target));
    const reference = input.method === 'cash' ? null : (input.reference ?? null);
    if (reference) {
      const seen = findByProviderRef(store, input.method, reference);
      if (seen) throw new DomainError('CONFLICT', `${PAYMENT_METHOD_LABELS[input.method]} transaction ${reference} was already recorded`, { paymentId: seen.id });
    }
    const at = nowIso(this.ctx);
    const by = changeBy(actor);
    const created = insertPayment(store, {
      branchId: this.ctx.branchId, ticketId: target.ticketId, bookingId: target.bookingId, serviceId: target.serviceId,
      amountXof: amount, method: input.method, channel: 'counter', origin: 'counter', providerRef: reference,
      recordedBy: actor.kind === 'staff' ? actor.userId : null,
    }, by, at);
    return changePaymentStatus(store, created, 'succeeded', by, at, reference ? { reference } : {});
  }

  /** A supervisor gives back a payment recorded at the counter (cash handed back, or a Mobile Money reversal). */
  refund(paymentId: string, reason: string | undefined, actor: Actor, commandId?: string): PaymentView {
    if (actor.kind !== 'staff' || actor.role === 'agent') throw new DomainError('FORBIDDEN', 'a supervisor refunds payments');
    const id = this.once(commandId, actor, `refund:${paymentId}`, (tx) => {
      const row = findPayment(tx, paymentId);
      if (!row) throw new DomainError('NOT_FOUND', `payment ${paymentId} does not exist`);
      if (row.origin !== 'counter') {
        throw new DomainError('CONFLICT', 'a payment made from a phone is refunded through head office (the provider gives the money back)');
      }
      return changePaymentStatus(tx, row, 'refunded', changeBy(actor), nowIso(this.ctx), reason ? { reason } : {}).id;
    });
    return this.get(id);
  }

  // ---------- from the visitor's phone ----------

  /**
   * Start a Mobile Money payment for a ticket: the pending payment is written first (so a retry with the same
   * command id reuses it, and central's checkout is idempotent on its id), then central opens the checkout.
   */
  async startCheckoutForTicket(ticketId: string, input: z.output<typeof StartCheckoutBody>, actor: Actor): Promise<PaymentView> {
    return this.startCheckout(() => this.ticketTarget(ticketId), `checkout:${ticketId}:${requestFingerprint(input)}`, input, actor);
  }

  private async startCheckout(targetOf: () => PaymentTarget, kind: string, input: z.output<typeof StartCheckoutBody>, actor: Actor): Promise<PaymentView> {
    if (actor.kind === 'device' && actor.role !== 'kiosk') throw new DomainError('FORBIDDEN', 'only a kiosk or staff start a phone payment');
    const client = this.checkout;
    if (!client) throw new PaymentFailure(503, 'PAYMENTS_OFFLINE', 'phone payments need head office and this branch runs without it: pay at the counter', false);
    const store = this.ctx.store;
    const channel: PaymentChannel = actor.kind === 'device' ? 'kiosk' : 'counter';
    const paymentId = this.once(input.commandId, actor, kind, (tx) => {
      const target = targetOf();
      // The same phone payment asked again (a kiosk that lost the answer): show the one under way.
      const open = target.existing.find((p) => p.status === 'pending' && p.origin === 'checkout' && p.method === input.provider
        && (input.amountXof === undefined || p.amount_xof === input.amountXof) && (p.expires_at === null || p.expires_at > nowIso(this.ctx)));
      if (open) return open.id;
      const amount = amountForNewPayment(input.amountXof, dueOf(target));
      const at = nowIso(this.ctx);
      const row = insertPayment(tx, {
        branchId: this.ctx.branchId, ticketId: target.ticketId, bookingId: target.bookingId, serviceId: target.serviceId,
        amountXof: amount, method: input.provider, channel, origin: 'checkout', payerPhone: input.phone ?? null,
        recordedBy: actor.kind === 'staff' ? actor.userId : null, deviceId: actor.kind === 'device' ? actor.deviceId : null,
      }, changeBy(actor), at);
      // One open phone checkout per visit: the new one supersedes the others (the visitor chose another provider or
      // amount). Should one of them be paid after all, its late success is flagged for refund (payment-feed.ts).
      for (const other of target.existing) {
        if (other.status === 'pending' && other.origin === 'checkout') {
          changePaymentStatus(tx, other, 'failed', changeBy(actor), at, { reason: 'superseded', supersededBy: row.id });
        }
      }
      return row.id;
    });

    const row = findPayment(store, paymentId) as PaymentRow;
    if (row.status !== 'pending' || row.payment_url) return this.viewWithQr(row);
    try {
      const co = await client.createCheckout({
        paymentId: row.id, provider: row.method as ProviderName, amountXof: row.amount_xof, channel: row.channel as PaymentChannel,
        ticketId: row.ticket_id, bookingId: row.booking_id, serviceId: row.service_id, phone: row.payer_phone,
        description: this.describe(row),
      });
      this.ctx.uow.run((tx) => {
        updatePaymentDetails(tx, row.id, { provider_ref: co.providerRef, payment_url: co.paymentUrl, qr_data: co.qrData, expires_at: co.expiresAt, updated_at: nowIso(this.ctx) });
      });
    } catch (err) {
      if (err instanceof PaymentFailure && !err.retryable) {
        // Refused for good (declined at creation, provider not configured): the attempt ends here.
        this.ctx.uow.run((tx) => {
          const current = findPayment(tx, row.id);
          if (current?.status === 'pending') changePaymentStatus(tx, current, 'failed', changeBy(actor), nowIso(this.ctx), { reason: err.code, message: err.message });
        });
      }
      if (err instanceof PaymentFailure) throw new PaymentFailure(err.httpStatus, err.code, err.message, err.retryable, { paymentId: row.id, ...(err.details && typeof err.details === 'object' ? err.details : {}) });
      throw err;
    }
    return this.viewWithQr(findPayment(store, row.id) as PaymentRow);
  }

  /**
   * Sweeper: a phone payment that never got its checkout link (head office unreachable and the kiosk gave up) is
   * expired. Should central have opened it after all, its verdict still arrives and a success is applied late.
   */
  expireUnlinkedCheckouts(): number {
    const before = new Date(this.ctx.clock.now().getTime() - UNLINKED_CHECKOUT_TTL_MS).toISOString();
    let n = 0;
    this.ctx.uow.run((tx) => {
      for (const row of staleCheckoutsWithoutLink(tx, before)) {
        changePaymentStatus(tx, row, 'expired', { userId: null, deviceId: null, source: 'branch' }, nowIso(this.ctx), { reason: 'no checkout link' });
        n += 1;
      }
    });
    return n;
  }

  // ---------- receipt ----------

  /** What a receipt of a received payment says (also its preview). */
  receiptData(paymentId: string, language?: Language): ReceiptPrintData {
    const row = findPayment(this.ctx.store, paymentId);
    if (!row) throw new DomainError('NOT_FOUND', `payment ${paymentId} does not exist`);
    if (row.status !== 'succeeded' || !row.settled_at) throw new DomainError('CONFLICT', `payment ${paymentId} is ${row.status}: no receipt`);
    const ticket = row.ticket_id ? findTicket(this.ctx.store, row.ticket_id) : undefined;
    const lang = language ?? ((ticket?.language as Language | undefined) ?? 'fr');
    const service = row.service_id ? findService(this.ctx.store, row.service_id) : undefined;
    const view = this.branch.view();
    return {
      branchName: view.name,
      amountXof: row.amount_xof,
      provider: PAYMENT_METHOD_LABELS[row.method as PaymentMethod],
      // The provider's transaction reference; for cash, our payment id (what the accounts can look up).
      reference: row.provider_ref ?? row.id,
      paidAt: row.settled_at,
      timeZone: view.timeZone,
      language: lang,
      ticketNumber: ticket ? displayTicketNumber(ticket.number) : null,
      serviceName: service ? { fr: service.name_fr, wo: service.name_wo, en: service.name_en }[lang] : null,
    };
  }

  // ---------- internals ----------

  private ticketTarget(ticketId: string): PaymentTarget {
    const ticket: TicketRow | undefined = findTicket(this.ctx.store, ticketId);
    if (!ticket) throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`);
    const service = findService(this.ctx.store, ticket.service_id);
    return {
      ticketId: ticket.id, bookingId: ticket.booking_id, serviceId: ticket.service_id, feeXof: service?.fee_xof ?? null,
      existing: paymentsOfTicket(this.ctx.store, ticket.id, ticket.booking_id),
    };
  }

  private describe(row: PaymentRow): string {
    const ticket = row.ticket_id ? findTicket(this.ctx.store, row.ticket_id) : undefined;
    const name = this.branch.view().name;
    return `${name}${ticket ? ` — ticket ${displayTicketNumber(ticket.number)}` : ''}`.slice(0, 120);
  }

  private async viewWithQr(row: PaymentRow): Promise<PaymentView> {
    const text = row.qr_data ?? row.payment_url;
    const svg = text && row.status === 'pending' ? await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) : null;
    return toPaymentView(row, svg);
  }

  /** A retried request returns the payment of the first one instead of charging twice (the unit of work's command id). */
  private once(commandId: string | undefined, actor: Actor, kind: string, fn: (tx: Tx) => string): string {
    return this.ctx.uow.command({ commandId, principal: actorId(actor), kind }, (tx) => ({ paymentId: fn(tx) })).paymentId;
  }
}
