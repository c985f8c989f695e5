// Inbound SMS ("text to join"): Orange delivers each message a visitor sends to the service number; central reads the
// command, acts through the phone desk (the remote-join path for a ticket) and answers by SMS through the delivery
// log (so the answer is logged and retried like every other message). The message's id is recorded with the queued
// answer in one transaction: a message delivered twice is answered once, and its join (idempotency key from the
// message id) is the same join.
import type { Logger } from 'pino';
import { normalizeSenegalPhone, type Language } from '../../../shared/contracts/domain.js';
import type { OneApiInboundSmsNotification } from '../../../shared/contracts/remote.js';
import { sha256 } from '../../branches/branches.js';
import type { CentralDb } from '../../db/database.js';
import type { Notifier } from '../../notifications/notifier.js';
import { notificationDb } from '../../notifications/store.js';
import type { CentralRemoteTables } from '../remote.migration.js';
import type { PhoneDesk } from './phone-desk.js';
import { phoneText, type PhoneOutcome } from './phone-texts.js';
import { normalizeBranchCode, parseSmsCommand, type SmsCommand } from './sms-command.js';

/** An answer not sent within this is dropped (the visitor has moved on). */
const REPLY_TTL_MS = 3_600_000;

export class SmsInbound {
  constructor(private readonly d: { cdb: CentralDb; desk: PhoneDesk; notifier: Notifier; clock: { now(): Date }; logger: Logger }) {}

  private get db() {
    return this.d.cdb.db.withTables<CentralRemoteTables>();
  }

  async receive(notification: OneApiInboundSmsNotification): Promise<{ messageId: string; duplicate: boolean }> {
    const m = notification.inboundSMSMessageNotification.inboundSMSMessage;
    const messageId = m.messageId;
    const seen = await this.db.selectFrom('remote_sms_inbound').select('message_id').where('message_id', '=', messageId).executeTakeFirst();
    if (seen) return { messageId, duplicate: true };
    const phone = normalizeSenegalPhone(m.senderAddress.replace(/^tel:/i, ''));
    const phoneHash = sha256(phone ?? m.senderAddress);
    const command = parseSmsCommand(m.message);
    const language: Language = ('language' in command && command.language) || (await this.lastLanguage(phoneHash)) || 'fr';
    // A number central cannot text back (not Senegalese) is recorded and left unanswered.
    const acted = phone ? await this.act(command, phone, language, messageId) : null;
    const text = acted ? phoneText(acted.outcome, language, 'sms') : null;
    const now = this.d.clock.now();
    const inserted = await this.d.cdb.db.transaction().execute(async (trx) => {
      const row = await trx.withTables<CentralRemoteTables>().insertInto('remote_sms_inbound').values({
        message_id: messageId, phone_hash: phoneHash, command: command.kind, language, join_id: acted?.joinId ?? null, received_at: now.toISOString(),
      }).onConflict((oc) => oc.column('message_id').doNothing()).returning('message_id').execute();
      if (row.length === 0 || !phone || !text) return row.length > 0;
      const queued = await this.d.notifier.notify(notificationDb(trx), {
        eventKey: `sms_reply:${messageId}`, params: { kind: 'sms_reply', text }, recipients: [{ channel: 'sms', address: phone, language }],
        expiresAt: new Date(now.getTime() + REPLY_TTL_MS).toISOString(), ref: { type: 'sms_inbound', id: messageId },
      }, now.toISOString());
      if (queued.skipped.length) this.d.logger.warn({ messageId }, 'inbound SMS answered, but SMS sending is off here (SMS_PROVIDER): the visitor gets no answer');
      return true;
    });
    if (inserted) this.d.notifier.queued();
    return { messageId, duplicate: !inserted };
  }

  /** The language of this phone's last message, for a bare "PLATEAU A". */
  private async lastLanguage(phoneHash: string): Promise<Language | undefined> {
    const row = await this.db.selectFrom('remote_sms_inbound').select('language').where('phone_hash', '=', phoneHash)
      .where('command', '!=', 'unknown').orderBy('received_at', 'desc').limit(1).executeTakeFirst();
    return row?.language as Language | undefined;
  }

  private async act(command: SmsCommand, phone: string, language: Language, messageId: string): Promise<{ outcome: PhoneOutcome; joinId?: string }> {
    switch (command.kind) {
      case 'help':
      case 'unknown':
        return { outcome: { kind: 'help' } };
      case 'status':
        return { outcome: await this.d.desk.status(phone) };
      case 'join': {
        const found = await this.d.desk.find(command.branchCode, command.serviceLetter);
        if (!found) return { outcome: { kind: 'unknownBranch', code: command.branchCode } };
        if (!found.service) {
          return { outcome: { kind: 'unknownService', branch: found.branch.name, branchCode: found.branch.code, letter: command.serviceLetter, letters: found.branch.services.map((s) => s.letter) } };
        }
        const outcome = await this.d.desk.join({ phone, language, branch: found.branch, service: found.service, channel: 'sms', idempotencyKey: `sms:${messageId}` });
        return { outcome };
      }
      case 'cancel': {
        const all = await this.d.desk.tickets(phone);
        const code = command.branchCode ? normalizeBranchCode(command.branchCode) : null;
        const chosen = code ? all.filter((t) => normalizeBranchCode(t.branchCode) === code && t.letter === command.serviceLetter) : all;
        if (chosen.length === 0) return { outcome: { kind: 'status', tickets: [] } };
        if (chosen.length > 1) return { outcome: { kind: 'cancelWhich', tickets: chosen.map((t) => ({ number: t.number, branchCode: t.branchCode, letter: t.letter })) } };
        const ticket = chosen[0] as (typeof chosen)[number];
        return { outcome: await this.d.desk.cancel(ticket, 'sms'), joinId: ticket.joinId };
      }
    }
  }
}
