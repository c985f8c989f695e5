// One-time codes for visitors (issue 18, visitor web site). A visitor asks for a code for a phone (sent by SMS
// through central's SMS channel, so it is in the delivery log like every message) or an e-mail address; sending it
// back proves the phone or address, and gives a short-lived token bound to it. A web join needs the token of its
// own phone (remote.routes.ts): nobody takes a place in a line in the name of a phone they do not hold.
//
// Guessing and flooding are bounded: the code is 6 digits, expires in 10 minutes and is spent after 5 wrong tries;
// codes are limited per target (counted in the database, so every central instance sees the same count) and per
// network address (in memory, shared/rate-limit.ts), and wrong codes slow down their address. Only hashes are kept.
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import type { z } from 'zod';
import type { VisitorCodeChannels, VisitorCodeRequest, VisitorCodeSent, VisitorToken } from '../../shared/contracts/visitor.js';
import { FailureThrottle, rateLimited, WindowLimit } from '../../shared/rate-limit.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import type { Notifier } from '../notifications/notifier.js';
import { notificationDb } from '../notifications/store.js';
import type { Recipient } from '../notifications/types.js';
import type { CentralVisitorTables, VisitorCodesTable } from './visitor.migration.js';
import { maskContact } from '../../shared/domain/contact-mask.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface VisitorCodeOptions {
  /** How long a code may be used. Default 10 minutes. */
  codeTtlMs?: number;
  /** Wrong codes before a code is spent. Default 5. */
  attempts?: number;
  /** How long the token of a verified visitor stands. Default 30 minutes (time to join, or book, and look around). */
  tokenTtlMs?: number;
  /** Codes sent to one phone number or e-mail address in an hour. Default 3 (each one costs money, and could harass). */
  perTargetPerHour?: number;
  /** Codes asked from one network address in an hour. Default 20 (behind a reverse proxy every visitor has its address). */
  perAddressPerHour?: number;
}

export const VISITOR_CODE_DEFAULTS: Required<VisitorCodeOptions> = {
  codeTtlMs: 10 * MINUTE_MS, attempts: 5, tokenTtlMs: 30 * MINUTE_MS, perTargetPerHour: 3, perAddressPerHour: 20,
};

