// A remote booking's deposit. A booking for a service with a fee (the fee its branch pushed with its appointment
// settings) is paid from the visitor's phone: central opens the checkout (the same path as the kiosk's, channel
// `remote`) and answers the link and its QR code. The verdict reaches the branch through its feed with the booking
// id; when the visitor checks in, the deposit counts toward the ticket's fee (the agent app shows it paid).
import QRCode from 'qrcode';
import { v5 as uuidv5 } from 'uuid';
import type { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import { appointmentsDb, findByCode } from '../booking/booking.service.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { newId } from '../../shared/ids.js';
import { formatBookingCode } from '../../shared/domain/booking-code.js';
import { amountDue } from '../../shared/domain/payment-state.js';
import type { BookingDepositView, DepositCheckoutBody, DepositCheckoutView, PaymentMethod, PaymentStatus } from '../../shared/contracts/payments.js';
import type { CentralPayments } from './central-payments.js';
import type { CentralPaymentTables } from './payments.central-migration.js';

/** Namespace of deposit payment ids: one id per (booking, command id), so a retried request opens no second checkout. */
const DEPOSIT_ID_NAMESPACE = '5b1d7f0e-4c1a-4e8e-9a61-0d5c2b7a9e31';

export class BookingDeposits {
  constructor(private readonly cdb: CentralDb, private readonly payments: CentralPayments, private readonly clock: Clock) {}

  private get db() {
    return this.cdb.db.withTables<CentralPaymentTables>();
  }

  /** What a booking owes as a deposit and its payments (central's latest view of each). */
  async view(rawCode: string): Promise<BookingDepositView> {
    const booking = await findByCode(appointmentsDb(this.cdb), rawCode);
    return this.viewOf(booking);
  }

  private async viewOf(booking: { id: string; code: string; branch_id: string; service_id: string }): Promise<BookingDepositView> {
    const service = await appointmentsDb(this.cdb).selectFrom('appointment_services').select('fee_xof')
      .where('branch_id', '=', booking.branch_id).where('service_id', '=', booking.service_id).executeTakeFirst();
    const feeXof = service?.fee_xof === null || service?.fee_xof === undefined ? null : Number(service.fee_xof);
    const checkouts = await this.db.selectFrom('payment_checkouts').selectAll().where('booking_id', '=', booking.id).orderBy('created_at').execute();
    // Payments the branch recorded for the booking (at the counter, once checked in) that central did not open.
    const seen = new Set(checkouts.map((c) => c.payment_id));
    const recorded = (await this.db.selectFrom('payments').selectAll().where('booking_id', '=', booking.id).where('branch_id', '=', booking.branch_id).orderBy('created_at').execute())
      .filter((p) => !seen.has(p.id));
    const payments: Array<BookingDepositView['payments'][number] & { review: string | null }> = [
      ...checkouts.map((c) => ({
        paymentId: c.payment_id, method: c.provider as PaymentMethod, amountXof: Number(c.amount_xof), status: c.status as PaymentStatus,
        paymentUrl: c.status === 'pending' ? c.payment_url : null, expiresAt: c.expires_at, review: c.review_reason,
      })),
      ...recorded.map((p) => ({
        paymentId: p.id, method: p.method as PaymentMethod, amountXof: Number(p.amount_xof), status: p.status as PaymentStatus,
        paymentUrl: null, expiresAt: null, review: p.review_reason,
      })),
    ];
    const due = amountDue(feeXof, payments);
    return {
      code: formatBookingCode(booking.code), feeXof, paidXof: due.paidXof, dueXof: due.dueXof, pending: due.pending,
      payments: payments.map(({ review: _review, ...p }) => p),
    };
  }

  /**
   * Open the deposit's checkout. With a command id, the payment id is derived from it: the same request again
   * answers the same checkout (even once paid). Without one, a checkout of the same provider still open is reused.
   */
  async checkout(rawCode: string, body: z.output<typeof DepositCheckoutBody>): Promise<DepositCheckoutView> {
    const booking = await findByCode(appointmentsDb(this.cdb), rawCode);
    const shown = formatBookingCode(booking.code);
    const paymentId = body.commandId ? uuidv5(`${booking.id}:${body.commandId}`, DEPOSIT_ID_NAMESPACE) : null;
    if (paymentId) {
      const replay = await this.db.selectFrom('payment_checkouts').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
      if (replay?.payment_url && replay.provider_ref) {
        if (replay.provider !== body.provider) throw new CentralError(409, 'CONFLICT', `command ${body.commandId} was used for a ${replay.provider} payment`);
        return this.answer(await this.payments.openCheckout(booking.branch_id, {
          paymentId, provider: body.provider, amountXof: Number(replay.amount_xof), channel: 'remote', ticketId: null,
          bookingId: booking.id, serviceId: booking.service_id, phone: replay.payer_phone, description: null,
        }));
      }
    }
    if (booking.status === 'cancelled') throw new CentralError(409, 'BOOKING_CANCELLED', `booking ${shown} is cancelled`);
    if (booking.status === 'checked_in') throw new CentralError(409, 'ALREADY_CHECKED_IN', `booking ${shown} was checked in at the branch: what is left is paid there`);
    if (booking.status !== 'booked' || Date.parse(booking.starts_at) <= this.clock.now().getTime()) {
      throw new CentralError(409, 'BOOKING_PAST', `booking ${shown} has started or is over: its fee is paid at the branch`);
    }
    const deposit = await this.viewOf(booking);
    if (deposit.feeXof === null) throw new CentralError(409, 'NO_DEPOSIT', `the service of booking ${shown} asks no deposit`);
    if (!paymentId) {
      const now = this.clock.now().toISOString();
      const open = await this.db.selectFrom('payment_checkouts').selectAll().where('booking_id', '=', booking.id).where('provider', '=', body.provider)
        .where('status', '=', 'pending').where('review_reason', 'is', null).where('payment_url', 'is not', null).where('expires_at', '>', now)
        .orderBy('created_at', 'desc').executeTakeFirst();
      if (open) {
        return this.answer(await this.payments.openCheckout(booking.branch_id, {
          paymentId: open.payment_id, provider: body.provider, amountXof: Number(open.amount_xof), channel: 'remote', ticketId: null,
          bookingId: booking.id, serviceId: booking.service_id, phone: open.payer_phone, description: null,
        }));
      }
    }
    if (deposit.dueXof <= 0) throw new CentralError(409, 'NOTHING_DUE', `the deposit of booking ${shown} is paid`);
    return this.answer(await this.payments.openCheckout(booking.branch_id, {
      paymentId: paymentId ?? newId(), provider: body.provider, amountXof: deposit.dueXof, channel: 'remote', ticketId: null,
      bookingId: booking.id, serviceId: booking.service_id, phone: body.phone ?? booking.phone, description: `Booking ${shown}`,
    }));
  }

  private async answer(co: Awaited<ReturnType<CentralPayments['openCheckout']>>): Promise<DepositCheckoutView> {
    const row = await this.db.selectFrom('payment_checkouts').select('amount_xof').where('payment_id', '=', co.paymentId).executeTakeFirstOrThrow();
    const text = co.qrData ?? co.paymentUrl;
    const qrSvg = co.status === 'pending' && text ? await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) : null;
    return { ...co, amountXof: Number(row.amount_xof), qrSvg };
  }
}
