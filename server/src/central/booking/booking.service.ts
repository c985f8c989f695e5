// Remote booking at central: which branches take appointments, their free slots, booking, cancelling and moving
// with the code. Central owns slot capacity: a booking, a move and the capacity check run in one transaction that
// first locks the branch's sync row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the database write lock), so
// concurrent bookings of a branch are applied one after the other and never exceed a slot's capacity. The same
// transaction appends the change to the branch's feed (central/feed.ts), which brings it to the branch.
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import type { z } from 'zod';
import {
  BOOKING_ENTITY, type BookBody, type BookingCreated, type BookingFeedPayload, type BranchBookingLookup, type FreeSlot,
  type PublicBookingView, type PublicBranchView, type PublicOrganizationView, type PublicServiceView, type SlotsResponse,
} from '../../shared/contracts/appointments.js';
import type { Language, LocalizedText, OpeningHours } from '../../shared/contracts/domain.js';
import { lockBranchSync, toNumber, type CentralDb, type CentralTrx } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { appendFeed } from '../ingest/feed.js';
import { newId } from '../../shared/ids.js';
import { bookingCodeFromValues, formatBookingCode, normalizeBookingCode, BOOKING_CODE_RANDOM_SYMBOLS } from '../../shared/domain/booking-code.js';
import { maskContact } from '../../shared/domain/contact-mask.js';
import { senegalHolidaysBetween, type HolidayOverride } from '../../shared/domain/holidays.js';
import { checkInWindow, DEFAULT_APPOINTMENT_HOURS, generateSlots, MAX_SCAN_DAYS, type Slot } from '../../shared/domain/slots.js';
import type { AppointmentServicesTable, CentralAppointmentTables, CentralBookingsTable } from './booking.migration.js';
import type { BookingNotices } from './booking-notices.js';
import type { BookingLimits } from './booking-limits.js';

/** Who confirms a booking to the visitor, inside the booking's transaction (booking-notices.ts). */
export type BookingConfirmer = Pick<BookingNotices, 'confirm'>;

/** Bookings that hold a place in their slot. */
const HOLDING = ['booked', 'checked_in', 'no_show'];
/** Reminders: a day before, else two hours before, if the booking leaves time for it. */
const REMINDER_HOURS = [24, 2];
const REMINDER_MARGIN_MS = 15 * 60_000;

type Db = ReturnType<typeof appointmentsDb>;
type ServiceRow = AppointmentServicesTable;

export function appointmentsDb(cdb: CentralDb) {
  return cdb.db.withTables<CentralAppointmentTables>();
}
function tx(trx: CentralTrx) {
  return trx.withTables<CentralAppointmentTables>();
}

// ---------- catalogue ----------

interface BranchRow { id: string; name: string; region: string; time_zone: string; org_id: string; org_name: string; org_type: string; status: string }

function branchesQuery(db: Db) {
  return db.selectFrom('branches as b')
    .innerJoin('organizations as o', 'o.id', 'b.organization_id')
    .innerJoin('appointment_branches as ab', 'ab.branch_id', 'b.id')
    .select(['b.id', 'b.name', 'b.region', 'ab.time_zone', 'o.id as org_id', 'o.name as org_name', 'o.type as org_type', 'b.status'])
    .where('b.status', '=', 'active')
    // A branch takes bookings when at least one of its services does.
    .where(({ exists, selectFrom }) => exists(selectFrom('appointment_services as s').select('s.service_id')
      .whereRef('s.branch_id', '=', 'b.id').where('s.enabled', '=', 1).where('s.status', '<>', 'closed')));
}

function toBranchView(r: BranchRow): PublicBranchView {
  return { id: r.id, name: r.name, region: r.region, timeZone: r.time_zone, organization: { id: r.org_id, name: r.org_name, type: r.org_type } };
}

