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

/**
 * Full state sent on connect, on `state:sync` and inside a batch after a catalog change, so that a reconnecting client
 * never shows stale data as current. Each audience gets what it shows (docs/realtime.md): call boards and kiosks get
 * no counters (they show none), kiosks neither calls nor the board's message.
 */
export interface BranchSnapshot {
  branch: BranchView;
  services: ServiceView[];
  /** Staff only (empty for call boards and kiosks). */
  counters: CounterView[];
  queue: QueueSummary;
  /** Staff and call boards (empty for kiosks). */
  recentCalls: CallEvent[];
  /** Tickets waiting, called or being served, for staff screens (empty for displays and kiosks). */
  activeTickets: TicketView[];
  /** Staff and call boards (null for kiosks). */
  message: string | null;
  /** The branch's `absent: skip` rule (remote tickets): the staff's "next" list puts absent visitors last, as call-next passes over them. */
  skipAbsent: boolean;
  /** Today is a closure day (BranchInfo.closureAt): no line issues tickets, the kiosk and the call board show why. */
  closure: BranchClosure | null;
  serverTime: string;
  /** The revision of the socket's audience this state includes: the next batch applied is revision + 1. */
  revision: number;
}

/** Who a batch is for: every socket of an audience gets the same batches, numbered in one sequence. */
export type Audience = 'staff' | 'displays' | 'kiosks';

/**
 * What changed for an audience since its previous batch: one `changes` message per socket per flush, however many
 * changes it gathers (the gateway flushes once per turn of the event loop; docs/realtime.md). Fields left out did not
 * change; a socket whose audience shows nothing of a change gets no message at all.
 *
 * A client applies the batch whose revision is its own + 1 and then holds that revision, ignores older ones (already
 * in its snapshot), and on a gap (a newer one) asks `state:sync` and ignores batches until the answer.
 */
export interface ChangeBatch {
  revision: number;
  /**
   * The catalog changed (services, counters, branch settings, closure, the absent rule): the whole state, which
   * replaces the client's. Beside it only `calls` (to announce: they are in its recentCalls already), `alerts` and
   * `kioskChanged` are sent.
   */
  snapshot?: BranchSnapshot;
  /** Calls and recalls, in order (staff and call boards): a board announces each one once. */
  calls?: CallEvent[];
  /** Staff only: tickets as they are now (upserts by id); one no longer active (served, cancelled …) leaves the list.
   *  Their positions are as of their own change: the staff screens rank the line themselves (call-policy). */
  tickets?: TicketView[];
  /** Staff only: counters whose view changed. */
  counters?: CounterView[];
  /**
   * The queue summary, worked out at most every 50 ms. Staff get each one; call boards and kiosks only when the
   * waiting counts they show changed, with their next batch or at most a second later.
   */
  queue?: QueueSummary;
  /** The call boards' message changed (staff and call boards). */
  message?: { text: string | null };
  /** Staff only: alerts raised, in order. */
  alerts?: Alert[];
  /** Kiosks only: their settings changed (GET /api/kiosk/config, e.g. whether an SMS can be offered): read them again. */
  kioskChanged?: true;
}

export type Response<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface ServerToClientEvents {
  /** On every connection, before any batch. */
  'state:snapshot': (snapshot: BranchSnapshot) => void;
  /** Everything else: see ChangeBatch. */
  'changes': (batch: ChangeBatch) => void;
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
