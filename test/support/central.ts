// Start a real central server (SQLite file in a temp folder, or a fresh PostgreSQL database) for a test, and
// branches connected to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createCentralServer, type CentralServer } from '../../server/src/index.js';
import { openCentralDatabase, type CentralDb } from '../../server/src/central/db/database.js';
import type { Clock } from '../../server/src/shared/clock.js';
import type { CentralPaymentsOptions } from '../../server/src/central/payments/central-payments.js';
import type { EnrolResponse } from '../../server/src/shared/contracts/sync.js';
import type { SyncTiming } from '../../server/src/branch/sync/worker.js';
import type { TrackingOptions } from '../../server/src/central/tracking/index.js';
import type { RemoteJoinOptions } from '../../server/src/central/remote/remote-joins.js';
import type { PhoneOptions } from '../../server/src/central/remote/phone/phone-keys.js';
import type { VisitorCodeOptions } from '../../server/src/central/visitors/visitor-codes.js';
import { ApiClient, startBranch, type TestBranch } from './branch.js';
import { createPgDatabase, type Dialect } from './postgres.js';

export const CENTRAL_ADMIN_TOKEN = 'central-admin-test-token';

/** Sync timing for tests: the same logic as production, in milliseconds instead of seconds. */
export const FAST_SYNC: Partial<SyncTiming> = {
  debounceMs: 20, periodicMs: 250, backoffMinMs: 20, backoffMaxMs: 250, requestTimeoutMs: 5_000, alertAfterFailures: 3,
  linkRetryMinMs: 20, linkRetryMaxMs: 250,
};

export interface TestCentral {
  server: CentralServer;
  url: string;
  dialect: Dialect;
  /** What a second instance needs to share the same database. */
  databaseUrl: string;
  api: ApiClient;
  adminToken: string;
  /** Enrol a branch; returns its credential. */
  enrol(branchId: string, name?: string, organization?: { id: string; name: string; type?: string }, region?: string, code?: string): Promise<string>;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Another central instance on the same database. */
  another(): Promise<CentralServer>;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startCentral(dialect: Dialect, opts: { clock?: Clock; payments?: CentralPaymentsOptions; tracking?: TrackingOptions; uiRoot?: string; remote?: RemoteJoinOptions; phone?: PhoneOptions; visitorCodes?: VisitorCodeOptions } = {}): Promise<TestCentral> {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'postgres') {
    const db = await createPgDatabase();
    databaseUrl = db.url;
    cleanup = () => db.drop();
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-central-'));
    databaseUrl = path.join(dir, 'central.sqlite');
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const start = () => createCentralServer({
    port: 0, host: '127.0.0.1', databaseUrl, adminToken: CENTRAL_ADMIN_TOKEN, poolSize: 5,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock: opts.clock, payments: opts.payments, tracking: opts.tracking, uiRoot: opts.uiRoot, remote: opts.remote, phone: opts.phone,
    visitorCodes: opts.visitorCodes,
  });
  const server = await start();
  const extra: CentralServer[] = [];
  const api = new ApiClient(server.url);
  const central: TestCentral = {
    server, url: server.url, dialect, databaseUrl, api, adminToken: CENTRAL_ADMIN_TOKEN,
    admin(method, p, body) {
      return api.request(method, p, { token: CENTRAL_ADMIN_TOKEN, ...(body !== undefined && { body }) });
    },
    async enrol(branchId, name = 'Agence test', organization = { id: 'org-test', name: 'Banque Teranga', type: 'bank' }, region = 'Dakar', code) {
      const res = await central.admin<EnrolResponse>('POST', '/api/central/branches', {
        id: branchId, name, region, organization: { type: 'bank', ...organization }, ...(code && { code }),
      });
      if (res.status !== 201) throw new Error(`enrolment failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.credential;
    },
    async another() {
      const s = await start();
      extra.push(s);
      return s;
    },
    async close() {
      for (const s of extra) await s.close();
      await server.close();
    },
    async destroy() {
      await central.close();
      await cleanup();
    },
  };
  return central;
}

export interface SyncedBranch extends TestBranch { credential: string }

/**
 * A branch enrolled at central the way it happens in the field: the branch starts once (and gets its id),
 * head office enrols that id, the branch restarts with the central URL and its credential.
 */
export async function startSyncedBranch(central: TestCentral, opts: { centralUrl?: string; sync?: Partial<SyncTiming> & { batchSize?: number }; name?: string; dataDir?: string; clock?: Clock; trackUrlBase?: string; printer?: string; organization?: { id: string; name: string; type?: string }; region?: string; code?: string; uiRoot?: string } = {}): Promise<SyncedBranch> {
  const first = await startBranch({ ...(opts.dataDir && { dataDir: opts.dataDir }), ...(opts.clock && { clock: opts.clock }) });
  const credential = await central.enrol(first.server.branchId, opts.name, opts.organization, opts.region, opts.code);
  await first.close();
  const branch = await startBranch({
    dataDir: first.dataDir, centralUrl: opts.centralUrl ?? central.url, centralCredential: credential, sync: { ...FAST_SYNC, ...opts.sync },
    // Tests issue hundreds of tickets from one kiosk in seconds.
    kioskRateLimitPerMinute: 100_000,
    ...(opts.clock && { clock: opts.clock }),
    ...(opts.trackUrlBase !== undefined && { trackUrlBase: opts.trackUrlBase }),
    ...(opts.printer !== undefined && { printer: opts.printer }),
    ...(opts.uiRoot !== undefined && { uiRoot: opts.uiRoot }),
  });
  Object.assign(branch.passwords, first.passwords);
  return Object.assign(branch, { credential });
}

/** Poll until the check returns a value (not undefined/false), or fail after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Central's database alone (no HTTP server), SQLite in a temp folder or a fresh PostgreSQL database; close() drops it. */
export async function openTestCentralDb(dialect: Dialect): Promise<{ cdb: CentralDb; close(): Promise<void> }> {
  if (dialect === 'postgres') {
    const pgDb = await createPgDatabase();
    const cdb = await openCentralDatabase({ databaseUrl: pgDb.url, poolSize: 8 });
    return { cdb, async close() { await cdb.close(); await pgDb.drop(); } };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-central-db-'));
  const cdb = await openCentralDatabase({ dataDir: dir });
  return { cdb, async close() { await cdb.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}