export const VISITOR_TOKEN_PREFIX = 'sqv_';
/** What a confirmed visitor token stands for: a phone (by SMS) or an e-mail address (by e-mail, lower-case). */
export type VisitorContact = { channel: 'sms' | 'email'; target: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** The code's hash, salted with its id: the same 6 digits never give the same hash twice. */
const codeHash = (id: string, code: string) => sha256(`${id}:${code}`);

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class VisitorCodes {
  readonly rules: Required<VisitorCodeOptions>;
  private readonly perAddress: WindowLimit;
  /** Wrong codes per network address: a few are free, then each costs a growing wait. */
  private readonly wrongFrom = new FailureThrottle({ free: 10, baseDelayMs: 2_000, maxDelayMs: 15 * MINUTE_MS, forgetAfterMs: HOUR_MS });

  constructor(private readonly deps: { cdb: CentralDb; clock: Clock; logger: Logger; notifier: Notifier }, options: VisitorCodeOptions = {}) {
    this.rules = { ...VISITOR_CODE_DEFAULTS, ...options };
    this.perAddress = new WindowLimit(this.rules.perAddressPerHour, HOUR_MS);
  }

  private get db() {
    return this.deps.cdb.db.withTables<CentralVisitorTables>();
  }

  channels(): VisitorCodeChannels {
    return { sms: this.deps.notifier.isEnabled('sms'), email: this.deps.notifier.isEnabled('email') };
  }

  /** Send a new code to the phone (SMS) or e-mail address; the code itself is only in the message. */
  async request(body: z.output<typeof VisitorCodeRequest>, address: string, branchId: string | null = null): Promise<VisitorCodeSent> {
    const channel = body.phone ? 'sms' : 'email';
    const target = (body.phone ?? body.email?.toLowerCase()) as string;
    if (!this.deps.notifier.isEnabled(channel)) {
      throw new CentralError(409, 'CHANNEL_OFF', channel === 'sms'
        ? 'this service cannot send SMS: give an e-mail address, or take a ticket at the branch'
        : 'this service cannot send e-mail: give a phone number, or take a ticket at the branch');
    }
    const now = this.deps.clock.now();
    const wait = this.perAddress.waitMs(address, now.getTime());
    if (wait > 0) throw rateLimited('too many codes asked from this network: try again later', wait);
    // Counted now, in the same synchronous step as the check, so that a burst cannot all pass it.
    this.perAddress.add(address, now.getTime());
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(now.getTime() + this.rules.codeTtlMs).toISOString();
    await this.deps.cdb.db.transaction().execute(async (trx) => {
      const t = trx.withTables<CentralVisitorTables>();
      // Old rows go: they hold a phone number or an address, and no limit looks back that far.
      await t.deleteFrom('visitor_codes').where('created_at', '<', new Date(now.getTime() - DAY_MS).toISOString()).execute();
      const recent = await t.selectFrom('visitor_codes').select('created_at').where('target', '=', target)
        .where('created_at', '>', new Date(now.getTime() - HOUR_MS).toISOString()).orderBy('created_at').execute();
      if (recent.length >= this.rules.perTargetPerHour) {
        const oldest = Date.parse((recent[0] as { created_at: string }).created_at);
        throw rateLimited(`too many codes sent to this ${channel === 'sms' ? 'phone number' : 'e-mail address'}: wait a little and try again`, oldest + HOUR_MS - now.getTime());
      }
      await t.insertInto('visitor_codes').values({
        id, channel, target, code_hash: codeHash(id, code), attempts: 0, expires_at: expiresAt, verified_at: null,
        token_hash: null, token_expires_at: null, address, created_at: now.toISOString(),
      }).execute();
      const recipient: Recipient = { channel, address: target, language: body.language };
      // In the same transaction: no code row without its message, and no message without its row.
      await this.deps.notifier.notify(notificationDb(trx), {
        eventKey: `visitor_code:${id}`, params: { kind: 'visitor_code', code, minutes: Math.round(this.rules.codeTtlMs / MINUTE_MS) },
        recipients: [recipient], expiresAt, ref: { type: 'visitor_code', id }, branchId,
      }, now.toISOString());
    });
    this.deps.notifier.queued();
    return { codeId: id, channel, sentTo: maskContact(channel, target), expiresAt, attempts: this.rules.attempts };
  }

  /** The visitor sends the code back: the token of the phone or address, or why not. */
  async verify(codeId: string, code: string, address: string): Promise<VisitorToken> {
    const now = this.deps.clock.now();
    const wait = this.wrongFrom.waitMs(address, now.getTime());
    if (wait > 0) throw rateLimited('too many wrong codes from this network: wait before trying again', wait);
    const row = await this.db.selectFrom('visitor_codes').selectAll().where('id', '=', codeId).executeTakeFirst();
    if (!row) throw new CentralError(404, 'NOT_FOUND', 'no such code: ask for a new one');
    // details.reason tells the visitor why (the site says "too many wrong codes" apart from "expired").
    if (row.verified_at) throw new CentralError(410, 'CODE_EXPIRED', 'this code was already used: ask for a new one', { reason: 'used' });
    if (row.attempts >= this.rules.attempts) throw new CentralError(410, 'CODE_EXPIRED', 'too many wrong codes: ask for a new one', { reason: 'tries' });
    if (Date.parse(row.expires_at) <= now.getTime()) throw new CentralError(410, 'CODE_EXPIRED', 'this code has expired: ask for a new one', { reason: 'expired' });
    if (!sameHex(row.code_hash, codeHash(row.id, code))) {
      // Counted in one guarded update: two wrong tries at once are two tries.
      await this.db.updateTable('visitor_codes').set({ attempts: sql<number>`attempts + 1` })
        .where('id', '=', row.id).where('verified_at', 'is', null).execute();
      this.wrongFrom.fail(address, now.getTime());
      const left = Math.max(0, this.rules.attempts - row.attempts - 1);
      if (left === 0) throw new CentralError(410, 'CODE_EXPIRED', 'wrong code, and no tries left: ask for a new one', { reason: 'tries' });
      throw new CentralError(422, 'CODE_WRONG', `wrong code: ${left} ${left === 1 ? 'try' : 'tries'} left`, { attemptsLeft: left });
    }
    const token = `${VISITOR_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const tokenExpiresAt = new Date(now.getTime() + this.rules.tokenTtlMs).toISOString();
    // The code is spent by the first right answer only (two at once: one token).
    const done = await this.db.updateTable('visitor_codes')
      .set({ verified_at: now.toISOString(), token_hash: sha256(token), token_expires_at: tokenExpiresAt })
      .where('id', '=', row.id).where('verified_at', 'is', null).where('attempts', '<', this.rules.attempts).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new CentralError(410, 'CODE_EXPIRED', 'this code can no longer be used: ask for a new one', { reason: 'used' });
    return { token, expiresAt: tokenExpiresAt, phone: row.channel === 'sms' ? row.target : null, email: row.channel === 'email' ? row.target : null };
  }

  /** The phone a visitor token stands for, or a 401 (missing, unknown, expired; or an e-mail's token: 403). */
  async phoneOf(token: string): Promise<string> {
    const row = token.startsWith(VISITOR_TOKEN_PREFIX) ? await this.byToken(token) : undefined;
    if (!row || !row.token_expires_at || Date.parse(row.token_expires_at) <= this.deps.clock.now().getTime()) {
      throw new CentralError(401, 'VISITOR_UNVERIFIED', 'confirm your phone number with the code sent to it first (the confirmation lasts a few minutes)');
    }
    if (row.channel !== 'sms') throw new CentralError(403, 'VISITOR_PHONE_MISMATCH', 'this confirmation is for an e-mail address: confirm a phone number');
    return row.target;
  }

  /** The phone or e-mail address (lower-case) a visitor token stands for, or a 401 (missing, unknown, expired). */
  async contactOf(token: string): Promise<VisitorContact> {
    const row = token.startsWith(VISITOR_TOKEN_PREFIX) ? await this.byToken(token) : undefined;
    if (!row || !row.token_expires_at || Date.parse(row.token_expires_at) <= this.deps.clock.now().getTime()) {
      throw new CentralError(401, 'VISITOR_UNVERIFIED', 'confirm your phone number (or e-mail address) with the code sent to it first (the confirmation lasts a few minutes)');
    }
    return row.channel === 'sms' ? { channel: 'sms', target: row.target } : { channel: 'email', target: row.target };
  }

  /** The phone a visitor token stands for, or a 401 (missing, unknown, expired) / 403 (another phone). */
  async requirePhone(token: string | undefined, phone: string): Promise<void> {
    const row = token?.startsWith(VISITOR_TOKEN_PREFIX) ? await this.byToken(token) : undefined;
    if (!row || !row.token_expires_at || Date.parse(row.token_expires_at) <= this.deps.clock.now().getTime()) {
      throw new CentralError(401, 'VISITOR_UNVERIFIED', 'confirm your phone number with the code sent to it first (the confirmation lasts a few minutes)');
    }
    if (row.channel !== 'sms' || row.target !== phone) {
      throw new CentralError(403, 'VISITOR_PHONE_MISMATCH', 'this confirmation is for another phone number: confirm this one');
    }
  }

  /**
   * A visitor token that stands for one of `contacts` (a booking's phone or e-mail), or a 401 (missing, unknown,
   * expired) / 403 (another phone or address). Bookings are made, cancelled and moved with it.
   */
  async requireContact(token: string | undefined, contacts: { phone?: string | null; email?: string | null }): Promise<void> {
    const row = token?.startsWith(VISITOR_TOKEN_PREFIX) ? await this.byToken(token) : undefined;
    if (!row || !row.token_expires_at || Date.parse(row.token_expires_at) <= this.deps.clock.now().getTime()) {
      throw new CentralError(401, 'VISITOR_UNVERIFIED', 'confirm your phone number (or e-mail address) with the code sent to it first (the confirmation lasts a few minutes)');
    }
    const mine = row.channel === 'sms' ? row.target === contacts.phone : row.target === contacts.email?.toLowerCase();
    if (!mine) throw new CentralError(403, 'VISITOR_CONTACT_MISMATCH', 'this confirmation is for another phone number or e-mail address: confirm the one of this booking');
  }

  private byToken(token: string): Promise<VisitorCodesTable | undefined> {
    return this.db.selectFrom('visitor_codes').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  }
}
