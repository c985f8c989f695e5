// The branch's sync worker: ships the outbox to central and applies central's change feed (SYNC.md).
// One cycle at a time (one pusher, never two), ~1 s after a change, every 30 s, and on retries with exponential
// backoff and jitter (1 s → 60 s, reset on success) that also notice when the link comes back.
// Ticket issuance and calls never wait on it: it reads the outbox with quick synchronous queries, awaits the
// network outside any transaction, and writes its own small transactions only when an answer has arrived.
import type { Health, SyncDetails, SyncRunResult } from '../../shared/contracts/api.js';
import type { Alert } from '../../shared/contracts/events.js';
import {
  FeedSnapshot, PullResponse, PushResponse, SYNC_PROTOCOL_VERSION, MAX_PUSH_EVENTS, type RejectedEvent,
} from '../../shared/contracts/sync.js';
import type { BranchContext } from '../core/context.js';
import { CentralLink } from './central-link.js';
import { applyFeedPage, applyFeedSnapshot } from './feed-apply.js';
import type { SyncStatusSource } from './status.js';
import {
  backlogCount, headSeq, markSuccess, minSeq, occurredAfter, parkedCount, pendingRecords, readSyncState, rejectedRecords,
  rewindAck, saveAck, saveCentralNotifications, syncDb, type OutboxRecord, type SyncDb,
} from './sync.repository.js';

export interface SyncTiming {
  /** Wait after an outbox write before pushing, so a burst of changes goes in one batch. Default 1 s. */
  debounceMs: number;
  /** A cycle (push, then pull) at least this often, even without local changes. Default 30 s. */
  periodicMs: number;
  /** First retry delay after a failure; doubles up to backoffMaxMs. Default 1 s → 60 s. */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** One request's time limit. Default 30 s. */
  requestTimeoutMs: number;
  /** Consecutive failed cycles before the supervisor gets a sync alert. Default 5. */
  alertAfterFailures: number;
  /** Keep the live link to central open (GET /api/sync/stream): news at once instead of at the next cycle. Default on. */
  liveLink: boolean;
  /** The live link's reconnect delay: first, then doubling up to the max. Default 1 s → 30 s. */
  linkRetryMinMs: number;
  linkRetryMaxMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  debounceMs: 1_000,
  periodicMs: 30_000,
  backoffMinMs: 1_000,
  backoffMaxMs: 60_000,
  requestTimeoutMs: 30_000,
  alertAfterFailures: 5,
  liveLink: true,
  linkRetryMinMs: 1_000,
  linkRetryMaxMs: 30_000,
};

export interface SyncWorkerOptions {
  ctx: BranchContext;
  centralUrl: string;
  credential: string;
  timing?: Partial<SyncTiming>;
  /** Records per push. Default 500 (central's limit); halved on 413. */
  batchSize?: number;
  raiseAlert?: (alert: Omit<Alert, 'id' | 'at'>) => void;
  /** Source of jitter, [0, 1). */
  random?: () => number;
  /** More steps of each cycle after the pull (remote joins), with the worker's authenticated requests. */
  steps?: Array<(call: CentralCall) => Promise<number>>;
}

// Declared with zod in the REST contracts (the API document shows them); still importable from here.
export type { SyncDetails, SyncRunResult } from '../../shared/contracts/api.js';

/** A request to central with the branch credential (the worker's transport). */
export type CentralCall = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/** An answer from central that is not a success. `permanent` ones need a person (credential, upgrade, conflict). */
export class SyncHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

interface HttpAnswer { status: number; body: unknown }

function errorOf(body: unknown): { code: string; message: string; details: unknown } {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return { code: typeof e?.code === 'string' ? e.code : 'UNKNOWN', message: typeof e?.message === 'string' ? e.message : '', details: e?.details };
}

export class SyncWorker implements SyncStatusSource {
  private readonly ctx: BranchContext;
  private readonly db: SyncDb;
  private readonly timing: SyncTiming;
  private readonly baseUrl: string;
  private readonly random: () => number;
  private batchSize: number;
  private stopped = true;
  private readonly abort = new AbortController();
  private current: Promise<SyncRunResult> | null = null;
  private queued: Promise<SyncRunResult> | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private periodicTimer: NodeJS.Timeout | null = null;
  private retryAt: Date | null = null;
  private failures = 0;
  private alerted = false;
  private online = false;
  private lastError: string | null = null;
  private lastSuccessAt: string | null;
  private readonly link: CentralLink | null;
  /**
   * Whether the next cycle runs the extra steps (remote joins). While the live link is up, central says when joins
   * wait, so the cycles that only push a local change (one a second at a busy kiosk) skip that request; the periodic,
   * manual and first cycles, a cycle after a failed step, and every cycle while the link is down still run them.
   */
  private stepsDue = true;

