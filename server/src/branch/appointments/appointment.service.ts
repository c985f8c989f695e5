// Appointments at the branch: the admin's settings per service and the branch's closures (pushed to central, which
// owns the slots and their capacity), the bookings central sends down the feed, check-in at the kiosk, and the
// sweeper that turns bookings nobody checked in into no-shows.
//
// Check-in is one SQLite transaction: the booking becomes an appointment-class ticket (queueType 'appointment',
// dueAt = the booked time, bookingId), the booking is marked checked_in, and the `booking.checked_in` fact goes into
// the outbox. It needs nothing from central: a branch offline checks in the bookings it already pulled.
import { DateTime } from 'luxon';
import type { z } from 'zod';
import {
  APPOINTMENTS_CONFIGURED, BOOKING_CHECKED_IN, BOOKING_NO_SHOW, BranchBookingLookup, type AppointmentSettings,
  type AppointmentSettingsBody, type AppointmentsConfiguredV1, type BookingFactV1, type BookingView, type CheckInResult,
  type HolidayOverrideBody, type HolidayOverrideView, type HolidayView, type ServiceAppointmentsView, type TooEarlyDetails,
} from '../../shared/contracts/appointments.js';
import type { OpeningHours } from '../../shared/contracts/domain.js';
import type { Actor } from '../core/actor.js';
import type { BranchContext } from '../core/context.js';
import { getSetting, setSetting } from '../settings/branch.repository.js';
import type { BranchInfo } from '../settings/branch-info.js';
import type { BranchStore } from '../db/store.js';
import { newId } from '../../shared/ids.js';
import { formatBookingCode, normalizeBookingCode } from '../../shared/domain/booking-code.js';
import { DomainError } from '../../shared/domain/errors.js';
import { senegalHolidaysBetween, type HolidayOverride } from '../../shared/domain/holidays.js';
import { classifyCheckIn, checkInWindow, generateSlots, DEFAULT_APPOINTMENT_HOURS } from '../../shared/domain/slots.js';
import { isFinal } from '../../shared/domain/ticket-state.js';
import type { TicketStatus } from '../../shared/contracts/domain.js';
import { findService, listServices, serviceHours } from '../services/service.repository.js';
import { assertLocalAppointmentChange, managedFields } from '../services/central-config.js';
import type { Tx } from '../db/unit-of-work.js';
import type { TicketCommands } from '../tickets/ticket.commands.js';
import type { TicketQueries } from '../tickets/ticket.queries.js';
import { findTicket } from '../tickets/ticket.repository.js';
import {
  allSettings, appointmentDb, bookingsBetween, deleteOverride, findBooking, findBookingByCode, findOverride, findSettings, insertOverride, listOverrideRows,
  openBookingsStartedBy, saveSettings, toBookingView, toOverride, toOverrideView, toSettings, updateBooking, upsertBookingFromCentral,
  type AppointmentDb, type BookingRow,
} from './appointment.repository.js';

/** Settings key of the last configuration pushed to central (its JSON): a change is pushed once. */
const PUBLISHED_KEY = 'appointments_config_published';

export interface AppointmentOptions {
  /** Central, asked about codes this branch does not hold (another branch's booking, one booked seconds ago). */
  central?: { url: string; credential: string } | null;
  /** Time limit of that question; the answer is "unknown code" when central does not answer in time. Default 3 s. */
  lookupTimeoutMs?: number;
}

export class AppointmentService {
  readonly db: AppointmentDb;

  constructor(
    private readonly ctx: BranchContext,
    private readonly branch: BranchInfo,
    private readonly tickets: { commands: TicketCommands; queries: TicketQueries },
    private readonly options: AppointmentOptions = {},
  ) {
    this.db = appointmentDb(ctx.store);
    // A renamed, closed or deleted service, or a new time zone, changes what central must offer.
    ctx.events.on('catalog.changed', () => {
      try {
        this.publishConfigIfChanged();
      } catch (err) {
        ctx.logger.error({ err }, 'could not queue the appointment settings for central');
      }
    });
  }

  private get store(): BranchStore {
    return this.ctx.store;
  }

