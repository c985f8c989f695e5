// The agents' commands, declared once each (http/commands.ts): the HTTP routes and the Socket.IO handlers are made
// from this list. No screen sends them over the socket today (the counter app uses REST, which answers with the
// same shapes); they stay for tests and outside Socket.IO clients, and cannot drift from HTTP (docs/agent-display.md).
import { CallNextBody, CancelBody, CommandBody, CommandResult, CompleteBody, TransferBody } from '../../shared/contracts/api.js';
import { command, type CommandSpec } from '../http/commands.js';
import type { TicketCommands } from './ticket.commands.js';

export function ticketCommandSpecs(t: TicketCommands): CommandSpec[] {
  const simple = (name: CommandSpec['name'], verb: string, summary: string, run: (id: string, actor: Parameters<CommandSpec['run']>[1], commandId?: string) => unknown) =>
    command({
      name, path: `/api/tickets/:id/${verb}`, target: 'ticketId', access: 'staff', tag: 'counter', summary, body: CommandBody, result: CommandResult,
      run: ({ id, body }, actor) => ({ ticket: run(id, actor, body.commandId) as CommandResult['ticket'] }),
    });
  return [
    command({
      name: 'counter:call-next', path: '/api/counters/:id/call-next', target: 'counterId', access: 'staff', tag: 'counter',
      summary: 'Call the next ticket to this counter', body: CallNextBody, result: CommandResult,
      description: 'Among the services the counter serves: class bonus plus minutes waited, FIFO within a class (see README). A closed counter is opened for the caller. Answers {ticket: null} when nobody waits.',
      run: ({ id, body }, actor) => ({ ticket: t.callNext(id, actor, body.commandId) }),
    }),
    simple('ticket:recall', 'recall', 'Call the ticket again (re-announce)', (id, a, c) => t.recall(id, a, c)),
    simple('ticket:start', 'start', 'Start serving the called ticket', (id, a, c) => t.start(id, a, c)),
    simple('ticket:no-show', 'no-show', 'The visitor did not come', (id, a, c) => t.noShow(id, a, c)),
    simple('ticket:park', 'park', 'Set the ticket aside at this counter', (id, a, c) => t.park(id, a, c)),
    simple('ticket:unpark', 'unpark', 'Bring a parked ticket back to this counter', (id, a, c) => t.unpark(id, a, c)),
    command({
      name: 'ticket:complete', path: '/api/tickets/:id/complete', target: 'ticketId', access: 'staff', tag: 'counter',
      summary: 'The visit is over', body: CompleteBody, result: CommandResult,
      run: ({ id, body }, actor) => ({ ticket: t.complete(id, actor, { outcome: body.outcome, note: body.note }, body.commandId) }),
    }),
    command({
      name: 'ticket:transfer', path: '/api/tickets/:id/transfer', target: 'ticketId', access: 'staff', tag: 'counter',
      summary: 'Send the ticket to another service and/or counter, keeping its issue time', body: TransferBody, result: CommandResult,
      run: ({ id, body }, actor) => ({ ticket: t.transfer(id, { serviceId: body.serviceId, counterId: body.counterId, note: body.note }, actor, body.commandId) }),
    }),
    command({
      name: 'ticket:cancel', path: '/api/tickets/:id/cancel', target: 'ticketId', access: 'staff', tag: 'counter',
      summary: 'Cancel a ticket', body: CancelBody, result: CommandResult,
      run: ({ id, body }, actor) => ({ ticket: t.cancel(id, actor, body.reason, body.commandId) }),
    }),
  ];
}
