// The branch server under test, in its own process (so the load generator's CPU is not counted as the server's).
// Plain JavaScript run by plain `node`, importing the built server (server/dist, what `npm start` runs): no tsx
// loader in the process, whose compiler and worker thread would add ~40 MB of memory and some CPU to the figures.
// `--server=src` runs this file under tsx with BENCH_SERVER_MODULE pointing at server/src/index.ts instead.
// Options come from BENCH_* variables; the first stdout line is {"url","port","credentials"} as JSON.
// @ts-check
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';

const env = process.env;
if (!env.BENCH_DATA_DIR) throw new Error('BENCH_DATA_DIR is required');
if (!env.BENCH_SERVER_MODULE) throw new Error('BENCH_SERVER_MODULE is required');
/** @type {typeof import('../../server/src/index.js')} */
const { createBranchServer } = await import(pathToFileURL(env.BENCH_SERVER_MODULE).href);
const server = await createBranchServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: env.BENCH_DATA_DIR,
  demo: true,
  adminPassword: env.BENCH_ADMIN_PASSWORD,
  printer: 'simulated',
  // The bench plays many kiosks at rates no real kiosk reaches.
  kioskRateLimitPerMinute: 10_000_000,
  // The remote part (test/bench/remote.ts): a branch connected to a central, its sync timing as asked.
  ...(env.BENCH_CENTRAL_URL && { centralUrl: env.BENCH_CENTRAL_URL, centralCredential: env.BENCH_CENTRAL_CREDENTIAL }),
  ...(env.BENCH_SYNC && { sync: JSON.parse(env.BENCH_SYNC) }),
  logger: pino({ level: env.BENCH_LOG_LEVEL ?? 'silent' }),
});
// Diagnosis only (--sqlite-synchronous): what the commit's fsync costs, by running with another setting than FULL.
if (env.BENCH_SQLITE_SYNCHRONOUS) server.services.ctx.store.sqlite.pragma(`synchronous = ${env.BENCH_SQLITE_SYNCHRONOUS}`);

// SQLite statements run (test/bench/costs.ts divides them by commands): every query goes through the store's three
// methods, so counting there sees them all. An increment per statement: nothing the figures would show.
const store = server.services.ctx.store;
let statements = 0;
for (const method of /** @type {const} */ (['all', 'first', 'run'])) {
  const original = store[method].bind(store);
  // @ts-expect-error the three share one shape for counting's sake
  store[method] = (/** @type {any} */ query) => { statements += 1; return original(query); };
}

// A control port for the costs part: GET /counters, and POST /timers, which runs each periodic job once and times it
// (the sweeper's steps, as create-branch-server.ts lists them, and the snapshots a connecting screen gets).
const parts = server.services;
const timers = {
  'sweep: no-shows': () => parts.tickets.sweepNoShows(),
  'sweep: absent remote visitors': () => parts.tickets.sweepAbsent(),
  'sweep: expiry at closing': () => parts.tickets.expireAtClosing(),
  'sweep: missed bookings': () => parts.appointments.sweepNoShows(),
  'sweep: stale checkouts': () => parts.payments.expireUnlinkedCheckouts(),
  'long-wait monitor': () => parts.longWaits.check(),
  'contact retention': () => parts.retention.sweep(),
  'staff snapshot': () => parts.state.snapshot(true),
  'screen snapshot': () => parts.state.snapshot(false),
  'queue summary': () => parts.state.queueSummary(),
};
// POST /profile/start and POST /profile/stop?to=FILE (the costs part's --profile): a CPU profile of this thread over a
// chosen window only (the long line's commands, not the thousands of issuances that filled it), by the inspector.
/** @type {Session | null} */
let profiler = null;
const control = http.createServer((req, res) => {
  const send = (/** @type {unknown} */ body) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)); };
  if (req.url === '/counters') return send({ statements, commits: parts.ctx.uow.commits });
  if (req.url === '/profile/start' && req.method === 'POST') {
    void (async () => {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      send({ started: true });
    })();
    return;
  }
  if (req.url?.startsWith('/profile/stop?') && req.method === 'POST') {
    const to = new URL(req.url, 'http://x').searchParams.get('to');
    const session = profiler;
    profiler = null;
    if (!session || !to) { res.statusCode = 400; return res.end(); }
    void (async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      fs.writeFileSync(to, JSON.stringify(profile));
      send({ file: to });
    })();
    return;
  }
  if (req.url === '/timers' && req.method === 'POST') {
    /** @type {Record<string, number>} */
    const ms = {};
    for (const [name, run] of Object.entries(timers)) {
      // The slowest of three runs: what one tick can block the thread for.
      let worst = 0;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        run();
        worst = Math.max(worst, performance.now() - t0);
      }
      ms[name] = Math.round(worst * 100) / 100;
    }
    return send(ms);
  }
  res.statusCode = 404;
  res.end();
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', () => resolve(undefined)));
const controlAddress = control.address();
const controlUrl = typeof controlAddress === 'object' && controlAddress ? `http://127.0.0.1:${controlAddress.port}` : null;
control.unref();

process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, branchId: server.branchId, credentials: server.firstStartCredentials, control: controlUrl })}\n`);
process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });

// SIGUSR2 prints the event-loop delay since the previous SIGUSR2 as one JSON line: how long work waited for the
// server's only thread (busy with other requests, blocked in a commit's fsync, or not given a CPU by the machine).
// The histogram holds the interval between its sampling timer's callbacks, the timer's own period included (an idle
// loop reads p50 ≈ 5.1 ms at a 5 ms resolution): the delay is what the interval exceeds the period by.
const RESOLUTION_MS = 5;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loop.enable();
process.on('SIGUSR2', () => {
  const ms = (/** @type {number} */ ns) => Math.round(ns / 1e4) / 100;
  const late = (/** @type {number} */ ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const delay = { p50: late(loop.percentile(50)), p99: late(loop.percentile(99)), max: late(loop.max), intervalP99: ms(loop.percentile(99)), resolution: RESOLUTION_MS };
  process.stdout.write(`${JSON.stringify({ eventLoopDelay: delay })}\n`);
  loop.reset();
});
