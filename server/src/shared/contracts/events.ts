// Socket.IO event maps shared by the server and the UIs (import type only in UIs).
import type { z } from 'zod';
import type { AlertView, BranchClosure, BranchView, CallNextBody, CancelBody, CommandBody, CompleteBody, CounterView, QueueSummary, ServiceView, TicketView, TransferBody } from './api.js';
import type { QueueType, Role } from './domain.js';

/** One call or recall of a ticket to a counter: what a call board shows and announces. */
export interface CallEvent {
  ticketId: string;
  number: string;
  serviceId: string;
  queueType: QueueType;
  counterId: string;
  counterNumber: number;
  counterName: string;
  at: string;
  recall: boolean;
}

export type Alert = z.infer<typeof AlertView>;

/** Full state sent on connect and on demand, so a reconnecting client never shows stale data as current. */
export interface BranchSnapshot {
  branch: BranchView;
  services: ServiceView[];
  counters: CounterView[];
  queue: QueueSummary;
  recentCalls: CallEvent[];
  /** Tickets waiting, called or being served, for staff screens (empty for displays and kiosks). */
  activeTickets: TicketView[];
  message: string | null;
  /** The branch's `absent: skip` rule (remote tickets): the staff's "next" list puts absent visitors last, as call-next passes over them. */
  skipAbsent: boolean;
  /** Today is a closure day (BranchInfo.closureAt): no line issues tickets, the kiosk and the call board show why. */
  closure: BranchClosure | null;
  serverTime: string;
  /** Bumped on every change; a client can tell whether it missed something. */
  revision: number;
}

export type Response<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface ServerToClientEvents {
  'state:snapshot': (snapshot: BranchSnapshot) => void;
  'ticket:issued': (ticket: TicketView) => void;
  'ticket:called': (call: CallEvent) => void;
  'ticket:recalled': (call: CallEvent) => void;
  'ticket:updated': (ticket: TicketView) => void;
  'ticket:transferred': (ticket: TicketView) => void;
  'ticket:finished': (ticket: TicketView) => void;
  'queue:updated': (queue: QueueSummary) => void;
  'counter:updated': (counter: CounterView) => void;
  'display:message': (message: { text: string | null }) => void;
  'alert:raised': (alert: Alert) => void;
  /** The kiosk's settings changed (GET /api/kiosk/config: e.g. whether an SMS can be offered): read them again. */
  'kiosk:changed': () => void;
}

/**
 * Socket commands: the same bodies as the HTTP commands (api.ts), with the id that HTTP carries in its path.
 * Both come from one declaration at the branch (branch/tickets/ticket.api.ts), so they cannot drift.
 */
export type TicketCommand<B extends z.ZodType = typeof CommandBody> = { ticketId: string } & z.input<B>;
type Ack<T> = (res: Response<T>) => void;

export interface ClientToServerEvents {
  'state:sync': (ack: Ack<BranchSnapshot>) => void;
  'counter:call-next': (cmd: { counterId: string } & z.input<typeof CallNextBody>, ack: Ack<{ ticket: TicketView | null }>) => void;
  'ticket:recall': (cmd: TicketCommand, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:start': (cmd: TicketCommand, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:complete': (cmd: TicketCommand<typeof CompleteBody>, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:no-show': (cmd: TicketCommand, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:park': (cmd: TicketCommand, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:unpark': (cmd: TicketCommand, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:transfer': (cmd: TicketCommand<typeof TransferBody>, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:cancel': (cmd: TicketCommand<typeof CancelBody>, ack: Ack<{ ticket: TicketView }>) => void;
}

/** The socket commands, by the name of their event. */
export type SocketCommandName = Exclude<keyof ClientToServerEvents, 'state:sync'>;

/** Who is on the other end of a socket: derived from its credential, never from what it claims. */
export type SocketPrincipal =
  | { kind: 'staff'; userId: string; role: Role; displayName: string }
  | { kind: 'device'; deviceId: string; role: 'kiosk' | 'display' };

export interface SocketData { principal: SocketPrincipal }
export type { BranchView, CounterView, QueueSummary, ServiceView, TicketView };
