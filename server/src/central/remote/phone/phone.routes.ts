// Phones' routes (issue 18): Orange's inbound SMS notification and the USSD aggregator's session callback. Both are
// called by a provider, not a visitor: each checks the shared secret of the URL central gave that provider.
import type { Router } from 'express';
import { z } from 'zod';
import { CallbackKeyQuery, InboundSmsAnswer, OneApiInboundSmsNotification, UssdSessionBody } from '../../../shared/contracts/remote.js';
import { parseWith } from '../../../shared/http/errors.js';
import { CentralError } from '../../http/errors.js';
import type { CentralApi } from '../../http/access.js';
import { checkCallbackKey, type PhoneOptions } from './phone-keys.js';
import type { SmsInbound } from './sms-inbound.js';
import type { UssdSessions } from './ussd-session.js';

/** A JSON body read raw (after the key was checked); not JSON is 400, as a JSON route would answer. */
function jsonOf(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new CentralError(400, 'VALIDATION_ERROR', 'the body is not JSON');
  }
}

export function registerPhoneRoutes(router: Router, api: CentralApi, deps: { sms: SmsInbound; ussd: UssdSessions; options: PhoneOptions }): void {
  const { sms, ussd, options } = deps;

  api.add(router, {
    method: 'post', path: '/api/remote/sms/inbound', tag: 'remote', access: 'public', summary: 'An SMS a visitor sent to the service number (Orange, OneAPI shape)',
    // Read raw and parsed after the key: a caller without the key learns nothing about the body it sent (401, never 400).
    query: CallbackKeyQuery, body: OneApiInboundSmsNotification, bodyKind: { kind: 'raw', limit: '16kb', contentType: 'application/json' },
    response: InboundSmsAnswer, errors: [401],
    description: 'Called by the Orange SMS API for each mobile-originated message, at the URL given to Orange with its `key`. '
      + 'The text is a command (`PLATEAU A`, `STATUT`, `ANNULER`, `AIDE` and their Wolof and English words, docs/remote.md); the answer goes back by SMS '
      + 'through the delivery log. A message delivered again (same messageId) is answered once: `duplicate: true`. 404 when SMARTQUEUE_SMS_INBOUND_KEY is not set.',
  }, ({ query, raw }) => {
    checkCallbackKey(options.smsInboundKey, query.key, 'inbound SMS');
    return sms.receive(parseWith(OneApiInboundSmsNotification, jsonOf(raw)));
  });

  api.add(router, {
    method: 'post', path: '/api/remote/ussd', tag: 'remote', access: 'public', summary: 'A step of a USSD session (aggregator callback)',
    // As for SMS: the key first, then the body.
    query: CallbackKeyQuery, body: UssdSessionBody, bodyKind: { kind: 'raw', limit: '4kb', contentType: 'application/x-www-form-urlencoded' },
    response: z.string().describe('"CON " and the next screen, or "END " and the last one; at most 160 characters'), produces: 'text/plain', errors: [401],
    description: 'Form fields sessionId, serviceCode, phoneNumber, text (the choices so far, joined by "*"). Stateless: the screens follow from `text`, '
      + 'so a replayed session gives the same screens and the same ticket. 404 when SMARTQUEUE_USSD_KEY is not set.',
  }, async ({ query, raw, res }) => {
    checkCallbackKey(options.ussdKey, query.key, 'USSD');
    const body = parseWith(UssdSessionBody, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
    const answer = await ussd.step(body);
    res.status(200).type('text/plain; charset=utf-8').send(answer);
  });
}
