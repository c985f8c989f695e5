// Anonymous booking is limited (issue 14, point 8): each booking takes a place somebody else could have had, and each
// confirmation is an SMS or an e-mail that costs money and can be used to harass. Counted per phone number and
// e-mail address (in the database, so every central instance sees the same count), and per address (in memory).
import { sql } from 'kysely';
import type { CentralTrx } from '../db/database.js';
import { notificationDb } from '../notifications/store.js';
import { rateLimited, WindowLimit } from '../../shared/rate-limit.js';
import type { CentralAppointmentTables } from './booking.migration.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface BookingLimitOptions {
  /** Bookings made with one phone number or one e-mail address in 24 hours. Default 4 (a family's visits). */
  perContactPerDay?: number;
  /** Bookings made from one network address in 24 hours. Default 20. Behind a reverse proxy every visitor has its address. */
  perAddressPerDay?: number;
  /** Booking confirmations (SMS or e-mail) sent to one recipient in an hour. Default 3. */
  confirmationsPerRecipientPerHour?: number;
}

export const BOOKING_LIMITS: Required<BookingLimitOptions> = { perContactPerDay: 4, perAddressPerDay: 20, confirmationsPerRecipientPerHour: 3 };

export class BookingLimits {
  readonly rules: Required<BookingLimitOptions>;
  private readonly perAddress: WindowLimit;

  constructor(options: BookingLimitOptions = {}) {
    this.rules = { ...BOOKING_LIMITS, ...options };
    this.perAddress = new WindowLimit(this.rules.perAddressPerDay, DAY_MS);
  }

  /** Before anything is written: the address's share of the day (counted once the booking is made). */
  checkAddress(address: string, now: Date): void {
    const wait = this.perAddress.waitMs(address, now.getTime());
    if (wait > 0) throw rateLimited('too many bookings from this network today: try again tomorrow or book at the branch', wait);
  }

  countAddress(address: string, now: Date): void {
    this.perAddress.add(address, now.getTime());
  }

  /** Inside the booking's transaction: bookings made with the same phone or e-mail in the last 24 hours. */
  async checkContact(trx: CentralTrx, contact: { phone: string | null; email: string | null }, now: Date): Promise<void> {
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const t = trx.withTables<CentralAppointmentTables>();
    for (const [column, value] of [['phone', contact.phone], ['email', contact.email]] as const) {
      if (!value) continue;
      const rows = await t.selectFrom('bookings').select(['created_at']).where(column, '=', value).where('created_at', '>', since)
        .orderBy('created_at').execute();
      if (rows.length >= this.rules.perContactPerDay) {
        const oldest = Date.parse((rows[0] as { created_at: string }).created_at);
        throw rateLimited(`too many bookings with this ${column === 'phone' ? 'phone number' : 'e-mail address'} today: try again later or book at the branch`, oldest + DAY_MS - now.getTime());
      }
    }
  }

  /** Whether one more booking confirmation may go to this recipient now (the booking itself is made either way). */
  async confirmationAllowed(trx: CentralTrx, channel: string, address: string, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - HOUR_MS).toISOString();
    const row = await notificationDb(trx).selectFrom('notification_deliveries').select(sql<number>`count(*)`.as('n'))
      .where('channel', '=', channel).where('recipient', '=', address).where('kind', '=', 'booking_confirmation').where('created_at', '>', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0) < this.rules.confirmationsPerRecipientPerHour;
  }
}