export async function listBranches(cdb: CentralDb, filter: { region?: string; organizationId?: string }): Promise<PublicBranchView[]> {
  let q = branchesQuery(appointmentsDb(cdb));
  if (filter.region) q = q.where('b.region', '=', filter.region);
  if (filter.organizationId) q = q.where('o.id', '=', filter.organizationId);
  return (await q.orderBy('o.name').orderBy('b.name').execute()).map(toBranchView);
}

export async function listOrganizations(cdb: CentralDb, region?: string): Promise<PublicOrganizationView[]> {
  const branches = await listBranches(cdb, { region });
  const byOrg = new Map<string, PublicOrganizationView>();
  for (const b of branches) {
    const org = byOrg.get(b.organization.id) ?? { ...b.organization, branchCount: 0 };
    org.branchCount += 1;
    byOrg.set(org.id, org);
  }
  return [...byOrg.values()];
}

async function bookableBranch(db: Db, branchId: string): Promise<PublicBranchView> {
  const row = await branchesQuery(db).where('b.id', '=', branchId).executeTakeFirst();
  if (!row) throw new CentralError(404, 'BRANCH_NOT_FOUND', `branch ${branchId} does not take appointments`);
  return toBranchView(row);
}

export async function listServices(cdb: CentralDb, branchId: string): Promise<PublicServiceView[]> {
  const db = appointmentsDb(cdb);
  await bookableBranch(db, branchId);
  const rows = await db.selectFrom('appointment_services').selectAll().where('branch_id', '=', branchId).where('enabled', '=', 1)
    .where('status', '<>', 'closed').orderBy('sort_order').orderBy('prefix').execute();
  return rows.map((r) => ({
    id: r.service_id, prefix: r.prefix, name: nameOf(r), slotMinutes: r.slot_minutes, earlyMinutes: r.early_minutes, lateMinutes: r.late_minutes,
    feeXof: r.fee_xof === null ? null : Number(r.fee_xof),
  }));
}

function nameOf(r: Pick<ServiceRow, 'name_fr' | 'name_wo' | 'name_en'>): LocalizedText {
  return { fr: r.name_fr, wo: r.name_wo, en: r.name_en };
}

async function bookableService(db: Db, branchId: string, serviceId: string): Promise<{ branch: PublicBranchView; service: ServiceRow; overrides: HolidayOverride[] }> {
  const branch = await bookableBranch(db, branchId);
  const service = await db.selectFrom('appointment_services').selectAll().where('branch_id', '=', branchId).where('service_id', '=', serviceId).executeTakeFirst();
  if (!service || service.enabled !== 1 || service.status === 'closed') {
    throw new CentralError(404, 'SERVICE_NOT_FOUND', `service ${serviceId} does not take appointments at ${branch.name}`);
  }
  const config = await db.selectFrom('appointment_branches').select('overrides').where('branch_id', '=', branchId).executeTakeFirstOrThrow();
  return { branch, service, overrides: JSON.parse(config.overrides) as HolidayOverride[] };
}

// ---------- slots ----------

/** Every slot of a service from now over its horizon (before counting bookings). */
export function serviceSlots(service: ServiceRow, timeZone: string, overrides: HolidayOverride[], now: Date): Slot[] {
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  // Wide enough for the horizon's working days even with one open day a week and a few holidays.
  const spanDays = Math.min(MAX_SCAN_DAYS, service.horizon_working_days * 7 + 31);
  const holidays = senegalHolidaysBetween(today.toISODate() as string, today.plus({ days: spanDays }).toISODate() as string, overrides);
  return generateSlots({
    serviceId: service.service_id, timeZone,
    openingHours: service.opening_hours ? (JSON.parse(service.opening_hours) as OpeningHours) : DEFAULT_APPOINTMENT_HOURS,
    slotMinutes: service.slot_minutes, capacity: service.capacity, horizonWorkingDays: service.horizon_working_days,
    now, minLeadMinutes: service.min_lead_minutes, holidays,
  });
}

async function heldCounts(db: Db, branchId: string, serviceId: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('bookings').select(['starts_at', (eb) => eb.fn.countAll().as('n')])
    .where('branch_id', '=', branchId).where('service_id', '=', serviceId).where('status', 'in', HOLDING)
    .where('starts_at', '>=', from).where('starts_at', '<=', to)
    .groupBy('starts_at').execute();
  return new Map(rows.map((r) => [r.starts_at, toNumber(r.n as number | string)]));
}

