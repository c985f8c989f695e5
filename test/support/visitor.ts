// A visitor proving a phone number the way the web site does (issue 18): ask central for a code, read it in the SMS
// the simulated operator received, send it back, keep the token. Tokens are kept per phone (a few codes an hour each).
import type { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import type { VisitorCodeSent, VisitorToken } from '../../server/src/shared/contracts/visitor.js';
import type { ApiClient } from './branch.js';
import { waitFor } from './central.js';

/** The 6-digit code of the latest SMS to `phone` that came after `after` messages. */
export async function codeFromSms(sms: OrangeSmsSimulator, phone: string, after: number): Promise<string> {
  return waitFor(`the code's SMS to ${phone}`, () => {
    const m = sms.messages.slice(after).reverse().find((x) => x.to.replace(/^tel:/, '') === phone && /SmartQueue/.test(x.message));
    return m?.message.match(/\b(\d{6})\b/)?.[1];
  }, 15_000);
}

export class Visitors {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly api: ApiClient, private readonly sms: OrangeSmsSimulator) {}

  /** A token for `phone`, through the real code flow (once per phone). */
  async token(phone: string): Promise<string> {
    const known = this.tokens.get(phone);
    if (known) return known;
    const before = this.sms.messages.length;
    const sent = await this.api.post<VisitorCodeSent>('/api/public/visitor-codes', { phone });
    if (sent.status !== 201) throw new Error(`code request for ${phone}: ${sent.status} ${JSON.stringify(sent.body)}`);
    const code = await codeFromSms(this.sms, phone, before);
    const verified = await this.api.post<VisitorToken>(`/api/public/visitor-codes/${sent.body.codeId}/verify`, { code });
    if (verified.status !== 200) throw new Error(`code check for ${phone}: ${verified.status} ${JSON.stringify(verified.body)}`);
    this.tokens.set(phone, verified.body.token);
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
