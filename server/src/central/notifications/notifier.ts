// The one entry point for sending a notification: render it in each recipient's language and queue one delivery
// per recipient in the log (inside the caller's transaction when given one). The DeliveryWorker sends.
// Appointments use it for booking confirmations and reminders; tracking for "your turn is near" and calls.
import { enqueueDeliveries } from './delivery-log.js';
import type { NotificationDb } from './store.js';
import { renderNotification } from './templates.js';
import type { ChannelKind, NotificationParams, Recipient } from './types.js';

export interface NotifyInput {
  /** The event this message is about; with channel and recipient it is the "never twice" key. */
  eventKey: string;
  params: NotificationParams;
  recipients: readonly Recipient[];
  /** The message is dropped if it could not be sent before this (ISO). */
  expiresAt?: string | null;
  ref?: { type: string; id: string } | null;
  /** The branch the message is about. */
  branchId?: string | null;
}

export interface NotifyResult {
  queued: number;
  /** Recipients that already had this event on this channel. */
  duplicates: number;
  /** Recipients on channels that are not configured here (e.g. SMS off). */
  skipped: Array<{ channel: ChannelKind; address: string }>;
}

export class Notifier {
  constructor(
    /** Channels this deployment can use (the others are skipped, not queued). */
    private readonly enabled: ReadonlySet<ChannelKind>,
    private readonly onQueued: () => void = () => undefined,
  ) {}

  isEnabled(channel: ChannelKind): boolean {
    return this.enabled.has(channel);
  }

  enabledChannels(): ChannelKind[] {
    return [...this.enabled];
  }

  /**
   * Queue the message for every recipient whose channel is enabled. `db` may be a transaction: the deliveries
   * then commit with the caller's change (call `queued()` after the commit to wake the worker).
   */
  async notify(db: NotificationDb, input: NotifyInput, now: string): Promise<NotifyResult> {
    return this.notifyMany(db, [input], now);
  }

  /** Several messages at once: their deliveries are queued in as few statements as the log allows. */
  async notifyMany(db: NotificationDb, inputs: readonly NotifyInput[], now: string): Promise<NotifyResult> {
    const skipped: NotifyResult['skipped'] = [];
    const items = [];
    for (const input of inputs) {
      for (const r of input.recipients) {
        if (!this.enabled.has(r.channel)) {
          skipped.push({ channel: r.channel, address: r.address });
          continue;
        }
        items.push({ eventKey: input.eventKey, recipient: r, message: renderNotification(input.params, r.language), expiresAt: input.expiresAt ?? null, ref: input.ref ?? null, branchId: input.branchId ?? null });
      }
    }
    if (!items.length) return { queued: 0, duplicates: 0, skipped };
    const { queued, duplicates } = await enqueueDeliveries(db, items, now);
    return { queued: queued.length, duplicates, skipped };
  }

  /** Wake the delivery worker (after the transaction that queued messages has committed). */
  queued(): void {
    this.onQueued();
  }
}
