// What a phone (SMS or USSD) can do at central, for both channels: take a ticket through the remote-join path (same
// limits, same idempotency), see its tickets with their current position, cancel one. Answers are PhoneOutcomes;
// the channels word them (phone-texts.ts).
import type { Language, RemoteChannel } from '../../../shared/contracts/domain.js';
import { displayTicketNumber } from '../../../shared/domain/numbering.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { HttpError } from '../../../shared/http/errors.js';
import type { CentralDb } from '../../db/database.js';
import type { TrackingService } from '../../tracking/tracking.service.js';
import type { CentralRemoteTables } from '../remote.migration.js';
import type { RemoteCancels } from '../remote-cancels.js';
import type { RemoteJoins } from '../remote-joins.js';
import type { MenuBranch, MenuService, MenuTicket } from './ussd-menu.js';
import type { PhoneOutcome } from './phone-texts.js';
import { normalizeBranchCode } from './sms-command.js';

/** Ticket statuses after which a remote ticket is no longer the phone's. */
const OVER = new Set(['served', 'cancelled', 'expired', 'no_show', 'transferred']);
const DAY_MS = 86_400_000;

export interface PhoneTicketRow extends MenuTicket { branchId: string; branchCode: string; letter: string }

export class PhoneDesk {
  constructor(private readonly d: { cdb: CentralDb; joins: RemoteJoins; cancels: RemoteCancels; tracking: TrackingService; clock: { now(): Date } }) {}

  /** Branches taking remote tickets from phones: active, with a code; their open lines by letter. */
  async branches(): Promise<MenuBranch[]> {
    const db = this.d.cdb.db;
    const rows = await db.selectFrom('branches').select(['id', 'code', 'name', 'region']).where('status', '=', 'active').where('code', 'is not', null)
      .orderBy('region').orderBy('name').execute();
    if (rows.length === 0) return [];
    const services = await db.selectFrom('branch_services').select(['branch_id', 'service_id', 'prefix', 'name_fr', 'name_wo', 'name_en'])
      .where('branch_id', 'in', rows.map((r) => r.id)).where('removed', '=', 0).orderBy('prefix').execute();
    return rows.map((b) => ({
      id: b.id, code: b.code as string, name: b.name, region: b.region,
      services: services.filter((s) => s.branch_id === b.id)
        .map((s): MenuService => ({ id: s.service_id, letter: s.prefix, name: { fr: s.name_fr, wo: s.name_wo, en: s.name_en } })),
    })).filter((b) => b.services.length > 0);
  }

  /** The branch whose code was typed, and the line of the letter. */
  async find(branchCode: string, letter: string): Promise<{ branch: MenuBranch; service: MenuService | null } | null> {
    const code = normalizeBranchCode(branchCode);
    const branch = (await this.branches()).find((b) => normalizeBranchCode(b.code) === code);
    if (!branch) return null;
    return { branch, service: branch.services.find((s) => s.letter.toUpperCase() === letter.toUpperCase()) ?? null };
  }

  async join(input: { phone: string; language: Language; branch: MenuBranch; service: MenuService; channel: RemoteChannel; idempotencyKey: string }): Promise<PhoneOutcome> {
    try {
      const ticket = await this.d.joins.join({
        branchId: input.branch.id, serviceId: input.service.id, name: input.channel.toUpperCase(), phone: input.phone, channel: input.channel,
        language: input.language, idempotencyKey: input.idempotencyKey,
      // The per-address limit counts per phone here: every SMS comes from the provider's address.
      }, `${input.channel}:${input.phone}`);
      return {
        kind: 'joined',
        ticket: { number: ticket.displayNumber, branch: input.branch.name, service: input.service.name[input.language], position: ticket.position, wait: ticket.estimatedWaitMinutes, stale: false },
      };
    } catch (err) {
      if (!(err instanceof HttpError) && !(err instanceof DomainError)) throw err;
      const held = err.code === 'REMOTE_TICKET_ACTIVE' ? (await this.tickets(input.phone)).find((t) => t.branchId === input.branch.id && t.letter === input.service.letter) : undefined;
      return { kind: 'refused', code: err.code, branch: input.branch.name, number: held?.number ?? null };
    }
  }

  /** The phone's remote tickets that are not over, with their position as central knows it now. */
  async tickets(phone: string): Promise<PhoneTicketRow[]> {
    const db = this.d.cdb.db.withTables<CentralRemoteTables>();
    const since = new Date(this.d.clock.now().getTime() - DAY_MS).toISOString();
    const joins = await db.selectFrom('remote_joins').selectAll().where('phone', '=', phone).where('status', '=', 'issued')
      .where('created_at', '>', since).orderBy('created_at').execute();
    const branches = await this.branches();
    const out: PhoneTicketRow[] = [];
    for (const j of joins) {
      if (j.cancel_status === 'done' || !j.ticket_id || !j.ticket_number) continue;
      const view = await this.d.tracking.view(j.ticket_id, j.branch_id);
      if (view.known && view.status && OVER.has(view.status)) continue;
      const branch = branches.find((b) => b.id === j.branch_id);
      const service = branch?.services.find((s) => s.id === j.service_id);
      const language = j.language as Language;
      const called = view.known && (view.status === 'called' || view.status === 'serving');
      out.push({
        joinId: j.id, branchId: j.branch_id, branchCode: branch?.code ?? '', letter: service?.letter ?? j.ticket_number.slice(0, 1),
        number: displayTicketNumber(j.ticket_number), branch: view.branch?.name ?? branch?.name ?? '', service: service?.name[language] ?? '',
        // Until the branch has pushed the ticket, the position it gave with its answer.
        position: view.known ? view.position : j.position, wait: view.known ? view.estimatedWaitMinutes : j.estimated_wait_minutes,
        stale: view.known && view.freshness.stale,
        ...(called && { calledCounter: view.counterNumber }),
      });
    }
    return out;
  }

  async status(phone: string): Promise<PhoneOutcome> {
    return { kind: 'status', tickets: await this.tickets(phone) };
  }

  async cancel(ticket: PhoneTicketRow | MenuTicket & { branch: string }, channel: 'sms' | 'ussd'): Promise<PhoneOutcome> {
    const result = await this.d.cancels.cancel(ticket.joinId, channel);
    return result.outcome === 'cancelled'
      ? { kind: 'cancelled', number: ticket.number, branch: ticket.branch }
      : { kind: 'cancelRefused', code: result.code, branch: ticket.branch, number: ticket.number };
  }
}
