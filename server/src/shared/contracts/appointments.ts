// Appointments: the branch's admin settings and check-in, central's public booking API, and what travels between
// them (the `booking` entity of central's feed, the `appointments` and `booking` facts of the branch's outbox).
// See docs/appointments.md.
import { z } from 'zod';
import { Language, LocalDate, LocalizedText, OpeningHours, SenegalPhone } from './domain.js';
import { TicketView } from './api.js';

export const BOOKING_STATUSES = ['booked', 'cancelled', 'checked_in', 'no_show'] as const;
export const BookingStatus = z.enum(BOOKING_STATUSES);
export type BookingStatus = z.infer<typeof BookingStatus>;

const Iso = z.iso.datetime({ offset: true });
const Ref = z.string().min(1).max(64);

// ---------------------------------------------------------------------------------------------------------------
// Settings of a service (branch admin; pushed to central, which generates the slots from them)

export const AppointmentSettingsBody = z.strictObject({
  enabled: z.boolean(),
  /** Length of a slot, minutes. */
  slotMinutes: z.number().int().min(5).max(480).default(15),
  /** Appointments one slot can take. */
  capacity: z.number().int().min(1).max(100).default(1),
  /** Working days offered ahead. */
  horizonWorkingDays: z.number().int().min(1).max(120).default(15),
  /** A slot can be booked until this many minutes before it starts. */
  minLeadMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
  /** Check-in opens this many minutes before the slot… */
  earlyMinutes: z.number().int().min(0).max(240).default(30),
  /** …and closes this many minutes after its start; a booking not checked in by then is a no-show. */
  lateMinutes: z.number().int().min(0).max(240).default(15),
  /** Hours in which slots are laid out; null: Monday to Friday 09:00–17:00. */
  openingHours: OpeningHours.nullable().default(null),
});
export type AppointmentSettingsBody = z.input<typeof AppointmentSettingsBody>;

export const AppointmentSettings = z.object({
  enabled: z.boolean(),
  slotMinutes: z.number().int(),
  capacity: z.number().int(),
  horizonWorkingDays: z.number().int(),
  minLeadMinutes: z.number().int(),
  earlyMinutes: z.number().int(),
  lateMinutes: z.number().int(),
  openingHours: OpeningHours.nullable(),
});
export type AppointmentSettings = z.infer<typeof AppointmentSettings>;

export const ServiceAppointmentsView = AppointmentSettings.extend({
  serviceId: z.string(),
  prefix: z.string(),
  name: LocalizedText,
  updatedAt: z.string().nullable(),
  /** 'central': head office manages these settings (all but openingHours); the branch cannot change them. */
  managedBy: z.enum(['central']).nullable(),
});
export type ServiceAppointmentsView = z.infer<typeof ServiceAppointmentsView>;

// ---------------------------------------------------------------------------------------------------------------
// Public holidays and branch closures (see domain/holidays.ts)

export const MOVABLE_HOLIDAYS = ['easter_monday', 'ascension', 'whit_monday', 'korite', 'tabaski', 'tamkharit', 'maouloud', 'grand_magal'] as const;

export const HolidayOverrideBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('closure'), date: LocalDate, label: z.union([z.string().min(1).max(120), LocalizedText]) }),
  z.strictObject({ kind: z.literal('move'), key: z.enum(MOVABLE_HOLIDAYS), date: LocalDate }),
]);
export type HolidayOverrideBody = z.infer<typeof HolidayOverrideBody>;
export const HolidayOverrideView = z.object({
  id: z.string(),
  kind: z.enum(['closure', 'move']),
  date: z.string(),
  key: z.string().nullable(),
  label: LocalizedText.nullable(),
  createdAt: z.string(),
});
export type HolidayOverrideView = z.infer<typeof HolidayOverrideView>;
export const HolidayView = z.object({
  date: z.string(), key: z.string(), name: LocalizedText, movable: z.boolean(), estimated: z.boolean(),
});
export type HolidayView = z.infer<typeof HolidayView>;

// ---------------------------------------------------------------------------------------------------------------
// Bookings

