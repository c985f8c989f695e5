// Web push with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), both done by the web-push library;
// the POST itself goes through fetch with a time limit. 404/410 mean the browser dropped the subscription
// (permanent: the caller forgets it); 429 and 5xx are retried.
import webpush from 'web-push';
import { ChannelError } from '../errors.js';
import type { Recipient, RenderedNotification } from '../types.js';
import type { NotificationChannel, SendResult } from './types.js';

export interface VapidConfig {
  /** mailto: or https: contact of the sender, given to push services. */
  subject: string;
  /** base64url keys from `npx web-push generate-vapid-keys`. */
  publicKey: string;
  privateKey: string;
}

export interface PushChannelConfig {
  vapid: VapidConfig;
  /** How long the push service keeps an undelivered message. Default 15 min: older "your turn" news is useless. */
  ttlSeconds?: number;
  timeoutMs?: number;
}

/** What the service worker receives (JSON). */
export interface PushPayload { title: string; body: string; url: string | null; tag: string; kind: string }

export function createPushChannel(config: PushChannelConfig): NotificationChannel {
  // Fails early on malformed keys instead of at the first send.
  webpush.setVapidDetails(config.vapid.subject, config.vapid.publicKey, config.vapid.privateKey);
  const timeoutMs = config.timeoutMs ?? 10_000;
  return {
    kind: 'push',
    async send(recipient: Recipient, message: RenderedNotification): Promise<SendResult> {
      if (recipient.channel !== 'push') throw new ChannelError('push', `cannot push to a ${recipient.channel} recipient`, true);
      const payload: PushPayload = { ...message.push, kind: message.kind };
      let details: webpush.RequestDetails;
      try {
        details = webpush.generateRequestDetails(recipient.subscription, JSON.stringify(payload), {
          vapidDetails: config.vapid,
          TTL: config.ttlSeconds ?? 900,
          urgency: 'high',
          contentEncoding: 'aes128gcm',
        });
      } catch (err) {
        throw new ChannelError('push', `cannot encrypt for this subscription: ${err instanceof Error ? err.message : String(err)}`, true, null, { cause: err });
      }
      let res: Response;
      try {
        res = await fetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body ?? undefined,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (err) {
        throw new ChannelError('push', `push service unreachable: ${err instanceof Error ? err.message : String(err)}`, false, null, { cause: err });
      }
      const text = await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) return { providerRef: res.headers.get('location') };
      const permanent = res.status === 404 || res.status === 410 || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
      throw new ChannelError('push', `push service answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, permanent, res.status);
    },
  };
}

/** 404/410: the subscription is gone for good. */
export function isGoneSubscription(err: unknown): boolean {
  return err instanceof ChannelError && err.channel === 'push' && (err.httpStatus === 404 || err.httpStatus === 410);
}
