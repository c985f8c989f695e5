// The `booking` entity of central's change feed, applied at the branch by the sync worker (sync/feed-apply.ts),
// inside the transaction that also saves the pull cursor.
import { BookingFeedPayload } from '../../shared/contracts/appointments.js';
import type { FeedChange } from '../../shared/contracts/sync.js';
import type { Tx } from '../db/unit-of-work.js';
import { appointmentDb, clearCentralBookings, forgetCentralBooking, upsertBookingFromCentral } from './appointment.repository.js';

export { BOOKING_ENTITY } from '../../shared/contracts/appointments.js';

export function bookingFeedHandler(): { apply(store: Tx, change: FeedChange): (() => void) | null; clear(store: Tx): void } {
  return {
    apply(store, change) {
      const db = appointmentDb(store);
      if (change.op === 'delete') {
        forgetCentralBooking(store, db, change.entityId);
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