export const BookingView = z.object({
  id: z.string(),
  /** Canonical code, 8 symbols; shown as XXXX-XXXX (`displayCode`). */
  code: z.string(),
  displayCode: z.string(),
  serviceId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** Local date and time of the start in the branch's time zone. */
  localDate: z.string(),
  localTime: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  language: Language,
  status: BookingStatus,
  ticketId: z.string().nullable(),
  checkInOpensAt: z.string(),
  checkInClosesAt: z.string(),
  reminderDueAt: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type BookingView = z.infer<typeof BookingView>;

export const CheckInBody = z.strictObject({
  /** The booking code as typed (K7M4-4QX2, k7m44qx2…) or the text of its QR code. */
  code: z.string().min(1).max(300),
});
export type CheckInBody = z.infer<typeof CheckInBody>;

export const CheckInResult = z.object({
  booking: BookingView,
  ticket: TicketView,
  /** The booking was checked in before: this is its ticket again (a repeated scan prints nothing new). */
  alreadyCheckedIn: z.boolean(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

/** `details` of a CHECK_IN_TOO_EARLY error: the kiosk says when to come back. */
export const TooEarlyDetails = z.object({
  startsAt: z.string(), localDate: z.string(), localTime: z.string(), opensAt: z.string(), opensAtLocalTime: z.string(), sameDay: z.boolean(),
});
export type TooEarlyDetails = z.infer<typeof TooEarlyDetails>;

// ---------------------------------------------------------------------------------------------------------------
// Central → branch: the `booking` entity of the feed (op upsert; a cancellation is an upsert with status cancelled)

export const BOOKING_ENTITY = 'booking';
export const BookingFeedPayload = z.object({
  id: Ref,
  code: z.string().min(8).max(8),
  serviceId: Ref,
  startsAt: Iso,
  endsAt: Iso,
  name: z.string().max(120),
  phone: z.string().max(32).nullable(),
  email: z.string().max(254).nullable(),
  language: Language,
  status: z.enum(['booked', 'cancelled']),
  reminderDueAt: Iso.nullable(),
  version: z.number().int().min(1),
  createdAt: Iso,
  updatedAt: Iso,
});
export type BookingFeedPayload = z.infer<typeof BookingFeedPayload>;

// ---------------------------------------------------------------------------------------------------------------
// Branch → central: outbox facts

/** aggregateType 'appointments', aggregateId the branch id: the whole appointment book's settings, each time they change. */
export const APPOINTMENTS_CONFIGURED = 'appointments.configured';
export const AppointmentServiceConfig = AppointmentSettings.extend({
  serviceId: Ref,
  prefix: z.string().max(4),
  name: LocalizedText,
  /** The service's line status at the branch: a closed service takes no bookings. */
  status: z.string().max(16),
  sortOrder: z.number().int(),
  /** The service's fee (whole francs CFA): a remote booking pays it as a deposit. Absent from older branches. */
  feeXof: z.number().int().positive().nullable().optional(),
});
export type AppointmentServiceConfig = z.infer<typeof AppointmentServiceConfig>;
export const AppointmentsConfiguredV1 = z.object({
  timeZone: z.string().min(1).max(64),
  services: z.array(AppointmentServiceConfig).max(200),
  overrides: z.array(z.union([
    z.object({ kind: z.literal('closure'), date: LocalDate, label: z.union([z.string(), LocalizedText]) }),
    z.object({ kind: z.literal('move'), key: z.enum(MOVABLE_HOLIDAYS), date: LocalDate }),
  ])).max(1000),
});
export type AppointmentsConfiguredV1 = z.infer<typeof AppointmentsConfiguredV1>;

/** aggregateType 'booking': `booking.checked_in` and `booking.no_show`. */
export const BOOKING_CHECKED_IN = 'booking.checked_in';
export const BOOKING_NO_SHOW = 'booking.no_show';
export const BookingFactV1 = z.object({
  bookingId: Ref,
  code: z.string().max(8),
  status: z.enum(['checked_in', 'no_show']),
  ticketId: Ref.nullable(),
  at: Iso,
});
export type BookingFactV1 = z.infer<typeof BookingFactV1>;

// ---------------------------------------------------------------------------------------------------------------
// Central's public booking API

export const PublicOrganizationView = z.object({ id: z.string(), name: z.string(), type: z.string(), branchCount: z.number().int() });
export type PublicOrganizationView = z.infer<typeof PublicOrganizationView>;
export const PublicBranchView = z.object({
  id: z.string(), name: z.string(), region: z.string(), timeZone: z.string(),
  organization: z.object({ id: z.string(), name: z.string(), type: z.string() }),
});
export type PublicBranchView = z.infer<typeof PublicBranchView>;
export const PublicServiceView = z.object({
  id: z.string(), prefix: z.string(), name: LocalizedText, slotMinutes: z.number().int(), earlyMinutes: z.number().int(), lateMinutes: z.number().int(),
  /** A deposit asked when booking (whole francs CFA), paid by Mobile Money: POST /api/public/bookings/:code/deposit/checkout. */
  feeXof: z.number().int().nullable(),
});
export type PublicServiceView = z.infer<typeof PublicServiceView>;
export const FreeSlot = z.object({
  id: z.string(), startsAt: z.string(), endsAt: z.string(), localDate: z.string(), localTime: z.string(), capacity: z.number().int(), free: z.number().int(),
});
export type FreeSlot = z.infer<typeof FreeSlot>;
export const SlotsResponse = z.object({ branchId: z.string(), serviceId: z.string(), timeZone: z.string(), slots: z.array(FreeSlot) });
export type SlotsResponse = z.infer<typeof SlotsResponse>;

/**
 * A visitor's token (a phone or an e-mail address confirmed by a one-time code). Optional in the schema only so that a
 * missing one is answered 401 VISITOR_UNVERIFIED (a request that is not authorized), not 400: every route requires it.
 */
const VisitorTokenField = z.string().min(16).max(200).optional()
  .describe('Required: the visitor token of the booking\'s phone or e-mail address (POST /api/public/visitor-codes, then verify). 401 without it.');

export const BookBody = z.strictObject({
  branchId: Ref,
  serviceId: Ref,
  /** Start of a free slot (its `startsAt`). */
  startsAt: Iso,
  name: z.string().trim().min(1, 'name is required').max(80),
  phone: SenegalPhone.optional(),
  email: z.email('email is not a valid address').max(254).optional(),
  language: Language.default('fr'),
  /** Required (see VisitorTokenField): the token of this booking's phone, or of its e-mail for an e-mail-only booking. */
  visitorToken: VisitorTokenField,
}).refine((b) => b.phone !== undefined || b.email !== undefined, { message: 'a phone number (+221…) or an email is required', path: ['phone'] });
export type BookBody = z.input<typeof BookBody>;

export const MoveBody = z.strictObject({ startsAt: Iso, visitorToken: VisitorTokenField });
/** A visitor cancels with the token of the booking's phone or e-mail address (required, 401 without it). */
export const CancelBody = z.strictObject({ visitorToken: VisitorTokenField });
/**
 * A code to a booking's own e-mail address, asked from its page: the visitor neither types nor sees the address (the page
 * shows it masked); the verified code gives the token its cancel and move need.
 */
export const BookingEmailCodeBody = z.strictObject({ language: Language.default('fr') });

export const PublicBookingView = z.object({
  code: z.string(),
  displayCode: z.string(),
  status: BookingStatus,
  branch: z.object({ id: z.string(), name: z.string(), region: z.string() }),
  service: z.object({ id: z.string(), name: LocalizedText }),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  localDate: z.string(),
  localTime: z.string(),
  name: z.string(),
  /** Partly hidden: the code alone must not reveal a phone number or an address. */
  phone: z.string().nullable(),
  email: z.string().nullable(),
  language: Language,
  checkInOpensAt: z.string(),
  checkInClosesAt: z.string(),
});
export type PublicBookingView = z.infer<typeof PublicBookingView>;

export const BookingQr = z.object({
  /** What the QR code holds: the display code, typed by the kiosk's scanner. */
  payload: z.string(),
  svg: z.string(),
  pngDataUrl: z.string(),
});
export const BookingCreated = z.object({ booking: PublicBookingView, qr: BookingQr });
export type BookingCreated = z.infer<typeof BookingCreated>;

/** Central's answer to a branch looking up a code it does not hold (branch credential). */
export const BranchBookingLookup = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mine'), booking: BookingFeedPayload }),
  z.object({ kind: z.literal('other_branch'), branch: z.object({ id: z.string(), name: z.string() }) }),
  z.object({ kind: z.literal('unknown') }),
]);
export type BranchBookingLookup = z.infer<typeof BranchBookingLookup>;