  // ---------- settings ----------

  listServiceSettings(): ServiceAppointmentsView[] {
    const settings = allSettings(this.store, this.db);
    return listServices(this.store).map((s) => ({
      serviceId: s.id, prefix: s.prefix, name: { fr: s.name_fr, wo: s.name_wo, en: s.name_en },
      ...toSettings(settings.get(s.id)), updatedAt: settings.get(s.id)?.updated_at ?? null,
      managedBy: managedFields(s).includes('appointments') ? 'central' as const : null,
    }));
  }

  serviceSettings(serviceId: string): ServiceAppointmentsView {
    const view = this.listServiceSettings().find((s) => s.serviceId === serviceId);
    if (!view) throw new DomainError('NOT_FOUND', `service ${serviceId} does not exist`);
    return view;
  }

  setServiceSettings(serviceId: string, body: z.output<typeof AppointmentSettingsBody>): ServiceAppointmentsView {
    const service = findService(this.store, serviceId);
    if (!service) throw new DomainError('NOT_FOUND', `service ${serviceId} does not exist`);
    const settings: AppointmentSettings = { ...body };
    const hours = settings.openingHours ?? DEFAULT_APPOINTMENT_HOURS;
    // Overlapping or empty ranges throw the domain's VALIDATION_ERROR.
    generateSlots({ serviceId, timeZone: this.ctx.timeZone, openingHours: hours, slotMinutes: settings.slotMinutes, capacity: settings.capacity, horizonWorkingDays: 1, now: this.ctx.clock.now() });
    if (settings.enabled) assertWithin(hours, serviceHours(service, this.branch.openingHours()), service.prefix, settings.openingHours !== null);
    assertLocalAppointmentChange(service, this.settingsOf(serviceId), settings);
    this.ctx.uow.run((tx) => {
      saveSettings(tx, this.db, serviceId, settings, this.ctx.clock.now().toISOString());
      this.publishConfigIfChanged();
    });
    return this.serviceSettings(serviceId);
  }

  // ---------- holidays and closures ----------

  overrides(): HolidayOverride[] {
    return listOverrideRows(this.store, this.db).map(toOverride);
  }

  listOverrides(): HolidayOverrideView[] {
    return listOverrideRows(this.store, this.db).map(toOverrideView);
  }

  addOverride(body: HolidayOverrideBody): HolidayOverrideView {
    const override: HolidayOverride = body.kind === 'closure' ? { kind: 'closure', date: body.date, label: body.label } : { kind: 'move', key: body.key, date: body.date };
    // A move must correct a computed date nearby; the domain says so (VALIDATION_ERROR) before anything is saved.
    senegalHolidaysBetween(body.date, body.date, [...this.overrides(), override]);
    const id = newId();
    const at = this.ctx.clock.now().toISOString();
    this.ctx.uow.run((tx) => {
      if (body.kind === 'move') {
        // One official date per holiday occurrence: a new move of the same holiday nearby replaces the old one.
        const near = listOverrideRows(tx, this.db).filter((r) => r.kind === 'move' && r.holiday_key === body.key
          && Math.abs(Date.parse(r.date) - Date.parse(body.date)) <= 7 * 86_400_000);
        for (const r of near) deleteOverride(tx, this.db, r.id);
      }
      insertOverride(tx, this.db, {
        id, kind: body.kind, date: body.date, holiday_key: body.kind === 'move' ? body.key : null,
        label: body.kind === 'closure' ? JSON.stringify(typeof body.label === 'string' ? { fr: body.label, wo: body.label, en: body.label } : body.label) : null,
        created_at: at,
      });
      this.publishConfigIfChanged();
      // A closure of today closes every line at once: the kiosks and call boards get the services and its reason.
      if (body.kind === 'closure') tx.afterCommit(() => this.ctx.events.emit('catalog.changed'));
    });
    return toOverrideView(findOverride(this.store, this.db, id) as NonNullable<ReturnType<typeof findOverride>>);
  }

