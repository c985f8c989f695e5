// The branch's side of contact retention (shared/privacy.ts): once a ticket is finished, a booking is over or
// cancelled, or a phone payment is settled, and the retention period has passed, the phone number and e-mail address
// are erased from the ticket, the booking, the payment and the outbox copies. Nothing is counted differently: the
// ticket and its figures stay. Runs from the sweeper, at most once an hour.
import { CONTACT_LIKE_PATTERNS, retentionCutoff, scrubJsonText } from '../../shared/privacy.js';
import type { BranchContext } from '../core/context.js';

const EVERY_MS = 3_600_000;
const BATCH = 500;

export interface ErasedContacts { tickets: number; bookings: number; payments: number; outbox: number }

export class ContactRetention {
  private lastRun = 0;

  constructor(private readonly ctx: Pick<BranchContext, 'store' | 'uow' | 'clock' | 'logger'>, readonly days: number) {}

  /** The sweeper's step: erase at most once an hour. */
  sweep(): void {
    const now = this.ctx.clock.now().getTime();
    if (now - this.lastRun < EVERY_MS) return;
    this.lastRun = now;
    this.eraseExpired();
  }

  eraseExpired(): ErasedContacts {
    const cutoff = retentionCutoff(this.ctx.clock.now(), this.days);
    const { store } = this.ctx;
    const db = store.db;
    const erased = this.ctx.uow.run(() => {
      const tickets = store.run(db.updateTable('tickets').set({ phone: null, email: null })
        .where('finished_at', '<', cutoff).where((eb) => eb.or([eb('phone', 'is not', null), eb('email', 'is not', null)])));
      // Bookings and payments are typed by their own parts (appointments, payments): plain statements here.
      const bookings = store.sqlite.prepare(`UPDATE bookings SET phone = NULL, email = NULL
        WHERE (ends_at < ? OR (status = 'cancelled' AND updated_at < ?)) AND (phone IS NOT NULL OR email IS NOT NULL)`).run(cutoff, cutoff).changes;
      const payments = store.sqlite.prepare(`UPDATE payments SET payer_phone = NULL
        WHERE status <> 'pending' AND updated_at < ? AND payer_phone IS NOT NULL`).run(cutoff).changes;
      let outbox = 0;
      for (;;) {
        const rows = store.all(db.selectFrom('outbox').select(['seq', 'payload']).where('occurred_at', '<', cutoff)
          .where((eb) => eb.or(CONTACT_LIKE_PATTERNS.map((p) => eb('payload', 'like', p)))).orderBy('seq').limit(BATCH));
        let changedHere = 0;
        for (const r of rows) {
          const scrubbed = scrubJsonText(r.payload);
          if (scrubbed === r.payload) continue;
          store.run(db.updateTable('outbox').set({ payload: scrubbed }).where('seq', '=', r.seq));
          changedHere += 1;
        }
        outbox += changedHere;
        if (rows.length < BATCH || changedHere === 0) break;
      }
      return { tickets, bookings, payments, outbox };
    });
    if (erased.tickets + erased.bookings + erased.payments + erased.outbox > 0) this.ctx.logger.info({ ...erased, cutoff }, 'visitors\' contact data erased after the retention period');
    return erased;
  }
}
