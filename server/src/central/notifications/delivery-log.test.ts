// The delivery log and its worker on a real database (SQLite, and PostgreSQL when reachable), sending through the
// real channels to local stand-ins: never twice per (event, channel, recipient), retries with backoff, expiry,
// permanent failures, and two workers sharing one log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushEndpoint } from '../../../../test/fixtures/push-endpoint.js';
import { SmtpSink } from '../../../../test/fixtures/smtp-sink.js';
import { centralDialects, createPgDatabase, type Dialect } from '../../../../test/support/postgres.js';
import { openSqlite } from '../../shared/db/sqlite.js';
import { createEmailChannel } from './channels/email.js';
import { createPushChannel } from './channels/push.js';
import { createOrangeSmsChannel } from './channels/sms-orange.js';
import type { Channels } from './channels/types.js';
import { claimDue, enqueueDeliveries, listDeliveries, retryDelayMs } from './delivery-log.js';
import { Notifier } from './notifier.js';
import { parseRecipient } from './recipients.js';
import { OrangeSmsSimulator } from '../../simulators/sms/orange-sms-simulator.js';
import { migrateNotifications, migrateTrack, notificationDb, notificationMigrations, type NotificationTables } from './store.js';
import { renderNotification } from './templates.js';
import type { NotificationParams, Recipient } from './types.js';
import { DeliveryWorker } from './worker.js';

const dialects = await centralDialects();

const sink = new SmtpSink();
const sms = new OrangeSmsSimulator();
const vapid = webpush.generateVAPIDKeys();
const pushService = new PushEndpoint(vapid.publicKey);
let channels: Channels;

