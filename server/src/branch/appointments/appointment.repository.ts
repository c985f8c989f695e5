// Plain synchronous functions over the appointment tables of the branch database (migration 0003_appointments).
// The tables are declared here and added to the store's Kysely with withTables, as the sync module does.
import type { Kysely, Selectable } from 'kysely';
import { DateTime } from 'luxon';
import type { AppointmentSettings, BookingFeedPayload, BookingStatus, BookingView, HolidayOverrideView } from '../../shared/contracts/appointments.js';
import type { Language, LocalizedText, OpeningHours } from '../../shared/contracts/domain.js';
import type { BranchDatabase } from '../db/schema.js';
import type { BranchStore } from '../db/store.js';
import { preparedQuery } from '../../shared/db/prepared.js';
import { formatBookingCode } from '../../shared/domain/booking-code.js';
import { localized, type HolidayOverride, type MovableHolidayKey } from '../../shared/domain/holidays.js';
import { checkInWindow } from '../../shared/domain/slots.js';

// Type aliases, not interfaces: Kysely's withTables wants types with an implicit index signature.
export type AppointmentSettingsTable = {
  service_id: string; enabled: number; slot_minutes: number; capacity: number; horizon_working_days: number;
  min_lead_minutes: number; early_minutes: number; late_minutes: number; opening_hours: string | null; updated_at: string;
};
export type HolidayOverridesTable = { id: string; kind: string; date: string; holiday_key: string | null; label: string | null; created_at: string };
export type BookingsTable = {
  id: string; code: string; service_id: string; starts_at: string; ends_at: string; name: string; phone: string | null;
  email: string | null; language: string; status: string; ticket_id: string | null; reminder_due_at: string | null;
  version: number; created_at: string; updated_at: string; checked_in_at: string | null; no_show_at: string | null;
};
export type AppointmentTables = {
  appointment_settings: AppointmentSettingsTable;
  holiday_overrides: HolidayOverridesTable;
  bookings: BookingsTable;
};
export type AppointmentDb = Kysely<BranchDatabase & AppointmentTables>;
export type BookingRow = Selectable<BookingsTable>;
export type SettingsRow = Selectable<AppointmentSettingsTable>;

// One per store: withTables makes a new Kysely each time, and prepared queries are kept per Kysely.
const appointmentDbs = new WeakMap<BranchStore['db'], AppointmentDb>();

export function appointmentDb(store: BranchStore): AppointmentDb {
  let db = appointmentDbs.get(store.db);
  if (!db) {
    db = store.db.withTables<AppointmentTables>();
    appointmentDbs.set(store.db, db);
  }
  return db;
}

/** What a service gets before an admin sets anything: no appointments, the defaults otherwise. */
export const DEFAULT_APPOINTMENT_SETTINGS: AppointmentSettings = {
  enabled: false, slotMinutes: 15, capacity: 1, horizonWorkingDays: 15, minLeadMinutes: 60, earlyMinutes: 30, lateMinutes: 15, openingHours: null,
};

export function toSettings(row: SettingsRow | undefined): AppointmentSettings {
  if (!row) return DEFAULT_APPOINTMENT_SETTINGS;
  return {
    enabled: row.enabled === 1, slotMinutes: row.slot_minutes, capacity: row.capacity, horizonWorkingDays: row.horizon_working_days,
    minLeadMinutes: row.min_lead_minutes, earlyMinutes: row.early_minutes, lateMinutes: row.late_minutes,
    openingHours: row.opening_hours ? (JSON.parse(row.opening_hours) as OpeningHours) : null,
  };
}

export function findSettings(store: BranchStore, db: AppointmentDb, serviceId: string): SettingsRow | undefined {
  return store.first(db.selectFrom('appointment_settings').selectAll().where('service_id', '=', serviceId));
}

export function allSettings(store: BranchStore, db: AppointmentDb): Map<string, SettingsRow> {
  return new Map(store.all(db.selectFrom('appointment_settings').selectAll()).map((r) => [r.service_id, r]));
}

export function saveSettings(store: BranchStore, db: AppointmentDb, serviceId: string, s: AppointmentSettings, at: string): void {
  const row: AppointmentSettingsTable = {
    service_id: serviceId, enabled: s.enabled ? 1 : 0, slot_minutes: s.slotMinutes, capacity: s.capacity, horizon_working_days: s.horizonWorkingDays,
    min_lead_minutes: s.minLeadMinutes, early_minutes: s.earlyMinutes, late_minutes: s.lateMinutes,
    opening_hours: s.openingHours ? JSON.stringify(s.openingHours) : null, updated_at: at,
  };
  const { service_id: _id, ...rest } = row;
  store.run(db.insertInto('appointment_settings').values(row).onConflict((oc) => oc.column('service_id').doUpdateSet(rest)));
}

// ---------- holiday overrides ----------

export function listOverrideRows(store: BranchStore, db: AppointmentDb): Selectable<HolidayOverridesTable>[] {
  return store.all(db.selectFrom('holiday_overrides').selectAll().orderBy('date').orderBy('id'));
}

export function toOverride(row: Selectable<HolidayOverridesTable>): HolidayOverride {
  if (row.kind === 'closure') return { kind: 'closure', date: row.date, label: row.label ? (JSON.parse(row.label) as LocalizedText) : 'Fermeture' };
  return { kind: 'move', key: row.holiday_key as MovableHolidayKey, date: row.date };
}

export function toOverrideView(row: Selectable<HolidayOverridesTable>): HolidayOverrideView {
  return {
    id: row.id, kind: row.kind === 'closure' ? 'closure' : 'move', date: row.date, key: row.holiday_key,
    label: row.label ? (JSON.parse(row.label) as LocalizedText) : null, createdAt: row.created_at,
  };
}

