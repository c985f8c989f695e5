// "My tickets and bookings" on the visitor site (issue 18): a visitor who confirmed a phone sees that phone's remote
// tickets of the last day that are not over (as central last heard from each branch), with their tracking links, and
// its bookings still to come (or today's, while they can be checked in), with the site's page to cancel or move each.
// A confirmed e-mail address sees the bookings made with it (remote tickets are a phone's only).
import { displayTicketNumber } from '../../shared/domain/numbering.js';
import type { MyBooking, MyTicket } from '../../shared/contracts/visitor.js';
import type { Language } from '../../shared/contracts/domain.js';
import { currentBookingsOfContact } from '../booking/booking.service.js';
import type { VisitorContact } from './visitor-codes.js';
import { fill, formatDateTime } from '../notifications/templates.js';
import { SITE_STRINGS } from '../site/site.js';
import type { CentralDb } from '../db/database.js';
import type { CentralRemoteTables } from '../remote/remote.migration.js';

const DAY_MS = 86_400_000;
const OVER = new Set(['served', 'cancelled', 'expired', 'no_show']);

export async function myTickets(cdb: CentralDb, phone: string, now: Date, language: 'fr' | 'wo' | 'en' = 'fr'): Promise<MyTicket[]> {
  const db = cdb.db.withTables<CentralRemoteTables>();
  const joins = await db.selectFrom('remote_joins').select(['ticket_id', 'branch_id', 'service_id', 'ticket_number', 'issued_at'])
    .where('phone', '=', phone).where('status', '=', 'issued').where('created_at', '>', new Date(now.getTime() - DAY_MS).toISOString())
    .orderBy('created_at', 'desc').limit(20).execute();
  const out: MyTicket[] = [];
  for (const j of joins) {
    if (!j.ticket_id || !j.ticket_number) continue;
    const ticket = await cdb.db.selectFrom('tickets').select('status').where('branch_id', '=', j.branch_id).where('id', '=', j.ticket_id).executeTakeFirst();
    if (ticket && OVER.has(ticket.status)) continue;
    const branch = await cdb.db.selectFrom('branches').select('name').where('id', '=', j.branch_id).executeTakeFirst();
    const service = await cdb.db.selectFrom('branch_services').select(['name_fr', 'name_wo', 'name_en'])
      .where('branch_id', '=', j.branch_id).where('service_id', '=', j.service_id).executeTakeFirst();
    out.push({
      ticketId: j.ticket_id, branchId: j.branch_id, branchName: branch?.name ?? '', displayNumber: displayTicketNumber(j.ticket_number),
      serviceName: service ? { fr: service.name_fr, wo: service.name_wo, en: service.name_en }[language] : null,
      status: ticket?.status ?? null, issuedAt: j.issued_at ?? '',
      trackPath: `/t/${encodeURIComponent(j.ticket_id)}?branch=${encodeURIComponent(j.branch_id)}`,
    });
  }
  return out;
}

/** The bookings of the token's phone, or of its e-mail address (the bookings made with that address). */
export async function myBookings(cdb: CentralDb, contact: VisitorContact, now: Date, language: Language = 'fr'): Promise<MyBooking[]> {
  const bookings = await currentBookingsOfContact(cdb, contact.channel === 'sms' ? { phone: contact.target } : { email: contact.target.toLowerCase() }, now);
  return bookings.map((b) => {
    const code = encodeURIComponent(b.code);
    const { date, time } = formatDateTime(b.startsAt, b.timeZone, language);
    return {
      code: b.code, displayCode: b.displayCode, status: 'booked', branchId: b.branch.id, branchName: b.branch.name,
      serviceId: b.service.id, serviceName: b.service.name[language], startsAt: b.startsAt, endsAt: b.endsAt,
      timeZone: b.timeZone, localDate: b.localDate, localTime: b.localTime,
      when: fill(SITE_STRINGS[language].bookedAt, { date, time }),
      changeable: Date.parse(b.startsAt) > now.getTime(), checkInClosesAt: b.checkInClosesAt,
      pagePath: `/r/${code}`, qrPath: `/api/public/bookings/${code}/qr.svg`,
      cancelPath: `/api/public/bookings/${code}/cancel`, movePath: `/api/public/bookings/${code}/move`,
    };
  });
}
