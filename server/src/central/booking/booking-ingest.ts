// Central's side of the branch's appointment facts, applied by the push ingest (central/ingest.ts) in the same
// transaction that records the records and advances last_seq, so each fact takes effect exactly once.
//   appointments.configured → the branch's bookable services, their settings and its closures (a newer seq wins)
//   booking.checked_in / booking.no_show → the booking's status at central (what happened at the branch stands)
// A record it cannot read stays parked (kept as received), like any record central does not understand yet.
import { APPOINTMENTS_CONFIGURED, AppointmentsConfiguredV1, BOOKING_CHECKED_IN, BOOKING_NO_SHOW, BookingFactV1 } from '../../shared/contracts/appointments.js';
import type { CentralTrx } from '../db/database.js';
import type { SyncEventsTable } from '../db/schema.js';
import type { CentralAppointmentTables } from './booking.migration.js';

export const APPOINTMENT_FACT_TYPES: readonly string[] = [APPOINTMENTS_CONFIGURED, BOOKING_CHECKED_IN, BOOKING_NO_SHOW];

/** Apply the appointment facts among a push's accepted records; marks the ones applied. Returns how many. */
export async function applyAppointmentFacts(trx: CentralTrx, branchId: string, records: readonly SyncEventsTable[], now: string): Promise<number> {
  const t = trx.withTables<CentralAppointmentTables>();
  const applied: string[] = [];
  for (const r of records) {
    if (r.status !== 'parked' || r.event_version !== 1 || !APPOINTMENT_FACT_TYPES.includes(r.event_type)) continue;
    const payload = JSON.parse(r.payload) as unknown;
    if (r.event_type === APPOINTMENTS_CONFIGURED) {
      const config = AppointmentsConfiguredV1.safeParse(payload);
      if (!config.success || r.aggregate_id !== branchId) continue;
      const held = await t.selectFrom('appointment_branches').select('config_seq').where('branch_id', '=', branchId).executeTakeFirst();
      if (held && held.config_seq >= r.seq) { applied.push(r.event_id); continue; }
      const c = config.data;
      await t.deleteFrom('appointment_branches').where('branch_id', '=', branchId).execute();
      await t.insertInto('appointment_branches').values({ branch_id: branchId, time_zone: c.timeZone, overrides: JSON.stringify(c.overrides), config_seq: r.seq, updated_at: now }).execute();
      // Services missing from the list no longer take bookings; their existing bookings stand.
      await t.updateTable('appointment_services').set({ enabled: 0, updated_at: now }).where('branch_id', '=', branchId).execute();
      for (const s of c.services) {
        const row = {
          prefix: s.prefix, name_fr: s.name.fr, name_wo: s.name.wo, name_en: s.name.en, status: s.status, sort_order: s.sortOrder,
          enabled: s.enabled ? 1 : 0, slot_minutes: s.slotMinutes, capacity: s.capacity, horizon_working_days: s.horizonWorkingDays,
          min_lead_minutes: s.minLeadMinutes, early_minutes: s.earlyMinutes, late_minutes: s.lateMinutes,
          opening_hours: s.openingHours ? JSON.stringify(s.openingHours) : null, fee_xof: s.feeXof ?? null, updated_at: now,
        };
        await t.insertInto('appointment_services').values({ branch_id: branchId, service_id: s.serviceId, ...row })
          .onConflict((oc) => oc.columns(['branch_id', 'service_id']).doUpdateSet(row)).execute();
      }
      applied.push(r.event_id);
      continue;
    }
    const fact = BookingFactV1.safeParse(payload);
    if (!fact.success) continue;
    const f = fact.data;
    const booking = await t.selectFrom('bookings').select(['id', 'branch_id', 'status']).where('id', '=', f.bookingId).executeTakeFirst();
    if (!booking || booking.branch_id !== branchId) continue;
    const at = new Date(f.at).toISOString();
    if (f.status === 'checked_in') {
      // The visitor was there: that stands even over a cancellation that crossed it on the way.
      await t.updateTable('bookings').set({ status: 'checked_in', ticket_id: f.ticketId, checked_in_at: at, updated_at: now }).where('id', '=', f.bookingId).execute();
    } else if (booking.status === 'booked') {
      await t.updateTable('bookings').set({ status: 'no_show', no_show_at: at, updated_at: now }).where('id', '=', f.bookingId).execute();
    }
    applied.push(r.event_id);
  }
  if (applied.length) await trx.updateTable('sync_events').set({ status: 'applied' }).where('branch_id', '=', branchId).where('event_id', 'in', applied).execute();
  return applied.length;
}
