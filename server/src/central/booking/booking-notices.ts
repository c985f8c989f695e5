// What a visitor who booked is told, through the notification layer (server/src/central/notifications): the booking
// confirmation, queued in the same transaction as the booking (or its move), and the reminder, queued by a loop
// when `reminder_due_at` has come (docs/appointments.md "Reminders"). Both go to the booking's phone (SMS) and
// e-mail, in the booking's language. The delivery log's key (event, channel, recipient) and the guarded update of
// `reminder_sent_at` make each message go once, whichever central instance queues it and however often.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Language, LocalizedText } from '../../shared/contracts/domain.js';
import type { CentralDb, CentralTrx } from '../db/database.js';
import type { CentralDatabase } from '../db/schema.js';
import { formatBookingCode } from '../../shared/domain/booking-code.js';
import type { Notifier } from '../notifications/notifier.js';
import { parseEmail, parsePhone } from '../notifications/recipients.js';
import { notificationDb } from '../notifications/store.js';
import type { Recipient } from '../notifications/types.js';
import type { CentralAppointmentTables, CentralBookingsTable } from './booking.migration.js';
import type { BookingLimits } from './booking-limits.js';

/** Reminders handed to the delivery log per round. */
const REMINDER_BATCH = 50;

type Query = Kysely<CentralDatabase & CentralAppointmentTables> | Transaction<CentralDatabase & CentralAppointmentTables>;

export interface BookingNoticesDeps {
  cdb: CentralDb;
  notifier: Notifier;
  clock: { now(): Date };
  logger: Logger;
  /** How often to look for due reminders. Default 30 s. */
  pollMs?: number;
  /** Confirmations per recipient and hour (none: unlimited). */
  limits?: Pick<BookingLimits, 'confirmationAllowed'>;
}

/** The booking's phone and e-mail as recipients (a contact that no longer parses is left out, not fatal). */
export function bookingRecipients(b: Pick<CentralBookingsTable, 'phone' | 'email' | 'language'>): Recipient[] {
  const language = b.language as Language;
  const out: Recipient[] = [];
  try { if (b.phone) out.push({ channel: 'sms', address: parsePhone(b.phone), language }); } catch { /* checked at booking: only old rows */ }
  try { if (b.email) out.push({ channel: 'email', address: parseEmail(b.email), language }); } catch { /* idem */ }
  return out;
}

export class BookingNotices {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: BookingNoticesDeps) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { void this.tick(); }, this.deps.pollMs ?? 30_000);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private tick(): Promise<number> {
    this.running ??= this.sendDueReminders()
      .catch((err: unknown) => {
        this.deps.logger.error({ err }, 'booking reminders failed');
        return 0;
      })
      .finally(() => { this.running = null; });
    return this.running;
  }

  /**
   * Queue the confirmation of a booking just made or moved, inside the transaction that wrote it. One per version
   * of the booking: a move confirms the new time. Call `queued()` after the commit.
   */
  async confirm(trx: CentralTrx, b: CentralBookingsTable): Promise<void> {
    const now = this.deps.clock.now();
    const recipients: Recipient[] = [];
    for (const r of bookingRecipients(b)) {
      // A few confirmations an hour per recipient: each costs money, and could be used to flood someone's phone.
      if (!this.deps.limits || await this.deps.limits.confirmationAllowed(trx, r.channel, r.address, now)) recipients.push(r);
      else this.deps.logger.warn({ bookingId: b.id, channel: r.channel }, 'booking confirmation not sent: too many to this recipient in the last hour');
    }
    if (!recipients.length) return;
    const t = trx.withTables<CentralAppointmentTables>();
    await this.deps.notifier.notify(notificationDb(trx), {
      eventKey: `booking_confirmation:${b.id}:v${b.version}`,
      params: { kind: 'booking_confirmation', ...(await this.details(t, b)) },
      recipients,
      // Pointless once the appointment has started.
      expiresAt: b.starts_at,
      ref: { type: 'booking', id: b.id },
      branchId: b.branch_id,
    }, this.deps.clock.now().toISOString());
  }

  /** Wake the delivery worker (after the booking's transaction committed). */
  queued(): void {
    this.deps.notifier.queued();
  }

  /**
   * Hand every due reminder to the delivery log: booked, due, not sent yet. Each booking is claimed by setting
   * `reminder_sent_at` where it is still null, in the transaction that queues its messages, so two instances never
   * both queue it. Returns the number of bookings reminded.
   */
  async sendDueReminders(): Promise<number> {
    const { cdb, clock, notifier, logger } = this.deps;
    let reminded = 0;
    for (;;) {
      const now = clock.now().toISOString();
      const due = await cdb.db.withTables<CentralAppointmentTables>().selectFrom('bookings').selectAll()
        .where('status', '=', 'booked').where('reminder_due_at', '<=', now).where('reminder_sent_at', 'is', null)
        .orderBy('reminder_due_at').limit(REMINDER_BATCH).execute();
      if (!due.length) break;
      for (const b of due) {
        const claimed = await cdb.db.transaction().execute(async (trx) => {
          const t = trx.withTables<CentralAppointmentTables>();
          const r = await t.updateTable('bookings').set({ reminder_sent_at: now })
            .where('id', '=', b.id).where('status', '=', 'booked').where('reminder_sent_at', 'is', null)
            .where('reminder_due_at', '=', b.reminder_due_at).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) return false;
          // Already started (the server was down at the due time): no reminder, only the mark.
          if (Date.parse(b.starts_at) <= Date.parse(now)) return true;
          await notifier.notify(notificationDb(trx), {
            eventKey: `booking_reminder:${b.id}:${b.starts_at}`,
            params: { kind: 'booking_reminder', ...(await this.details(t, b)) },
            recipients: bookingRecipients(b),
            expiresAt: b.starts_at,
            ref: { type: 'booking', id: b.id },
            branchId: b.branch_id,
          }, now);
          return true;
        });
        if (claimed) reminded++;
      }
      if (due.length < REMINDER_BATCH) break;
    }
    if (reminded) {
      notifier.queued();
      logger.info({ reminded }, 'booking reminders queued');
    }
    return reminded;
  }

  private async details(t: Query, b: CentralBookingsTable): Promise<{ serviceName: LocalizedText | string; branchName: string; startsAt: string; timeZone: string; bookingCode: string; url: null }> {
    const branch = await t.selectFrom('branches as br').leftJoin('appointment_branches as ab', 'ab.branch_id', 'br.id')
      .select(['br.name', 'br.time_zone', 'ab.time_zone as appointment_zone']).where('br.id', '=', b.branch_id).executeTakeFirst();
    const service = await t.selectFrom('appointment_services').select(['name_fr', 'name_wo', 'name_en'])
      .where('branch_id', '=', b.branch_id).where('service_id', '=', b.service_id).executeTakeFirst();
    return {
      serviceName: service ? { fr: service.name_fr, wo: service.name_wo, en: service.name_en } : b.service_id,
      branchName: branch?.name ?? '',
      startsAt: b.starts_at,
      timeZone: branch?.appointment_zone ?? branch?.time_zone ?? 'Africa/Dakar',
      bookingCode: formatBookingCode(b.code),
      url: null,
    };
  }
}
