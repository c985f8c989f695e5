// createBranchServer: wires the branch's modules around one SQLite file and starts HTTP + Socket.IO.
// Tests start it on port 0 with their own data folder; the CLI (main.ts) and Electron are thin callers.
import express from 'express';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createRequire } from 'node:module';
import { branchMigrations } from './db/migrations.js';
import { createStore, migrate, openSqlite } from '../shared/db/sqlite.js';
import type { BranchDatabase } from './db/schema.js';
import { createBranchApi } from './http/access.js';
import { answerOnceDurable } from './db/unit-of-work.js';
import { authenticate, requestActor } from './http/auth.js';
import { registerCommandRoutes } from './http/commands.js';
import { apiNotFound, errorHandler } from '../shared/http/errors.js';
import { buildOpenApi } from '../shared/http/openapi.js';
import { answerRecorder } from '../shared/http/answer-record.js';
import { buildBranchParts } from './build.js';
import { registerTicketRoutes } from './tickets/ticket.routes.js';
import { ticketCommandSpecs } from './tickets/ticket.api.js';
import { registerCounterRoutes } from './counters/counter.routes.js';
import { registerServiceRoutes } from './services/service.routes.js';
import { registerUserRoutes } from './users/user.routes.js';
import { registerDeviceRoutes } from './devices/device.routes.js';
import { registerAuditRoutes } from './audit/audit.routes.js';
import { TicketPrintService } from './print/print.service.js';
import { registerPrintRoutes } from './print/print.routes.js';
import { createGateway } from './realtime/gateway.js';
import { registerAppointmentRoutes } from './appointments/appointment.routes.js';
import { registerPaymentRoutes } from './payments/payment.routes.js';
import { standaloneSync } from './sync/status.js';
import { SyncWorker } from './sync/worker.js';
import { readCentralSms } from './sync/sync.repository.js';
import { registerRemoteRoutes } from './remote/remote.routes.js';
import { registerSyncRoutes } from './sync/sync.routes.js';
import { registerCounterStatsRoutes } from './counters/counter-stats.routes.js';
import { registerBranchRoutes } from './settings/branch.routes.js';
import { bootstrapBranch } from './settings/bootstrap.js';
import { mountApiDocs, mountUis } from './http/ui.js';
import { startSweeper, SWEEP_MORE } from './sweeper.js';
import { EXPIRY_BATCH } from './tickets/ticket.commands.js';
import { StorageWatch } from './supervision/storage-watch.js';
import { lockDataFolder, type FolderLock } from '../shared/db/folder-lock.js';
import { systemClock, type BranchServer, type BranchServerOptions } from './options.js';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VERSION = (require(path.join(REPO_ROOT, 'package.json')) as { version: string }).version;

