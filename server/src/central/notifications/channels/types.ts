// A channel delivers one rendered message to one recipient, or throws ChannelError (permanent or not).
import type { ChannelKind, Recipient, RenderedNotification } from '../types.js';

export interface SendResult {
  /** The provider's id of the message (SMTP message id, SMS resource id), when it gives one. */
  providerRef: string | null;
}

export interface NotificationChannel {
  readonly kind: ChannelKind;
  send(recipient: Recipient, message: RenderedNotification): Promise<SendResult>;
  close?(): Promise<void>;
}

export type Channels = Partial<Record<ChannelKind, NotificationChannel>>;
