// USSD through an aggregator: each step of a session is one callback with the choices so far (`text`); the menu is
// worked out from it alone (ussd-menu.ts), so a replayed session gives the same screens and, at its confirmation,
// the same join (idempotency key from the session and the line). The answer is text/plain "CON …" or "END …".
import { normalizeSenegalPhone } from '../../../shared/contracts/domain.js';
import type { UssdSessionBody } from '../../../shared/contracts/remote.js';
import { sha256 } from '../../branches/branches.js';
import type { PhoneDesk } from './phone-desk.js';
import { PHONE_TEXTS, phoneText } from './phone-texts.js';
import { ussdAnswer, ussdStep, type MenuData } from './ussd-menu.js';

export class UssdSessions {
  constructor(private readonly d: { desk: PhoneDesk }) {}

  async step(body: UssdSessionBody): Promise<string> {
    const phone = normalizeSenegalPhone(body.phoneNumber);
    if (!phone) return ussdAnswer(true, PHONE_TEXTS.fr.outcome.failed);
    const choices = body.text.split('*');
    // The phone's tickets matter only under "my ticket" and "cancel" (and cost a look at each).
    const needTickets = choices[1] === '2' || choices[1] === '3';
    const data: MenuData = { branches: await this.d.desk.branches(), tickets: needTickets ? await this.d.desk.tickets(phone) : [] };
    const step = ussdStep(body.text, data);
    switch (step.kind) {
      case 'screen':
        return ussdAnswer(step.end, step.text);
      case 'join': {
        const idempotencyKey = `ussd:${sha256(`${body.sessionId}\n${step.branch.id}\n${step.service.id}`).slice(0, 40)}`;
        const outcome = await this.d.desk.join({ phone, language: step.language, branch: step.branch, service: step.service, channel: 'ussd', idempotencyKey });
        return ussdAnswer(true, phoneText(outcome, step.language, 'ussd'));
      }
      case 'cancel': {
        const ticket = (await this.d.desk.tickets(phone)).find((t) => t.joinId === step.ticket.joinId);
        if (!ticket) return ussdAnswer(true, phoneText({ kind: 'status', tickets: [] }, step.language, 'ussd'));
        return ussdAnswer(true, phoneText(await this.d.desk.cancel(ticket, 'ussd'), step.language, 'ussd'));
      }
    }
  }
}
