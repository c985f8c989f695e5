// createCentralServer: the head-office API (branch sync ingest, change feeds, head-office figures) over one
// database. It keeps no state outside the database, so several instances can serve one PostgreSQL behind a
// load balancer. Tests start it on port 0; the CLI (main.ts) is a thin caller.
import express from 'express';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '../shared/clock.js';
import { apiNotFound, errorHandler } from '../shared/http/errors.js';
import { mountApiDocs } from '../shared/http/docs.js';
import { buildOpenApi } from '../shared/http/openapi.js';
import { answerRecorder } from '../shared/http/answer-record.js';
import { Accounts } from './accounts/accounts.js';
import { registerAccountRoutes } from './accounts/accounts.routes.js';
import { registerAnalyticsRoutes } from './analytics/analytics.routes.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './notifications/freshness.js';
import { sha256 } from './branches/branches.js';
import { registerBranchRoutes } from './branches/branches.routes.js';
import { registerOrgConfigRoutes } from './config/org-config.routes.js';
import { openCentralDatabase, type CentralDb, type CentralDialect } from './db/database.js';
import { createCentralApi } from './http/access.js';
import { registerHealthRoutes } from './http/health.routes.js';
import { mountOfficeUi } from './http/office-ui.js';
import { registerSyncRoutes } from './ingest/sync.routes.js';
import { LinkHub, type LinkHubOptions } from './ingest/link.js';
import { RemoteCancels } from './remote/remote-cancels.js';
import { RemoteJoins, type RemoteJoinOptions } from './remote/remote-joins.js';
import { registerRemoteRoutes } from './remote/remote.routes.js';
import { PhoneDesk } from './remote/phone/phone-desk.js';
import type { PhoneOptions } from './remote/phone/phone-keys.js';
import { registerPhoneRoutes } from './remote/phone/phone.routes.js';
import { SmsInbound } from './remote/phone/sms-inbound.js';
import { UssdSessions } from './remote/phone/ussd-session.js';
import { VisitorCodes, type VisitorCodeOptions } from './visitors/visitor-codes.js';
import { registerVisitorRoutes } from './visitors/visitor.routes.js';
import { registerSiteRoutes } from './site/site.routes.js';
import { registerStatsRoutes } from './stats/stats.routes.js';
import { BookingNotices } from './booking/booking-notices.js';
import { registerBookingRoutes } from './booking/booking.routes.js';
import { CentralContactRetention } from './retention/contact-retention.js';
import { BookingLimits, type BookingLimitOptions } from './booking/booking-limits.js';
import { CentralPayments, type CentralPaymentsOptions } from './payments/central-payments.js';
import { registerCentralPaymentRoutes } from './payments/central-payment.routes.js';
import type { CentralDatabase } from './db/schema.js';
import { registerTrackingRoutes, TrackingService, type TrackingOptions } from './tracking/index.js';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VERSION = (require(path.join(REPO_ROOT, 'package.json')) as { version: string }).version;
const ADMIN_TOKEN_KEY = 'admin_token_hash';

export interface CentralServerOptions {
  /** TCP port; 0 picks a free one (tests). Default 4000. */
  port?: number;
  /** Interface to listen on. Default 0.0.0.0. */
  host?: string;
  /** postgres://… for PostgreSQL; otherwise a SQLite file path. Default: SQLite in dataDir. */
  databaseUrl?: string;
  /** Folder of the default SQLite database. Default ./data-central. */
  dataDir?: string;
  /** PostgreSQL connections per instance. Default 10. */
  poolSize?: number;
  /**
   * The head-office admin token. When absent, a token is generated on the database's first start (returned once
   * as firstStartAdminToken) and its hash is kept in the database, shared by every instance.
   */
  adminToken?: string;
  logger?: Logger;
  clock?: Clock;
  /** Mobile Money providers, public URL and reconciliation timing (server/src/branch/payments, docs/payments.md). */
  payments?: CentralPaymentsOptions;
  /** Ticket tracking page and notifications: channels, public URL, staleness (server/src/central/tracking, docs/notifications.md). */
  tracking?: TrackingOptions;
  /** Folder holding office-ui/dist (the head-office console). Default: the repository. */
  uiRoot?: string;
  /** Anonymous booking limits: per phone / e-mail, per address, confirmations per recipient (docs/appointments.md). */
  bookingLimits?: BookingLimitOptions;
  /** Days visitors' phone numbers and e-mail addresses are kept after the visit or booking (default 30; loi n° 2008-12). */
  contactRetentionDays?: number;
  /** The branches' live link (GET /api/sync/stream): how often it reads the connected branches' rows. */
  link?: LinkHubOptions;
  /** Remote tickets: how long to wait for the branch, limits per phone and address (docs/remote.md). */
  remote?: RemoteJoinOptions;
  /** Inbound SMS and USSD: the secrets in the callback URLs given to the providers; unset, each is off (docs/remote.md). */
  phone?: PhoneOptions;
  /** Visitors' one-time codes: lifetime, tries, limits per phone / e-mail and per address (docs/remote.md). */
  visitorCodes?: VisitorCodeOptions;
}