// Every ticket issued asks whether today is closed: built once.
const closureByDate = preparedQuery((db: AppointmentDb, p: { date: string }) => db.selectFrom('holiday_overrides').selectAll()
  .where('kind', '=', 'closure').where('date', '=', p.date).orderBy('created_at'));

/** The closure an admin set on a local date (YYYY-MM-DD), with its reason; null on a day the branch is not closed. */
export function closureOn(store: BranchStore, db: AppointmentDb, date: string): LocalizedText | null {
  const row = store.first(closureByDate(db, { date }));
  if (!row) return null;
  const label = toOverride(row);
  return label.kind === 'closure' ? localized(label.label) : null;
}

// ---------- bookings ----------

export function findBookingByCode(store: BranchStore, db: AppointmentDb, code: string): BookingRow | undefined {
  return store.first(db.selectFrom('bookings').selectAll().where('code', '=', code));
}

export function findBooking(store: BranchStore, db: AppointmentDb, id: string): BookingRow | undefined {
  return store.first(db.selectFrom('bookings').selectAll().where('id', '=', id));
}

export function bookingsBetween(store: BranchStore, db: AppointmentDb, from: string, to: string): BookingRow[] {
  return store.all(db.selectFrom('bookings').selectAll().where('starts_at', '>=', from).where('starts_at', '<', to).orderBy('starts_at').orderBy('code'));
}

/** Bookings still waiting for their visitor whose slot has started: candidates for the no-show sweeper. */
export function openBookingsStartedBy(store: BranchStore, db: AppointmentDb, at: string): BookingRow[] {
  return store.all(db.selectFrom('bookings').selectAll().where('status', '=', 'booked').where('starts_at', '<=', at).orderBy('starts_at'));
}

export function updateBooking(store: BranchStore, db: AppointmentDb, id: string, patch: Partial<BookingsTable>): void {
  store.run(db.updateTable('bookings').set(patch).where('id', '=', id));
}

/**
 * Apply central's state of a booking (from the feed or a lookup), when it is newer than the one held. Central's
 * word on the slot, contact and cancellation stands while the booking is still open here; once the branch has
 * recorded a fact (checked_in, no_show) the status stays, only the version moves on. Returns whether it changed.
 */
export function upsertBookingFromCentral(store: BranchStore, db: AppointmentDb, p: BookingFeedPayload): boolean {
  const held = findBooking(store, db, p.id);
  if (held && held.version >= p.version) return false;
  const central = {
    code: p.code, service_id: p.serviceId, starts_at: utc(p.startsAt), ends_at: utc(p.endsAt), name: p.name, phone: p.phone, email: p.email,
    language: p.language, reminder_due_at: p.reminderDueAt ? utc(p.reminderDueAt) : null, version: p.version, updated_at: utc(p.updatedAt),
  };
  if (!held) {
    store.run(db.insertInto('bookings').values({
      id: p.id, ...central, status: p.status, ticket_id: null, created_at: utc(p.createdAt), checked_in_at: null, no_show_at: null,
    }));
    return true;
  }
  const localFact = held.status === 'checked_in' || held.status === 'no_show';
  if (localFact) {
    updateBooking(store, db, p.id, { version: p.version });
    return false;
  }
  updateBooking(store, db, p.id, { ...central, status: p.status });
  return true;
}

/** Forget what central owns (before a snapshot is applied): bookings on which the branch recorded nothing. */
export function clearCentralBookings(store: BranchStore, db: AppointmentDb): void {
  store.run(db.deleteFrom('bookings').where('status', 'in', ['booked', 'cancelled']));
}

function utc(iso: string): string {
  return new Date(iso).toISOString();
}

export function toBookingView(row: BookingRow, settings: AppointmentSettings, timeZone: string): BookingView {
  const local = DateTime.fromISO(row.starts_at, { zone: timeZone });
  const window = checkInWindow(row.starts_at, { earlyMinutes: settings.earlyMinutes, lateMinutes: settings.lateMinutes });
  return {
    id: row.id,
    code: row.code,
    displayCode: formatBookingCode(row.code),
    serviceId: row.service_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    localDate: local.toISODate() ?? row.starts_at.slice(0, 10),
    localTime: local.toFormat('HH:mm'),
    name: row.name,
    phone: row.phone,
    email: row.email,
    language: row.language as Language,
    status: row.status as BookingStatus,
    ticketId: row.ticket_id,
    checkInOpensAt: window.opensAt.toISOString(),
    checkInClosesAt: window.closesAt.toISOString(),
    reminderDueAt: row.reminder_due_at,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export function findOverride(store: BranchStore, db: AppointmentDb, id: string): Selectable<HolidayOverridesTable> | undefined {
  return store.first(db.selectFrom('holiday_overrides').selectAll().where('id', '=', id));
}

export function insertOverride(store: BranchStore, db: AppointmentDb, row: Selectable<HolidayOverridesTable>): void {
  store.run(db.insertInto('holiday_overrides').values(row));
}

/** Returns how many rows went (0: no such override). */
export function deleteOverride(store: BranchStore, db: AppointmentDb, id: string): number {
  return store.run(db.deleteFrom('holiday_overrides').where('id', '=', id));
}

/** Central forgets old bookings; the branch keeps those it recorded a fact about (checked in, no-show). */
export function forgetCentralBooking(store: BranchStore, db: AppointmentDb, id: string): void {
  store.run(db.deleteFrom('bookings').where('id', '=', id).where('status', 'in', ['booked', 'cancelled']));
}
