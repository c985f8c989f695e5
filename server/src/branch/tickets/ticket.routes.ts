import type { Router } from 'express';
import { CancelBody, CommandBody, CommandResult, CompleteBody, IssueTicketBody, TicketView, TransferBody, CallNextBody } from '../../shared/contracts/api.js';
import type { BranchServices } from '../core/services.js';
import type { BranchApi } from '../http/access.js';
import type { TicketView as TicketViewT } from '../../shared/contracts/api.js';
import type { Actor } from '../core/actor.js';

/** Phone and e-mail are shown to staff only. */
function forActor(view: TicketViewT, actor: Actor | null): TicketViewT {
  return actor?.kind === 'staff' ? view : { ...view, phone: null };
}

export function registerTicketRoutes(router: Router, api: BranchApi, s: BranchServices): void {
  api.add(router, {
    method: 'post', path: '/api/tickets', tag: 'tickets', access: 'issuer', status: 201,
    summary: 'Issue a ticket', body: IssueTicketBody, response: TicketView,
    description: 'A kiosk issues walk-in tickets (rate-limited per device); staff may issue one for a visitor. VIP priority is for staff only. '
      + 'With a commandId, a retry of the same request by the same caller (e.g. a kiosk whose answer was lost) answers 201 with the ticket already '
      + 'issued, without issuing, announcing or counting it against the rate limit again; the same commandId with a different body answers 409 CONFLICT.',
  }, ({ body, actor }) => {
    const admit = actor?.kind === 'device' ? () => s.devices.checkIssueRate(actor.deviceId) : undefined;
    return forActor(s.tickets.issue(body, actor as Actor, admit), actor);
  });

  api.add(router, { method: 'get', path: '/api/tickets/:id', tag: 'tickets', access: 'public', summary: 'A ticket with its live position and estimated wait', response: TicketView },
    ({ params, actor }) => forActor(s.tickets.getTicket(params.id as string), actor));

  api.add(router, { method: 'get', path: '/api/tickets', tag: 'tickets', access: 'staff', summary: 'Active tickets (waiting, called, serving)', response: TicketView.array() },
    () => s.tickets.activeViews());

  api.add(router, { method: 'post', path: '/api/counters/:id/call-next', tag: 'counter', access: 'staff', summary: 'Call the next ticket to this counter', body: CallNextBody, response: CommandResult,
    description: 'Among the services the counter serves: class bonus plus minutes waited, FIFO within a class (see README). A closed counter is opened for the caller. Answers {ticket: null} when nobody waits.' },
  ({ params, body, actor }) => ({ ticket: s.tickets.callNext(params.id as string, actor as Actor, body.commandId) }));

  const cmd = (path: string, summary: string, run: (id: string, actor: Actor, commandId: string | undefined) => TicketViewT) =>
    api.add(router, { method: 'post', path: `/api/tickets/:id/${path}`, tag: 'counter', access: 'staff', summary, body: CommandBody, response: CommandResult },
      ({ params, body, actor }) => ({ ticket: run(params.id as string, actor as Actor, body.commandId) }));
  cmd('recall', 'Call the ticket again (re-announce)', (id, a, c) => s.tickets.recall(id, a, c));
  cmd('start', 'Start serving the called ticket', (id, a, c) => s.tickets.start(id, a, c));
  cmd('no-show', 'The visitor did not come', (id, a, c) => s.tickets.noShow(id, a, c));
  cmd('park', 'Set the ticket aside at this counter', (id, a, c) => s.tickets.park(id, a, c));
  cmd('unpark', 'Bring a parked ticket back to this counter', (id, a, c) => s.tickets.unpark(id, a, c));

  api.add(router, { method: 'post', path: '/api/tickets/:id/complete', tag: 'counter', access: 'staff', summary: 'The visit is over', body: CompleteBody, response: CommandResult },
    ({ params, body, actor }) => ({ ticket: s.tickets.complete(params.id as string, actor as Actor, { outcome: body.outcome, note: body.note }, body.commandId) }));
  api.add(router, { method: 'post', path: '/api/tickets/:id/transfer', tag: 'counter', access: 'staff', summary: 'Send the ticket to another service and/or counter, keeping its issue time', body: TransferBody, response: CommandResult },
    ({ params, body, actor }) => ({ ticket: s.tickets.transfer(params.id as string, { serviceId: body.serviceId, counterId: body.counterId, note: body.note }, actor as Actor, body.commandId) }));
  api.add(router, { method: 'post', path: '/api/tickets/:id/cancel', tag: 'counter', access: 'staff', summary: 'Cancel a ticket', body: CancelBody, response: CommandResult },
    ({ params, body, actor }) => ({ ticket: s.tickets.cancel(params.id as string, actor as Actor, body.reason, body.commandId) }));
}
