// The branch server under test, in its own process (so the load generator's CPU is not counted as the server's).
// Options come from BENCH_* variables; the first stdout line is {"url","port","credentials"} as JSON.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { createBranchServer } from '../../server/src/index.js';

const env = process.env;
if (!env.BENCH_DATA_DIR) throw new Error('BENCH_DATA_DIR is required');
const server = await createBranchServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: env.BENCH_DATA_DIR,
  demo: true,
  adminPassword: env.BENCH_ADMIN_PASSWORD,
  printer: 'simulated',
  // The bench plays many kiosks at rates no real kiosk reaches.
  kioskRateLimitPerMinute: 10_000_000,
  logger: pino({ level: env.BENCH_LOG_LEVEL ?? 'silent' }),
});
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, credentials: server.firstStartCredentials })}\n`);
process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });

// SIGUSR2 prints the event-loop delay since the previous SIGUSR2 as one JSON line: how long work waited for the
// server's only thread (busy with other requests, blocked in a commit's fsync, or not given a CPU by the machine).
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
process.on('SIGUSR2', () => {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  process.stdout.write(`${JSON.stringify({ eventLoopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } })}\n`);
  loop.reset();
});
