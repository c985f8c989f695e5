// The providers' callbacks (Orange's inbound SMS, the USSD aggregator's sessions) carry no signature: central gives
// each provider a URL holding a shared secret (`?key=…`, from SMARTQUEUE_SMS_INBOUND_KEY / SMARTQUEUE_USSD_KEY) and
// checks it in constant time. Without a configured key the callback is off (404).
import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../branches/branches.js';
import { CentralError } from '../../http/errors.js';

export interface PhoneOptions {
  /** The secret in the inbound SMS URL given to Orange. Unset: inbound SMS is off. */
  smsInboundKey?: string;
  /** The secret in the USSD callback URL given to the aggregator. Unset: USSD is off. */
  ussdKey?: string;
}

export function checkCallbackKey(configured: string | undefined, given: string | undefined, what: string): void {
  if (!configured) throw new CentralError(404, 'NOT_FOUND', `${what} is not enabled on this server`);
  // Hashes have one length, so the comparison takes the same time whatever was given.
  const ok = timingSafeEqual(Buffer.from(sha256(configured), 'hex'), Buffer.from(sha256(given ?? ''), 'hex'));
  if (!ok || !given) throw new CentralError(401, 'UNAUTHORIZED', `the ${what} callback key is missing or wrong`);
}
