// Remote tickets at the branch (issue 18): central holds the joins of visitors who are not here (web, SMS, USSD);
// told over the live link, the sync worker takes them and this part issues a REAL ticket for each in its service's
// line (numbered like the others, one unit of work with its history and outbox rows), then answers central.
// The join's id is the command id: a join taken twice (an answer lost) gives the same ticket, never two. A visitor's
// cancel from a phone comes the same way (taken, the ticket cancelled once, answered).
import type { Logger } from 'pino';
import { DomainError } from '../../shared/domain/errors.js';
import { HttpError } from '../../shared/http/errors.js';
import { REMOTE_CHANNELS } from '../../shared/contracts/domain.js';
import {
  DEFAULT_REMOTE_SETTINGS, RemoteTakeResponse, type RemoteAnswerBody, type RemoteCancelForBranch, type RemoteJoinForBranch, type RemoteSettings,
} from '../../shared/contracts/remote.js';
import type { BranchStore } from '../db/store.js';
import type { TicketCommands } from '../tickets/ticket.commands.js';
import type { Clock } from '../../shared/clock.js';
import type { CentralCall } from '../sync/worker.js';

const HOUR_MS = 3_600_000;

export function readRemoteSettings(store: BranchStore): RemoteSettings {
  const row = store.first(store.db.selectFrom('remote_settings').selectAll().where('id', '=', 1));
  if (!row) return DEFAULT_REMOTE_SETTINGS;
  return { sharePercent: row.share_percent, minPerHour: row.min_per_hour, absent: row.absent as RemoteSettings['absent'], graceMinutes: row.grace_minutes };
}

export function saveRemoteSettings(store: BranchStore, patch: Partial<RemoteSettings>, now: string): RemoteSettings {
  const next = { ...readRemoteSettings(store), ...patch };
  const row = { share_percent: next.sharePercent, min_per_hour: next.minPerHour, absent: next.absent, grace_minutes: next.graceMinutes, updated_at: now };
  store.run(store.db.insertInto('remote_settings').values({ id: 1, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)));
  return next;
}

/**
 * The share rule, inside the issuing transaction: remote tickets issued in the last hour stay under sharePercent of
 * all tickets issued in that hour, and minPerHour are always allowed (a quiet branch still takes some).
 */
export function admitRemoteShare(store: BranchStore, settings: RemoteSettings, now: Date): void {
  const since = new Date(now.getTime() - HOUR_MS).toISOString();
  const row = store.first(store.db.selectFrom('tickets')
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      eb.fn.sum<number>(eb.case().when('channel', 'in', [...REMOTE_CHANNELS]).then(1).else(0).end()).as('remote'),
    ])
    .where('issued_at', '>', since));
  const all = Number(row?.all ?? 0);
  const remote = Number(row?.remote ?? 0);
  const allowed = Math.max(settings.minPerHour, Math.floor((settings.sharePercent / 100) * (all + 1)));
  if (remote + 1 > allowed) {
    throw new DomainError('REMOTE_SHARE_FULL', 'this branch takes no more remote tickets this hour: come and take a ticket at the kiosk, or book a time');
  }
}

export class RemoteJoinIssuer {
  constructor(private readonly d: { store: BranchStore; clock: Clock; logger: Logger; tickets: TicketCommands }) {}

  /**
   * One step of the sync cycle: take the joins (and visitors' cancels) central holds for this branch, issue (cancel),
   * answer. Returns how many.
   */
  async step(call: CentralCall): Promise<number> {
    const taken = await call('POST', '/api/sync/remote/take', {});
    if (taken.status !== 200) throw new Error(`central answered ${taken.status} to the remote joins' take`);
    const { joins, cancels } = RemoteTakeResponse.parse(taken.body);
    for (const answer of [...joins.map((j) => this.issue(j)), ...cancels.map((c) => this.cancel(c))]) {
      const res = await call('POST', '/api/sync/remote/answer', answer);
      // 409: central holds another outcome for it already (it answered the visitor); nothing more to say.
      if (res.status !== 204 && res.status !== 409) throw new Error(`central answered ${res.status} to a remote join's answer`);
    }
    return joins.length + cancels.length;
  }

  /** The visitor cancels from a phone: the ticket is cancelled (once: the request is the command id), or why not. */
  private cancel(request: RemoteCancelForBranch): RemoteAnswerBody {
    try {
      this.d.tickets.cancel(request.ticketId, { kind: 'system' }, 'cancelled by the visitor (remote)', `remote-cancel:${request.joinId}`);
      return { joinId: request.joinId, outcome: 'cancelled' };
    } catch (err) {
      const status = this.d.store.first(this.d.store.db.selectFrom('tickets').select('status').where('id', '=', request.ticketId))?.status;
      // Cancelled already (by an agent, or this request's first answer was lost): what the visitor asked for.
      if (status === 'cancelled') return { joinId: request.joinId, outcome: 'cancelled' };
      if (err instanceof DomainError || err instanceof HttpError) {
        return { joinId: request.joinId, outcome: 'cancel_refused', code: err.code, message: err.message.slice(0, 300) };
      }
      this.d.logger.error({ err, joinId: request.joinId }, 'remote cancel could not be applied');
      return { joinId: request.joinId, outcome: 'cancel_refused', code: 'BRANCH_ERROR', message: 'the branch could not cancel this ticket' };
    }
  }

  private issue(join: RemoteJoinForBranch): RemoteAnswerBody {
    try {
      const ticket = this.d.tickets.issue(
        { serviceId: join.serviceId, language: join.language, phone: join.phone || undefined, channel: join.channel, commandId: join.id },
        { kind: 'system' },
        () => admitRemoteShare(this.d.store, readRemoteSettings(this.d.store), this.d.clock.now()),
      );
      return {
        joinId: join.id, outcome: 'issued',
        ticket: { id: ticket.id, number: ticket.number, issuedAt: ticket.issuedAt, position: ticket.position, estimatedWaitMinutes: ticket.estimatedWaitMinutes },
      };
    } catch (err) {
      if (err instanceof DomainError || err instanceof HttpError) {
        return { joinId: join.id, outcome: 'refused', code: err.code, message: err.message.slice(0, 300) };
      }
      // Refused, not retried: one join the branch cannot issue must not stall every later sync cycle.
      this.d.logger.error({ err, joinId: join.id }, 'remote join could not be issued');
      return { joinId: join.id, outcome: 'refused', code: 'BRANCH_ERROR', message: 'the branch could not issue this ticket: take a ticket at the kiosk' };
    }
  }
}
