// The Socket.IO gateway: pushes what changed to kiosks, agents and call boards (one batch per audience per turn of
// the event loop, fanout.ts), and takes agent commands.
// Roles come from the credential in the handshake (a staff session or a device token), never from the client's
// word: a display or kiosk socket can read but never call or change a ticket.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Audience, ClientToServerEvents, Response, ServerToClientEvents, SocketData, SocketPrincipal } from '../../shared/contracts/events.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { resolveActor } from '../http/auth.js';
import { runSocketCommand, type CommandSpec } from '../http/commands.js';
import { toErrorBody } from '../../shared/http/errors.js';
import { Fanout } from './fanout.js';

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData & { token: string }>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData & { token: string }>;

/** A socket outlives the handshake: its credential is checked again this often (a session may expire meanwhile). */
export const CREDENTIAL_RECHECK_MS = 60_000;

export interface Gateway {
  io: IoServer;
  close(): Promise<void>;
}

export type GatewayDeps = Pick<BranchParts, 'users' | 'devices' | 'state' | 'ticketViews' | 'counters'> & {
  events: BranchParts['ctx']['events'];
  /** The socket commands, and the registry whose access policy they share with HTTP. */
  commands: readonly CommandSpec[];
  api: BranchApi;
  /** Tests shorten it; default CREDENTIAL_RECHECK_MS. */
  credentialRecheckMs?: number;
};

/** Staff screens get everything, as deltas; a call board and a kiosk only what they show (docs/realtime.md). */
function audienceOf(p: SocketPrincipal): Audience {
  if (p.kind === 'staff') return 'staff';
  return p.role === 'kiosk' ? 'kiosks' : 'displays';
}

export function createGateway(httpServer: HttpServer, d: GatewayDeps): Gateway {
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
    const actor = resolveActor(d, token);
    if (!actor || !token) return next(new Error('UNAUTHENTICATED'));
    socket.data.token = token;
    socket.data.principal = actor.kind === 'staff'
      ? { kind: 'staff', userId: actor.userId, role: actor.role, displayName: actor.displayName }
      : { kind: 'device', deviceId: actor.deviceId, role: actor.role };
    next();
  });

  // A socket lives only while the credential it connected with still resolves to the same role: a logout, a disabled
  // user, a new password or role, or a revoked device closes it at once (and the screen goes back to sign-in or
  // pairing on its next connect), and the periodic pass catches sessions that simply expired.
  const stillValid = (socket: IoSocket): boolean => {
    const actor = resolveActor(d, socket.data.token);
    const p = socket.data.principal;
    if (!actor || !p || actor.kind !== p.kind) return false;
    return actor.kind === 'staff' ? p.kind === 'staff' && actor.userId === p.userId && actor.role === p.role
      : p.kind === 'device' && actor.deviceId === p.deviceId && actor.role === p.role;
  };
  const recheckCredentials = () => {
    for (const socket of io.sockets.sockets.values()) if (!stillValid(socket)) socket.disconnect(true);
  };
  const recheckTimer = setInterval(recheckCredentials, d.credentialRecheckMs ?? CREDENTIAL_RECHECK_MS);
  recheckTimer.unref();

  // What each screen is sent (fanout.ts): one batch per audience per turn of the event loop.
  const fanout = new Fanout({
    state: d.state,
    ticketViews: d.ticketViews,
    counters: d.counters,
    size: (audience) => io.sockets.adapter.rooms.get(audience)?.size ?? 0,
    emit: (audience, batch) => { io.to(audience).emit('changes', batch); },
  });

  io.on('connection', (socket: IoSocket) => {
    const p = socket.data.principal;
    if (p.kind === 'device') {
      d.devices.socketOpened(p.deviceId);
      socket.on('disconnect', () => d.devices.socketClosed(p.deviceId));
    }
    const audience = audienceOf(p);
    // The snapshot first (it flushes what was gathered, to the sockets already there), then the room: the socket's
    // first batch is the one after its snapshot's revision.
    const snapshot = fanout.snapshotFor(audience);
    void socket.join(audience);
    socket.emit('state:snapshot', snapshot);

    socket.on('state:sync', (ack) => {
      if (typeof ack !== 'function') return;
      if (!stillValid(socket)) {
        ack({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'this session or device token is no longer valid' } });
        socket.disconnect(true);
        return;
      }
      ack({ ok: true, data: fanout.snapshotFor(audience) });
    });

    // The agents' commands: made from the same declarations as their HTTP routes (tickets/ticket.api.ts).
    for (const spec of d.commands) {
      socket.on(spec.name, ((payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (res: Response<unknown>) => void;
        const refuse = (err: unknown) => {
          const { body } = toErrorBody(err);
          reply({ ok: false, error: { code: body.error.code, message: body.error.message } });
        };
        try {
          // The session is checked on every command: a revoked or expired token stops working at once.
          const run = () => runSocketCommand(spec, d.api, resolveActor(d, socket.data.token), payload);
          const gate = d.api.gate;
          const data = gate ? gate.run(run) : run();
          // Answered once its change is on disk, as the HTTP route is (the commit is shared with its turn).
          void (gate ? gate.durable() : Promise.resolve()).then(() => reply({ ok: true, data }), refuse);
        } catch (err) {
          refuse(err);
        }
      }) as never);
    }
  });

  // ---- what changed, handed to the fan-out ----
  const events = d.events;
  const onIssued: Parameters<typeof events.on<'ticket.issued'>>[1] = ({ ticket, view }) => { fanout.issued(ticket, view); };
  const onCalled: Parameters<typeof events.on<'ticket.called'>>[1] = ({ ticket, call }) => { fanout.called(ticket, call); };
  const onChanged: Parameters<typeof events.on<'ticket.changed'>>[1] = ({ ticket }) => { fanout.changed(ticket); };
  const onCounter: Parameters<typeof events.on<'counter.changed'>>[1] = ({ counterId }) => { fanout.counterChanged(counterId); };
  const onCatalog = () => { fanout.catalogChanged(); };
  const onMessage: Parameters<typeof events.on<'message.changed'>>[1] = ({ text }) => { fanout.messageChanged(text); };
  const onAlert: Parameters<typeof events.on<'alert.raised'>>[1] = (alert) => { fanout.alertRaised(alert); };
  const onKiosk = () => { fanout.kioskSettingsChanged(); };

  events.on('ticket.issued', onIssued);
  events.on('ticket.called', onCalled);
  events.on('ticket.changed', onChanged);
  events.on('counter.changed', onCounter);
  events.on('catalog.changed', onCatalog);
  events.on('message.changed', onMessage);
  events.on('alert.raised', onAlert);
  events.on('kiosk.changed', onKiosk);
  events.on('credentials.changed', recheckCredentials);

  return {
    io,
    async close() {
      fanout.close();
      clearInterval(recheckTimer);
      events.off('credentials.changed', recheckCredentials);
      events.off('ticket.issued', onIssued);
      events.off('ticket.called', onCalled);
      events.off('ticket.changed', onChanged);
      events.off('counter.changed', onCounter);
      events.off('catalog.changed', onCatalog);
      events.off('message.changed', onMessage);
      events.off('alert.raised', onAlert);
      events.off('kiosk.changed', onKiosk);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => { void io.close(() => resolve()); });
    },
  };
}