export interface CentralServer {
  url: string;
  port: number;
  dialect: CentralDialect;
  /** The database, for in-process callers (tests, later modules that publish feed changes). */
  db: Kysely<CentralDatabase>;
  central: CentralDb;
  /** Set only on the first start of a database without a configured admin token. */
  firstStartAdminToken: string | null;
  /** Erases visitors' contacts once the retention period is over (hourly; eraseExpired() runs it now). */
  retention: CentralContactRetention;
  /** Phone payments: checkouts, webhooks, reconciliation (reconcileNow), head-office totals. */
  payments: CentralPayments;
  /** Ticket tracking and notifications (notifier for other modules, delivery worker, live page hub). */
  tracking: TrackingService;
  /** Booking confirmations and reminders (sendDueReminders runs on a timer). */
  bookingNotices: BookingNotices;
  /** The branches' live links to this instance. */
  link: LinkHub;
  close(): Promise<void>;
}

async function adminTokenHashes(cdb: CentralDb, configured: string | undefined): Promise<{ hashes: string[]; generated: string | null }> {
  if (configured) return { hashes: [sha256(configured)], generated: null };
  const token = `sqa_${randomBytes(32).toString('base64url')}`;
  // Two instances starting at once on a fresh database: one insert wins, both use the stored hash.
  await cdb.db.insertInto('central_settings').values({ key: ADMIN_TOKEN_KEY, value: sha256(token) })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const stored = await cdb.db.selectFrom('central_settings').select('value').where('key', '=', ADMIN_TOKEN_KEY).executeTakeFirstOrThrow();
  return { hashes: [stored.value], generated: stored.value === sha256(token) ? token : null };
}