export async function freeSlots(cdb: CentralDb, branchId: string, serviceId: string, now: Date, filter: { from?: string; to?: string } = {}): Promise<SlotsResponse> {
  const db = appointmentsDb(cdb);
  const { branch, service, overrides } = await bookableService(db, branchId, serviceId);
  let slots = serviceSlots(service, branch.timeZone, overrides, now);
  if (filter.from) slots = slots.filter((s) => s.localDate >= (filter.from as string));
  if (filter.to) slots = slots.filter((s) => s.localDate <= (filter.to as string));
  const first = slots[0];
  const last = slots[slots.length - 1];
  const counts = first && last ? await heldCounts(db, branchId, serviceId, first.startsAt, last.startsAt) : new Map<string, number>();
  const out: FreeSlot[] = slots.map((s) => ({
    id: s.id, startsAt: s.startsAt, endsAt: s.endsAt, localDate: s.localDate, localTime: s.localTime, capacity: s.capacity,
    free: Math.max(0, s.capacity - (counts.get(s.startsAt) ?? 0)),
  }));
  return { branchId, serviceId, timeZone: branch.timeZone, slots: out.filter((s) => s.free > 0) };
}

/** The slot starting at `startsAt`, or a clear 4xx: past, not a slot of this service now, or full. */
async function takeSlot(t: Db, service: ServiceRow, timeZone: string, overrides: HolidayOverride[], startsAt: string, now: Date, exceptBookingId: string | null): Promise<Slot> {
  const at = new Date(startsAt);
  if (at.getTime() <= now.getTime()) throw new CentralError(422, 'SLOT_IN_PAST', `${startsAt} is in the past: choose a later slot`);
  const slot = serviceSlots(service, timeZone, overrides, now).find((s) => s.startsAt === at.toISOString());
  if (!slot) {
    const local = DateTime.fromJSDate(at, { zone: timeZone }).toFormat("yyyy-MM-dd HH:mm");
    throw new CentralError(422, 'SLOT_UNAVAILABLE', `${local} is not a slot of this service that can be booked now (closed day or hour, too soon, or beyond the booking horizon): list the free slots`);
  }
  let q = t.selectFrom('bookings').select((eb) => eb.fn.countAll().as('n'))
    .where('branch_id', '=', service.branch_id).where('service_id', '=', service.service_id)
    .where('starts_at', '=', slot.startsAt).where('status', 'in', HOLDING);
  if (exceptBookingId) q = q.where('id', '<>', exceptBookingId);
  const held = toNumber((await q.executeTakeFirstOrThrow()).n as number | string);
  if (held >= service.capacity) throw new CentralError(409, 'SLOT_FULL', `the ${slot.localTime} slot of ${slot.localDate} is full: choose another one`);
  return slot;
}

// ---------- bookings ----------

export function reminderDueAt(startsAt: string, now: Date): string | null {
  const start = Date.parse(startsAt);
  for (const hours of REMINDER_HOURS) {
    const due = start - hours * 3_600_000;
    if (due >= now.getTime() + REMINDER_MARGIN_MS) return new Date(due).toISOString();
  }
  return null;
}

function feedPayload(b: CentralBookingsTable): BookingFeedPayload {
  return {
    id: b.id, code: b.code, serviceId: b.service_id, startsAt: b.starts_at, endsAt: b.ends_at, name: b.name, phone: b.phone, email: b.email,
    language: b.language as Language, status: b.status === 'cancelled' ? 'cancelled' : 'booked', reminderDueAt: b.reminder_due_at,
    version: b.version, createdAt: b.created_at, updatedAt: b.updated_at,
  };
}

async function publish(trx: CentralTrx, cdb: CentralDb, b: CentralBookingsTable, now: string): Promise<void> {
  await appendFeed(trx, cdb.dialect, b.branch_id, { entityType: BOOKING_ENTITY, entityId: b.id, op: 'upsert', payload: feedPayload(b) }, now);
}