  removeOverride(id: string): void {
    this.ctx.uow.run((tx) => {
      const removed = deleteOverride(tx, this.db, id);
      if (removed === 0) throw new DomainError('NOT_FOUND', `holiday override ${id} does not exist`);
      this.publishConfigIfChanged();
      tx.afterCommit(() => this.ctx.events.emit('catalog.changed'));
    });
  }

  /** Public holidays and closures between two local dates (inclusive), as slots see them. */
  holidays(from: string, to: string): HolidayView[] {
    if (Date.parse(to) - Date.parse(from) > 2 * 366 * 86_400_000) throw new DomainError('VALIDATION_ERROR', 'ask for at most two years of holidays');
    return senegalHolidaysBetween(from, to, this.overrides());
  }

  // ---------- configuration pushed to central ----------

  configuration(): AppointmentsConfiguredV1 {
    const settings = allSettings(this.store, this.db);
    const services = listServices(this.store).flatMap((s) => {
      const row = settings.get(s.id);
      if (!row || row.enabled !== 1) return [];
      return [{
        serviceId: s.id, prefix: s.prefix, name: { fr: s.name_fr, wo: s.name_wo, en: s.name_en }, status: s.status, sortOrder: s.sort_order,
        feeXof: s.fee_xof, ...toSettings(row),
      }];
    });
    return { timeZone: this.ctx.timeZone, services, overrides: this.overrides() };
  }

  /**
   * Put the configuration into the outbox when it differs from the last one pushed. Runs inside the caller's
   * unit of work when there is one (settings, closures), else in its own (a service or the branch changed).
   */
  publishConfigIfChanged(): boolean {
    return this.ctx.uow.run((tx) => {
      const config = this.configuration();
      const text = JSON.stringify(config);
      const last = getSetting(tx, PUBLISHED_KEY);
      if (last === text) return false;
      // A branch that never offered appointments has nothing to tell central.
      if (last === undefined && config.services.length === 0 && config.overrides.length === 0) return false;
      const at = this.ctx.clock.now().toISOString();
      tx.record(null, {
        eventId: newId(), aggregateType: 'appointments', aggregateId: this.ctx.branchId, eventType: APPOINTMENTS_CONFIGURED,
        occurredAt: at, payload: config,
      });
      setSetting(tx, PUBLISHED_KEY, text);
      return true;
    });
  }

  // ---------- bookings ----------

  private settingsOf(serviceId: string): AppointmentSettings {
    return toSettings(findSettings(this.store, this.db, serviceId));
  }

  view(row: BookingRow): BookingView {
    return toBookingView(row, this.settingsOf(row.service_id), this.ctx.timeZone);
  }

