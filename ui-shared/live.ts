// Live branch state over Socket.IO for React screens. On every (re)connection the server sends a full snapshot,
// so a screen that was offline never shows stale data as current: while disconnected, `status` says so.
import { ACTIVE_STATUSES } from '../server/src/shared/domain/ticket-state.js';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { BranchSnapshot, CallEvent, ClientToServerEvents, ServerToClientEvents, Alert } from '../server/src/shared/contracts/events.js';
import type { TicketView } from '../server/src/shared/contracts/api.js';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveStatus = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface LiveState {
  snapshot: BranchSnapshot | null;
  status: LiveStatus;
  socket: LiveSocket | null;
  alerts: Alert[];
  lastCall: CallEvent | null;
}

function upsertTicket(list: TicketView[], t: TicketView): TicketView[] {
  const active = ACTIVE_STATUSES.includes(t.status);
  const rest = list.filter((x) => x.id !== t.id);
  return active ? [...rest, t] : rest;
}

export interface LiveOptions {
  onCall?: (call: CallEvent) => void;
}

export function useBranchLive(token: string | null, options: LiveOptions = {}): LiveState {
  const [state, setState] = useState<LiveState>({ snapshot: null, status: 'connecting', socket: null, alerts: [], lastCall: null });
  const onCallRef = useRef(options.onCall);
  onCallRef.current = options.onCall;

  useEffect(() => {
    if (!token) return;
    const socket: LiveSocket = io({ path: '/socket.io', auth: { token }, transports: ['websocket', 'polling'], reconnectionDelay: 500, reconnectionDelayMax: 5_000 });
    setState((s) => ({ ...s, socket, status: 'connecting' }));
    const patch = (fn: (snap: BranchSnapshot) => BranchSnapshot) =>
      setState((s) => (s.snapshot ? { ...s, snapshot: fn(s.snapshot) } : s));

    socket.on('connect', () => setState((s) => ({ ...s, status: 'connecting' })));
    let closed = false;
    socket.on('disconnect', (reason) => {
      setState((s) => ({ ...s, status: 'offline' }));
      // A server shutting down disconnects its sockets itself, and socket.io does not retry those: we do.
      if (reason === 'io server disconnect') setTimeout(() => { if (!closed) socket.connect(); }, 1000);
    });
    socket.on('connect_error', (err) => setState((s) => ({ ...s, status: err.message === 'UNAUTHENTICATED' ? 'unauthorized' : 'offline' })));
    socket.on('state:snapshot', (snapshot) => setState((s) => ({ ...s, snapshot, status: 'online' })));
    socket.on('queue:updated', (queue) => patch((snap) => ({ ...snap, queue })));
    socket.on('counter:updated', (counter) => patch((snap) => ({ ...snap, counters: snap.counters.map((c) => (c.id === counter.id ? counter : c)).concat(snap.counters.some((c) => c.id === counter.id) ? [] : [counter]) })));
    const onCall = (call: CallEvent) => {
      patch((snap) => ({ ...snap, recentCalls: [call, ...snap.recentCalls].slice(0, 12) }));
      setState((s) => ({ ...s, lastCall: call }));
      onCallRef.current?.(call);
    };
    socket.on('ticket:called', onCall);
    socket.on('ticket:recalled', onCall);
    for (const event of ['ticket:issued', 'ticket:updated', 'ticket:transferred', 'ticket:finished'] as const) {
      socket.on(event, (t: TicketView) => patch((snap) => ({ ...snap, activeTickets: upsertTicket(snap.activeTickets, t) })));
    }
    socket.on('display:message', ({ text }) => patch((snap) => ({ ...snap, message: text })));
    socket.on('alert:raised', (alert) => setState((s) => ({ ...s, alerts: [alert, ...s.alerts].slice(0, 50) })));
    return () => {
      closed = true;
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [token]);

  return state;
}
