// What the notification layer talks about: kinds of messages, channels, recipients and rendered messages.
// Shared by the delivery log, the channels and their callers (tracking at central, appointments later).
import type { Language, LocalizedText } from '../../shared/contracts/domain.js';

export const NOTIFICATION_KINDS = ['booking_confirmation', 'booking_reminder', 'turn_near', 'called', 'sms_reply', 'visitor_code'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const CHANNEL_KINDS = ['email', 'push', 'sms'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A browser's push subscription, as PushSubscription.toJSON() gives it. */
export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

/**
 * Someone to notify on one channel. `address` is normalised (e-mail lower-cased, phone +221XXXXXXXXX, push: the
 * endpoint URL) and is part of the delivery log's unique key.
 */
export type Recipient =
  | { channel: 'email'; address: string; language: Language }
  | { channel: 'sms'; address: string; language: Language }
  | { channel: 'push'; address: string; language: Language; subscription: PushSubscriptionJson };

/** What each kind of message needs. Times are ISO-8601; they are shown in `timeZone`. */
export type NotificationParams =
  | { kind: 'turn_near'; ticketNumber: string; position: number; waitMinutes: number | null; branchName: string; trackUrl: string | null }
  | { kind: 'called'; ticketNumber: string; counterNumber: number | null; branchName: string; trackUrl: string | null }
  /** The answer to a visitor's SMS (issue 18), worded already in the sender's language (remote/phone/phone-texts.ts). */
  | { kind: 'sms_reply'; text: string }
  /** A visitor's one-time code (central/visitors): `minutes` it stands. */
  | { kind: 'visitor_code'; code: string; minutes: number }
  | {
    kind: 'booking_confirmation' | 'booking_reminder'; serviceName: LocalizedText | string; branchName: string; startsAt: string;
    timeZone: string; bookingCode: string; url: string | null;
  };

/** One message in one language, in the forms the three channels need. */
export interface RenderedNotification {
  kind: NotificationKind;
  language: Language;
  /** E-mail subject. */
  subject: string;
  /** E-mail plain text body. */
  text: string;
  /** E-mail HTML body (escaped, minimal markup). */
  html: string;
  /** SMS text: one or two segments. */
  sms: string;
  /** Web push payload shown by the tracking page's service worker. */
  push: { title: string; body: string; url: string | null; tag: string };
}
