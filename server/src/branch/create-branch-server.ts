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
import { DomainEvents } from './core/events.js';
import type { BranchContext } from './core/context.js';
import type { BranchServices } from './core/services.js';
import { TicketService } from './tickets/ticket.service.js';
import { CounterService } from './counters/counter.service.js';
import { ServiceCatalog } from './services/service.service.js';
import { UserService } from './users/user.service.js';
import { DeviceService } from './devices/device.service.js';
import { createBranchApi } from './http/access.js';
import { authenticate } from './http/auth.js';
import { apiNotFound, errorHandler } from '../shared/http/errors.js';
import { buildOpenApi } from '../shared/http/openapi.js';
import { registerTicketRoutes } from './tickets/ticket.routes.js';
import { registerCounterRoutes } from './counters/counter.routes.js';
import { registerServiceRoutes } from './services/service.routes.js';
import { registerUserRoutes } from './users/user.routes.js';
import { registerDeviceRoutes } from './devices/device.routes.js';
import { TicketPrintService } from './print/print.service.js';
import { registerPrintRoutes } from './print/print.routes.js';
import { createGateway } from './realtime/gateway.js';
import { AppointmentService } from './appointments/appointment.service.js';
import { registerAppointmentRoutes } from './appointments/appointment.routes.js';
import { CentralCheckoutClient } from './payments/central-client.js';
import { PaymentService } from './payments/payment.service.js';
import { registerPaymentRoutes } from './payments/payment.routes.js';
import { standaloneSync } from './sync/status.js';
import { SyncWorker } from './sync/worker.js';
import { registerSyncRoutes } from './sync/sync.routes.js';
import { BranchInfo } from './settings/branch-info.js';
import { BranchState } from './supervision/branch-state.js';
import { LongWaitMonitor } from './supervision/long-wait-monitor.js';
import { registerCounterStatsRoutes } from './counters/counter-stats.routes.js';
import { registerBranchRoutes } from './settings/branch.routes.js';
import { bootstrapBranch } from './settings/bootstrap.js';
import { mountApiDocs, mountUis } from './http/ui.js';
import { startSweeper } from './sweeper.js';
import { systemClock, type BranchServer, type BranchServerOptions } from './options.js';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VERSION = (require(path.join(REPO_ROOT, 'package.json')) as { version: string }).version;

export async function createBranchServer(options: BranchServerOptions = {}): Promise<BranchServer> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const clock = options.clock ?? systemClock;
  const dataDir = path.resolve(options.dataDir ?? 'data');
  const sqlite = openSqlite(path.join(dataDir, 'branch.sqlite'));
  const store = createStore<BranchDatabase>(sqlite);
  try {
    await migrate(store.db, branchMigrations);
  } catch (err) {
    store.close();
    throw err;
  }
  const { branchId, credentials } = await bootstrapBranch(store, { demo: options.demo ?? false, adminPassword: options.adminPassword, now: clock.now() });
  const branch = new BranchInfo(store, branchId);

  const ctx: BranchContext = {
    store, clock, logger, branchId,
    events: new DomainEvents(),
    timeZone: branch.view().timeZone,
    config: {
      noShowAfterMinutes: options.noShowAfterMinutes ?? 30,
      sessionTtlSeconds: options.sessionTtlSeconds ?? 12 * 3600,
      kioskRateLimitPerMinute: options.kioskRateLimitPerMinute ?? 30,
    },
  };
  ctx.events.setMaxListeners(50);
  const tickets = new TicketService(ctx, branch);
  const counters = new CounterService(ctx);
  const catalog = new ServiceCatalog(ctx, branch);
  const state = new BranchState(ctx, branch, tickets, counters, catalog);
  const devices = new DeviceService(ctx);
  let printing: TicketPrintService;
  try {
    printing = new TicketPrintService({ ctx, branch, tickets, devices, state }, { ...options.print, defaultPrinter: options.printer ?? null, trackUrlBase: options.trackUrlBase ?? defaultTrackUrlBase(options) });
  } catch (err) {
    store.close(); // a wrong print setting stops the start, with its reason
    throw err;
  }
  const appointments = new AppointmentService(ctx, branch, tickets, {
    central: options.centralUrl && options.centralCredential ? { url: options.centralUrl, credential: options.centralCredential } : null,
  });
  // Phone payments go through central (it holds the provider keys); counter payments work without it.
  const payments = new PaymentService(ctx, branch, options.centralUrl && options.centralCredential
    ? new CentralCheckoutClient({ centralUrl: options.centralUrl, credential: options.centralCredential }) : null);
  const services: BranchServices = {
    ctx, branch, tickets, counters, catalog, state,
    longWaits: new LongWaitMonitor(state, catalog),
    users: new UserService(ctx),
    devices,
    demo: options.demo ?? false,
    defaultPrinter: options.printer ?? null,
    printing,
    appointments,
    payments,
    version: VERSION,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use('/api', express.json({ limit: '16kb' }));
  app.use('/api', authenticate(services));
  const api = createBranchApi();
  const router = express.Router();
  // With a central configured, the sync worker ships the outbox and applies the feed; otherwise standalone.
  const sync = options.centralUrl && options.centralCredential
    ? new SyncWorker({ ctx, centralUrl: options.centralUrl, credential: options.centralCredential, timing: options.sync, batchSize: options.sync?.batchSize, raiseAlert: (a) => state.raiseAlert(a) })
    : null;
  registerBranchRoutes(router, api, services, sync ?? standaloneSync);
  if (sync) registerSyncRoutes(router, api, services, sync);
  registerServiceRoutes(router, api, services);
  registerCounterRoutes(router, api, services);
  registerCounterStatsRoutes(router, api, services);
  registerTicketRoutes(router, api, services);
  registerAppointmentRoutes(router, api, services);
  registerUserRoutes(router, api, services);
  registerDeviceRoutes(router, api, services);
  registerPrintRoutes(router, api, printing);
  registerPaymentRoutes(router, api, payments, printing);
  app.use(router);
  const openapi = buildOpenApi(api, { title: 'SmartQueue branch API', version: VERSION });
  app.get('/api/openapi.json', (_req, res) => { res.json(openapi); });
  mountApiDocs(app);
  app.use('/api', apiNotFound);
  mountUis(app, options.uiRoot ?? REPO_ROOT);
  app.use(errorHandler((err) => logger.error({ err }, 'request failed')));

  const httpServer = http.createServer(app);
  const gateway = createGateway(httpServer, services);

  const sweeper = startSweeper([
    () => tickets.sweepNoShows(),
    () => tickets.expireAtClosing(),
    () => appointments.sweepNoShows(),
    () => payments.expireUnlinkedCheckouts(),
    () => services.longWaits.check(),
  ], logger);

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
      await sync?.stop();
      await gateway.close();
      await printing.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      store.close();
    },
  };
}

/** Connected to central: the QR code opens central's tracking page (/t/<ticket id>); standalone: this server's API. */
function defaultTrackUrlBase(options: Pick<BranchServerOptions, 'centralUrl' | 'centralCredential'>): string | null {
  return options.centralUrl && options.centralCredential ? `${options.centralUrl.replace(/\/+$/, '')}/t/` : null;
}
