// Remote joins at central (issue 18): a visitor asks for a ticket from anywhere; central records the join, tells the
// branch over its live link, and waits for the branch's answer. The branch issues the real ticket; central only
// passes it on. The honest part is the deadline: a join the branch has not taken before it (central's clock) is
// expired by central, atomically, so that a branch that was offline and comes back later never takes it; and a
// retried join (same idempotency key) answers what the first one got.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import { displayTicketNumber } from '../../shared/domain/numbering.js';
import { rateLimited, WindowLimit } from '../../shared/rate-limit.js';
import type { RemoteChannel } from '../../shared/contracts/domain.js';
import type { z } from 'zod';
import type { RemoteAnswerBody, RemoteJoinBody, RemoteJoinForBranch, RemoteTicketView } from '../../shared/contracts/remote.js';
import { lockBranchSync, type CentralDb, type CentralTrx } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { hintLink } from '../ingest/link.js';
import type { CentralRemoteTables, RemoteJoinsTable } from './remote.migration.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Ticket statuses after which a remote ticket no longer counts as the phone's active one. */
const OVER = ['served', 'cancelled', 'expired', 'no_show'];

export interface RemoteJoinOptions {
  /** How long central waits for the branch to take a join before it refuses it (branch offline). Default 3 s. */
  takeWithinMs?: number;
  /** Once the branch took a join, how much longer central waits for its answer. Default 5 s. */
  answerWithinMs?: number;
  /** Remote tickets one phone number may hold in 24 hours (all branches). Default 3. */
  perPhonePerDay?: number;
  /** Joins from one network address in an hour. Default 20 (behind a reverse proxy every visitor has its address). */
  perAddressPerHour?: number;
  /**
   * The two waits for a USSD session, which holds the aggregator's callback open: aggregators drop a step that takes
   * more than a few seconds, so central answers within 3.5 s (the "no answer yet" screen says how to look again).
   */
  ussd?: RemoteDeadlines;
}

/** How long central waits for the branch: to take a request (or call it offline), then to answer it. */
export interface RemoteDeadlines { takeWithinMs: number; answerWithinMs: number }

export const REMOTE_JOIN_DEFAULTS: Required<RemoteJoinOptions> = {
  takeWithinMs: 3_000, answerWithinMs: 5_000, perPhonePerDay: 3, perAddressPerHour: 20, ussd: { takeWithinMs: 2_000, answerWithinMs: 1_500 },
};

/** The waits of a request made on `channel`: a USSD session's are shorter (see RemoteJoinOptions.ussd). */
export function deadlinesFor(rules: Required<RemoteJoinOptions>, channel: string): RemoteDeadlines {
  return channel === 'ussd' ? rules.ussd : rules;
}

type Row = RemoteJoinsTable;

export class RemoteJoins {
  readonly rules: Required<RemoteJoinOptions>;
  private readonly perAddress: WindowLimit;
  private readonly answered = new EventEmitter();

  constructor(private readonly deps: { cdb: CentralDb; clock: Clock; logger: Logger }, options: RemoteJoinOptions = {}) {
    this.rules = { ...REMOTE_JOIN_DEFAULTS, ...options, ussd: { ...REMOTE_JOIN_DEFAULTS.ussd, ...options.ussd } };
    this.perAddress = new WindowLimit(this.rules.perAddressPerHour, HOUR_MS);
    this.answered.setMaxListeners(0);
  }

  private get db() {
    return this.deps.cdb.db.withTables<CentralRemoteTables>();
  }

