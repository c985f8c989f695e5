// The `booking` entity of central's change feed, applied at the branch by the sync worker (sync/feed-apply.ts),
// inside the transaction that also saves the pull cursor.
import { BookingFeedPayload } from '../../shared/contracts/appointments.js';
import type { FeedChange } from '../../shared/contracts/sync.js';
import type { BranchStore } from '../db/store.js';
import { appointmentDb, clearCentralBookings, upsertBookingFromCentral } from './appointment.repository.js';

export { BOOKING_ENTITY } from '../../shared/contracts/appointments.js';

export function bookingFeedHandler(): { apply(store: BranchStore, change: FeedChange): (() => void) | null; clear(store: BranchStore): void } {
  return {
    apply(store, change) {
      const db = appointmentDb(store);
      if (change.op === 'delete') {
        // Central forgets old bookings; the branch keeps those it recorded a fact about (checked in, no-show).
        store.run(db.deleteFrom('bookings').where('id', '=', change.entityId).where('status', 'in', ['booked', 'cancelled']));
        return null;
      }
      upsertBookingFromCentral(store, db, BookingFeedPayload.parse(change.payload));
      return null;
    },
    clear(store) {
      clearCentralBookings(store, appointmentDb(store));
    },
  };
}
