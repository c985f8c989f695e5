// In-process domain events: the service layer emits them after a commit; adapters (Socket.IO gateway, printer,
// sync worker) subscribe. Nothing here is persisted: what must survive a crash is in the database already.
import { EventEmitter } from 'node:events';
import type { Alert, CallEvent } from '../../shared/contracts/events.js';
import type { TicketView } from '../../shared/contracts/api.js';
import type { TicketRow } from '../tickets/ticket.repository.js';

export interface DomainEventMap {
  /** `view`: the ticket as staff see it (with position), when the issuer computed it already. */
  'ticket.issued': [{ ticket: TicketRow; deviceId: string | null; view?: TicketView }];
  'ticket.called': [{ ticket: TicketRow; call: CallEvent }];
  'ticket.changed': [{ ticket: TicketRow; type: string }];
  /** `ticketOnly`: only the ticket the counter holds moved (a call, a start, a completion …); its state, agent and
   *  services did not, so nothing worked out from open counters (the services' pace) has to be looked at again. */
  'counter.changed': [{ counterId: string; ticketOnly?: boolean }];
  'catalog.changed': [];
  /** A user was created or changed (names shown at head office). */
  'staff.changed': [];
  'message.changed': [{ text: string | null }];
  'alert.raised': [Alert];
  /** Something the supervisors must hear of, raised by a part that does not hold the alert list (a lockout). */
  'alert.wanted': [Omit<Alert, 'id' | 'at'>];
  'outbox.appended': [];
  /** A session or a device token may have stopped working (logout, disabled user, new password or role, revoked device):
   *  open sockets re-check their credential at once. */
  'credentials.changed': [];
  /** What a kiosk's settings say changed (central said whether it can send SMS): kiosks read them again. */
  'kiosk.changed': [];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
