// A visitor cancels a remote ticket from a phone (SMS ANNULER, USSD): central cannot cancel a branch's ticket itself,
// so it asks the branch the way it asks for a join. The request waits on the join's row with a deadline (central's
// clock); the branch takes it on its next remote step (told over the live link), cancels the ticket (the request is
// the command id: taken twice, cancelled once) and answers. Not taken in time, central expires it atomically and says
// the branch is unreachable: a branch that comes back later does not cancel behind the visitor's back.
import { EventEmitter } from 'node:events';
import type { Clock } from '../../shared/clock.js';
import type { RemoteCancelForBranch } from '../../shared/contracts/remote.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { hintLink } from '../ingest/link.js';
import type { CentralRemoteTables, RemoteJoinsTable } from './remote.migration.js';
import { deadlinesFor, type RemoteDeadlines, type RemoteJoinOptions } from './remote-joins.js';

export type CancelOutcome = { outcome: 'cancelled' } | { outcome: 'refused'; code: string; message: string };

export class RemoteCancels {
  private readonly answered = new EventEmitter();

  constructor(private readonly deps: { cdb: CentralDb; clock: Clock }, private readonly rules: Required<RemoteJoinOptions>) {
    this.answered.setMaxListeners(0);
  }

  private get db() {
    return this.deps.cdb.db.withTables<CentralRemoteTables>();
  }

  /**
   * Ask the branch to cancel the ticket of an issued join and wait for its answer. A second request for a ticket
   * being cancelled waits for the same answer; one already cancelled answers at once. `channel` is where the visitor
   * asks from (a USSD session waits less).
   */
  async cancel(joinId: string, channel: 'sms' | 'ussd' = 'sms'): Promise<CancelOutcome> {
    const deadlines = deadlinesFor(this.rules, channel);
    const now = this.deps.clock.now();
    const row = await this.db.selectFrom('remote_joins').selectAll().where('id', '=', joinId).executeTakeFirst();
    if (!row || row.status !== 'issued') throw new CentralError(404, 'NOT_FOUND', `remote ticket ${joinId} does not exist`);
    if (row.cancel_status === 'done') return { outcome: 'cancelled' };
    if (row.cancel_status !== 'pending' && row.cancel_status !== 'claimed') {
      // A new request (first, or after an expired or refused one: the ticket may be cancellable now).
      const asked = await this.db.updateTable('remote_joins')
        .set({ cancel_status: 'pending', cancel_requested_at: now.toISOString(), cancel_deadline_at: new Date(now.getTime() + deadlines.takeWithinMs).toISOString(), cancel_answered_at: null, cancel_refusal_code: null })
        .where('id', '=', joinId).where('status', '=', 'issued')
        .where((eb) => eb.or([eb('cancel_status', 'is', null), eb('cancel_status', 'in', ['expired', 'refused'])]))
        .executeTakeFirst();
      if (Number(asked.numUpdatedRows) > 0) hintLink({ kind: 'remote', branchId: row.branch_id });
    }
    return this.outcome(joinId, deadlines);
  }

  /** The branch takes the cancels waiting for it (pending before their deadline, and claimed ones not answered). */
  async take(branchId: string): Promise<RemoteCancelForBranch[]> {
    const now = this.deps.clock.now().toISOString();
    await this.db.updateTable('remote_joins').set({ cancel_status: 'claimed' })
      .where('branch_id', '=', branchId).where('cancel_status', '=', 'pending').where('cancel_deadline_at', '>', now).execute();
    const rows = await this.db.selectFrom('remote_joins').select(['id', 'ticket_id']).where('branch_id', '=', branchId)
      .where('cancel_status', '=', 'claimed').orderBy('cancel_requested_at').limit(100).execute();
    return rows.map((r) => ({ joinId: r.id, ticketId: r.ticket_id as string }));
  }

  /** The branch's answer to a cancel it took. A repeat changes nothing. */
  async answer(branchId: string, joinId: string, result: { done: true } | { done: false; code: string }): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const changed = await this.db.updateTable('remote_joins')
      .set({ cancel_status: result.done ? 'done' : 'refused', cancel_answered_at: now, cancel_refusal_code: result.done ? null : result.code })
      .where('id', '=', joinId).where('branch_id', '=', branchId).where('cancel_status', '=', 'claimed').executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) {
      const row = await this.db.selectFrom('remote_joins').select(['branch_id', 'cancel_status']).where('id', '=', joinId).executeTakeFirst();
      if (!row || row.branch_id !== branchId) throw new CentralError(404, 'NOT_FOUND', `remote join ${joinId} is not this branch's`);
      if (row.cancel_status !== (result.done ? 'done' : 'refused')) {
        throw new CentralError(409, 'CONFLICT', `the cancel of remote join ${joinId} is ${row.cancel_status ?? 'not asked'}: this answer cannot apply`);
      }
    }
    this.answered.emit(joinId);
  }

  /** Branches among `branchIds` with a cancel waiting to be taken. */
  async pendingBranches(branchIds: string[]): Promise<Set<string>> {
    if (branchIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('remote_joins').select('branch_id').distinct()
      .where('branch_id', 'in', branchIds).where('cancel_status', '=', 'pending').execute();
    return new Set(rows.map((r) => r.branch_id));
  }

  private async outcome(joinId: string, deadlines: RemoteDeadlines): Promise<CancelOutcome> {
    for (;;) {
      const row: RemoteJoinsTable = await this.db.selectFrom('remote_joins').selectAll().where('id', '=', joinId).executeTakeFirstOrThrow();
      if (row.cancel_status === 'done') return { outcome: 'cancelled' };
      if (row.cancel_status === 'refused') return { outcome: 'refused', code: row.cancel_refusal_code ?? 'REFUSED', message: 'the branch did not cancel this ticket' };
      if (row.cancel_status === 'expired') return offline();
      const now = this.deps.clock.now().getTime();
      const deadline = Date.parse(row.cancel_deadline_at ?? '');
      if (row.cancel_status === 'pending' && now >= deadline) {
        const expired = await this.db.updateTable('remote_joins').set({ cancel_status: 'expired', cancel_answered_at: new Date(now).toISOString() })
          .where('id', '=', joinId).where('cancel_status', '=', 'pending').executeTakeFirst();
        if (Number(expired.numUpdatedRows) > 0) return offline();
        continue;
      }
      if (row.cancel_status === 'claimed' && now >= deadline + deadlines.answerWithinMs) {
        return { outcome: 'refused', code: 'REMOTE_JOIN_PENDING', message: 'the branch took the cancel and has not answered yet' };
      }
      await new Promise<void>((resolve) => {
        const done = () => { clearTimeout(timer); this.answered.off(joinId, done); resolve(); };
        const timer = setTimeout(done, 25);
        this.answered.on(joinId, done);
      });
    }
  }
}

function offline(): CancelOutcome {
  return { outcome: 'refused', code: 'BRANCH_OFFLINE', message: 'the branch cannot be reached: the ticket is not cancelled' };
}
