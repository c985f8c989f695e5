// Central's side of contact retention (shared/privacy.ts): bookings over (or cancelled), tracking subscriptions,
// the notification delivery log, phone payments' payer numbers, provider callbacks and the raw records branches
// pushed (sync events and quarantine) lose their phone numbers and e-mail addresses once the retention period has
// passed. Bookings, tickets and every figure stay. Runs at start and then hourly; each instance may run it, the
// statements are idempotent.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import { CONTACT_LIKE_PATTERNS, CONTACT_RETENTION_DAYS, retentionCutoff, scrubJsonText } from '../../shared/privacy.js';
import type { CentralDb } from '../db/database.js';

const EVERY_MS = 3_600_000;
const BATCH = 500;

export interface CentralErasedContacts {
  bookings: number; subscriptions: number; deliveries: number; checkouts: number; providerEvents: number; syncRecords: number;
}

export class CentralContactRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CentralErasedContacts> | null = null;

  constructor(private readonly deps: { cdb: CentralDb; clock: Clock; logger: Logger }, readonly days = CONTACT_RETENTION_DAYS) {}

  start(): void {
    const tick = () => { void this.eraseExpired().catch((err: unknown) => this.deps.logger.error({ err }, 'contact retention failed')); };
    this.timer = setInterval(tick, EVERY_MS);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  eraseExpired(): Promise<CentralErasedContacts> {
    this.running ??= this.erase().finally(() => { this.running = null; });
    return this.running;
  }

  private async erase(): Promise<CentralErasedContacts> {
    const cutoff = retentionCutoff(this.deps.clock.now(), this.days);
    const db = this.deps.cdb.db;
    const changed = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);
    const bookings = changed(await sql`UPDATE bookings SET phone = NULL, email = NULL
      WHERE (ends_at < ${cutoff} OR (status = 'cancelled' AND updated_at < ${cutoff})) AND (phone IS NOT NULL OR email IS NOT NULL)`.execute(db));
    // A subscription is nothing but a contact: it goes whole.
    const subscriptions = changed(await sql`DELETE FROM tracking_subscriptions WHERE created_at < ${cutoff}`.execute(db));
    // Old deliveries were sent, given up or expired long ago: the log keeps none of their recipients.
    const deliveries = changed(await sql`DELETE FROM notification_deliveries WHERE created_at < ${cutoff} AND status <> 'pending' AND status <> 'sending'`.execute(db));
    const checkouts = changed(await sql`UPDATE payment_checkouts SET payer_phone = NULL
      WHERE status <> 'pending' AND updated_at < ${cutoff} AND payer_phone IS NOT NULL`.execute(db));
    const providerEvents = await this.scrub('provider_events', 'payload', 'received_at', cutoff, ['provider', 'event_id']);
    const syncRecords = await this.scrub('sync_events', 'payload', 'received_at', cutoff, ['branch_id', 'event_id'])
      + await this.scrub('sync_quarantine', 'record', 'received_at', cutoff, ['branch_id', 'seq']);
    const erased = { bookings, subscriptions, deliveries, checkouts, providerEvents, syncRecords };
    if (Object.values(erased).some((n) => n > 0)) this.deps.logger.info({ ...erased, cutoff }, 'visitors\' contact data erased after the retention period');
    return erased;
  }

  /** Rewrite stored JSON texts older than the cutoff without their contacts, a batch at a time. */
  private async scrub(table: string, column: string, at: string, cutoff: string, key: string[]): Promise<number> {
    const db = this.deps.cdb.db;
    const like = sql.join(CONTACT_LIKE_PATTERNS.map((p) => sql`${sql.ref(column)} LIKE ${p}`), sql` OR `);
    let total = 0;
    for (;;) {
      const rows = (await sql<Record<string, unknown>>`SELECT ${sql.join(key.map((k) => sql.ref(k)))}, ${sql.ref(column)} AS text
        FROM ${sql.table(table)} WHERE ${sql.ref(at)} < ${cutoff} AND (${like}) LIMIT ${BATCH}`.execute(db)).rows;
      let changedHere = 0;
      for (const r of rows) {
        const scrubbed = scrubJsonText(String(r.text));
        if (scrubbed === r.text) continue; // not JSON: left as it is (and not looked at again in this run)
        const where = sql.join(key.map((k) => sql`${sql.ref(k)} = ${r[k]}`), sql` AND `);
        await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${scrubbed} WHERE ${where}`.execute(db);
        changedHere += 1;
      }
      total += changedHere;
      if (rows.length < BATCH || changedHere === 0) return total;
    }
  }
}