async function publicView(db: Db, b: CentralBookingsTable): Promise<PublicBookingView> {
  const branch = await db.selectFrom('branches as b').leftJoin('appointment_branches as ab', 'ab.branch_id', 'b.id')
    .select(['b.id', 'b.name', 'b.region', 'b.time_zone', 'ab.time_zone as appointment_zone']).where('b.id', '=', b.branch_id).executeTakeFirstOrThrow();
  const service = await db.selectFrom('appointment_services').select(['name_fr', 'name_wo', 'name_en', 'early_minutes', 'late_minutes'])
    .where('branch_id', '=', b.branch_id).where('service_id', '=', b.service_id).executeTakeFirst();
  const zone = branch.appointment_zone ?? branch.time_zone;
  const local = DateTime.fromISO(b.starts_at, { zone });
  const window = checkInWindow(b.starts_at, { earlyMinutes: service?.early_minutes, lateMinutes: service?.late_minutes });
  return {
    code: b.code, displayCode: formatBookingCode(b.code), status: b.status as PublicBookingView['status'],
    branch: { id: branch.id, name: branch.name, region: branch.region },
    service: { id: b.service_id, name: service ? nameOf(service) : { fr: b.service_id, wo: b.service_id, en: b.service_id } },
    startsAt: b.starts_at, endsAt: b.ends_at, timeZone: zone, localDate: local.toISODate() as string, localTime: local.toFormat('HH:mm'),
    name: b.name, phone: b.phone ? maskContact('sms', b.phone) : null, email: b.email ? maskContact('email', b.email) : null, language: b.language as Language,
    checkInOpensAt: window.opensAt.toISOString(), checkInClosesAt: window.closesAt.toISOString(),
  };
}

export async function bookingQr(code: string): Promise<BookingCreated['qr']> {
  const payload = formatBookingCode(code);
  const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
  return {
    payload,
    svg: await QRCode.toString(payload, { ...options, type: 'svg' }),
    pngDataUrl: await QRCode.toDataURL(payload, { ...options, type: 'image/png', scale: 8 }),
  };
}

async function newCode(t: Db): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = bookingCodeFromValues(Array.from({ length: BOOKING_CODE_RANDOM_SYMBOLS }, () => randomInt(32)));
    const taken = await t.selectFrom('bookings').select('id').where('code', '=', code).executeTakeFirst();
    if (!taken) return code;
  }
  throw new CentralError(503, 'RETRY', 'could not find a free booking code: retry');
}

/** `limits`: anonymous booking limits (booking-limits.ts), checked with `address` (where the request comes from). */
export async function book(
  cdb: CentralDb, body: z.output<typeof BookBody>, now: Date, notices?: BookingConfirmer, limits?: { limits: BookingLimits; address: string },
): Promise<BookingCreated> {
  const at = now.toISOString();
  const db = appointmentsDb(cdb);
  limits?.limits.checkAddress(limits.address, now);
  // Catalogue checks first, outside the lock: unknown branch or service answers at once.
  await bookableService(db, body.branchId, body.serviceId);
  const booking = await cdb.db.transaction().execute(async (trx) => {
    const sync = await lockBranchSync(trx, cdb.dialect, body.branchId);
    if (!sync) throw new CentralError(404, 'BRANCH_NOT_FOUND', `branch ${body.branchId} is not enrolled`);
    const t = tx(trx);
    await limits?.limits.checkContact(trx, { phone: body.phone ?? null, email: body.email ?? null }, now);
    // Read again under the lock: the settings may have changed meanwhile.
    const { branch, service, overrides } = await bookableService(t, body.branchId, body.serviceId);
    const slot = await takeSlot(t, service, branch.timeZone, overrides, body.startsAt, now, null);
    const row: CentralBookingsTable = {
      id: newId(), code: await newCode(t), branch_id: body.branchId, service_id: body.serviceId, starts_at: slot.startsAt, ends_at: slot.endsAt,
      name: body.name, phone: body.phone ?? null, email: body.email ?? null, language: body.language, status: 'booked', ticket_id: null,
      reminder_due_at: reminderDueAt(slot.startsAt, now), reminder_sent_at: null, version: 1, created_at: at, updated_at: at,
      cancelled_at: null, checked_in_at: null, no_show_at: null,
    };
    await t.insertInto('bookings').values(row).execute();
    await publish(trx, cdb, row, at);
    await notices?.confirm(trx, row);
    return row;
  });
  limits?.limits.countAddress(limits.address, now);
  return { booking: await publicView(db, booking), qr: await bookingQr(booking.code) };
}

