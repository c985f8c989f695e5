// What the three provider simulators share: a real HTTP server on 127.0.0.1, request recording, fault
// injection (stall, 5xx), idempotency, payment outcomes driven by tests or the demo, and webhook delivery
// (late, duplicated, forged, stale, tampered amount).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock, type Clock, type PaymentStatus } from '../../central/payments/providers/types.js';

export interface SimulatorOptions {
  /** Where webhooks/callbacks go when the provider has one registered URL (Wave, Orange Money). */
  webhookUrl?: string;
  clock?: Clock;
  /**
   * Demo mode: each new payment settles by itself after this many ms, as its customer phone's scenario
   * says (see SCENARIO_PHONE_SUFFIXES); off when undefined (tests drive outcomes).
   */
  autoSettleMs?: number;
  /** Bound on each webhook POST. Default 5 000 ms. */
  webhookTimeoutMs?: number;
}

/**
 * Sandbox-style scenarios chosen by the last digits of the customer's phone, as sandboxes use magic numbers:
 * - `…00` refused at creation (Free Money: 402 declined, insufficient balance);
 * - `…01` declined when the customer tries to pay (demo auto-settle; tests call decline());
 * - `…02` never paid: the checkout expires (demo auto-settle);
 * - anything else (or no phone) succeeds in demo auto-settle.
 */
export const SCENARIO_PHONE_SUFFIXES = { refuseAtCreation: '00', decline: '01', abandon: '02' } as const;
export type Scenario = 'refuse' | 'decline' | 'abandon' | 'succeed';

export function scenarioFor(phone: string | null | undefined): Scenario {
  if (!phone) return 'succeed';
  if (phone.endsWith(SCENARIO_PHONE_SUFFIXES.refuseAtCreation)) return 'refuse';
  if (phone.endsWith(SCENARIO_PHONE_SUFFIXES.decline)) return 'decline';
  if (phone.endsWith(SCENARIO_PHONE_SUFFIXES.abandon)) return 'abandon';
  return 'succeed';
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  at: string;
  /** Status answered, or "stalled" / "failed" for injected faults. */
  outcome: number | 'stalled';
}

export interface DeliveryOptions {
  /** Wait this long before sending (a late webhook). */
  delayMs?: number;
  /** Send the same event this many times (default 1): duplicates carry the same event id. */
  copies?: number;
  /** Sign with a wrong secret / send a wrong key. */
  forgeSignature?: boolean;
  /** Sign with a timestamp this many seconds from now (negative: in the past, e.g. -3600 for a stale one). */
  timestampOffsetSec?: number;
  /** Put another amount / currency in the payload, correctly signed (a provider-side mismatch). */
  amountXof?: number;
  currency?: string;
}

export interface WebhookDelivery {
  eventId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** HTTP status our endpoint answered, or null when it could not be reached. */
  status: number | null;
  error: string | null;
  at: string;
}

