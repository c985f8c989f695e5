// Issue 14, point 8: anonymous booking is limited per phone number (and e-mail), per address and per day, and one
// recipient gets a few booking confirmations an hour at most. Real central (SQLite) and a real branch synced to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FreeSlot, PublicServiceView, SlotsResponse } from '../../server/src/shared/contracts/appointments.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { notificationDb } from '../../server/src/central/notifications/store.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { TestClock } from '../support/clock.js';
import { requestFrom } from '../support/from-address.js';
import { Visitors } from '../support/visitor.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';

type Answer = { booking?: { code: string }; error?: { code: string } };

describe('anonymous booking limits', () => {
  const clock = new TestClock('2026-02-10T08:00:00Z');
  let central: TestCentral;
  let b: SyncedBranch;
  let serviceA: string;
  let slots: FreeSlot[];
  let next = 0;
  let sms: OrangeSmsSimulator;
  let sink: SmtpSink;
  let visitors: Visitors;

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    sink = await new SmtpSink().start();
    central = await startCentral('sqlite', {
      clock,
      tracking: { channels: {
        sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000', senderName: 'SmartQueue' },
        email: { url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' },
      } },
      // The 25 contacts below each get a code from this test's one address.
      visitorCodes: { perAddressPerHour: 100 },
    });
    visitors = new Visitors(central.api, sms, sink, clock);
    b = await startSyncedBranch(central, { clock });
    const admin = await b.login('admin');
    serviceA = (await b.service('A')).id;
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, horizonWorkingDays: 20, capacity: 1 } })).status).toBe(200);
    await waitFor('the service bookable at central', async () =>
      (await central.api.get<PublicServiceView[]>(`/api/public/branches/${b.server.branchId}/services`)).body.length === 1);
    await freshSlots();
  });
  afterAll(async () => {
    await b?.destroy();
    await central?.destroy();
    await sms?.close();
    await sink?.close();
  });

  async function freshSlots(): Promise<void> {
    slots = (await central.api.get<SlotsResponse>(`/api/public/branches/${b.server.branchId}/services/${serviceA}/slots`)).body.slots;
    next = 0;
    expect(slots.length).toBeGreaterThan(40);
  }
  // Each contact is confirmed first (issue 18: a booking needs its phone's or e-mail's token); the token comes from this
  // test's own address, the bookings from the address given.
  const book = async (from: string, contact: { phone?: string; email?: string }) => {
    const visitorToken = contact.phone ? await visitors.token(contact.phone) : await visitors.emailToken(contact.email as string);
    return requestFrom<Answer>(from, `${central.url}/api/public/bookings`, 'POST', {
      branchId: b.server.branchId, serviceId: serviceA, startsAt: (slots[next++] as FreeSlot).startsAt, name: 'Awa Diop', ...contact, visitorToken,
    });
  };
  const confirmationsTo = async (address: string) => (await notificationDb(central.server.db).selectFrom('notification_deliveries').select('id')
    .where('recipient', '=', address).where('kind', '=', 'booking_confirmation').execute()).length;

  it('one phone number: 4 bookings a day, 3 confirmations an hour; then 429 with Retry-After', async () => {
    const phone = '+221771110001';
    const made: number[] = [];
    for (let i = 0; i < 4; i++) made.push((await book(`127.0.1.${i + 1}`, { phone })).status);
    expect(made).toEqual([201, 201, 201, 201]);
    expect(await confirmationsTo(phone)).toBe(3);
    const fifth = await book('127.0.1.9', { phone });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error?.code).toBe('RATE_LIMITED');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(3600);
    // A new day gives the number its share again.
    clock.advance(24 * 3_600_000 + 1000);
    await freshSlots();
    expect((await book('127.0.1.10', { phone })).status).toBe(201);
    expect(await confirmationsTo(phone)).toBe(4);
  });

  it('one address: 20 bookings a day whatever the phone numbers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await book('127.0.2.1', { phone: `+2217722200${String(i).padStart(2, '0')}` })).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(new Set(statuses.slice(20))).toEqual(new Set([429]));
    expect((await book('127.0.2.2', { email: 'fatou@example.sn' })).status).toBe(201);
  });
});