beforeAll(async () => {
  await Promise.all([sink.start(), sms.start(), pushService.start()]);
  channels = {
    email: createEmailChannel({ url: sink.url, from: 'no-reply@smartqueue.sn' }),
    push: createPushChannel({ vapid: { subject: 'mailto:ops@smartqueue.sn', ...vapid } }),
    sms: createOrangeSmsChannel({ baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' }),
  };
});
afterAll(async () => {
  await channels.email?.close?.();
  await Promise.all([sink.close(), sms.close(), pushService.close()]);
});

async function openDb(dialect: Dialect, migrate = true): Promise<{ db: Kysely<NotificationTables>; close(): Promise<void> }> {
  if (dialect === 'postgres') {
    const pgdb = await createPgDatabase();
    const pool = new pg.Pool({ connectionString: pgdb.url, max: 4 });
    pool.on('error', () => undefined); // as central's own pool: an idle session ended by the server is simply replaced
    const db = new Kysely<NotificationTables>({ dialect: new PostgresDialect({ pool }) });
    if (migrate) await migrateNotifications(db);
    return { db, async close() { await db.destroy(); await pgdb.drop(); } };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-notify-'));
  const db = new Kysely<NotificationTables>({ dialect: new SqliteDialect({ database: openSqlite(path.join(dir, 'n.sqlite')) }) });
  if (migrate) await migrateNotifications(db);
  return { db, async close() { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

const called: NotificationParams = { kind: 'called', ticketNumber: 'A042', counterNumber: 2, branchName: 'Agence Plateau', trackUrl: null };

class TestClock {
  t = Date.parse('2025-03-12T09:00:00Z');
  now = () => new Date(this.t);
  advance(ms: number) { this.t += ms; }
}

describe.each(dialects)('delivery log on %s', (dialect) => {
  let db: Kysely<NotificationTables>;
  let close: () => Promise<void>;
  beforeAll(async () => { ({ db, close } = await openDb(dialect)); });
  afterAll(async () => { await close(); });

  it('sends each event once per channel and recipient, in the recipient\'s language', async () => {
    const clock = new TestClock();
    const notifier = new Notifier(new Set(['email', 'sms', 'push']));
    const worker = new DeliveryWorker({ db, channels, now: clock.now });
    const sub = pushService.subscribe();
    const recipients: Recipient[] = [
      parseRecipient({ channel: 'email', address: `Awa.${dialect}@Example.sn`, language: 'wo' }),
      parseRecipient({ channel: 'sms', address: dialect === 'sqlite' ? '77 111 22 33' : '77 111 22 44', language: 'en' }),
      parseRecipient({ channel: 'push', subscription: sub.json, language: 'fr' }, { allowHttp: true, hosts: ['127.0.0.1'] }),
    ];
    const key = `called:evt-${dialect}-1`;
    const first = await notifier.notify(db, { eventKey: key, params: called, recipients, ref: { type: 'ticket', id: `t-${dialect}` } }, clock.now().toISOString());
    expect(first).toEqual({ queued: 3, duplicates: 0, skipped: [] });
    // The same event again (a replayed push, a second central instance): nothing new is queued.
    const again = await notifier.notify(db, { eventKey: key, params: called, recipients }, clock.now().toISOString());
    expect(again).toEqual({ queued: 0, duplicates: 3, skipped: [] });
    expect(await worker.round()).toEqual({ sent: 3, retried: 0, failed: 0, expired: 0 });
    expect(await worker.round()).toEqual({ sent: 0, retried: 0, failed: 0, expired: 0 });

    expect(sink.to(`awa.${dialect}@example.sn`).map((m) => m.subject)).toEqual(['Tike A-042: yaw lañuy woo']);
    expect(sms.messages.filter((m) => m.to === (dialect === 'sqlite' ? '+221771112233' : '+221771112244')).map((m) => m.message)).toEqual(["Ticket A-042: it's your turn, counter 2 (Agence Plateau)."]);
    expect(pushService.for(sub.id).map((p) => JSON.parse(p.payload).body)).toEqual(['Ticket A-042 : présentez-vous au guichet 2.']);
    const log = await listDeliveries(db, { refId: `t-${dialect}` });
    expect(log.map((d) => [d.channel, d.status, d.attempts])).toEqual([['email', 'sent', 1], ['sms', 'sent', 1], ['push', 'sent', 1]]);

    // The database itself refuses a second row for the same key, whoever writes it.
    const raw = await db.selectFrom('notification_deliveries').selectAll().where('event_key', '=', key).where('channel', '=', 'email').executeTakeFirstOrThrow();
    await expect(db.insertInto('notification_deliveries').values({ ...raw, id: 'another-id' }).execute()).rejects.toThrow(/unique|UNIQUE/);
  });

  it('skips channels that are off and refuses bad addresses before queueing', async () => {
    const notifier = new Notifier(new Set(['email']));
    const r = await notifier.notify(db, { eventKey: `skip-${dialect}`, params: called, recipients: [{ channel: 'sms', address: '+221771234567', language: 'fr' }] }, new Date().toISOString());
    expect(r).toEqual({ queued: 0, duplicates: 0, skipped: [{ channel: 'sms', address: '+221771234567' }] });
    expect(() => parseRecipient({ channel: 'sms', address: '+33 6 12 34 56 78', language: 'fr' })).toThrow(/INVALID_PHONE|\+221 followed by 9 digits/);
    expect(() => parseRecipient({ channel: 'email', address: 'awa@', language: 'fr' })).toThrow(/not a valid e-mail address/);
  });

  it('retries transient failures with exponential backoff until sent', async () => {
    const clock = new TestClock();
    const worker = new DeliveryWorker({ db, channels, now: clock.now, backoff: { minMs: 10_000, maxMs: 60_000, maxAttempts: 5 }, random: () => 1 });
    const notifier = new Notifier(new Set(['email']));
    const to = `retry-${dialect}@example.sn`;
    await notifier.notify(db, { eventKey: `retry-${dialect}`, params: called, recipients: [parseRecipient({ channel: 'email', address: to, language: 'fr' })] }, clock.now().toISOString());
    sink.refuseNext(2, 451);
    expect(await worker.round()).toMatchObject({ retried: 1 });
    let [d] = await listDeliveries(db, { eventKey: `retry-${dialect}` });
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(Date.parse(d?.nextAttemptAt ?? '') - clock.t).toBe(10_000);
    expect(d?.lastError).toMatch(/451|Try again later/);
    // Not due yet: nothing happens.
    expect(await worker.round()).toMatchObject({ sent: 0, retried: 0 });
    clock.advance(10_000);
    expect(await worker.round()).toMatchObject({ retried: 1 });
    [d] = await listDeliveries(db, { eventKey: `retry-${dialect}` });
    expect(Date.parse(d?.nextAttemptAt ?? '') - clock.t).toBe(20_000); // doubled
    clock.advance(20_000);
    expect(await worker.round()).toMatchObject({ sent: 1 });
    expect(sink.to(to)).toHaveLength(1);
    expect(retryDelayMs(1, { minMs: 1000, maxMs: 8000, maxAttempts: 9 }, () => 0)).toBe(500);
    expect(retryDelayMs(10, { minMs: 1000, maxMs: 8000, maxAttempts: 9 }, () => 1)).toBe(8000);
  });

  it('gives up after the last attempt, at once on a permanent refusal, and drops expired messages', async () => {
    const clock = new TestClock();
    const gone: string[] = [];
    const worker = new DeliveryWorker({
      db, channels, now: clock.now, backoff: { minMs: 1000, maxMs: 1000, maxAttempts: 2 }, random: () => 1,
      onPermanentFailure: (d) => { gone.push(d.recipient.address); },
    });
    const notifier = new Notifier(new Set(['push', 'sms']));
    const busy = pushService.subscribe();
    const dropped = pushService.subscribe();
    pushService.unsubscribe(dropped.id);
    const policy = { allowHttp: true, hosts: ['127.0.0.1'] };
    await notifier.notify(db, {
      eventKey: `giveup-${dialect}`, params: called,
      recipients: [parseRecipient({ channel: 'push', subscription: busy.json, language: 'fr' }, policy), parseRecipient({ channel: 'push', subscription: dropped.json, language: 'fr' }, policy)],
    }, clock.now().toISOString());
    pushService.failNext(2, 503);
    expect(await worker.round()).toMatchObject({ retried: 1, failed: 1 });
    expect(gone).toEqual([dropped.json.endpoint]);
    clock.advance(1000);
    expect(await worker.round()).toMatchObject({ failed: 1 });
    const log = await listDeliveries(db, { eventKey: `giveup-${dialect}` });
    expect(log.map((d) => [d.status, d.attempts])).toEqual([['failed', 2], ['failed', 1]]);
    expect(pushService.for(busy.id)).toHaveLength(0);

    const before = sms.messages.length;
    await notifier.notify(db, {
      eventKey: `stale-${dialect}`, params: called, recipients: [parseRecipient({ channel: 'sms', address: '771234567', language: 'fr' })],
      expiresAt: new Date(clock.t + 5_000).toISOString(),
    }, clock.now().toISOString());
    clock.advance(6_000);
    expect(await worker.round()).toMatchObject({ expired: 1, sent: 0 });
    expect(sms.messages.length).toBe(before);
  });

  it('lets two workers share the log without sending anything twice, and takes over a dead worker\'s lease', async () => {
    const clock = new TestClock();
    const notifier = new Notifier(new Set(['sms']));
    const phones = Array.from({ length: 12 }, (_, i) => `+22176${dialect === 'sqlite' ? 1 : 2}0000${String(i).padStart(2, '0')}`);
    const key = `shared-${dialect}`;
    await notifier.notify(db, { eventKey: key, params: called, recipients: phones.map((p) => parseRecipient({ channel: 'sms', address: p, language: 'wo' })) }, clock.now().toISOString());
    // A worker claims two rows and dies before sending them.
    const leaseUntil = new Date(clock.t + 60_000).toISOString();
    const { claimed: orphaned } = await claimDue(notificationDb(db), clock.now().toISOString(), 2, leaseUntil);
    expect(orphaned).toHaveLength(2);
    const a = new DeliveryWorker({ db, channels, now: clock.now, batchSize: 3 });
    const b = new DeliveryWorker({ db, channels, now: clock.now, batchSize: 3 });
    const [ra, rb] = await Promise.all([a.round(), b.round()]);
    expect(ra.sent + rb.sent).toBe(10);
    clock.advance(61_000);
    expect((await a.round()).sent).toBe(2);
    const got = sms.messages.filter((m) => phones.includes(m.to)).map((m) => m.to).sort();
    expect(got).toEqual([...phones].sort());
  });

  it('keeps the log when the same message is queued in one call twice', async () => {
    const r = await enqueueDeliveries(db, [
      { eventKey: `dup-${dialect}`, recipient: { channel: 'sms', address: '+221771234567', language: 'fr' }, message: renderNotification(called, 'fr') },
      { eventKey: `dup-${dialect}`, recipient: { channel: 'sms', address: '+221771234567', language: 'wo' }, message: renderNotification(called, 'wo') },
    ], new Date().toISOString());
    expect(r.queued).toHaveLength(1);
    expect(r.duplicates).toBe(1);
  });
});

describe.each(dialects)('delivery log migration on %s', (dialect) => {
  it("gives the rows logged before it their branch: a ticket's from its event key, a booking's from its booking", async () => {
    const { db, close } = await openDb(dialect, false);
    try {
      await migrateTrack(db, 'notification', { '0001_delivery_log': notificationMigrations['0001_delivery_log'] as (typeof notificationMigrations)[string] });
      // Central's bookings table, as far as the migration reads it.
      await db.schema.createTable('bookings').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('branch_id', 'text', (c) => c.notNull()).execute();
      const raw = db as unknown as Kysely<{ bookings: { id: string; branch_id: string } }>;
      await raw.insertInto('bookings').values({ id: 'bk-1', branch_id: 'br-thies' }).execute();
      const now = '2025-03-12T09:00:00.000Z';
      const old = (id: string, eventKey: string, ref: [string, string] | null) => ({
        id, event_key: eventKey, channel: 'email', recipient: `${id}@example.sn`, kind: 'called', language: 'fr', target: '{}', message: '{}',
        status: 'sent', attempts: 1, next_attempt_at: now, lease_until: null, expires_at: null, last_error: null, provider_ref: null,
        ref_type: ref?.[0] ?? null, ref_id: ref?.[1] ?? null, created_at: now, updated_at: now, sent_at: now,
      });
      const before = db as unknown as Kysely<{ notification_deliveries: ReturnType<typeof old> }>;
      await before.insertInto('notification_deliveries').values([
        old('d1', 'called:br-plateau:ev-1', ['ticket', 't-1']),
        old('d2', 'turn_near:br-fann:t-2:svc-a', ['ticket', 't-2']),
        old('d3', 'booking_confirmation:bk-1:v1', ['booking', 'bk-1']),
        old('d4', 'booking_reminder:bk-gone:2025-03-13T09:00:00.000Z', ['booking', 'bk-gone']),
        old('d5', 'something_else', null),
      ]).execute();
      await migrateNotifications(db);
      const rows = await db.selectFrom('notification_deliveries').select(['id', 'branch_id']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'd1', branch_id: 'br-plateau' }, { id: 'd2', branch_id: 'br-fann' }, { id: 'd3', branch_id: 'br-thies' },
        { id: 'd4', branch_id: null }, { id: 'd5', branch_id: null },
      ]);
      expect((await listDeliveries(db, { branchIds: ['br-fann', 'br-thies'] })).map((d) => d.id)).toEqual(['d2', 'd3']);
      // The console's log: the latest first (same time here, so the id breaks the tie the other way too).
      expect((await listDeliveries(db, { branchIds: ['br-fann', 'br-thies'], newestFirst: true })).map((d) => d.id)).toEqual(['d3', 'd2']);
      expect(await listDeliveries(db, { branchIds: [] })).toEqual([]);
    } finally {
      await close();
    }
  });
});
