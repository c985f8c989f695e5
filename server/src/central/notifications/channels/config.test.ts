// Which channels `npm run central` turns on from its environment: none unless configured, SMS off by default even
// with Orange credentials present, clear errors for half-done settings (docs/notifications.md).
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { trackingOptionsFromEnv } from '../../tracking/env.js';
import { DEFAULT_PUSH_HOSTS } from '../recipients.js';
import { channelsConfigFromEnv } from './config.js';

const orange = { ORANGE_SMS_CLIENT_ID: 'id', ORANGE_SMS_CLIENT_SECRET: 'secret', ORANGE_SMS_SENDER: 'tel:+2210000' };

describe('notification settings from the environment', () => {
  it('turns nothing on by default, and SMS only with SMS_PROVIDER=orange', () => {
    expect(channelsConfigFromEnv({})).toEqual({});
    expect(channelsConfigFromEnv({ ...orange })).toEqual({});
    expect(channelsConfigFromEnv({ ...orange, SMS_PROVIDER: 'off' })).toEqual({});
    expect(channelsConfigFromEnv({ ...orange, SMS_PROVIDER: 'orange' }).sms).toEqual({
      baseUrl: undefined, clientId: 'id', clientSecret: 'secret', senderAddress: 'tel:+2210000', senderName: undefined,
    });
    expect(() => channelsConfigFromEnv({ SMS_PROVIDER: 'orange', ORANGE_SMS_CLIENT_ID: 'id' })).toThrow('SMS_PROVIDER=orange needs ORANGE_SMS_CLIENT_SECRET, ORANGE_SMS_SENDER');
    expect(() => channelsConfigFromEnv({ SMS_PROVIDER: 'twilio' })).toThrow(/not known \(off \| orange\)/);
  });

  it('takes SMTP and VAPID settings, and refuses half a VAPID key pair', () => {
    const keys = webpush.generateVAPIDKeys();
    const c = channelsConfigFromEnv({ SMTP_URL: 'smtp://127.0.0.1:2525', VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey });
    expect(c.email).toEqual({ url: 'smtp://127.0.0.1:2525', from: 'SmartQueue <no-reply@localhost>' });
    expect(c.push?.vapid).toEqual({ subject: 'mailto:admin@localhost', publicKey: keys.publicKey, privateKey: keys.privateKey });
    expect(() => channelsConfigFromEnv({ VAPID_PUBLIC_KEY: keys.publicKey })).toThrow(/both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY/);
  });

  it('reads the tracking settings', () => {
    const o = trackingOptionsFromEnv({
      SMARTQUEUE_CENTRAL_PUBLIC_URL: 'https://suivi.example.sn', SMARTQUEUE_TRACK_STALE_SECONDS: '120', SMARTQUEUE_TRACK_NOTIFY_AT: '4',
      WEB_PUSH_ALLOWED_HOSTS: 'push.example.sn, ',
    });
    expect(o).toMatchObject({ publicUrl: 'https://suivi.example.sn', staleAfterSeconds: 120, notifyAtPosition: 4, channels: {} });
    expect(o.pushEndpointPolicy?.hosts).toEqual([...DEFAULT_PUSH_HOSTS, 'push.example.sn']);
    expect(trackingOptionsFromEnv({})).toMatchObject({ publicUrl: undefined, staleAfterSeconds: undefined, pushEndpointPolicy: undefined });
    expect(() => trackingOptionsFromEnv({ SMARTQUEUE_TRACK_NOTIFY_AT: 'trois' })).toThrow('SMARTQUEUE_TRACK_NOTIFY_AT must be a positive whole number, not "trois"');
  });
});