  /** A visitor's join: the ticket the branch issued, or a clear refusal. */
  async join(body: z.output<typeof RemoteJoinBody>, address: string): Promise<RemoteTicketView> {
    const existing = await this.byKey(body.idempotencyKey);
    if (existing) return this.outcome(this.sameJoin(existing, body));
    const now = this.deps.clock.now();
    const wait = this.perAddress.waitMs(address, now.getTime());
    if (wait > 0) throw rateLimited('too many remote tickets from this network: try again later or take a ticket at the branch', wait);
    // Counted now, in the same synchronous step as the check, so that a burst of joins at once cannot all pass it.
    this.perAddress.add(address, now.getTime());
    const { row, created } = await this.deps.cdb.db.transaction().execute(async (trx) => {
      // One join at a time per branch: the limits below are counted without a race.
      const sync = await lockBranchSync(trx, this.deps.cdb.dialect, body.branchId);
      if (!sync) throw new CentralError(404, 'NOT_FOUND', `branch ${body.branchId} does not exist`);
      const t = trx.withTables<CentralRemoteTables>();
      const again = await t.selectFrom('remote_joins').selectAll().where('idempotency_key', '=', body.idempotencyKey).executeTakeFirst();
      if (again) return { row: again, created: false };
      const branch = await trx.selectFrom('branches').select('status').where('id', '=', body.branchId).executeTakeFirstOrThrow();
      if (branch.status !== 'active') throw new CentralError(409, 'BRANCH_UNAVAILABLE', 'this branch does not take remote tickets now');
      const since = new Date(now.getTime() - DAY_MS).toISOString();
      const recent = await t.selectFrom('remote_joins').selectAll().where('phone', '=', body.phone)
        .where('created_at', '>', since).where('status', 'in', ['pending', 'claimed', 'issued']).orderBy('created_at').execute();
      if (recent.length >= this.rules.perPhonePerDay) {
        const oldest = Date.parse((recent[0] as Row).created_at);
        throw rateLimited('too many remote tickets with this phone number today: try again tomorrow or take a ticket at the branch', oldest + DAY_MS - now.getTime());
      }
      for (const r of recent.filter((x) => x.branch_id === body.branchId && x.service_id === body.serviceId)) {
        if (await stillActive(trx, r)) {
          throw new CentralError(409, 'REMOTE_TICKET_ACTIVE', `this phone number already holds ticket ${r.ticket_number ? displayTicketNumber(r.ticket_number) : ''} in this line`.trim(), {
            joinId: r.id, ticketId: r.ticket_id,
          });
        }
      }
      const created: Row = {
        id: randomUUID(), idempotency_key: body.idempotencyKey, branch_id: body.branchId, service_id: body.serviceId, name: body.name,
        phone: body.phone, channel: body.channel, language: body.language, status: 'pending',
        deadline_at: new Date(now.getTime() + deadlinesFor(this.rules, body.channel).takeWithinMs).toISOString(), ticket_id: null, ticket_number: null, position: null,
        estimated_wait_minutes: null, issued_at: null, refusal_code: null, refusal_message: null, created_at: now.toISOString(), claimed_at: null, answered_at: null,
        cancel_status: null, cancel_deadline_at: null, cancel_requested_at: null, cancel_answered_at: null, cancel_refusal_code: null,
      };
      await t.insertInto('remote_joins').values(created).execute();
      return { row: created, created: true };
    });
    if (created) {
      hintLink({ kind: 'remote', branchId: row.branch_id });
    }
    return this.outcome(this.sameJoin(row, body));
  }

  /** A join's state by its id (a visitor who got 504 REMOTE_JOIN_PENDING asks again). */
  async get(joinId: string): Promise<RemoteTicketView> {
    const row = await this.db.selectFrom('remote_joins').selectAll().where('id', '=', joinId).executeTakeFirst();
    if (!row) throw new CentralError(404, 'NOT_FOUND', `remote join ${joinId} does not exist`);
    return this.outcome(row);
  }

  /**
   * The branch takes its joins: pending ones before their deadline become claimed (from now on central waits for
   * the answer), and claimed ones it has not answered yet come again (its answer may have been lost).
   */
  async take(branchId: string): Promise<RemoteJoinForBranch[]> {
    const now = this.deps.clock.now().toISOString();
    await this.db.updateTable('remote_joins').set({ status: 'claimed', claimed_at: now })
      .where('branch_id', '=', branchId).where('status', '=', 'pending').where('deadline_at', '>', now).execute();
    const rows = await this.db.selectFrom('remote_joins').selectAll().where('branch_id', '=', branchId).where('status', '=', 'claimed')
      .orderBy('created_at').limit(100).execute();
    return rows.map((r) => ({
      id: r.id, serviceId: r.service_id, name: r.name, phone: r.phone ?? '', channel: r.channel as RemoteChannel,
      language: r.language as RemoteJoinForBranch['language'], createdAt: r.created_at,
    }));
  }

