// SMS through the Orange SMS API (api.orange.com shape): an OAuth2 client-credentials token, then
// POST /smsmessaging/v1/outbound/{senderAddress}/requests with an outboundSMSMessageRequest. The token is cached
// until shortly before it expires and fetched again once if the API refuses it.
import { ChannelError } from '../errors.js';
import type { Recipient, RenderedNotification } from '../types.js';
import type { NotificationChannel, SendResult } from './types.js';

export interface OrangeSmsConfig {
  /** Default https://api.orange.com */
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** The sender number as Orange names it: tel:+221XXXXXXXXX (or tel:+2210000 for the shared short code). */
  senderAddress: string;
  /** Sender name shown to the recipient, if the contract allows one. */
  senderName?: string;
  timeoutMs?: number;
  /** Token path. Default /oauth/v3/token. */
  tokenPath?: string;
  now?: () => number;
}

interface Token { value: string; expiresAt: number }

export function createOrangeSmsChannel(config: OrangeSmsConfig): NotificationChannel {
  const base = (config.baseUrl ?? 'https://api.orange.com').replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 10_000;
  const now = config.now ?? Date.now;
  let token: Token | null = null;
  let pending: Promise<Token> | null = null;

  async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown; text: string }> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    } catch (err) {
      throw new ChannelError('sms', `Orange SMS API unreachable: ${err instanceof Error ? err.message : String(err)}`, false, null, { cause: err });
    }
    const text = await res.text();
    let body: unknown = null;
    try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body, text };
  }

  async function fetchToken(): Promise<Token> {
    const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
    const r = await call(`${base}${config.tokenPath ?? '/oauth/v3/token'}`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
    });
    const b = r.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (r.status !== 200 || typeof b?.access_token !== 'string') {
      // Wrong client id/secret is a configuration error: retrying will not fix it, but the next message may come
      // after it is fixed, so it is not tied to this recipient. Treat 4xx as permanent for this message only.
      throw new ChannelError('sms', `Orange token request answered ${r.status}: ${r.text.slice(0, 200)}`, r.status >= 400 && r.status < 500 && r.status !== 429, r.status);
    }
    const seconds = typeof b.expires_in === 'number' ? b.expires_in : Number(b.expires_in ?? 3600);
    return { value: b.access_token, expiresAt: now() + Math.max(0, seconds - 60) * 1000 };
  }

  async function accessToken(fresh: boolean): Promise<string> {
    if (!fresh && token && token.expiresAt > now()) return token.value;
    pending ??= fetchToken().finally(() => { pending = null; });
    token = await pending;
    return token.value;
  }

  return {
    kind: 'sms',
    async send(recipient: Recipient, message: RenderedNotification): Promise<SendResult> {
      if (recipient.channel !== 'sms') throw new ChannelError('sms', `cannot text a ${recipient.channel} recipient`, true);
      const sender = config.senderAddress;
      const url = `${base}/smsmessaging/v1/outbound/${encodeURIComponent(sender)}/requests`;
      const body = JSON.stringify({
        outboundSMSMessageRequest: {
          address: `tel:${recipient.address}`,
          senderAddress: sender,
          ...(config.senderName && { senderName: config.senderName }),
          outboundSMSTextMessage: { message: message.sms },
        },
      });
      for (let attempt = 0; ; attempt++) {
        const t = await accessToken(attempt > 0);
        const r = await call(url, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json', accept: 'application/json' }, body });
        if (r.status === 401 && attempt === 0) continue; // token revoked or expired early: fetch one and try once more
        if (r.status === 201 || r.status === 200) {
          const resource = (r.body as { outboundSMSMessageRequest?: { resourceURL?: unknown } } | null)?.outboundSMSMessageRequest?.resourceURL;
          return { providerRef: typeof resource === 'string' ? resource.split('/').pop() ?? resource : null };
        }
        const permanent = r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429;
        throw new ChannelError('sms', `Orange SMS API answered ${r.status}: ${r.text.slice(0, 200)}`, permanent, r.status);
      }
    },
  };
}
