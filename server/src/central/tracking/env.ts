// Tracking and notification settings of `npm run central`, from the environment (docs/notifications.md).
import { channelsConfigFromEnv } from '../notifications/channels/config.js';
import { DEFAULT_PUSH_HOSTS } from '../notifications/recipients.js';
import type { TrackingOptions } from './tracking.service.js';

type Env = Record<string, string | undefined>;

function positiveInt(env: Env, key: string): number | undefined {
  const v = env[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${key} must be a positive whole number, not "${v}"`);
  return n;
}

/**
 * SMARTQUEUE_CENTRAL_PUBLIC_URL, SMARTQUEUE_TRACK_STALE_SECONDS, SMARTQUEUE_TRACK_NOTIFY_AT, SMARTQUEUE_TRACK_REMOTE_LEAD_MINUTES, WEB_PUSH_ALLOWED_HOSTS, and the
 * channels' variables (SMTP_URL, SMTP_FROM, VAPID_*, SMS_PROVIDER, ORANGE_SMS_*).
 */
export function trackingOptionsFromEnv(env: Env = process.env): TrackingOptions {
  const hosts = env.WEB_PUSH_ALLOWED_HOSTS?.split(',').map((h) => h.trim()).filter(Boolean);
  return {
    publicUrl: env.SMARTQUEUE_CENTRAL_PUBLIC_URL || undefined,
    staleAfterSeconds: positiveInt(env, 'SMARTQUEUE_TRACK_STALE_SECONDS'),
    notifyAtPosition: positiveInt(env, 'SMARTQUEUE_TRACK_NOTIFY_AT'),
    remoteLeadMinutes: positiveInt(env, 'SMARTQUEUE_TRACK_REMOTE_LEAD_MINUTES'),
    channels: channelsConfigFromEnv(env),
    pushEndpointPolicy: hosts?.length ? { hosts: [...DEFAULT_PUSH_HOSTS, ...hosts] } : undefined,
  };
}