  /** The branch's answer to a join it took. A repeat of an answer already recorded changes nothing. */
  async answer(branchId: string, body: Extract<RemoteAnswerBody, { outcome: 'issued' | 'refused' }>): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const set = body.outcome === 'issued'
      ? { status: 'issued', ticket_id: body.ticket.id, ticket_number: body.ticket.number, position: body.ticket.position,
        estimated_wait_minutes: body.ticket.estimatedWaitMinutes, issued_at: body.ticket.issuedAt, answered_at: now }
      : { status: 'refused', refusal_code: body.code, refusal_message: body.message, answered_at: now };
    const changed = await this.db.updateTable('remote_joins').set(set)
      .where('id', '=', body.joinId).where('branch_id', '=', branchId).where('status', '=', 'claimed').executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) {
      const row = await this.db.selectFrom('remote_joins').select(['status', 'branch_id']).where('id', '=', body.joinId).executeTakeFirst();
      if (!row || row.branch_id !== branchId) throw new CentralError(404, 'NOT_FOUND', `remote join ${body.joinId} is not this branch's`);
      if (row.status !== (body.outcome === 'issued' ? 'issued' : 'refused')) {
        throw new CentralError(409, 'CONFLICT', `remote join ${body.joinId} is ${row.status}: this answer cannot apply`);
      }
    }
    this.answered.emit(body.joinId);
  }

  /** Whether a remote join waits for the branch (the live link says so to branches connected to this instance). */
  async pendingBranches(branchIds: string[]): Promise<Set<string>> {
    if (branchIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('remote_joins').select('branch_id').distinct()
      .where('branch_id', 'in', branchIds).where('status', '=', 'pending').execute();
    return new Set(rows.map((r) => r.branch_id));
  }

  // ---------- helpers ----------

  private byKey(key: string): Promise<Row | undefined> {
    return this.db.selectFrom('remote_joins').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  }

  private sameJoin(row: Row, body: z.output<typeof RemoteJoinBody>): Row {
    if (row.branch_id !== body.branchId || row.service_id !== body.serviceId || row.phone !== body.phone) {
      throw new CentralError(409, 'CONFLICT', 'this idempotency key was used for another join: make a new key for a new join');
    }
    return row;
  }

  /** Wait until the join has an outcome: the ticket, or a refusal thrown as an error. */
  private async outcome(first: Row): Promise<RemoteTicketView> {
    let row = first;
    for (;;) {
      if (row.status === 'issued') return this.view(row);
      if (row.status === 'refused') throw refusal(row);
      if (row.status === 'expired') throw offline();
      const now = this.deps.clock.now().getTime();
      const deadline = Date.parse(row.deadline_at);
      if (row.status === 'pending' && now >= deadline) {
        const expired = await this.db.updateTable('remote_joins').set({ status: 'expired', answered_at: new Date(now).toISOString() })
          .where('id', '=', row.id).where('status', '=', 'pending').executeTakeFirst();
        if (Number(expired.numUpdatedRows) > 0) throw offline();
      } else if (row.status === 'claimed' && now >= deadline + deadlinesFor(this.rules, row.channel).answerWithinMs) {
        throw new CentralError(504, 'REMOTE_JOIN_PENDING', 'the branch took the request and has not answered yet: ask again with the same idempotency key', { joinId: row.id });
      }
      await this.nextAnswer(row.id, 25);
      row = await this.db.selectFrom('remote_joins').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    }
  }

  /** An answer recorded by this instance wakes the waiter at once; another instance's is seen at the next look. */
  private nextAnswer(joinId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.answered.off(joinId, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.answered.on(joinId, done);
    });
  }

  private view(r: Row): RemoteTicketView {
    const ticketId = r.ticket_id as string;
    return {
      joinId: r.id, branchId: r.branch_id, serviceId: r.service_id, channel: r.channel as RemoteChannel, ticketId,
      number: r.ticket_number as string, displayNumber: displayTicketNumber(r.ticket_number as string),
      position: r.position, estimatedWaitMinutes: r.estimated_wait_minutes,
      trackPath: `/t/${encodeURIComponent(ticketId)}?branch=${encodeURIComponent(r.branch_id)}`, issuedAt: r.issued_at as string,
    };
  }
}

/** A remote ticket counts as the phone's active one until central holds it finished (or while it is on its way). */
async function stillActive(trx: CentralTrx, r: Row): Promise<boolean> {
  if (r.status !== 'issued' || !r.ticket_id) return true;
  const t = await trx.selectFrom('tickets').select('status').where('branch_id', '=', r.branch_id).where('id', '=', r.ticket_id).executeTakeFirst();
  return !t || !OVER.includes(t.status);
}

function offline(): CentralError {
  return new CentralError(503, 'BRANCH_OFFLINE', 'the branch cannot be reached or did not answer in time: no ticket was issued. Try again later, book a time, or take a ticket at the branch.');
}

/** The branch's refusal, with the status its code has everywhere. */
function refusal(r: Row): CentralError {
  const code = r.refusal_code ?? 'REFUSED';
  const status = code === 'NOT_FOUND' ? 404 : code === 'VALIDATION_ERROR' ? 400 : code === 'RATE_LIMITED' ? 429 : 409;
  return new CentralError(status, code, r.refusal_message ?? 'the branch refused this ticket');
}