/** One payment as the simulated provider holds it. */
export interface SimPayment {
  id: string;
  reference: string;
  amountXof: number;
  currency: string;
  phone: string | null;
  status: PaymentStatus;
  successUrl: string | null;
  errorUrl: string | null;
  /** Per-payment callback (Free Money); else the simulator's webhookUrl. */
  callbackUrl: string | null;
  createdAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
  refundedAt: Date | null;
  failureReason: string | null;
  /** Id of the event describing the current state; redeliveries reuse it. */
  eventId: string | null;
  /** Provider-specific values (Orange's transaction id, metadata…). */
  extra: Record<string, unknown>;
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SimResponse {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

interface IdempotencyEntry { bodyHash: string; response: Promise<SimResponse> }

export abstract class ProviderSimulator {
  /** Every request the provider API received, in order (control and pay-page requests excluded). */
  readonly requests: RecordedRequest[] = [];
  /** Every webhook/callback sent, in order. */
  readonly deliveries: WebhookDelivery[] = [];
  /** How many creation requests were answered from the idempotency store instead of creating anything. */
  idempotentReplays = 0;

  protected readonly payments = new Map<string, SimPayment>();
  protected readonly clock: Clock;
  protected webhookUrl: string | null;
  private readonly idempotency = new Map<string, IdempotencyEntry>();
  private server: Server | null = null;
  private baseUrl: string | null = null;
  private stallRemaining = 0;
  private stallAfterHandling = false;
  private failRemaining = 0;
  private failStatus = 503;
  private readonly stalled = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Wakes delayed deliveries when the simulator closes, so close() never waits on them. */
  private readonly sleepers = new Set<() => void>();
  private closed = false;
  private readonly pendingWork = new Set<Promise<unknown>>();

  protected constructor(protected readonly options: SimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.webhookUrl = options.webhookUrl ?? null;
  }

  async start(): Promise<{ url: string }> {
    if (this.baseUrl) return { url: this.baseUrl };
    const server = createServer((req, res) => { void this.dispatch(req, res); });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.closed = false;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url: this.baseUrl };
  }

  /** Stops the server, drops stalled requests and cancels delayed webhooks. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    const server = this.server;
    this.server = null;
    this.baseUrl = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.pendingWork]);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('simulator not started');
    return this.baseUrl;
  }

  setWebhookUrl(url: string | null): void {
    this.webhookUrl = url;
  }

  /**
   * The next n API requests get no answer at all (the client's timeout fires). With `{ afterHandling: true }`
   * the request is carried out first and only the answer is lost, the case idempotency keys exist for.
   */
  stallNext(n = 1, options: { afterHandling?: boolean } = {}): void {
    this.stallRemaining = n;
    this.stallAfterHandling = options.afterHandling ?? false;
  }

  /** The next n API requests answer `status` (default 503) without doing anything. */
  failNext(n = 1, status = 503): void {
    this.failRemaining = n;
    this.failStatus = status;
  }

  /** All payments, oldest first: one per real charge attempt (idempotent replays add none). */
  listPayments(): SimPayment[] {
    return [...this.payments.values()];
  }

  /** Payments created for one of our references. */
  paymentsFor(reference: string): SimPayment[] {
    return this.listPayments().filter((p) => p.reference === reference);
  }

  payment(ref: string): SimPayment {
    const found = this.payments.get(ref) ?? this.listPayments().find((p) => p.reference === ref);
    if (!found) throw new Error(`${this.providerLabel}: no payment ${ref}`);
    return found;
  }

  /** The customer pays: the payment succeeds and the provider notifies us. Resolves when delivered. */
  complete(ref: string, delivery?: DeliveryOptions): Promise<WebhookDelivery[]> {
    return this.settle(ref, 'succeeded', delivery);
  }

  /** The customer's payment fails (insufficient funds, wrong PIN, refused on the phone). */
  decline(ref: string, delivery?: DeliveryOptions): Promise<WebhookDelivery[]> {
    return this.settle(ref, 'failed', delivery);
  }

  /** The checkout expires unpaid. */
  expire(ref: string, delivery?: DeliveryOptions): Promise<WebhookDelivery[]> {
    return this.settle(ref, 'expired', delivery);
  }

  /** Sends the event for the payment's current state again, same event id (a provider retrying). */
  async resend(ref: string, delivery?: DeliveryOptions): Promise<WebhookDelivery[]> {
    const payment = this.payment(ref);
    if (!payment.eventId) throw new Error(`${this.providerLabel}: payment ${payment.id} has no event to resend`);
    return this.deliver(payment, delivery);
  }

  /** Forgets payments, requests, deliveries, idempotency keys and pending faults. */
  reset(): void {
    this.payments.clear();
    this.idempotency.clear();
    this.requests.length = 0;
    this.deliveries.length = 0;
    this.idempotentReplays = 0;
    this.stallRemaining = 0;
    this.failRemaining = 0;
  }

  // ---- for the provider classes ----

  protected abstract readonly providerLabel: string;
  /** The provider API: everything except /_sim/ control and the /pay/ page. */
  protected abstract handle(req: SimRequest): Promise<SimResponse>;
  /** Whether this provider notifies us of a change to `status` (Wave sends nothing on expiry). */
  protected notifies(_status: PaymentStatus): boolean {
    return true;
  }
  /** The provider's webhook/callback for the payment's current state. */
  protected abstract buildWebhook(payment: SimPayment, delivery: DeliveryOptions, timestampSec: number): { url: string; headers: Record<string, string>; body: string } | null;
  /** A new event id for a state change. */
  protected abstract newEventId(): string;
  /** Hook run when a payment changes state (provider-specific fields). */
  protected onSettled(_payment: SimPayment): void {}

  protected newPayment(fields: Pick<SimPayment, 'id' | 'reference' | 'amountXof' | 'currency'> & Partial<SimPayment>, ttlMs: number): SimPayment {
    const now = this.clock.now();
    const payment: SimPayment = {
      phone: null, status: 'pending', successUrl: null, errorUrl: null, callbackUrl: null,
      createdAt: now, expiresAt: new Date(now.getTime() + ttlMs), settledAt: null, refundedAt: null,
      failureReason: null, eventId: null, extra: {},
      ...fields,
    };
    this.payments.set(payment.id, payment);
    this.scheduleAutoSettle(payment);
    return payment;
  }

  /** Answers a creation once per idempotency key: same key + same body → the first answer; another body → 409. */
  protected idempotent(key: string | undefined, body: unknown, create: () => Promise<SimResponse>, conflict: SimResponse): Promise<SimResponse> {
    if (!key) return create();
    const bodyHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const entry = this.idempotency.get(key);
    if (entry) {
      if (entry.bodyHash !== bodyHash) return Promise.resolve(conflict);
      this.idempotentReplays += 1;
      return entry.response;
    }
    const response = create();
    this.idempotency.set(key, { bodyHash, response });
    return response;
  }

  protected randomId(prefix: string, bytes = 8): string {
    return `${prefix}${randomBytes(bytes).toString('hex')}`;
  }

  /** Payments left pending past their expiry read as expired (as the real services do), without a webhook. */
  protected refreshExpiry(payment: SimPayment): void {
    if (payment.status === 'pending' && this.clock.now().getTime() >= payment.expiresAt.getTime()) {
      payment.status = 'expired';
      payment.settledAt = this.clock.now();
      this.onSettled(payment);
    }
  }

  protected async settle(ref: string, status: PaymentStatus, delivery?: DeliveryOptions): Promise<WebhookDelivery[]> {
    const payment = this.payment(ref);
    if (payment.status !== 'pending') throw new Error(`${this.providerLabel}: payment ${payment.id} is ${payment.status}, not pending`);
    payment.status = status;
    payment.settledAt = this.clock.now();
    if (status === 'failed') payment.failureReason ??= 'insufficient-funds';
    payment.eventId = this.newEventId();
    this.onSettled(payment);
    if (!this.notifies(status)) return [];
    return this.deliver(payment, delivery);
  }

  protected async deliver(payment: SimPayment, delivery: DeliveryOptions = {}): Promise<WebhookDelivery[]> {
    const work = (async () => {
      if (delivery.delayMs) await this.sleep(delivery.delayMs);
      const results: WebhookDelivery[] = [];
      if (this.closed) return results;
      for (let copy = 0; copy < (delivery.copies ?? 1); copy += 1) {
        const timestampSec = Math.floor(this.clock.now().getTime() / 1000) + (delivery.timestampOffsetSec ?? 0);
        const webhook = this.buildWebhook(payment, delivery, timestampSec);
        if (!webhook) break;
        results.push(await this.post(payment.eventId ?? '', webhook));
      }
      return results;
    })();
    this.pendingWork.add(work);
    try {
      return await work;
    } finally {
      this.pendingWork.delete(work);
    }
  }

  // ---- internals ----

  private async post(eventId: string, webhook: { url: string; headers: Record<string, string>; body: string }): Promise<WebhookDelivery> {
    const record: WebhookDelivery = { eventId, ...webhook, status: null, error: null, at: this.clock.now().toISOString() };
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs ?? 5_000),
      });
      record.status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    this.deliveries.push(record);
    return record;
  }

  private scheduleAutoSettle(payment: SimPayment): void {
    const delay = this.options.autoSettleMs;
    if (delay === undefined) return;
    const scenario = scenarioFor(payment.phone);
    const outcome: PaymentStatus = scenario === 'decline' ? 'failed' : scenario === 'abandon' ? 'expired' : 'succeeded';
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (payment.status !== 'pending') return;
      this.settle(payment.id, outcome).catch(() => undefined);
    }, delay);
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.timers.add(timer);
      this.sleepers.add(wake);
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://simulator');
    const simReq: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };

    let response: SimResponse;
    try {
      if (simReq.path.startsWith('/_sim/') || simReq.path.startsWith('/pay/')) {
        response = await this.control(simReq);
      } else {
        const record: RecordedRequest = {
          method: simReq.method, path: simReq.path, query: Object.fromEntries(url.searchParams), headers: req.headers,
          body: simReq.body, at: this.clock.now().toISOString(), outcome: 'stalled',
        };
        this.requests.push(record);
        if (this.stallRemaining > 0) {
          this.stallRemaining -= 1;
          if (this.stallAfterHandling) await this.handle(simReq);
          this.stalled.add(res);
          res.on('close', () => this.stalled.delete(res));
          return;
        }
        if (this.failRemaining > 0) {
          this.failRemaining -= 1;
          response = { status: this.failStatus, json: { code: 'internal-server-error', message: 'simulated outage' } };
        } else {
          response = await this.handle(simReq);
        }
        record.outcome = response.status;
      }
    } catch (error) {
      response = { status: 500, json: { code: 'simulator-error', message: error instanceof Error ? error.message : String(error) } };
    }
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...response.headers };
    let body = '';
    if (response.html !== undefined) {
      headers['content-type'] = 'text/html; charset=utf-8';
      body = response.html;
    } else if (response.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(response.json);
    }
    res.writeHead(response.status, headers).end(body);
  }

  /**
   * Control over HTTP, for a demo or an end-to-end test in another process:
   *   POST /_sim/payments/:ref/(complete|decline|expire)   ?redirect=1 answers 303 to the payment's success/error URL
   *   GET  /_sim/payments                                   every payment
   *   GET  /pay/:id                                         a tiny "phone" page with Pay / Decline buttons
   */
  private async control(req: SimRequest): Promise<SimResponse> {
    if (req.method === 'GET' && req.path === '/_sim/payments') return { status: 200, json: this.listPayments() };
    const action = /^\/_sim\/payments\/([^/]+)\/(complete|decline|expire)$/.exec(req.path);
    if (req.method === 'POST' && action) {
      const ref = decodeURIComponent(action[1] ?? '');
      const verb = action[2] as 'complete' | 'decline' | 'expire';
      let payment: SimPayment;
      try {
        payment = this.payment(ref);
      } catch (error) {
        return { status: 404, json: { message: error instanceof Error ? error.message : String(error) } };
      }
      if (payment.status !== 'pending') return { status: 409, json: { message: `payment ${payment.id} is ${payment.status}` } };
      // The state changes now; the webhook goes out in the background.
      void this[verb](payment.id).catch(() => undefined);
      const target = verb === 'complete' ? payment.successUrl : payment.errorUrl;
      if (req.query.get('redirect') === '1' && target) return { status: 303, headers: { location: target } };
      return { status: 202, json: { id: payment.id, status: payment.status } };
    }
    const page = /^\/pay\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && page) {
      const payment = this.payments.get(decodeURIComponent(page[1] ?? ''));
      if (!payment) return { status: 404, html: '<p>Unknown payment</p>' };
      const id = encodeURIComponent(payment.id);
      return {
        status: 200,
        html: `<!doctype html><meta name="viewport" content="width=device-width"><title>${this.providerLabel}</title>`
          + `<h1>${this.providerLabel} (simulator)</h1><p>${payment.amountXof} ${payment.currency} — ${escapeHtml(payment.reference)} — ${payment.status}</p>`
          + `<form method="post" action="/_sim/payments/${id}/complete?redirect=1"><button>Pay</button></form>`
          + `<form method="post" action="/_sim/payments/${id}/decline?redirect=1"><button>Decline</button></form>`,
      };
    }
    return { status: 404, json: { message: 'unknown simulator control' } };
  }
}

/** JSON with object keys sorted, so two bodies that differ only in key order hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  const match = typeof value === 'string' ? /^Bearer\s+(.+)$/i.exec(value) : null;
  return match?.[1] ?? null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