function parseCode(raw: string): string {
  const code = normalizeBookingCode(raw);
  if (!code) throw new CentralError(400, 'VALIDATION_ERROR', 'this is not a booking code: it has 8 letters and digits, like K7M4-4QX2');
  return code;
}

export async function findByCode(db: Db, raw: string): Promise<CentralBookingsTable> {
  const code = parseCode(raw);
  const row = await db.selectFrom('bookings').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw new CentralError(404, 'BOOKING_NOT_FOUND', `no booking with code ${formatBookingCode(code)}`);
  return row;
}

export async function getBooking(cdb: CentralDb, raw: string): Promise<PublicBookingView> {
  const db = appointmentsDb(cdb);
  return publicView(db, await findByCode(db, raw));
}

/**
 * The bookings of a confirmed phone, or of a confirmed e-mail address (`email`, lower-case: a booking keeps the address
 * as typed, the code proves it in any case), for the visitor site's "my bookings": those still to come, and today's
 * while they can still be checked in; booked ones only (not cancelled, checked in or missed), soonest first.
 */
export async function currentBookingsOfContact(cdb: CentralDb, contact: { phone: string } | { email: string }, now: Date, limit = 20): Promise<PublicBookingView[]> {
  const db = appointmentsDb(cdb);
  // A check-in window closes at most a few hours after the start: a day back is wide enough, the window decides.
  const rows = await contactBookingsQuery(cdb, contact, new Date(now.getTime() - 86_400_000).toISOString(), limit).execute();
  const views = await Promise.all(rows.map((r) => publicView(db, r)));
  return views.filter((v) => Date.parse(v.checkInClosesAt) > now.getTime());
}

/** The booked bookings of a contact starting after `since`, soonest first (over bookings_phone / bookings_email). */
export function contactBookingsQuery(cdb: CentralDb, contact: { phone: string } | { email: string }, since: string, limit: number) {
  return appointmentsDb(cdb).selectFrom('bookings').selectAll()
    .where((eb) => ('phone' in contact ? eb('phone', '=', contact.phone) : eb(eb.fn('lower', ['email']), '=', contact.email)))
    .where('status', '=', 'booked')
    .where('starts_at', '>', since).orderBy('starts_at').limit(limit);
}

function assertChangeable(b: CentralBookingsTable, now: Date, what: string): void {
  const shown = formatBookingCode(b.code);
  if (b.status === 'cancelled') throw new CentralError(409, 'BOOKING_CANCELLED', `booking ${shown} is already cancelled`);
  if (b.status === 'checked_in') throw new CentralError(409, 'ALREADY_CHECKED_IN', `booking ${shown} was checked in at the branch: it can no longer be ${what}`);
  if (b.status === 'no_show' || Date.parse(b.starts_at) <= now.getTime()) throw new CentralError(409, 'BOOKING_PAST', `booking ${shown} has started or is over: it can no longer be ${what}`);
}

/**
 * Where a booking's page sends the code that proves its e-mail address (an e-mail-only booking's cancel and move): the
 * address itself stays at central. Only while the booking can still be changed (a code for nothing would only be mail
 * to someone), and 409 BOOKING_NO_EMAIL when it was booked with a phone alone.
 */
