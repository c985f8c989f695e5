// Live branch state over Socket.IO for React screens. On every (re)connection the server sends a full snapshot,
// so a screen that was offline never shows stale data as current: while disconnected, `status` says so. Then come
// numbered batches of what changed (live-store.ts, docs/realtime.md).
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { CallEvent, ClientToServerEvents, ServerToClientEvents } from '../server/src/shared/contracts/events.js';
import { liveStore, type LiveData } from './live-store.js';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveStatus = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface LiveState extends LiveData {
  status: LiveStatus;
  socket: LiveSocket | null;
}

export interface LiveOptions {
  /** Each call or recall, once, in order (the call board announces them). */
  onCall?: (call: CallEvent) => void;
}

export function useBranchLive(token: string | null, options: LiveOptions = {}): LiveState {
  const [state, setState] = useState<LiveState>({ snapshot: null, status: 'connecting', socket: null, alerts: [], lastCall: null, settingsChanged: 0 });
  const onCallRef = useRef(options.onCall);
  onCallRef.current = options.onCall;

  useEffect(() => {
    if (!token) return;
    const socket: LiveSocket = io({ path: '/socket.io', auth: { token }, transports: ['websocket', 'polling'], reconnectionDelay: 500, reconnectionDelayMax: 5_000 });
    setState((s) => ({ ...s, socket, status: 'connecting' }));
    // The store holds the truth; React gets a copy of it at each change. Calls are announced outside the state
    // updater (React may run an updater twice).
    const store = liveStore(socket, {
      changed: (data) => setState((s) => ({ ...s, ...data, status: data.snapshot ? 'online' : s.status })),
      call: (call) => onCallRef.current?.(call),
    });

    socket.on('connect', () => setState((s) => ({ ...s, status: 'connecting' })));
    let closed = false;
    socket.on('disconnect', (reason) => {
      store.disconnected();
      setState((s) => ({ ...s, status: 'offline' }));
      // A server shutting down disconnects its sockets itself, and socket.io does not retry those: we do.
      if (reason === 'io server disconnect') setTimeout(() => { if (!closed) socket.connect(); }, 1000);
    });
    socket.on('connect_error', (err) => setState((s) => ({ ...s, status: err.message === 'UNAUTHENTICATED' ? 'unauthorized' : 'offline' })));
    return () => {
      closed = true;
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [token]);

  return state;
}
