// The branch's screens during the peak scenario, on their own thread: call boards, kiosks and agent screens keep a
// Socket.IO connection each and receive tens of thousands of messages a second. Decoding them on the thread that
// times the HTTP requests would add its own delay to every latency measured there, so they live here.
// workerData: { url, displayTokens, otherTokens }. Messages out: {type:'ready'} once all are connected;
// {type:'displayed', ticketId, at} when every call board has the ticket's call in a `changes` batch (at: Unix ms, performance.timeOrigin +
// performance.now(), comparable across threads); {type:'stats', messages, waiting} when asked with {type:'stats'}.
// {type:'mark'} answers {type:'mark', maxPerSocket} with, per kind of screen, the most messages one socket received
// since the previous mark (the bench marks around one command to check "one message per socket per command").
// {type:'stop'} disconnects everything and ends the thread. `otherKinds` (optional, parallel to otherTokens) names
// each other socket's kind ('kiosk', 'staff') so that stats count messages and bytes per kind of screen.
// @ts-check
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

if (!parentPort) throw new Error('screens-worker.mjs runs as a worker thread');
const port = parentPort;
/** @type {{ url: string; displayTokens: string[]; otherTokens: string[]; otherKinds?: string[] }} */
const data = workerData;
const clock = () => performance.timeOrigin + performance.now();

/** @param {string} token @returns {Promise<import('socket.io-client').Socket>} */
function connect(token) {
  const socket = io(data.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

/** What the worker reads of a `changes` batch (docs/realtime.md). @typedef {{ revision: number; calls?: Array<{ ticketId: string; recall: boolean }>; queue?: { services: Array<{ waitingCount: number }> }; snapshot?: { queue: { services: Array<{ waitingCount: number }> } } }} Batch */
/** @type {import('socket.io-client').Socket[]} */
const sockets = [];
let messages = 0;
/** Messages and bytes (Socket.IO packets' payload as received) per kind of screen. @type {Record<string, { messages: number; bytes: number }>} */
const byKind = {};
/** Messages each socket received, and at the last mark. @type {Array<{ kind: string; messages: number; marked: number }>} */
const perSocket = [];
/** @param {import('socket.io-client').Socket} s @param {string} kind */
function count(s, kind) {
  const k = (byKind[kind] ??= { messages: 0, bytes: 0 });
  const mine = { kind, messages: 0, marked: 0 };
  perSocket.push(mine);
  s.onAny(() => { messages += 1; k.messages += 1; mine.messages += 1; });
  s.io.engine.on('packet', (/** @type {{ type: string; data?: unknown }} */ p) => {
    if (p.type !== 'message') return;
    k.bytes += typeof p.data === 'string' ? Buffer.byteLength(p.data) : (p.data instanceof ArrayBuffer ? p.data.byteLength : 0);
  });
}
/** @type {number | null} */
let waiting = null;
/** Call boards that have shown each ticket called so far. @type {Map<string, number>} */
const seen = new Map();
const displays = data.displayTokens.length;

try {
  for (const token of data.displayTokens) {
    const s = await connect(token);
    count(s, 'display');
    const first = sockets.length === 0;
    s.on('changes', (/** @type {Batch} */ batch) => {
      const at = clock();
      for (const call of batch.calls ?? []) {
        if (call.recall) continue;
        const n = (seen.get(call.ticketId) ?? 0) + 1;
        if (n < displays) {
          seen.set(call.ticketId, n);
          continue;
        }
        seen.delete(call.ticketId);
        port.postMessage({ type: 'displayed', ticketId: call.ticketId, at });
      }
      const queue = batch.queue ?? batch.snapshot?.queue;
      if (first && queue) waiting = queue.services.reduce((sum, x) => sum + x.waitingCount, 0);
    });
    if (first) {
      s.once('state:snapshot', (/** @type {{ queue: Batch['queue'] }} */ snap) => {
        waiting = snap.queue?.services.reduce((sum, x) => sum + x.waitingCount, 0) ?? waiting;
      });
    }
    sockets.push(s);
  }
  for (const [i, token] of data.otherTokens.entries()) {
    const s = await connect(token);
    count(s, data.otherKinds?.[i] ?? 'other');
    sockets.push(s);
  }
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

port.on('message', (/** @type {{ type: string }} */ m) => {
  if (m.type === 'stats') port.postMessage({ type: 'stats', messages, waiting, byKind: structuredClone(byKind) });
  if (m.type === 'mark') {
    /** @type {Record<string, number>} */
    const maxPerSocket = {};
    for (const x of perSocket) {
      maxPerSocket[x.kind] = Math.max(maxPerSocket[x.kind] ?? 0, x.messages - x.marked);
      x.marked = x.messages;
    }
    port.postMessage({ type: 'mark', maxPerSocket });
  }
  if (m.type === 'stop') {
    for (const s of sockets) s.disconnect();
    port.close();
  }
});
