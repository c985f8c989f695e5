// Which channels a deployment uses, from the environment. Each is off unless configured; SMS is off by default
// even when credentials exist (SMS_PROVIDER=orange turns it on), because every message costs money.
import { createEmailChannel, type EmailChannelConfig } from './email.js';
import { createPushChannel, type PushChannelConfig } from './push.js';
import { createOrangeSmsChannel, type OrangeSmsConfig } from './sms-orange.js';
import type { Channels } from './types.js';

export interface ChannelsConfig {
  email?: EmailChannelConfig | null;
  push?: PushChannelConfig | null;
  sms?: OrangeSmsConfig | null;
}

type Env = Record<string, string | undefined>;

/**
 * SMTP_URL, SMTP_FROM · VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT · SMS_PROVIDER (off | orange),
 * ORANGE_SMS_BASE_URL, ORANGE_SMS_CLIENT_ID, ORANGE_SMS_CLIENT_SECRET, ORANGE_SMS_SENDER, ORANGE_SMS_SENDER_NAME.
 */
export function channelsConfigFromEnv(env: Env = process.env): ChannelsConfig {
  const config: ChannelsConfig = {};
  if (env.SMTP_URL) config.email = { url: env.SMTP_URL, from: env.SMTP_FROM || 'SmartQueue <no-reply@localhost>' };
  if (env.VAPID_PUBLIC_KEY || env.VAPID_PRIVATE_KEY) {
    if (!env.VAPID_PUBLIC_KEY || !env.VAPID_PRIVATE_KEY) throw new Error('web push needs both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys)');
    config.push = { vapid: { subject: env.VAPID_SUBJECT || 'mailto:admin@localhost', publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY } };
  }
  const sms = (env.SMS_PROVIDER ?? 'off').toLowerCase();
  if (sms === 'orange') {
    const missing = ['ORANGE_SMS_CLIENT_ID', 'ORANGE_SMS_CLIENT_SECRET', 'ORANGE_SMS_SENDER'].filter((k) => !env[k]);
    if (missing.length) throw new Error(`SMS_PROVIDER=orange needs ${missing.join(', ')}`);
    config.sms = {
      baseUrl: env.ORANGE_SMS_BASE_URL || undefined,
      clientId: env.ORANGE_SMS_CLIENT_ID as string,
      clientSecret: env.ORANGE_SMS_CLIENT_SECRET as string,
      senderAddress: env.ORANGE_SMS_SENDER as string,
      senderName: env.ORANGE_SMS_SENDER_NAME || undefined,
    };
  } else if (sms !== 'off' && sms !== '') {
    throw new Error(`SMS_PROVIDER=${env.SMS_PROVIDER} is not known (off | orange)`);
  }
  return config;
}

export function createChannels(config: ChannelsConfig): Channels {
  const channels: Channels = {};
  if (config.email) channels.email = createEmailChannel(config.email);
  if (config.push) channels.push = createPushChannel(config.push);
  if (config.sms) channels.sms = createOrangeSmsChannel(config.sms);
  return channels;
}

export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.all(Object.values(channels).map((c) => c?.close?.()));
}