  /** Bookings of a local day of the branch ('YYYY-MM-DD'), by start time. */
  listBookings(day: string): BookingView[] {
    const start = DateTime.fromISO(day, { zone: this.ctx.timeZone });
    if (!start.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new DomainError('VALIDATION_ERROR', `expected a day as YYYY-MM-DD, got ${JSON.stringify(day)}`);
    const from = start.startOf('day').toUTC().toISO() as string;
    const to = start.plus({ days: 1 }).startOf('day').toUTC().toISO() as string;
    return bookingsBetween(this.store, this.db, from, to).map((r) => this.view(r));
  }

  bookingByCode(raw: string): BookingView {
    const code = this.parseCode(raw);
    const row = findBookingByCode(this.store, this.db, code);
    if (!row) throw new DomainError('BOOKING_NOT_FOUND', `no booking ${formatBookingCode(code)} at this branch`);
    return this.view(row);
  }

  private parseCode(raw: string): string {
    const code = normalizeBookingCode(raw);
    if (!code) throw new DomainError('VALIDATION_ERROR', 'this is not a booking code: it has 8 letters and digits, like K7M4-4QX2. Check for a typing mistake.');
    return code;
  }

  /**
   * Check a visitor in by the code of their booking (typed, or scanned from its QR code). Answers the
   * appointment ticket; a booking checked in before answers its ticket again while it is still in the queue.
   */
  async checkIn(raw: string, actor: Actor): Promise<{ result: CheckInResult; created: boolean }> {
    const code = this.parseCode(raw);
    if (!findBookingByCode(this.store, this.db, code)) await this.lookUpAtCentral(code);
    return this.checkInHeld(code, actor);
  }

  private checkInHeld(code: string, actor: Actor): { result: CheckInResult; created: boolean } {
    const store = this.store;
    const now = this.ctx.clock.now();
    const at = now.toISOString();
    // The ticket is issued inside this unit of work: it is announced only once the check-in has committed.
    return this.ctx.uow.run((tx) => {
      const booking = findBookingByCode(store, this.db, code);
      if (!booking) throw new DomainError('BOOKING_NOT_FOUND', `no booking ${formatBookingCode(code)} at this branch: check the code, or ask at the reception`);
      const shown = formatBookingCode(code);
      if (booking.status === 'cancelled') throw new DomainError('BOOKING_CANCELLED', `booking ${shown} was cancelled`);
      if (booking.status === 'no_show') throw new DomainError('CHECK_IN_MISSED', `booking ${shown} was for ${this.localTime(booking.starts_at)} on ${this.localDate(booking.starts_at)}: its check-in time is over. Please take a ticket.`, { closedAt: null });
      if (booking.status === 'checked_in') {
        const ticket = booking.ticket_id ? findTicket(store, booking.ticket_id) : undefined;
        if (ticket && !isFinal(ticket.status as TicketStatus)) {
          return { result: { booking: this.view(booking), ticket: this.tickets.queries.view(ticket), alreadyCheckedIn: true }, created: false };
        }
        throw new DomainError('ALREADY_CHECKED_IN', `booking ${shown} was already checked in${ticket ? ` (ticket ${ticket.number})` : ''}`);
      }
      const service = findService(store, booking.service_id);
      if (!service) throw new DomainError('SERVICE_CLOSED', `the service of booking ${shown} is no longer offered at this branch: please ask at the reception`);
      const settings = this.settingsOf(booking.service_id);
      const windowOptions = { earlyMinutes: settings.earlyMinutes, lateMinutes: settings.lateMinutes };
      const status = classifyCheckIn(now, booking.starts_at, windowOptions);
      const window = checkInWindow(booking.starts_at, windowOptions);
      if (status === 'too_early') {
        const details: TooEarlyDetails = {
          startsAt: booking.starts_at, localDate: this.localDate(booking.starts_at), localTime: this.localTime(booking.starts_at),
          opensAt: window.opensAt.toISOString(), opensAtLocalTime: this.localTime(window.opensAt.toISOString()),
          sameDay: this.localDate(booking.starts_at) === this.localDate(at),
        };
        const when = details.sameDay ? `at ${details.opensAtLocalTime}` : `on ${details.localDate} from ${details.opensAtLocalTime}`;
        throw new DomainError('CHECK_IN_TOO_EARLY', `too early: your appointment is at ${details.localTime}${details.sameDay ? '' : ` on ${details.localDate}`}. Please come back ${when}.`, details);
      }
      if (status === 'missed') {
        throw new DomainError('CHECK_IN_MISSED', `booking ${shown} was for ${this.localTime(booking.starts_at)}: check-in closed at ${this.localTime(window.closesAt.toISOString())}. Please take a ticket.`, { closedAt: window.closesAt.toISOString() });
      }
      const ticket = this.tickets.commands.issue({
        serviceId: booking.service_id, language: booking.language as 'fr' | 'wo' | 'en', phone: booking.phone ?? undefined,
        email: booking.email ?? undefined, queueType: 'appointment', dueAt: booking.starts_at, bookingId: booking.id,
      }, actor);
      updateBooking(tx, this.db, booking.id, { status: 'checked_in', ticket_id: ticket.id, checked_in_at: at, updated_at: at });
      this.recordFact(tx, booking, 'checked_in', ticket.id, at);
      const updated = findBooking(store, this.db, booking.id) as BookingRow;
      return { result: { booking: this.view(updated), ticket, alreadyCheckedIn: false }, created: true };
    });
  }

  /** A code unknown here: ask central whose it is. Offline or slow, the answer is simply "unknown code". */
  private async lookUpAtCentral(code: string): Promise<void> {
    const central = this.options.central;
    if (!central) return;
    let answer: BranchBookingLookup;
    try {
      const res = await fetch(`${central.url.replace(/\/+$/, '')}/api/sync/bookings/${encodeURIComponent(code)}`, {
        headers: { authorization: `Bearer ${central.credential}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.lookupTimeoutMs ?? 3_000),
      });
      if (!res.ok) return;
      answer = BranchBookingLookup.parse(await res.json());
    } catch (err) {
      this.ctx.logger.info({ err: err instanceof Error ? err.message : String(err) }, 'booking lookup at central failed: answering from local bookings');
      return;
    }
    if (answer.kind === 'unknown') return;
    if (answer.kind === 'other_branch') {
      throw new DomainError('WRONG_BRANCH', `booking ${formatBookingCode(code)} is for ${answer.branch.name}, not for this branch`, { branchId: answer.branch.id, branchName: answer.branch.name });
    }
    // Booked moments ago: central's copy is authoritative; the feed will bring the same version again (a no-op).
    const booking = answer.booking;
    this.ctx.uow.run((tx) => { upsertBookingFromCentral(tx, this.db, booking); });
  }

  private recordFact(tx: Tx, booking: BookingRow, status: 'checked_in' | 'no_show', ticketId: string | null, at: string): void {
    const fact: BookingFactV1 = { bookingId: booking.id, code: booking.code, status, ticketId, at };
    tx.record(null, {
      eventId: newId(), aggregateType: 'booking', aggregateId: booking.id,
      eventType: status === 'checked_in' ? BOOKING_CHECKED_IN : BOOKING_NO_SHOW, occurredAt: at, payload: fact,
    });
  }

  /** Bookings whose check-in window closed without the visitor become no-shows (and say so to central). */
  sweepNoShows(): number {
    const now = this.ctx.clock.now();
    const at = now.toISOString();
    const candidates = openBookingsStartedBy(this.store, this.db, at);
    let count = 0;
    for (const b of candidates) {
      const settings = this.settingsOf(b.service_id);
      if (classifyCheckIn(now, b.starts_at, { earlyMinutes: settings.earlyMinutes, lateMinutes: settings.lateMinutes }) !== 'missed') continue;
      this.ctx.uow.run((tx) => {
        const fresh = findBooking(tx, this.db, b.id);
        if (fresh?.status !== 'booked') return;
        updateBooking(tx, this.db, b.id, { status: 'no_show', no_show_at: at, updated_at: at });
        this.recordFact(tx, fresh, 'no_show', null, at);
        count++;
      });
    }
    return count;
  }

  private localTime(iso: string): string {
    return DateTime.fromISO(iso, { zone: this.ctx.timeZone }).toFormat('HH:mm');
  }

  private localDate(iso: string): string {
    return DateTime.fromISO(iso, { zone: this.ctx.timeZone }).toISODate() ?? iso.slice(0, 10);
  }
}

/**
 * Slots must fall within the service's own hours, or the visitor would arrive at a closed line. The error names the
 * range at fault (`openingHours.<weekday>.<index>`), or `openingHours` itself when the hours are the default ones
 * (`own`: false), which the admin did not type.
 */
export function assertWithin(appointmentHours: OpeningHours, service: OpeningHours, prefix: string, own = true): void {
  for (const day of [1, 2, 3, 4, 5, 6, 7] as const) {
    appointmentHours[day].forEach((r, index) => {
      const inside = service[day].some((s) => s.open <= r.open && r.close <= s.close);
      if (inside) return;
      const message = `appointment hours ${r.open}–${r.close} on weekday ${day} are outside the opening hours of service ${prefix}: set openingHours within them`;
      throw new DomainError('VALIDATION_ERROR', message, [{
        path: own ? ['openingHours', day, index] : ['openingHours'], code: 'outside_service_hours', message,
        weekday: day, range: `${r.open}–${r.close}`, serviceHours: service[day].map((s) => `${s.open}–${s.close}`).join(', '),
      }]);
    });
  }
}
