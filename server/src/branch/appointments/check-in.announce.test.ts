// A booking check-in issues its ticket inside the check-in's own unit of work: nothing is announced (screens,
// printing, sync) before the check-in has committed, and nothing at all when it rolls back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestParts, type TestParts } from '../../../../test/support/parts.js';
import { bookingCodeFromValues } from '../../shared/domain/booking-code.js';
import { appointmentDb, upsertBookingFromCentral } from './appointment.repository.js';

describe('check-in announces its ticket only after the check-in commits', () => {
  let p: TestParts;
  beforeEach(async () => { p = await buildTestParts('2026-03-10T10:00:00Z'); });
  afterEach(() => p.close());

  function book(code: string): string {
    const serviceId = p.catalog.list().find((s) => s.prefix === 'A')?.id as string;
    const id = crypto.randomUUID();
    const at = p.clock.now();
    p.ctx.uow.run((tx) => upsertBookingFromCentral(tx, appointmentDb(tx), {
      id, code, serviceId, startsAt: new Date(at.getTime() + 5 * 60_000).toISOString(), endsAt: new Date(at.getTime() + 20 * 60_000).toISOString(),
      name: 'Aïssatou Ba', phone: null, email: null, language: 'fr', status: 'booked', reminderDueAt: null, version: 1,
      createdAt: at.toISOString(), updatedAt: at.toISOString(),
    }));
    return id;
  }

  it('the ticket.issued event comes after the commit, with the booking already checked in', async () => {
    const code = bookingCodeFromValues([1, 2, 3, 4, 5, 6, 7]);
    const bookingId = book(code);
    const heard: Array<{ inTransaction: boolean; bookingStatus: string | undefined; outbox: number }> = [];
    let outboxAnnounced = 0;
    p.ctx.events.on('outbox.appended', () => { outboxAnnounced += 1; });
    p.ctx.events.on('ticket.issued', () => {
      const row = p.ctx.store.sqlite.prepare('SELECT status FROM bookings WHERE id = ?').get(bookingId) as { status: string } | undefined;
      const outbox = (p.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE event_type IN ('ticket.issued', 'booking.checked_in')").get() as { n: number }).n;
      heard.push({ inTransaction: p.ctx.store.sqlite.inTransaction, bookingStatus: row?.status, outbox });
    });
    const { result, created } = await p.appointments.checkIn(code, { kind: 'device', deviceId: 'kiosk-1', role: 'kiosk' });
    expect(created).toBe(true);
    expect(result.ticket.queueType).toBe('appointment');
    expect(heard).toEqual([{ inTransaction: false, bookingStatus: 'checked_in', outbox: 2 }]);
    expect(outboxAnnounced).toBe(1); // once, for the whole check-in
  });

  it('a check-in that fails after issuing announces nothing and leaves no ticket', () => {
    let issued = 0;
    p.ctx.events.on('ticket.issued', () => { issued += 1; });
    const serviceId = p.catalog.list().find((s) => s.prefix === 'A')?.id as string;
    const tickets = () => (p.ctx.store.sqlite.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const before = tickets();
    // The same nesting as a check-in: a ticket issued inside an outer unit of work that then fails.
    expect(() => p.ctx.uow.run(() => {
      p.tickets.issue({ serviceId, queueType: 'appointment' }, { kind: 'system' });
      throw new Error('booking write failed');
    })).toThrow('booking write failed');
    expect(issued).toBe(0);
    expect(tickets()).toBe(before);
  });
});
