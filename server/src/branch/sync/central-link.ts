// The branch's live link to central: the branch (behind NAT) dials out and keeps one server-sent-events stream
// open (GET /api/sync/stream with its credential); central says at once when the branch's feed has news or remote
// joins wait, and the sync worker then pulls as it always does. Polling stays the fallback: while the link is
// down nothing is lost, changes just arrive at the next periodic cycle. The link reconnects with backoff.
import type { SyncLinkStatus } from '../../shared/contracts/api.js';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Logger } from 'pino';
import { LinkEvent, LinkEventType, SYNC_PROTOCOL_VERSION } from '../../shared/contracts/sync.js';

export interface CentralLinkOptions {
  centralUrl: string;
  credential: string;
  logger: Logger;
  /** First reconnect delay; doubles up to maxRetryMs. Default 1 s → 30 s. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** The stream is considered dead without a byte for this long (central writes a keep-alive every 15 s). Default 45 s. */
  idleTimeoutMs?: number;
  /** Central's feed has a version newer than what the branch may hold. */
  onNews: (feedVersion: number) => void;
  /** Remote joins wait for this branch at central. */
  onRemote: () => void;
  random?: () => number;
}

export type LinkStatus = SyncLinkStatus;

export class CentralLink {
  private stopped = true;
  private abort: AbortController | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private running: Promise<void> | null = null;
  private state: LinkStatus = { connected: false, since: null, lastError: null };

  constructor(private readonly options: CentralLinkOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.abort?.abort();
    await this.running?.catch(() => undefined);
  }

  status(): LinkStatus {
    return { ...this.state };
  }

  private connect(): void {
    if (this.stopped) return;
    this.running = this.once().then(
      () => this.ended('central closed the stream'),
      (err: unknown) => this.ended(err instanceof Error ? err.message : String(err)),
    );
  }

  private ended(reason: string): void {
    const was = this.state.connected;
    this.state = { connected: false, since: null, lastError: reason };
    if (this.stopped) return;
    if (was) this.options.logger.warn({ reason }, 'live link to central lost; polling continues');
    this.failures += 1;
    const min = this.options.minRetryMs ?? 1_000;
    const max = this.options.maxRetryMs ?? 30_000;
    const base = Math.min(max, min * 2 ** Math.min(20, this.failures - 1));
    const delay = Math.round(base / 2 + ((this.options.random ?? Math.random)() * base) / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private async once(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const idleMs = this.options.idleTimeoutMs ?? 45_000;
    let idle: NodeJS.Timeout | null = null;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error('no keep-alive from central')), idleMs);
      idle.unref();
    };
    try {
      touch();
      const base = this.options.centralUrl.replace(/\/+$/, '');
      let res: Response;
      try {
        res = await fetch(`${base}/api/sync/stream?protocolVersion=${SYNC_PROTOCOL_VERSION}`, {
          headers: { authorization: `Bearer ${this.options.credential}`, accept: 'text/event-stream' },
          signal: abort.signal,
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        throw new Error(`central unreachable: ${cause?.code ?? (err instanceof Error ? err.message : String(err))}`);
      }
      if (res.status !== 200 || !res.body) {
        const text = await res.text().catch(() => '');
        throw new Error(`central answered ${res.status} to the live link${text ? `: ${text.slice(0, 200)}` : ''}`);
      }
      this.failures = 0;
      this.state = { connected: true, since: new Date().toISOString(), lastError: null };
      this.options.logger.info('live link to central open');
      const decoder = new TextDecoder();
      // Server-sent events framing (fields, multi-line data, comments as keep-alives) is the parser's business.
      const parser = createParser({ onEvent: (message) => this.dispatch(message), maxBufferSize: 64 * 1024 });
      for await (const chunk of res.body) {
        touch();
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      }
    } finally {
      if (idle) clearTimeout(idle);
      abort.abort();
    }
  }

  /** One server-sent event: its type and its JSON data, both checked against the link's contract. */
  private dispatch({ event: type, data }: EventSourceMessage): void {
    const kind = LinkEventType.safeParse(type);
    if (!kind.success) return;
    let parsed: unknown = null;
    try {
      parsed = data ? JSON.parse(data) : null;
    } catch {
      return;
    }
    const event = LinkEvent.safeParse(parsed);
    if (!event.success) return;
    if (kind.data === 'hello' || kind.data === 'news') this.options.onNews(event.data.feedVersion);
    else if (kind.data === 'remote') this.options.onRemote();
    else if (kind.data === 'closed') this.state.lastError = 'central closed the link (credential revoked?)';
  }
}