export async function changeableBookingEmail(cdb: CentralDb, raw: string, now: Date): Promise<{ email: string; branchId: string }> {
  const b = await findByCode(appointmentsDb(cdb), raw);
  assertChangeable(b, now, 'changed');
  if (!b.email) throw new CentralError(409, 'BOOKING_NO_EMAIL', `booking ${formatBookingCode(b.code)} has no e-mail address: confirm its phone number`);
  return { email: b.email, branchId: b.branch_id };
}

/** Who may change a booking: resolves when the caller holds its phone or e-mail (the visitor token), throws otherwise. */
export type BookingAuthorizer = (contacts: { phone: string | null; email: string | null }) => Promise<void>;

/** Run a change of one booking under its branch's lock (the row is read again under it), once `authorize` agrees. */
async function change(
  cdb: CentralDb, raw: string, authorize: BookingAuthorizer | undefined,
  fn: (t: ReturnType<typeof tx>, trx: CentralTrx, b: CentralBookingsTable) => Promise<CentralBookingsTable>,
): Promise<CentralBookingsTable> {
  const db = appointmentsDb(cdb);
  const found = await findByCode(db, raw);
  await authorize?.({ phone: found.phone, email: found.email });
  return cdb.db.transaction().execute(async (trx) => {
    await lockBranchSync(trx, cdb.dialect, found.branch_id);
    const t = tx(trx);
    const fresh = await t.selectFrom('bookings').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
    return fn(t, trx, fresh);
  });
}

export async function cancel(cdb: CentralDb, raw: string, now: Date, authorize?: BookingAuthorizer): Promise<PublicBookingView> {
  const at = now.toISOString();
  const row = await change(cdb, raw, authorize, async (t, trx, b) => {
    assertChangeable(b, now, 'cancelled');
    const updated = { ...b, status: 'cancelled', cancelled_at: at, updated_at: at, version: b.version + 1 };
    await t.updateTable('bookings').set({ status: updated.status, cancelled_at: at, updated_at: at, version: updated.version }).where('id', '=', b.id).execute();
    await publish(trx, cdb, updated, at);
    return updated;
  });
  return publicView(appointmentsDb(cdb), row);
}

export async function move(cdb: CentralDb, raw: string, startsAt: string, now: Date, notices?: BookingConfirmer, authorize?: BookingAuthorizer): Promise<BookingCreated> {
  const at = now.toISOString();
  const row = await change(cdb, raw, authorize, async (t, trx, b) => {
    assertChangeable(b, now, 'moved');
    const { branch, service, overrides } = await bookableService(t, b.branch_id, b.service_id);
    const slot = await takeSlot(t, service, branch.timeZone, overrides, startsAt, now, b.id);
    const updated: CentralBookingsTable = {
      ...b, starts_at: slot.startsAt, ends_at: slot.endsAt, reminder_due_at: reminderDueAt(slot.startsAt, now), reminder_sent_at: null,
      updated_at: at, version: b.version + 1,
    };
    await t.updateTable('bookings').set({
      starts_at: updated.starts_at, ends_at: updated.ends_at, reminder_due_at: updated.reminder_due_at, reminder_sent_at: null, updated_at: at, version: updated.version,
    }).where('id', '=', b.id).execute();
    await publish(trx, cdb, updated, at);
    await notices?.confirm(trx, updated);
    return updated;
  });
  return { booking: await publicView(appointmentsDb(cdb), row), qr: await bookingQr(row.code) };
}

/** A branch asks about a code it does not hold: its own booking (made moments ago), another branch's, or none. */
export async function lookupForBranch(cdb: CentralDb, branchId: string, raw: string): Promise<BranchBookingLookup> {
  const db = appointmentsDb(cdb);
  const code = normalizeBookingCode(raw);
  if (!code) return { kind: 'unknown' };
  const row = await db.selectFrom('bookings').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  if (row.branch_id === branchId) return { kind: 'mine', booking: feedPayload(row) };
  const branch = await db.selectFrom('branches').select(['id', 'name']).where('id', '=', row.branch_id).executeTakeFirstOrThrow();
  return { kind: 'other_branch', branch };
}
