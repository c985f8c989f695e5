// Socket.IO event maps shared by the server and the UIs (import type only in UIs).
import type { BranchView, CounterView, QueueSummary, ServiceView, TicketView } from './api.js';
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

export interface Alert {
  id: string;
  kind: 'printer' | 'long_wait' | 'sync' | 'system';
  severity: 'info' | 'warning' | 'critical';
  message: string;
  at: string;
  data?: Record<string, string | number | boolean | null>;
}

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
}

export interface TicketCommand { ticketId: string; commandId?: string }
export interface ClientToServerEvents {
  'state:sync': (ack: (res: Response<BranchSnapshot>) => void) => void;
  'counter:call-next': (cmd: { counterId: string; commandId?: string }, ack: (res: Response<{ ticket: TicketView | null }>) => void) => void;
  'ticket:recall': (cmd: TicketCommand, ack: (res: Response<{ ticket: TicketView }>) => void) => void;
  'ticket:start': (cmd: TicketCommand, ack: (res: Response<{ ticket: TicketView }>) => void) => void;
  'ticket:complete': (cmd: TicketCommand & { outcome?: string; note?: string }, ack: (res: Response<{ ticket: TicketView }>) => void) => void;
  'ticket:no-show': (cmd: TicketCommand, ack: (res: Response<{ ticket: TicketView }>) => void) => void;
  'ticket:transfer': (cmd: TicketCommand & { serviceId?: string; counterId?: string }, ack: (res: Response<{ ticket: TicketView }>) => void) => void;
  'ticket:cancel': (cmd: TicketCommand & { reason?: string }, ack: (res: Response<{ ticket: TicketView }>) => void) => void;
}

/** Who is on the other end of a socket: derived from its credential, never from what it claims. */
export type SocketPrincipal =
  | { kind: 'staff'; userId: string; role: Role; displayName: string }
  | { kind: 'device'; deviceId: string; role: 'kiosk' | 'display' };

export interface SocketData { principal: SocketPrincipal }
export type { BranchView, CounterView, QueueSummary, ServiceView, TicketView };
