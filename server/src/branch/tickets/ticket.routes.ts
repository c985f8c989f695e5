import type { Router } from 'express';
import { IssueTicketBody, TicketView } from '../../shared/contracts/api.js';
import type { TicketView as TicketViewT } from '../../shared/contracts/api.js';
import type { Actor } from '../core/actor.js';
import type { DeviceService } from '../devices/device.service.js';
import type { BranchApi } from '../http/access.js';
import type { TicketCommands } from './ticket.commands.js';
import type { TicketQueries } from './ticket.queries.js';

/** Phone and e-mail are shown to staff only. */
function forActor(view: TicketViewT, actor: Actor | null): TicketViewT {
  return actor?.kind === 'staff' ? view : { ...view, phone: null };
}

/** Issuing and reading tickets; the agents' commands come from ticket.api.ts. */
export function registerTicketRoutes(router: Router, api: BranchApi, d: { commands: TicketCommands; queries: TicketQueries; devices: DeviceService }): void {
  // A direct route (shared/http/route.ts): the kiosks' issuance is served without express's per-request work.
  api.addDirect(router, {
    method: 'post', path: '/api/tickets', tag: 'tickets', access: 'issuer', status: 201,
    summary: 'Issue a ticket', body: IssueTicketBody, response: TicketView,
    // 404: no such serviceId; 429: the kiosk's rate limit (Retry-After).
    errors: [404, 429],
    description: 'A kiosk issues walk-in tickets (rate-limited per device); staff may issue one for a visitor. VIP priority is for staff only. '
      + 'With a commandId, a retry of the same request by the same caller (e.g. a kiosk whose answer was lost) answers 201 with the ticket already '
      + 'issued, without issuing, announcing or counting it against the rate limit again; the same commandId with a different body answers 409 CONFLICT.',
  }, ({ body, actor }) => {
    const admit = actor?.kind === 'device' ? () => d.devices.checkIssueRate(actor.deviceId) : undefined;
    return forActor(d.commands.issue(body, actor as Actor, admit), actor);
  });

  api.add(router, { method: 'get', path: '/api/tickets/:id', tag: 'tickets', access: 'public', summary: 'A ticket with its live position and estimated wait', response: TicketView },
    ({ params, actor }) => forActor(d.queries.getTicket(params.id as string), actor));

  api.add(router, { method: 'get', path: '/api/tickets', tag: 'tickets', access: 'staff', summary: 'Active tickets (waiting, called, serving)', response: TicketView.array() },
    () => d.queries.activeViews());
}
