// A real central (with tracking and every notification channel pointed at local stand-ins) and a real branch
// syncing to it, for the tracking tests.
import webpush from 'web-push';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Clock } from '../../server/src/shared/clock.js';
import type { CommandResult } from '../../server/src/shared/contracts/api.js';
import { TRACK_NAMESPACE, type TrackClientToServer, type TrackServerToClient, type TrackView } from '../../server/src/shared/contracts/tracking.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import type { TrackingOptions } from '../../server/src/central/tracking/index.js';
import { listDeliveries, type Delivery } from '../../server/src/central/notifications/delivery-log.js';
import { notificationDb } from '../../server/src/central/notifications/store.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { PushEndpoint } from '../fixtures/push-endpoint.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import type { Dialect } from '../support/postgres.js';

export const PUBLIC_URL = 'https://suivi.example.sn';

/**
 * Central's clock in tests where time has to pass while the link is down: the real time plus a shift the test
 * moves forward (jump(90) = a minute and a half of outage in no time). The branch keeps the real time.
 */
export class ShiftClock implements Clock {
  private shiftMs = 0;
  now(): Date {
    return new Date(Date.now() + this.shiftMs);
  }
  jump(seconds: number): void {
    this.shiftMs += seconds * 1000;
  }
}

export interface TrackingWorld {
  central: TestCentral;
  branch: SyncedBranch;
  proxy: FaultProxy | null;
  sink: SmtpSink;
  sms: OrangeSmsSimulator;
  push: PushEndpoint;
  kiosk: string;
  serviceA: string;
  /** Opens counter `number` for `login` and returns its id. */
  openCounter(login: string, number: number): Promise<string>;
  /** Call the next ticket at the counter, start and complete it; returns the ticket served. */
  serveNext(login: string, counterId: string): Promise<string | null>;
  callNext(login: string, counterId: string): Promise<string | null>;
  view(ticketId: string): Promise<TrackView>;
  close(): Promise<void>;
}

export async function startTrackingWorld(dialect: Dialect, opts: {
  staleAfterSeconds?: number; viaProxy?: boolean; sms?: boolean; tracking?: Partial<TrackingOptions>;
  /** Central's clock (and the branch's too when `branchClock`). */
  clock?: Clock; branchClock?: boolean; trackUrlBase?: string; printer?: string;
} = {}): Promise<TrackingWorld> {
  const sink = await new SmtpSink().start();
  const sms = await new OrangeSmsSimulator().start();
  const vapid = webpush.generateVAPIDKeys();
  const push = await new PushEndpoint(vapid.publicKey).start();
  const central = await startCentral(dialect, {
    clock: opts.clock,
    tracking: {
      publicUrl: PUBLIC_URL,
      staleAfterSeconds: opts.staleAfterSeconds ?? 10,
      pollMs: 100,
      delivery: { pollMs: 100, backoff: { minMs: 100, maxMs: 1000 } },
      pushEndpointPolicy: { allowHttp: true, hosts: ['127.0.0.1'] },
      channels: {
        email: { url: sink.url, from: 'SmartQueue <no-reply@smartqueue.sn>' },
        push: { vapid: { subject: 'mailto:ops@smartqueue.sn', ...vapid } },
        ...(opts.sms !== false && { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000', senderName: 'SmartQueue' } }),
      },
      ...opts.tracking,
    },
  });
  const proxy = opts.viaProxy ? await FaultProxy.start({ target: central.url }) : null;
  const branch = await startSyncedBranch(central, {
    centralUrl: proxy?.url, name: 'Agence Plateau', trackUrlBase: opts.trackUrlBase, printer: opts.printer, ...(opts.branchClock && { clock: opts.clock }),
  });
  const kiosk = await branch.kioskToken();
  const serviceA = (await branch.service('A')).id;

  const callNext = async (login: string, counterId: string) => {
    const token = await branch.login(login);
    const r = await branch.api.post<CommandResult>(`/api/counters/${counterId}/call-next`, {}, token);
    if (r.status !== 200) throw new Error(`call-next: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.ticket?.id ?? null;
  };
  return {
    central, branch, proxy, sink, sms, push, kiosk, serviceA,
    async openCounter(login, number) {
      const counter = await branch.counter(number);
      const r = await branch.api.post(`/api/counters/${counter.id}/status`, { status: 'open' }, await branch.login(login));
      if (r.status !== 200) throw new Error(`open counter: ${r.status} ${JSON.stringify(r.body)}`);
      return counter.id;
    },
    callNext,
    async serveNext(login, counterId) {
      const id = await callNext(login, counterId);
      if (!id) return null;
      const token = await branch.login(login);
      for (const step of ['start', 'complete']) {
        const r = await branch.api.post(`/api/tickets/${id}/${step}`, {}, token);
        if (r.status !== 200) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      return id;
    },
    async view(ticketId) {
      return (await central.api.get<TrackView>(`/api/track/${ticketId}`)).body;
    },
    async close() {
      await branch.destroy();
      await proxy?.close();
      await central.destroy();
      await Promise.all([sink.close(), sms.close(), push.close()]);
    },
  };
}

export async function issue(world: TrackingWorld, body: Record<string, unknown> = {}): Promise<string> {
  const r = await world.branch.api.issue(world.kiosk, { serviceId: world.serviceA, ...body });
  if (r.status !== 201) throw new Error(`issue: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

/** Until central knows the ticket and its view satisfies `check`. */
export function waitForView(world: TrackingWorld, ticketId: string, what: string, check: (v: TrackView) => boolean, timeoutMs = 20_000): Promise<TrackView> {
  return waitFor(what, async () => {
    const v = await world.view(ticketId);
    return v.known && check(v) ? v : undefined;
  }, timeoutMs);
}

export type TrackSocket = Socket<TrackServerToClient, TrackClientToServer>;

export async function trackSocket(centralUrl: string): Promise<TrackSocket> {
  const socket: TrackSocket = ioClient(`${centralUrl}${TRACK_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * The delivery log of a ticket or booking once every row has its outcome: the worker records it just after the
 * provider accepted the message, so a test that saw the message arrive waits (bounded) for the record.
 */
export function settledDeliveries(world: TrackingWorld, refId: string, timeoutMs = 20_000): Promise<Delivery[]> {
  return waitFor(`the delivery log of ${refId} to settle`, async () => {
    const rows = await listDeliveries(notificationDb(world.central.server.db), { refId });
    return rows.every((d) => d.status !== 'pending' && d.status !== 'sending') ? rows : undefined;
  }, timeoutMs);
}

/** A phone for the tracking page: iPhone 12-14 sized screen, touch, French of Senegal. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-SN' } as const;

/**
 * The browser's push service (Google's, Mozilla's…) is an outside provider: this init script makes the phone's
 * PushManager hand out a subscription of the local push endpoint (test/fixtures/push-endpoint.ts), which checks the
 * VAPID signature and decrypts what central sends. The application server keys the page passed are kept in
 * window.pushServerKeys (base64url).
 */
export function localPushManagerScript(subscription: { endpoint: string; keys: { p256dh: string; auth: string } }): string {
  return `(() => {
    const sub = ${JSON.stringify(subscription)};
    window.pushServerKeys = [];
    PushManager.prototype.getSubscription = function () { return Promise.resolve(null); };
    PushManager.prototype.subscribe = function (options) {
      const key = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)));
      window.pushServerKeys.push(key.replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, ''));
      return Promise.resolve({ toJSON: () => sub });
    };
  })()`;
}
