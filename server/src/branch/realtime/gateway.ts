// The Socket.IO gateway: pushes what changed to kiosks, agents and call boards, and takes agent commands.
// Roles come from the credential in the handshake (a staff session or a device token), never from the client's
// word: a display or kiosk socket can read but never call or change a ticket.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, Response, ServerToClientEvents, SocketData } from '../../shared/contracts/events.js';
import type { TicketView } from '../../shared/contracts/api.js';
import { DomainError } from '../../shared/domain/errors.js';
import { isFinal } from '../../shared/domain/ticket-state.js';
import type { TicketStatus } from '../../shared/contracts/domain.js';
import type { Actor } from '../core/actor.js';
import type { BranchServices } from '../core/services.js';
import { resolveActor } from '../http/auth.js';
import { toErrorBody } from '../../shared/http/errors.js';

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData & { token: string }>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData & { token: string }>;

const QUEUE_UPDATE_MS = 50;

export interface Gateway {
  io: IoServer;
  close(): Promise<void>;
}

export function createGateway(httpServer: HttpServer, s: BranchServices): Gateway {
  const io: IoServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    // Agents must notice a dead Wi-Fi link quickly; the defaults (25 s + 20 s) are too slow at a counter.
    pingInterval: 10_000,
    pingTimeout: 8_000,
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: undefined,
  });

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === 'string' ? auth.token : null;
    const actor = resolveActor(s, token);
    if (!actor || !token) return next(new Error('UNAUTHENTICATED'));
    socket.data.token = token;
    socket.data.principal = actor.kind === 'staff'
      ? { kind: 'staff', userId: actor.userId, role: actor.role, displayName: actor.displayName }
      : { kind: 'device', deviceId: actor.deviceId, role: actor.role };
    next();
  });

  io.on('connection', (socket: IoSocket) => {
    const p = socket.data.principal;
    void socket.join('all');
    if (p.kind === 'staff') {
      void socket.join('staff');
      if (p.role !== 'agent') void socket.join('supervisors');
    } else {
      void socket.join(p.role === 'kiosk' ? 'kiosks' : 'displays');
    }
    socket.emit('state:snapshot', s.state.snapshot(p.kind === 'staff'));

    socket.on('state:sync', (ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, data: s.state.snapshot(socket.data.principal.kind === 'staff') });
    });

    const command = <T>(name: keyof ClientToServerEvents, run: (actor: Actor, payload: Record<string, unknown>) => T) => {
      socket.on(name, ((payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (res: Response<T>) => void;
        try {
          // The session is checked on every command: a revoked or expired token stops working at once.
          const actor = resolveActor(s, socket.data.token);
          if (!actor || actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'only signed-in staff can act on tickets');
          if (!payload || typeof payload !== 'object') throw new DomainError('VALIDATION_ERROR', 'command payload must be an object');
          reply({ ok: true, data: run(actor, payload as Record<string, unknown>) });
        } catch (err) {
          const { body } = toErrorBody(err);
          reply({ ok: false, error: { code: body.error.code, message: body.error.message } });
        }
      }) as never);
    };
    const str = (v: unknown, name: string): string => {
      if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw new DomainError('VALIDATION_ERROR', `${name} must be a string id`);
      return v;
    };
    const opt = (v: unknown, name: string): string | undefined => (v === undefined ? undefined : str(v, name));
    const text = (v: unknown, name: string, max: number): string | undefined => {
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.length > max) throw new DomainError('VALIDATION_ERROR', `${name} must be text of at most ${max} characters`);
      return v;
    };

    command('counter:call-next', (a, c) => ({ ticket: s.tickets.callNext(str(c.counterId, 'counterId'), a, opt(c.commandId, 'commandId')) }));
    command('ticket:recall', (a, c) => ({ ticket: s.tickets.recall(str(c.ticketId, 'ticketId'), a, opt(c.commandId, 'commandId')) }));
    command('ticket:start', (a, c) => ({ ticket: s.tickets.start(str(c.ticketId, 'ticketId'), a, opt(c.commandId, 'commandId')) }));
    command('ticket:complete', (a, c) => ({ ticket: s.tickets.complete(str(c.ticketId, 'ticketId'), a, { outcome: text(c.outcome, 'outcome', 64), note: text(c.note, 'note', 500) }, opt(c.commandId, 'commandId')) }));
    command('ticket:no-show', (a, c) => ({ ticket: s.tickets.noShow(str(c.ticketId, 'ticketId'), a, opt(c.commandId, 'commandId')) }));
    command('ticket:transfer', (a, c) => {
      const serviceId = opt(c.serviceId, 'serviceId');
      const counterId = opt(c.counterId, 'counterId');
      if (!serviceId && !counterId) throw new DomainError('VALIDATION_ERROR', 'serviceId or counterId is required');
      return { ticket: s.tickets.transfer(str(c.ticketId, 'ticketId'), { serviceId, counterId }, a, opt(c.commandId, 'commandId')) };
    });
    command('ticket:cancel', (a, c) => ({ ticket: s.tickets.cancel(str(c.ticketId, 'ticketId'), a, text(c.reason, 'reason', 200), opt(c.commandId, 'commandId')) }));
  });

  // ---- broadcasting what changed ----
  let queueTimer: NodeJS.Timeout | null = null;
  const queueChanged = () => {
    if (queueTimer) return;
    queueTimer = setTimeout(() => {
      queueTimer = null;
      io.to('all').emit('queue:updated', s.state.queueSummary());
    }, QUEUE_UPDATE_MS);
  };
  const hasStaff = () => (io.sockets.adapter.rooms.get('staff')?.size ?? 0) > 0;
  const staffView = (ticket: Parameters<BranchServices['tickets']['view']>[0]): TicketView => s.tickets.view(ticket);

  const events = s.ctx.events;
  const onIssued: Parameters<typeof events.on<'ticket.issued'>>[1] = ({ ticket, view }) => {
    if (hasStaff()) io.to('staff').emit('ticket:issued', view ?? staffView(ticket));
    queueChanged();
  };
  const onCalled: Parameters<typeof events.on<'ticket.called'>>[1] = ({ ticket, call }) => {
    io.to('all').emit(call.recall ? 'ticket:recalled' : 'ticket:called', call);
    // A call changes the ticket (status, counter, calledAt): staff screens keep their ticket list current with it.
    if (hasStaff()) io.to('staff').emit('ticket:updated', staffView(ticket));
    queueChanged();
  };
  const onChanged: Parameters<typeof events.on<'ticket.changed'>>[1] = ({ ticket }) => {
    if (hasStaff()) {
      const view = staffView(ticket);
      const status = ticket.status as TicketStatus;
      io.to('staff').emit(isFinal(status) ? 'ticket:finished' : status === 'transferred' ? 'ticket:transferred' : 'ticket:updated', view);
    }
    queueChanged();
  };
  // A counter's view as last sent to every screen: a ticket started at a counter changes nothing a screen shows of
  // the counter (it already holds that ticket), so the same view is not sent again to every socket.
  const sentCounters = new Map<string, string>();
  const onCounter: Parameters<typeof events.on<'counter.changed'>>[1] = ({ counterId }) => {
    const counter = s.counters.find(counterId);
    if (counter) {
      const json = JSON.stringify(counter);
      if (sentCounters.get(counterId) !== json) {
        sentCounters.set(counterId, json);
        io.to('all').emit('counter:updated', counter);
      }
    } else {
      sentCounters.delete(counterId);
    }
    queueChanged();
  };
  const onCatalog = () => {
    sentCounters.clear();
    // Two snapshots (staff, screens) worked out once, not once per socket: a staff one lists every active ticket.
    const snapshots = new Map<boolean, ReturnType<typeof s.state.snapshot>>();
    for (const socket of io.sockets.sockets.values()) {
      const staff = socket.data.principal?.kind === 'staff';
      let snapshot = snapshots.get(staff);
      if (!snapshot) {
        snapshot = s.state.snapshot(staff);
        snapshots.set(staff, snapshot);
      }
      socket.emit('state:snapshot', snapshot);
    }
  };
  const onMessage: Parameters<typeof events.on<'message.changed'>>[1] = ({ text }) => { io.to('all').emit('display:message', { text }); };
  const onAlert: Parameters<typeof events.on<'alert.raised'>>[1] = (alert) => { io.to('staff').emit('alert:raised', alert); };

  events.on('ticket.issued', onIssued);
  events.on('ticket.called', onCalled);
  events.on('ticket.changed', onChanged);
  events.on('counter.changed', onCounter);
  events.on('catalog.changed', onCatalog);
  events.on('message.changed', onMessage);
  events.on('alert.raised', onAlert);

  return {
    io,
    async close() {
      if (queueTimer) clearTimeout(queueTimer);
      events.off('ticket.issued', onIssued);
      events.off('ticket.called', onCalled);
      events.off('ticket.changed', onChanged);
      events.off('counter.changed', onCounter);
      events.off('catalog.changed', onCatalog);
      events.off('message.changed', onMessage);
      events.off('alert.raised', onAlert);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => { void io.close(() => resolve()); });
    },
  };
}