export async function createCentralServer(options: CentralServerOptions = {}): Promise<CentralServer> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const clock = options.clock ?? systemClock;
  const cdb = await openCentralDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, poolSize: options.poolSize });
  let admin: Awaited<ReturnType<typeof adminTokenHashes>>;
  try {
    admin = await adminTokenHashes(cdb, options.adminToken);
  } catch (err) {
    await cdb.close();
    throw err;
  }

  let tracking: TrackingService;
  try {
    tracking = await TrackingService.create({ cdb, clock, logger, options: options.tracking });
  } catch (err) {
    await cdb.close();
    throw err;
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // In the test suite only: every answer is recorded for the answer-vs-document check.
  const recorder = answerRecorder();
  if (recorder) app.use(recorder.middleware);
  const router = express.Router();
  // Every route is declared once (access, validation, OpenAPI); each reads its own body (JSON with its own size
  // limit, or the raw bytes for signed webhooks), so there is no server-wide body parser.
  const accounts = new Accounts(cdb, clock);
  const api = createCentralApi({ cdb, adminTokenHashes: admin.hashes, accounts });
  let listenUrl = '';
  const payments = new CentralPayments({ cdb, clock, logger, listenUrl: () => listenUrl }, options.payments);
  registerHealthRoutes(router, api, { cdb, clock, version: VERSION });
  registerCentralPaymentRoutes(router, api, { cdb, payments, accounts });
  const link = new LinkHub({ cdb, logger }, options.link);
  registerSyncRoutes(router, api, { cdb, clock, link, notifications: () => ({ sms: tracking.notifier.isEnabled('sms') }) });
  const remoteJoins = new RemoteJoins({ cdb, clock, logger }, options.remote);
  const remoteCancels = new RemoteCancels({ cdb, clock }, remoteJoins.rules);
  link.pendingRemote = async (ids) => new Set([...await remoteJoins.pendingBranches(ids), ...await remoteCancels.pendingBranches(ids)]);
  const visitorCodes = new VisitorCodes({ cdb, clock, logger, notifier: tracking.notifier }, options.visitorCodes);
  registerVisitorRoutes(router, api, { codes: visitorCodes, cdb, clock });
  registerSiteRoutes(router, api, { cdb, clock, codes: visitorCodes, staleAfterSeconds: options.tracking?.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS });
  registerRemoteRoutes(router, api, { joins: remoteJoins, cancels: remoteCancels, visitors: visitorCodes });
  const phoneDesk = new PhoneDesk({ cdb, joins: remoteJoins, cancels: remoteCancels, tracking, clock });
  registerPhoneRoutes(router, api, {
    sms: new SmsInbound({ cdb, desk: phoneDesk, notifier: tracking.notifier, clock, logger }), ussd: new UssdSessions({ desk: phoneDesk }), options: options.phone ?? {},
  });
  registerAccountRoutes(router, api, { accounts });
  registerAnalyticsRoutes(router, api, { cdb, clock, staleAfterSeconds: options.tracking?.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS });
  registerBranchRoutes(router, api, { cdb, clock, accounts });
  registerOrgConfigRoutes(router, api, { cdb, clock, accounts });
  registerStatsRoutes(router, api, { cdb, clock });
  const bookingLimits = new BookingLimits(options.bookingLimits);
  const bookingNotices = new BookingNotices({ cdb, clock, logger, notifier: tracking.notifier, pollMs: options.tracking?.pollMs, limits: bookingLimits });
  registerBookingRoutes(router, api, { cdb, clock, notices: bookingNotices, limits: bookingLimits, visitors: visitorCodes });
  registerTrackingRoutes(router, api, { cdb, tracking });
  // After a branch's push, tracking looks at once (not at its next poll): low lag for pages and notifications.
  app.use('/api/sync/push', (_req, res, next) => {
    res.on('finish', () => { if (res.statusCode === 200) tracking.pushed(); });
    next();
  });
  app.use(router);
  const openapi = buildOpenApi(api, {
    title: 'SmartQueue central API', version: VERSION,
    description: 'Head office: branch enrolment and replication (push, pull, feed), figures, remote booking, Mobile Money webhooks, ticket tracking and notifications, the head-office console.',
    tags: {
      bookings: 'Remote booking of appointments by visitors, and the branches\' view of them',
      branches: 'Enrolment, credentials and sync state of the branches',
      health: 'Liveness',
      notifications: 'Messages sent to visitors (SMS, e-mail, web push) and their delivery',
      office: 'Head-office console: sign-in, users, audit, live view and analytics',
      payments: 'Mobile Money checkouts, provider webhooks, refunds and totals',
      remote: 'Remote tickets: a visitor joins a line from anywhere (web, SMS, USSD) and the branch issues the ticket',
      stats: 'A day\'s figures per branch, service and agent',
      sync: 'Replication with the branches: push, pull and the live feed',
      tracking: 'A visitor following a ticket from a phone',
    },
  });
  app.get('/api/openapi.json', (_req, res) => { res.json(openapi); });
  recorder?.document(openapi);
  mountApiDocs(app, 'SmartQueue central API');
  app.use('/api', apiNotFound);
  mountOfficeUi(app, options.uiRoot ?? REPO_ROOT);
  app.use(errorHandler((err) => logger.error({ err }, 'request failed')));

  const httpServer = http.createServer(app);
  // Longer than the idle timeout of the load balancers in front (often 60 s), so that they, not we, close idle
  // connections: a request is never sent on a socket this server is closing.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, options.host ?? '0.0.0.0', () => resolve());
  }).catch(async (err: unknown) => {
    await cdb.close();
    throw err;
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 4000);
  const url = `http://127.0.0.1:${port}`;
  listenUrl = url;
  logger.info({ url, database: cdb.location, dialect: cdb.dialect }, 'central server listening');
  payments.start();
  tracking.start(httpServer, url);
  bookingNotices.start();
  const retention = new CentralContactRetention({ cdb, clock, logger }, options.contactRetentionDays);
  retention.start();
  link.start();

  let closed = false;
  return {
    url,
    port,
    dialect: cdb.dialect,
    db: cdb.db,
    central: cdb,
    firstStartAdminToken: admin.generated,
    payments,
    tracking,
    bookingNotices,
    retention,
    link,
    async close() {
      if (closed) return;
      closed = true;
      link.stop();
      await retention.stop();
      await payments.stop();
      await bookingNotices.stop();
      await tracking.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await cdb.close();
    },
  };
}
