import type { Logger } from 'pino';
import type { BranchParts } from './build.js';
import type { SyncTiming, SyncWorker } from './sync/worker.js';
import type { PrintSettings, TicketPrintService } from './print/print.service.js';

import type { Clock } from '../shared/clock.js';

export { systemClock, type Clock } from '../shared/clock.js';

export interface BranchServerOptions {
  /** TCP port; 0 picks a free one (tests). Default 3000. */
  port?: number;
  /** Interface to listen on. Default 0.0.0.0 (the branch LAN). */
  host?: string;
  /** Folder of the SQLite database and other local state. Default ./data. */
  dataDir?: string;
  /** Seed a demo Dakar bank agency on first start. */
  demo?: boolean;
  /** Password of the `admin` account created on first start; random (printed once) when absent. */
  adminPassword?: string;
  /** Default printer of kiosks: `tcp://HOST:PORT`, `os:PRINTER_NAME` or `simulated`. */
  printer?: string;
  /** Paper width, code page, timeout, logo and footer of printed tickets (docs/kiosk.md). */
  print?: PrintSettings;
  /**
   * Base of the link in a ticket's QR code, the ticket id appended (SMARTQUEUE_TRACK_URL). Default: central's tracking
   * page `<centralUrl>/t/` when the branch syncs to central, else none: a standalone branch prints no QR code.
   */
  trackUrlBase?: string;
  /** Central API base URL; none means the branch runs standalone. */
  centralUrl?: string;
  /** Branch credential issued by central at enrolment. */
  centralCredential?: string;
  /** Sync worker intervals and batch size (defaults: push 1 s after a change, every 30 s, backoff 1 s → 60 s, 500 records). */
  sync?: Partial<SyncTiming> & { batchSize?: number };
  /** Folder of the built UIs (kiosk-ui/dist …); default: the repository's folders. */
  uiRoot?: string;
  logger?: Logger;
  clock?: Clock;
  /** Seconds after which an agent session token expires. Default 12 h. */
  sessionTtlSeconds?: number;
  /** Days visitors' phone numbers and e-mail addresses are kept after the visit is over (default 30; loi n° 2008-12). */
  contactRetentionDays?: number;
  /** Tickets a kiosk device may issue per minute. Default 30. */
  kioskRateLimitPerMinute?: number;
  /** How often an open socket's credential is checked again (ms; default 60 000). Revocations close sockets at once anyway. */
  credentialRecheckMs?: number;
  /** Minutes after which a called ticket that was not started is marked no-show. Default 30. */
  noShowAfterMinutes?: number;
}

export interface BranchServer {
  /** http://host:port as seen from this machine. */
  url: string;
  port: number;
  branchId: string;
  /** Credentials created on first start (admin password when random, demo logins); empty afterwards. */
  firstStartCredentials: Array<{ login: string; password: string; role: string }>;
  /** The service layer, for in-process callers (tests, Electron status). */
  services: BranchParts & { printing: TicketPrintService };
  /** The sync worker when a central is configured (status, syncNow), else null. */
  sync: SyncWorker | null;
  close(): Promise<void>;
}
