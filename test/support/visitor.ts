// A visitor proving a phone number the way the web site does (issue 18): ask central for a code, read it in the SMS
// the simulated operator received, send it back, keep the token. Tokens are kept per phone (a few codes an hour each).
import type { OrangeSmsSimulator, SimulatedSms } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { listDeliveries, notificationDb } from '../../server/src/central/notifications/index.js';
import type { VisitorCodeSent, VisitorToken } from '../../server/src/shared/contracts/visitor.js';
import { normalizeSenegalPhone } from '../../server/src/shared/contracts/domain.js';
import type { Clock } from '../../server/src/shared/clock.js';
import type { SmtpSink } from '../fixtures/smtp-sink.js';
import type { ApiClient } from './branch.js';
import { waitFor } from './central.js';

/** The 6-digit code of the latest SMS to `phone` that came after `after` messages. */
export async function codeFromSms(sms: OrangeSmsSimulator, phone: string, after: number): Promise<string> {
  return waitFor(`the code's SMS to ${phone}`, () => {
    const m = sms.messages.slice(after).reverse().find((x) => x.to.replace(/^tel:/, '') === phone && /SmartQueue/.test(x.message));
    return m?.message.match(/\b(\d{6})\b/)?.[1];
  }, 15_000);
}

/** The SMS central sent in answer to one inbound message (its delivery log's `sms_reply:<messageId>`), as the phone received them. */
export async function smsAnswersTo(db: Parameters<typeof notificationDb>[0], sms: OrangeSmsSimulator, messageId: string): Promise<SimulatedSms[]> {
  const sent = await listDeliveries(notificationDb(db), { eventKey: `sms_reply:${messageId}` });
  return sms.messages.filter((m) => sent.some((d) => d.status === 'sent' && d.providerRef === m.id));
}

/** A visitor code's SMS text or e-mail subject (not a booking's or a ticket's message): tests that count messages skip them. */
export function isVisitorCodeText(text: string): boolean {
  return /SmartQueue/.test(text) && /\b\d{6}\b/.test(text);
}

/** The 6-digit code of the latest e-mail to `email` that came after `after` messages. */
export async function codeFromMail(mail: SmtpSink, email: string, after: number): Promise<string> {
  return waitFor(`the code's e-mail to ${email}`, () => {
    const m = mail.messages.slice(after).reverse().find((x) => x.to.includes(email.toLowerCase()) && isVisitorCodeText(x.subject));
    return m?.subject.match(/\b(\d{6})\b/)?.[1];
  }, 15_000);
}

export class Visitors {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  /** `clock`: central's clock, when a test moves it (a token stands half an hour: an expired one is asked again). */
  constructor(private readonly api: ApiClient, private readonly sms?: OrangeSmsSimulator, private readonly mail?: SmtpSink, private readonly clock?: Clock) {}

  /** A token for `phone` (any way of writing it), through the real code flow (once per phone while it stands). */
  async token(phone: string): Promise<string> {
    const normalized = normalizeSenegalPhone(phone) ?? phone;
    const sms = this.sms;
    if (!sms) throw new Error('no SMS simulator given to Visitors');
    return this.confirm(normalized, { phone: normalized }, (before) => codeFromSms(sms, normalized, before), () => sms.messages.length);
  }

  /** A token for an e-mail address, through the code sent by e-mail. */
  async emailToken(email: string): Promise<string> {
    const mail = this.mail;
    if (!mail) throw new Error('no SMTP sink given to Visitors');
    const key = email.toLowerCase();
    return this.confirm(key, { email }, (before) => codeFromMail(mail, key, before), () => mail.messages.length);
  }

  /**
   * The token a booking with these contacts needs: its phone's when it has a valid one, else its e-mail's; none when
   * neither can get a code (a test of bad input: the 400 comes before the missing token's 401).
   */
  async forContact(contact: { phone?: unknown; email?: unknown }): Promise<string | undefined> {
    const phone = typeof contact.phone === 'string' ? normalizeSenegalPhone(contact.phone) : null;
    if (phone) return this.token(phone);
    if (contact.phone === undefined && typeof contact.email === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email)) return this.emailToken(contact.email);
    return undefined;
  }

  /** Tokens stand half an hour: after a jump of the clock, ask for new ones. */
  forget(): void {
    this.tokens.clear();
  }

  private async confirm(key: string, body: { phone?: string; email?: string }, read: (before: number) => Promise<string>, count: () => number): Promise<string> {
    const known = this.tokens.get(key);
    const now = this.clock?.now().getTime() ?? Date.now();
    if (known && known.expiresAt - 60_000 > now) return known.token;
    const before = count();
    const sent = await this.api.post<VisitorCodeSent>('/api/public/visitor-codes', body);
    if (sent.status !== 201) throw new Error(`code request for ${key}: ${sent.status} ${JSON.stringify(sent.body)}`);
    const code = await read(before);
    const verified = await this.api.post<VisitorToken>(`/api/public/visitor-codes/${sent.body.codeId}/verify`, { code });
    if (verified.status !== 200) throw new Error(`code check for ${key}: ${verified.status} ${JSON.stringify(verified.body)}`);
    this.tokens.set(key, { token: verified.body.token, expiresAt: Date.parse(verified.body.expiresAt) });
    return verified.body.token;
  }
}

/** Central's tracking options with the SMS channel pointed at the simulator (and the delivery worker quick). */
export function smsTracking(sms: OrangeSmsSimulator) {
  return {
    pollMs: 100,
    delivery: { pollMs: 100, backoff: { minMs: 100, maxMs: 1000 } },
    channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000', senderName: 'SmartQueue' } },
  };
}
