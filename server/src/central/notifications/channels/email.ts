// E-mail through SMTP (nodemailer). SMTP_URL is a nodemailer connection URL: smtp://user:pass@host:587,
// smtps://… for implicit TLS. 5xx answers are permanent (mailbox unknown…), 4xx and network errors are retried.
import nodemailer from 'nodemailer';
import { ChannelError } from '../errors.js';
import type { Recipient, RenderedNotification } from '../types.js';
import type { NotificationChannel, SendResult } from './types.js';

export interface EmailChannelConfig {
  /** nodemailer SMTP URL, e.g. smtp://user:pass@smtp.example.sn:587 */
  url: string;
  /** From header, e.g. "SmartQueue <no-reply@example.sn>". */
  from: string;
  /** Bound on connecting, greeting and each command. Default 15 s. */
  timeoutMs?: number;
}

interface SmtpError { responseCode?: number; code?: string; message?: string }

export function createEmailChannel(config: EmailChannelConfig): NotificationChannel {
  const timeout = config.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: config.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: 'email',
    async send(recipient: Recipient, message: RenderedNotification): Promise<SendResult> {
      if (recipient.channel !== 'email') throw new ChannelError('email', `cannot e-mail a ${recipient.channel} recipient`, true);
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: recipient.address,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'Content-Language': message.language, 'Auto-Submitted': 'auto-generated' },
        });
        return { providerRef: typeof info.messageId === 'string' ? info.messageId : null };
      } catch (err) {
        const e = err as SmtpError;
        const code = typeof e.responseCode === 'number' ? e.responseCode : null;
        throw new ChannelError('email', `SMTP: ${e.message ?? String(err)}`, code !== null && code >= 500, code, { cause: err });
      }
    },
    async close() {
      transport.close();
    },
  };
}