  constructor(private readonly options: SyncWorkerOptions) {
    this.ctx = options.ctx;
    this.db = syncDb(options.ctx.store);
    this.timing = { ...DEFAULT_SYNC_TIMING, ...options.timing };
    this.baseUrl = options.centralUrl.replace(/\/+$/, '');
    this.random = options.random ?? Math.random;
    this.batchSize = Math.min(MAX_PUSH_EVENTS, Math.max(1, options.batchSize ?? MAX_PUSH_EVENTS));
    this.lastSuccessAt = readSyncState(this.ctx.store, this.db).last_success_at;
    this.link = this.timing.liveLink
      ? new CentralLink({
        centralUrl: options.centralUrl, credential: options.credential, logger: this.ctx.logger,
        minRetryMs: this.timing.linkRetryMinMs, maxRetryMs: this.timing.linkRetryMaxMs, random: this.random,
        onNews: (version) => this.onNews(version),
        onRemote: () => this.onRemote(),
      })
      : null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.ctx.events.on('outbox.appended', this.onAppended);
    this.periodicTimer = setInterval(() => { this.stepsDue = true; this.kick(); }, this.timing.periodicMs);
    this.periodicTimer.unref();
    this.kick();
    this.link?.start();
  }

  /** Stop timers, abort the request in flight and wait for the cycle to end. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ctx.events.off('outbox.appended', this.onAppended);
    for (const t of [this.debounceTimer, this.retryTimer]) if (t) clearTimeout(t);
    if (this.periodicTimer) clearInterval(this.periodicTimer);
    this.debounceTimer = this.retryTimer = this.periodicTimer = null;
    this.abort.abort();
    await Promise.allSettled([this.current, this.queued, this.link?.stop()]);
  }

  /** Run a full cycle now (after the one in flight, if any), ignoring the backoff; resolves when it is done. */
  syncNow(): Promise<SyncRunResult> {
    this.clearRetry();
    this.stepsDue = true;
    return this.schedule();
  }

  status(): Health['sync'] {
    const store = this.ctx.store;
    const acked = readSyncState(store, this.db).acked_seq;
    const backlog = backlogCount(store, acked);
    const oldest = backlog > 0 ? occurredAfter(store, acked) : null;
    const lag = oldest ? Math.max(0, Math.round((this.ctx.clock.now().getTime() - Date.parse(oldest)) / 1000)) : 0;
    return { configured: true, online: this.online, lastSuccessAt: this.lastSuccessAt, backlog, lagSeconds: lag, lastError: this.lastError };
  }

  details(): SyncDetails {
    const store = this.ctx.store;
    const state = readSyncState(store, this.db);
    return {
      status: this.status(),
      ackedSeq: state.acked_seq,
      headSeq: headSeq(store),
      pullCursor: state.pull_cursor,
      consecutiveFailures: this.failures,
      nextRetryAt: this.retryAt?.toISOString() ?? null,
      parkedChanges: parkedCount(store, this.db),
      rejected: rejectedRecords(store, this.db),
      link: this.link?.status() ?? null,
    };
  }

  // ---------- scheduling ----------

