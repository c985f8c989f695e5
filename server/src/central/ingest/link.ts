// The branches' live link (GET /api/sync/stream): a branch behind NAT dials out and keeps one server-sent-events
// stream open; central tells it at once when its feed has news (or remote joins wait), and the branch pulls as it
// always does. Polling stays the fallback, so a lost hint costs one poll period, never a change.
//
// Central keeps no state outside its database, so the truth is the database: a hint (a feed append in this
// process, a credential change) makes the hub look at the branch's row soon, and every `pollMs` it looks at the
// rows of every branch connected here (one query), which also carries changes made by another instance. A stream
// whose credential is revoked, or whose branch is disabled, is closed at the next look.
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { LinkEventType } from '../../shared/contracts/sync.js';
import type { CentralDb } from '../db/database.js';

/** Process-wide hints: every hub of this process hears them and checks its own database. */
export const linkHints = new EventEmitter();
linkHints.setMaxListeners(0);
export type LinkHint = { kind: 'feed' | 'remote'; branchId: string } | { kind: 'credentials'; branchId: string };
export function hintLink(hint: LinkHint): void {
  linkHints.emit('hint', hint);
}

interface Stream {
  branchId: string;
  credentialHash: string;
  /** Feed version last told to this stream. */
  sentVersion: number;
  res: Response;
  closed: boolean;
}

export interface LinkHubOptions {
  /** How often the hub reads the connected branches' rows (other instances' changes, revoked credentials). Default 1 s. */
  pollMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. Default 15 s. */
  keepAliveMs?: number;
}

/** After a hint, look at these delays: the change's transaction may still be committing when the hint comes. */
const HINT_LOOKS_MS = [0, 20, 80, 300, 1_000];

export class LinkHub {
  private readonly streams = new Map<string, Set<Stream>>();
  private readonly pollMs: number;
  private readonly keepAliveMs: number;
  private pollTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private readonly hintTimers = new Set<NodeJS.Timeout>();
  private looking: Promise<void> | null = null;
  private lookAgain = false;

  /** Branches among these with remote joins waiting (set by the remote part), told at each look. */
  pendingRemote: ((branchIds: string[]) => Promise<Set<string>>) | null = null;

  constructor(private readonly deps: { cdb: CentralDb; logger: Logger }, options: LinkHubOptions = {}) {
    this.pollMs = options.pollMs ?? 1_000;
    this.keepAliveMs = options.keepAliveMs ?? 15_000;
  }

  start(): void {
    linkHints.on('hint', this.onHint);
    this.pollTimer = setInterval(() => { void this.look(); }, this.pollMs);
    this.pollTimer.unref();
    this.keepAliveTimer = setInterval(() => this.keepAlive(), this.keepAliveMs);
    this.keepAliveTimer.unref();
  }

  stop(): void {
    linkHints.off('hint', this.onHint);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    for (const t of this.hintTimers) clearTimeout(t);
    this.hintTimers.clear();
    for (const set of this.streams.values()) for (const s of set) this.end(s);
    this.streams.clear();
  }

  /** Branches with a live link to this instance. */
  connected(branchId: string): boolean {
    return (this.streams.get(branchId)?.size ?? 0) > 0;
  }

  /** Serve one branch's stream until it closes (the route's handler awaits it). */
  async serve(branchId: string, credentialHash: string, res: Response): Promise<void> {
    const row = await this.deps.cdb.db.selectFrom('branch_sync').select('feed_version').where('branch_id', '=', branchId).executeTakeFirst();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx and similar proxies must not buffer the stream.
      'x-accel-buffering': 'no',
    });
    const stream: Stream = { branchId, credentialHash, sentVersion: row?.feed_version ?? 0, res, closed: false };
    let set = this.streams.get(branchId);
    if (!set) this.streams.set(branchId, (set = new Set()));
    set.add(stream);
    this.write(stream, 'hello', { feedVersion: stream.sentVersion });
    // Remote joins may already wait (sent while the branch was reconnecting): say so at once.
    this.write(stream, 'remote', { feedVersion: stream.sentVersion });
    await new Promise<void>((resolve) => {
      res.on('close', () => {
        stream.closed = true;
        set.delete(stream);
        if (set.size === 0) this.streams.delete(branchId);
        resolve();
      });
    });
  }

  private readonly onHint = (hint: LinkHint): void => {
    if (!this.streams.has(hint.branchId)) return;
    if (hint.kind === 'remote') {
      for (const s of this.streams.get(hint.branchId) ?? []) this.write(s, 'remote', { feedVersion: s.sentVersion });
      return;
    }
    for (const ms of HINT_LOOKS_MS) {
      const t = setTimeout(() => {
        this.hintTimers.delete(t);
        void this.look();
      }, ms);
      t.unref();
      this.hintTimers.add(t);
    }
  };

  /** Read the connected branches' feed versions and credentials; tell or close streams. One look at a time. */
  private look(): Promise<void> {
    if (this.looking) {
      this.lookAgain = true;
      return this.looking;
    }
    const run = this.lookOnce()
      .catch((err: unknown) => { this.deps.logger.warn({ err }, 'live link: could not read the branches'); })
      .finally(() => {
        this.looking = null;
        if (this.lookAgain) {
          this.lookAgain = false;
          void this.look();
        }
      });
    this.looking = run;
    return run;
  }

  private async lookOnce(): Promise<void> {
    const ids = [...this.streams.keys()];
    if (ids.length === 0) return;
    const db = this.deps.cdb.db;
    const versions = await db.selectFrom('branch_sync').select(['branch_id', 'feed_version']).where('branch_id', 'in', ids).execute();
    const hashes = [...new Set([...this.streams.values()].flatMap((set) => [...set].map((s) => s.credentialHash)))];
    const valid = new Set((await db.selectFrom('branch_credentials as c').innerJoin('branches as b', 'b.id', 'c.branch_id')
      .select('c.token_hash').where('c.token_hash', 'in', hashes).where('c.revoked_at', 'is', null).where('b.status', '=', 'active')
      .execute()).map((r) => r.token_hash));
    const version = new Map(versions.map((v) => [v.branch_id, v.feed_version]));
    // Joins made through another instance: this one says so at its look.
    const remote = (await this.pendingRemote?.(ids)) ?? new Set<string>();
    for (const [branchId, set] of this.streams) {
      for (const s of [...set]) {
        if (!valid.has(s.credentialHash)) {
          this.write(s, 'closed', { feedVersion: s.sentVersion });
          this.end(s);
          continue;
        }
        const v = version.get(branchId) ?? 0;
        if (v > s.sentVersion) {
          s.sentVersion = v;
          this.write(s, 'news', { feedVersion: v });
        }
        if (remote.has(branchId)) this.write(s, 'remote', { feedVersion: s.sentVersion });
      }
    }
  }

  private keepAlive(): void {
    for (const set of this.streams.values()) for (const s of set) if (!s.closed) s.res.write(': keep-alive\n\n');
  }

  private write(s: Stream, type: LinkEventType, data: { feedVersion: number }): void {
    if (s.closed) return;
    s.res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private end(s: Stream): void {
    if (s.closed) return;
    s.closed = true;
    s.res.end();
    // A proxy may keep the connection: cut it so the branch knows at once.
    s.res.socket?.destroy();
  }
}