export async function createBranchServer(options: BranchServerOptions = {}): Promise<BranchServer> {
  const dataDir = path.resolve(options.dataDir ?? 'data');
  // One server per data folder: a second one refuses to start, naming the folder and the process that has it.
  const lock = lockDataFolder(dataDir);
  try {
    return await startOnFolder(options, dataDir, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startOnFolder(options: BranchServerOptions, dataDir: string, lock: FolderLock): Promise<BranchServer> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const clock = options.clock ?? systemClock;
  const sqlite = openSqlite(path.join(dataDir, 'branch.sqlite'));
  const store = createStore<BranchDatabase>(sqlite);
  try {
    await migrate(store.db, branchMigrations);
  } catch (err) {
    store.close();
    throw err;
  }
  const { branchId, credentials } = await bootstrapBranch(store, { demo: options.demo ?? false, adminPassword: options.adminPassword, now: clock.now() });
  const central = options.centralUrl && options.centralCredential ? { url: options.centralUrl, credential: options.centralCredential } : null;
  const parts = buildBranchParts({
    store, branchId, clock, logger, central,
    noShowAfterMinutes: options.noShowAfterMinutes, sessionTtlSeconds: options.sessionTtlSeconds, kioskRateLimitPerMinute: options.kioskRateLimitPerMinute,
    contactRetentionDays: options.contactRetentionDays,
  });
  const { ctx, branch, tickets, state, devices, appointments, payments } = parts;
  let printing: TicketPrintService;
  try {
    // SMS are sent by central: a standalone branch cannot offer them; a connected one only when central said it can.
    const smsAvailable = () => central !== null && readCentralSms(store) === true;
    printing = new TicketPrintService({ ctx, branch, tickets: parts.ticketViews, devices, state, directory: parts.directory, smsAvailable }, { ...options.print, defaultPrinter: options.printer ?? null, trackUrlBase: options.trackUrlBase ?? defaultTrackUrlBase(options) });
  } catch (err) {
    store.close(); // a wrong print setting stops the start, with its reason
    throw err;
  }
  const services = { ...parts, printing };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // No ETag (a hash of every answer, POSTs included): on the branch's LAN a 304 saves nothing, the hash costs CPU.
  app.set('etag', false);
  // In the test suite only: every answer is recorded for the answer-vs-document check.
  const recorder = answerRecorder();
  if (recorder) app.use(recorder.middleware);
  const jsonBody = express.json({ limit: '16kb' });
  app.use('/api', jsonBody);
  app.use('/api', authenticate(parts));
  const api = createBranchApi({ run: answerOnceDurable, durable: () => ctx.uow.durable() });
  const commands = ticketCommandSpecs(tickets);
  const router = express.Router();
  // With a central configured, the sync worker ships the outbox and applies the feed; otherwise standalone.
  const sync = options.centralUrl && options.centralCredential
    ? new SyncWorker({
      ctx, centralUrl: options.centralUrl, credential: options.centralCredential, timing: options.sync, batchSize: options.sync?.batchSize,
      raiseAlert: (a) => state.raiseAlert(a),
      steps: [(call) => parts.remote.step(call)],
    })
    : null;
  const storage = new StorageWatch(ctx, (a) => state.raiseAlert(a));
  registerBranchRoutes(router, api, { ...parts, storage }, sync ?? standaloneSync, VERSION);
  if (sync) registerSyncRoutes(router, api, sync);
  registerServiceRoutes(router, api, parts);
  registerCounterRoutes(router, api, parts.counters, parts.audit);
  registerCounterStatsRoutes(router, api, parts);
  registerTicketRoutes(router, api, { commands: tickets, queries: parts.ticketViews, devices });
  registerCommandRoutes(router, api, commands);
  registerAppointmentRoutes(router, api, parts);
  registerRemoteRoutes(router, api, parts);
  registerUserRoutes(router, api, parts);
  registerDeviceRoutes(router, api, { devices, audit: parts.audit, printing, demo: options.demo ?? false, clock: ctx.clock });
  registerAuditRoutes(router, api, parts.audit);
  registerPrintRoutes(router, api, printing);
  registerPaymentRoutes(router, api, payments, printing);
  app.use(router);
  const openapi = buildOpenApi(api, {
    title: 'SmartQueue branch API', version: VERSION,
    description: 'One branch: tickets, counters, services, staff and devices, printing, appointments, payments and sync. Errors are { "error": { "code", "message" } }.',
    tags: {
      admin: 'Setting up the branch: services, counters, staff, devices, printers',
      appointments: 'Bookings and their check-in at the kiosk',
      auth: 'Staff sign-in and sessions',
      branch: 'This branch, its health and its queues',
      counter: 'What an agent does at a counter: call, serve, transfer',
      counters: 'Counters and their state',
      devices: 'Pairing kiosks and call boards',
      kiosk: 'What the kiosk shows and prints',
      payments: 'Fees paid at the kiosk or at the counter',
      remote: 'Remote tickets: the branch\'s rules, and the check-in of a visitor who joined from afar',
      services: 'What visitors come for',
      supervisor: 'The supervisor\'s view: alerts, messages, closing the day, sync',
      tickets: 'Issuing tickets and following them',
    },
  });
  app.get('/api/openapi.json', (_req, res) => { res.json(openapi); });
  recorder?.document(openapi);
  mountApiDocs(app);
  app.use('/api', apiNotFound);
  mountUis(app, options.uiRoot ?? REPO_ROOT);
  const logFailure = (err: unknown) => logger.error({ err }, 'request failed');
  app.use(((err, _req, _res, next) => { storage.noteError(err); next(err); }) as express.ErrorRequestHandler);
  app.use(errorHandler(logFailure));

  // The commands (issue, call-next, start, complete …) are served by the route registry's direct lane, with the
  // app's own steps and rules but without express's per-request work (a fifth of a command's CPU); the rest by express.
  const direct = api.directLane({
    steps: recorder ? [recorder.middleware, jsonBody] : [jsonBody],
    actorOf: requestActor(parts),
    onError: (err) => storage.noteError(err),
    log: logFailure,
  });
  const httpServer = http.createServer((req, res) => { if (!direct(req, res)) app(req, res); });
  const gateway = createGateway(httpServer, { ...parts, events: ctx.events, commands, api, credentialRecheckMs: options.credentialRecheckMs });

  const sweeper = startSweeper([
    () => tickets.sweepNoShows(),
    () => tickets.sweepAbsent(),
    // A full batch: more may be due (a long line at closing), expired on the next turns of the event loop.
    () => (tickets.expireAtClosing() === EXPIRY_BATCH ? SWEEP_MORE : undefined),
    () => appointments.sweepNoShows(),
    () => payments.expireUnlinkedCheckouts(),
    () => parts.longWaits.check(),
    () => parts.catalog.noticeClosureDay(),
    () => storage.recheck(),
    () => parts.retention.sweep(),
  ], logger, undefined, (err) => storage.noteError(err));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 3000, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 3000);
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, branchId, dataDir }, 'branch server listening');
  sync?.start();

  let closed = false;
  return {
    url,
    port,
    branchId,
    firstStartCredentials: credentials,
    services,
    sync,
    async close() {
      if (closed) return;
      closed = true;
      sweeper.stop();
      parts.pace.stop();
      await sync?.stop();
      await gateway.close();
      await printing.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      ctx.uow.settle();
      store.close();
      lock.release();
    },
  };
}

/** Connected to central: the QR code opens central's tracking page (/t/<ticket id>); standalone: this server's API. */
function defaultTrackUrlBase(options: Pick<BranchServerOptions, 'centralUrl' | 'centralCredential'>): string | null {
  return options.centralUrl && options.centralCredential ? `${options.centralUrl.replace(/\/+$/, '')}/t/` : null;
}