  private readonly onAppended = (): void => {
    // While backing off, the retry timer decides: a busy branch must not hammer a dead link.
    if (this.stopped || this.debounceTimer || this.retryTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.kick();
    }, this.timing.debounceMs);
    this.debounceTimer.unref();
  };

  /** Central says the feed is at `version`: pull now if this branch holds less (a cycle in flight is followed by one more). */
  private onNews(version: number): void {
    if (this.stopped) return;
    if (version <= readSyncState(this.ctx.store, this.db).pull_cursor) return;
    void this.schedule();
  }

  /** Central holds remote joins for this branch: a cycle now. */
  private onRemote(): void {
    if (this.stopped) return;
    this.stepsDue = true;
    void this.schedule();
  }

  private kick(): void {
    if (this.stopped || this.retryTimer) return;
    void this.schedule();
  }

  /** One cycle at a time; callers during a cycle share the next one. */
  private schedule(): Promise<SyncRunResult> {
    if (!this.current) {
      const run = this.cycle().finally(() => { this.current = null; });
      this.current = run;
      return run;
    }
    this.queued ??= this.current.then(() => {
      this.queued = null;
      return this.schedule();
    });
    return this.queued;
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  private async cycle(): Promise<SyncRunResult> {
    if (this.stopped) return { ok: false, pushed: 0, pulled: 0, error: 'sync worker stopped' };
    this.clearRetry();
    try {
      const pushed = await this.pushAll();
      const pulled = await this.pullAll();
      if (this.stepsDue || !this.link?.status().connected) {
        this.stepsDue = false;
        try {
          for (const step of this.options.steps ?? []) await step(this.call);
        } catch (err) {
          this.stepsDue = true;
          throw err;
        }
      }
      this.succeeded();
      return { ok: true, pushed, pulled, error: null };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!this.stopped) this.failed(err);
      return { ok: false, pushed: 0, pulled: 0, error: message };
    }
  }

  private succeeded(): void {
    const now = this.ctx.clock.now().toISOString();
    this.failures = 0;
    this.lastError = null;
    this.lastSuccessAt = now;
    markSuccess(this.ctx.store, this.db, now);
    if (this.alerted) {
      this.alerted = false;
      this.alert('info', 'Synchronisation avec le siège rétablie.', {});
    }
  }

  private failed(err: unknown): void {
    this.failures += 1;
    const permanent = err instanceof SyncHttpError && err.permanent;
    this.lastError = err instanceof Error ? err.message : String(err);
    this.ctx.logger.warn({ err: this.lastError, failures: this.failures }, 'sync with central failed');
    if (!this.alerted && (permanent || this.failures >= this.timing.alertAfterFailures)) {
      this.alerted = true;
      this.alert(permanent ? 'critical' : 'warning',
        permanent
          ? `Synchronisation avec le siège refusée : ${this.lastError}. Les tickets restent enregistrés localement.`
          : `Synchronisation avec le siège interrompue (${this.failures} essais) : ${this.lastError}. Les tickets restent enregistrés localement.`,
        { failures: this.failures, permanent });
    }
    const delay = permanent ? this.timing.backoffMaxMs : this.backoff(this.failures);
    this.retryAt = new Date(Date.now() + delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryAt = null;
      void this.schedule();
    }, delay);
    this.retryTimer.unref();
  }

  /** Exponential backoff with jitter: half fixed, half random, so branches that failed together spread out. */
  private backoff(failures: number): number {
    const base = Math.min(this.timing.backoffMaxMs, this.timing.backoffMinMs * 2 ** Math.min(30, failures - 1));
    return Math.round(base / 2 + (this.random() * base) / 2);
  }

  private alert(severity: Alert['severity'], message: string, data: Record<string, string | number | boolean | null>): void {
    try {
      this.options.raiseAlert?.({ kind: 'sync', severity, message, data });
    } catch (err) {
      this.ctx.logger.error({ err }, 'could not raise a sync alert');
    }
  }

  // ---------- push ----------

  /** Push until central holds the whole outbox (at least one request: an empty batch is the heartbeat). */
  private async pushAll(): Promise<number> {
    const store = this.ctx.store;
    let pushed = 0;
    let rewinds = 0;
    for (let round = 0; ; round++) {
      if (this.stopped) throw new Error('sync worker stopped');
      // Only committed records leave the branch: grouped commands of this turn wait for their commit first.
      while (this.ctx.uow.pendingCommit) await this.ctx.uow.durable().catch(() => undefined);
      const acked = readSyncState(store, this.db).acked_seq;
      const batch = pendingRecords(store, acked, this.batchSize);
      if (batch.length === 0 && round > 0) return pushed;
      const lastSent = batch.length ? (batch[batch.length - 1] as OutboxRecord).seq : acked;
      const head = headSeq(store);
      const answer = await this.request('POST', '/api/sync/push', {
        protocolVersion: SYNC_PROTOCOL_VERSION,
        branchId: this.ctx.branchId,
        headSeq: head,
        oldestPendingAt: occurredAfter(store, lastSent),
        events: batch.map(toWire),
      });
      if (answer.status === 200) {
        const result = PushResponse.parse(answer.body);
        if (result.ackedSeq > Math.max(lastSent, head)) {
          throw new SyncHttpError(409, 'SEQUENCE_CONFLICT', `central holds records up to seq ${result.ackedSeq} but this branch's outbox ends at ${head}: was the branch database restored from an old copy?`, true);
        }
        if (result.ackedSeq < acked) {
          // Central holds less than it once acknowledged (restored from a backup): send the rest again.
          this.rewind(acked, result.ackedSeq + 1, rewinds++);
          continue;
        }
        saveAck(store, this.db, result.ackedSeq, result.rejected, this.ctx.clock.now().toISOString());
        pushed += Math.max(0, result.ackedSeq - acked);
        if (result.rejected.length) this.reportRejected(result.rejected);
        if (batch.length === 0) return pushed;
        continue;
      }
      const { code, message, details } = errorOf(answer.body);
      if (answer.status === 409 && code === 'SEQUENCE_GAP') {
        this.rewind(acked, Number((details as { expectedSeq?: unknown } | undefined)?.expectedSeq), rewinds++, message);
        continue;
      }
      if (answer.status === 413 && this.batchSize > 1) {
        this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
        continue;
      }
      throw this.httpError(answer.status, code, message);
    }
  }

  /** Central lost records it had acknowledged (restored from a backup): send them again from `expected` on. */
  private rewind(acked: number, expected: number, rewinds: number, message = ''): void {
    const low = minSeq(this.ctx.store);
    if (!Number.isInteger(expected) || expected < 1 || expected > acked || rewinds >= 3 || (low !== null && low > expected)) {
      throw new SyncHttpError(409, 'SEQUENCE_GAP', `central expects seq ${expected}, this branch cannot resend from there${message ? `: ${message}` : ''}`, true);
    }
    this.ctx.logger.warn({ acked, expected }, 'central asks for records again from an earlier seq');
    rewindAck(this.ctx.store, this.db, expected - 1);
  }

  private reportRejected(rejected: RejectedEvent[]): void {
    const first = rejected[0] as RejectedEvent;
    this.ctx.logger.error({ rejected }, 'central quarantined outbox records');
    this.alert('warning', `Le siège a mis de côté ${rejected.length} enregistrement(s) invalide(s) (seq ${first.seq} : ${first.reason}).`, {
      count: rejected.length, firstSeq: first.seq,
    });
  }

  // ---------- pull ----------

  private async pullAll(): Promise<number> {
    let applied = 0;
    let snapshots = 0;
    for (;;) {
      if (this.stopped) throw new Error('sync worker stopped');
      const cursor = readSyncState(this.ctx.store, this.db).pull_cursor;
      const answer = await this.request('GET', `/api/sync/pull?cursor=${cursor}&limit=500&protocolVersion=${SYNC_PROTOCOL_VERSION}`);
      if (answer.status === 200) {
        const page = PullResponse.parse(answer.body);
        if (page.notifications && saveCentralNotifications(this.ctx.store, page.notifications)) {
          this.ctx.logger.info({ sms: page.notifications.sms }, 'central changed what it can send to visitors; kiosks told');
          this.ctx.events.emit('kiosk.changed');
        }
        applied += applyFeedPage(this.ctx, this.db, page);
        if (!page.hasMore || page.changes.length === 0) return applied;
        continue;
      }
      if (answer.status === 410 && snapshots === 0) {
        const snapshot = FeedSnapshot.parse((answer.body as { snapshot?: unknown } | null)?.snapshot);
        applyFeedSnapshot(this.ctx, this.db, snapshot);
        snapshots += 1;
        applied += snapshot.entities.length;
        continue;
      }
      const { code, message } = errorOf(answer.body);
      throw this.httpError(answer.status, code, message);
    }
  }

  // ---------- transport ----------

  private httpError(status: number, code: string, message: string): SyncHttpError {
    const permanent = status === 401 || status === 403 || status === 426 || (status === 409 && code === 'SEQUENCE_CONFLICT');
    return new SyncHttpError(status, code, `central answered ${status} ${code}${message ? `: ${message}` : ''}`, permanent);
  }

  private readonly call: CentralCall = (method, path, body) => this.request(method, path, body);

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.timing.requestTimeoutMs)]);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.credential}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      this.online = false;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`central unreachable: ${cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      this.online = false;
      throw new Error(`connection to central lost while reading its answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A 5xx is usually a proxy or a central that cannot reach its database: not "online" for the supervisor.
    this.online = res.status < 500;
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { error: { code: 'NOT_JSON', message: text.slice(0, 200) } };
    }
    return { status: res.status, body: parsed };
  }
}

function toWire(r: OutboxRecord) {
  return {
    seq: r.seq,
    eventId: r.event_id,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    eventType: r.event_type,
    eventVersion: r.event_version,
    payload: JSON.parse(r.payload) as unknown,
    occurredAt: r.occurred_at,
  };
}
