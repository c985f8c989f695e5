// The delivery worker: takes due rows from the delivery log, sends each through its channel outside any
// transaction, and records the outcome. Transient failures come back later (exponential backoff with jitter),
// permanent ones and expired messages stop. Several workers (central instances) may run on one database.
import type { Logger } from 'pino';
import { ChannelError } from './errors.js';
import {
  claimDue, DEFAULT_BACKOFF, markFailed, markSent, retryDelayMs, scheduleRetry, type BackoffPolicy, type Delivery,
} from './delivery-log.js';
import type { Channels } from './channels/types.js';
import type { NotificationDb } from './store.js';

export interface DeliveryWorkerOptions {
  db: NotificationDb;
  channels: Channels;
  now?: () => Date;
  logger?: Logger;
  /** Look for due rows this often. Default 1 s. */
  pollMs?: number;
  /** Rows taken per round. Default 20. */
  batchSize?: number;
  backoff?: Partial<BackoffPolicy>;
  /** How long a claimed row is ours before another worker may take it over. Default 2 min. */
  leaseMs?: number;
  /** A push subscription answered 404/410, an address was refused for good: the owner may forget it, in `trx`. */
  onPermanentFailure?: (delivery: Delivery, error: ChannelError, trx: NotificationDb) => Promise<void> | void;
  random?: () => number;
}

export interface RoundResult { sent: number; retried: number; failed: number; expired: number }

export class DeliveryWorker {
  private readonly now: () => Date;
  private readonly backoff: BackoffPolicy;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RoundResult> | null = null;
  private again = false;
  private stopped = true;
  private closing = false;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Look for work now (after something was queued). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((err: unknown) => {
        this.options.logger?.error({ err }, 'notification delivery round failed');
        return { sent: 0, retried: 0, failed: 0, expired: 0 };
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One round: claim and send what is due. Exposed for tests and for draining on demand. */
  async round(): Promise<RoundResult> {
    const result: RoundResult = { sent: 0, retried: 0, failed: 0, expired: 0 };
    const { db } = this.options;
    for (;;) {
      const now = this.now();
      const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 120_000)).toISOString();
      const { claimed, contended } = await claimDue(db, now.toISOString(), this.options.batchSize ?? 20, leaseUntil);
      // Rows another worker took are its to send; look again while there were candidates at all.
      if (!claimed.length && !contended) return result;
      await Promise.all(claimed.map(async (d) => {
        const outcome = await this.deliver(d);
        result[outcome]++;
      }));
      if (this.closing) return result;
    }
  }

  private async deliver(d: Delivery): Promise<keyof RoundResult> {
    const { db, logger } = this.options;
    const at = () => this.now().toISOString();
    if (d.expiresAt && Date.parse(d.expiresAt) <= this.now().getTime()) {
      await markFailed(db, d.id, 'expired before it could be sent', at(), 'expired');
      return 'expired';
    }
    const channel = this.options.channels[d.channel];
    if (!channel) {
      await markFailed(db, d.id, `channel ${d.channel} is not configured`, at());
      return 'failed';
    }
    try {
      const { providerRef } = await channel.send(d.recipient, d.message);
      await markSent(db, d.id, providerRef, at());
      logger?.info({ deliveryId: d.id, channel: d.channel, kind: d.kind, eventKey: d.eventKey }, 'notification sent');
      return 'sent';
    } catch (err) {
      const error = err instanceof ChannelError ? err : new ChannelError(d.channel, err instanceof Error ? err.message : String(err), false, null, { cause: err });
      if (error.permanent || d.attempts >= this.backoff.maxAttempts) {
        const forget = error.permanent ? this.options.onPermanentFailure : undefined;
        // The failure and what its owner forgets because of it are one transaction: the log never says "failed for
        // good" of a recipient that is still kept.
        if (forget) {
          await db.transaction().execute(async (trx) => {
            await markFailed(trx, d.id, error.message, at());
            await forget(d, error, trx);
          });
        } else await markFailed(db, d.id, error.message, at());
        logger?.warn({ deliveryId: d.id, channel: d.channel, attempts: d.attempts, err: error.message }, 'notification failed for good');
        return 'failed';
      }
      const next = new Date(this.now().getTime() + retryDelayMs(d.attempts, this.backoff, this.options.random)).toISOString();
      await scheduleRetry(db, d.id, error.message, next, at());
      logger?.warn({ deliveryId: d.id, channel: d.channel, attempts: d.attempts, next, err: error.message }, 'notification will be retried');
      return 'retried';
    }
  }
}
