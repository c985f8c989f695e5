import type { Router } from 'express';
import { z } from 'zod';
import {
  AppointmentSettingsBody, BookingView, CheckInBody, CheckInResult, HolidayOverrideBody, HolidayOverrideView, HolidayView,
  ServiceAppointmentsView,
} from '../../shared/contracts/appointments.js';
import type { Actor } from '../core/actor.js';
import type { BranchParts } from '../build.js';
import { LocalDate } from '../../shared/contracts/domain.js';
import { serviceDay } from '../../shared/domain/numbering.js';
import type { BranchApi } from '../http/access.js';

const HolidaysQuery = z.object({ from: LocalDate.optional().describe('First day, YYYY-MM-DD (default today)'), to: LocalDate.optional().describe('Last day (default: a year after from)') });
const DayQuery = z.object({ day: LocalDate.optional().describe('YYYY-MM-DD, in the branch\'s time zone (default today)') });

export function registerAppointmentRoutes(router: Router, api: BranchApi, s: Pick<BranchParts, 'ctx' | 'appointments' | 'devices' | 'audit'>): void {
  const appointments = s.appointments;
  const audit = s.audit;
  api.add(router, {
    method: 'post', path: '/api/appointments/check-in', tag: 'appointments', access: 'issuer', status: 201,
    summary: 'Check a visitor in by booking code: the booking becomes an appointment ticket', body: CheckInBody, response: CheckInResult,
    description: 'The code as typed or scanned from the booking\'s QR code. 201 with the new ticket; 200 with the same ticket when the booking '
      + 'was checked in before and is still in the queue. Errors: 400 VALIDATION_ERROR (not a code: mistyped), 422 BOOKING_NOT_FOUND, '
      + '422 WRONG_BRANCH (details.branchName), 409 BOOKING_CANCELLED, 409 CHECK_IN_TOO_EARLY (details: when to come back), '
      + '409 CHECK_IN_MISSED, 409 ALREADY_CHECKED_IN; 429 at a kiosk\'s rate limit.',
    errors: [422, 429],
    responses: [{ status: 200, description: 'Checked in before and still in the queue: the same ticket', schema: CheckInResult }],
  }, async ({ body, actor, res }) => {
    if (actor?.kind === 'device') s.devices.checkIssueRate(actor.deviceId);
    const { result, created } = await appointments.checkIn(body.code, actor as Actor);
    // A kiosk shows the ticket; the visitor's contact stays with staff.
    const visible = actor?.kind === 'staff' ? result : { ...result, booking: { ...result.booking, phone: null, email: null }, ticket: { ...result.ticket, phone: null } };
    res.status(created ? 201 : 200).json(visible);
  });

  api.add(router, { method: 'get', path: '/api/appointments/bookings', tag: 'appointments', access: 'staff', summary: 'Bookings of a day (default today, branch time zone)', response: BookingView.array(), query: DayQuery },
    ({ query: q }) => {
      return appointments.listBookings(q.day ?? serviceDay(s.ctx.clock.now(), s.ctx.timeZone));
    });
  api.add(router, { method: 'get', path: '/api/appointments/bookings/:code', tag: 'appointments', access: 'staff', summary: 'A booking by its code', response: BookingView,
    // 422 BOOKING_NOT_FOUND, as at check-in: a code that matches no booking is a mistyped code, not a missing route.
    errors: [422] },
    ({ params }) => appointments.bookingByCode(params.code as string));

  api.add(router, { method: 'get', path: '/api/appointments/holidays', tag: 'appointments', access: 'public', summary: 'Public holidays and branch closures (default: the next 12 months)', response: HolidayView.array(), query: HolidaysQuery },
    ({ query: q }) => {
      const today = serviceDay(s.ctx.clock.now(), s.ctx.timeZone);
      const from = q.from ?? today;
      const to = q.to ?? `${Number(from.slice(0, 4)) + 1}${from.slice(4)}`;
      return appointments.holidays(from, to);
    });

  // ---- admin ----
  api.add(router, { method: 'get', path: '/api/admin/appointments/services', tag: 'admin', access: 'admin', summary: 'Appointment settings of every service', response: ServiceAppointmentsView.array() },
    () => appointments.listServiceSettings());
  api.add(router, {
    method: 'put', path: '/api/admin/appointments/services/:id', tag: 'admin', access: 'admin', summary: 'Set the appointment settings of a service',
    body: AppointmentSettingsBody, response: ServiceAppointmentsView,
    description: 'Slot length, capacity per slot, horizon (working days), booking lead, check-in window (early/late) and the hours slots are laid out in (default Monday to Friday 09:00–17:00, within the service\'s own hours). Pushed to central, which offers the slots.',
  }, ({ params, body, actor }) => audit.change(actor, { kind: 'appointments', action: 'update', entityId: params.id as string }, {
    before: () => appointments.listServiceSettings().find((v) => v.serviceId === params.id) ?? null,
    apply: () => appointments.setServiceSettings(params.id as string, body),
  }));
  api.add(router, { method: 'get', path: '/api/admin/appointments/holiday-overrides', tag: 'admin', access: 'admin', summary: 'Branch closures and corrected holiday dates', response: HolidayOverrideView.array() },
    () => appointments.listOverrides());
  api.add(router, {
    method: 'post', path: '/api/admin/appointments/holiday-overrides', tag: 'admin', access: 'admin', status: 201,
    summary: 'Close the branch on a date, or set the official date of a movable holiday (Korité, Tabaski…)', body: HolidayOverrideBody, response: HolidayOverrideView,
  }, ({ body, actor }) => audit.change(actor, (v) => ({ kind: 'closure', action: 'create', entityId: v.id }), { apply: () => appointments.addOverride(body) }));
  api.add(router, { method: 'delete', path: '/api/admin/appointments/holiday-overrides/:id', tag: 'admin', access: 'admin', summary: 'Remove a closure or a holiday correction' },
    ({ params, actor }) => {
      audit.change(actor, { kind: 'closure', action: 'delete', entityId: params.id as string }, {
        before: () => appointments.listOverrides().find((o) => o.id === params.id) ?? null,
        apply: () => appointments.removeOverride(params.id as string), after: () => null,
      });
    });
}
