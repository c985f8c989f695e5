// The central server under test, in its own process like a real head office (so the simulated branches' work in the
// bench process is not counted as central's, and central has its own thread). Plain JavaScript importing the built
// server (server/dist), like branch-server.mjs. Options: BENCH_SERVER_MODULE, BENCH_ADMIN_TOKEN, and
// BENCH_CENTRAL_DATABASE_URL (PostgreSQL) or BENCH_CENTRAL_DATA_DIR (SQLite), BENCH_REMOTE,
// BENCH_VISITOR_CODES and BENCH_TRACKING (JSON: the SMS channel of the visitors' codes). First stdout line: {"url","dialect"}.
// @ts-check
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';

const env = process.env;
if (!env.BENCH_SERVER_MODULE) throw new Error('BENCH_SERVER_MODULE is required');
/** @type {typeof import('../../server/src/index.js')} */
const { createCentralServer } = await import(pathToFileURL(env.BENCH_SERVER_MODULE).href);
const server = await createCentralServer({
  port: 0,
  host: '127.0.0.1',
  ...(env.BENCH_CENTRAL_DATABASE_URL ? { databaseUrl: env.BENCH_CENTRAL_DATABASE_URL, poolSize: 10 } : { dataDir: env.BENCH_CENTRAL_DATA_DIR }),
  adminToken: env.BENCH_ADMIN_TOKEN,
  // The remote part (test/bench/remote.ts): its join limits and deadlines.
  ...(env.BENCH_REMOTE && { remote: JSON.parse(env.BENCH_REMOTE) }),
  ...(env.BENCH_VISITOR_CODES && { visitorCodes: JSON.parse(env.BENCH_VISITOR_CODES) }),
  ...(env.BENCH_TRACKING && { tracking: JSON.parse(env.BENCH_TRACKING) }),
  logger: pino({ level: env.BENCH_LOG_LEVEL ?? 'silent' }),
});
process.stdout.write(`${JSON.stringify({ url: server.url, dialect: server.dialect })}\n`);
process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
