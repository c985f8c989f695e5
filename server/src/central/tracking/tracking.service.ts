// Ticket tracking at central, wired together: the projector (pushed events → facts and notifications), the
// delivery worker (sends what the log holds), the Socket.IO hub (live pages) and the settings and subscriptions
// the routes use. createCentralServer makes one per instance; several instances share the database safely.
import type http from 'node:http';
import { Server as IoServer } from 'socket.io';
import type { Logger } from 'pino';
import type { Language } from '../../shared/contracts/domain.js';
import type { SubscribeBody, TrackingSettingsBody, TrackView, TravelAdvice } from '../../shared/contracts/tracking.js';
import type { CentralDb } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import { closeChannels, createChannels, type ChannelsConfig } from '../notifications/channels/config.js';
import { isGoneSubscription } from '../notifications/channels/push.js';
import type { Channels } from '../notifications/channels/types.js';
import type { BackoffPolicy } from '../notifications/delivery-log.js';
import { RecipientError } from '../notifications/errors.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../notifications/freshness.js';
import { Notifier } from '../notifications/notifier.js';
import { parseRecipient, type PushEndpointPolicy } from '../notifications/recipients.js';
import { migrateNotifications, notificationDb } from '../notifications/store.js';
import { estimateTravel, travelHint } from '../notifications/travel.js';
import type { ChannelKind, Recipient } from '../notifications/types.js';
import { DeliveryWorker } from '../notifications/worker.js';
import { newId } from '../../shared/ids.js';
import { trackDb, type TrackDb } from './db.js';
import { TrackingHub } from './hub.js';
import { TrackingProjector } from './projector.js';
import { migrateTracking } from './tracking.migration.js';
import { buildViews, DEFAULT_NOTIFY_AT_POSITION, refKey, type ViewContext } from './views.js';

export interface TrackingOptions {
  /** Base URL visitors reach central at, for links in messages (SMARTQUEUE_CENTRAL_PUBLIC_URL). Default: the listen URL. */
  publicUrl?: string;
  /** Branch data older than this is stale: no position shown as current, no "your turn" sent. Default 90 s. */
  staleAfterSeconds?: number;
  /** A call central learns of later than this is not announced. Default staleAfterSeconds. */
  calledMaxAgeSeconds?: number;
  /** "Your turn is near" at this position unless the service has its own. Default 3. */
  notifyAtPosition?: number;
  /** A remote ticket's visitor is also told once the estimated wait is down to this many minutes (their way in). Default 30. */
  remoteLeadMinutes?: number;
  /** E-mail, web push, SMS (channelsConfigFromEnv). None configured: the page works, nothing is sent. */
  channels?: ChannelsConfig;
  /** Push endpoints visitors may register (tests: a local endpoint). */
  pushEndpointPolicy?: PushEndpointPolicy;
  /** How often the projector and the hub look at what branches pushed. Default 1 s. */
  pollMs?: number;
  delivery?: { pollMs?: number; backoff?: Partial<BackoffPolicy> };
}

/** SMTP answers that mean the address is no mailbox (unknown user, not local, bad name). */
const MAILBOX_GONE = new Set([550, 551, 553]);

/** Dakar at rush hour: half an hour to reach a branch across town (notifications/travel.ts has the profile). */
const DEFAULT_REMOTE_LEAD_MINUTES = 30;

/** Subscriptions per ticket: enough for a family, not for abuse. */
const MAX_SUBSCRIPTIONS_PER_TICKET = 10;

export class TrackingService {
  readonly db: TrackDb;
  readonly notifier: Notifier;
  readonly channels: Channels;
  readonly projector: TrackingProjector;
  readonly worker: DeliveryWorker;
  private hub: TrackingHub | null = null;
  private io: IoServer | null = null;
  private listenUrl = '';
  private readonly staleAfterSeconds: number;
  private readonly defaultNotifyAt: number;

  private constructor(
    private readonly cdb: CentralDb,
    private readonly clock: { now(): Date },
    private readonly logger: Logger,
    private readonly options: TrackingOptions,
  ) {
    this.db = trackDb(cdb.db);
    this.staleAfterSeconds = options.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
    this.defaultNotifyAt = options.notifyAtPosition ?? DEFAULT_NOTIFY_AT_POSITION;
    this.channels = createChannels(options.channels ?? {});
    this.worker = new DeliveryWorker({
      db: notificationDb(cdb.db), channels: this.channels, now: () => clock.now(), logger, pollMs: options.delivery?.pollMs,
      backoff: options.delivery?.backoff,
      onPermanentFailure: async (d, error, trx) => {
        // Forget the recipient only when the refusal is about them: the browser dropped this push subscription, the
        // mail server says the mailbox does not exist. A refusal of our own settings (credentials, VAPID key) or of one
        // message keeps every contact.
        if (!isGoneSubscription(error) && !(error.channel === 'email' && MAILBOX_GONE.has(error.httpStatus ?? 0))) return;
        await trackDb(trx).updateTable('tracking_subscriptions').set({ revoked_at: clock.now().toISOString() })
          .where('channel', '=', d.channel).where('recipient', '=', d.recipient.address).where('revoked_at', 'is', null).execute();
      },
    });
    this.notifier = new Notifier(new Set(Object.keys(this.channels) as ChannelKind[]), () => this.worker.kick());
    this.projector = new TrackingProjector({
      db: this.db, dialect: cdb.dialect, now: () => clock.now(), logger, notifier: this.notifier,
      settings: {
        staleAfterSeconds: this.staleAfterSeconds,
        calledMaxAgeSeconds: options.calledMaxAgeSeconds ?? this.staleAfterSeconds,
        defaultNotifyAt: this.defaultNotifyAt,
        remoteLeadMinutes: options.remoteLeadMinutes ?? DEFAULT_REMOTE_LEAD_MINUTES,
        publicUrl: () => this.publicUrl(),
        viewContext: () => this.viewContext(),
      },
      onProjected: (branchId, ticketIds) => { void this.hub?.refresh(branchId, ticketIds).catch((err: unknown) => logger.error({ err }, 'tracking refresh failed')); },
    });
  }

  /** Migrate the tracking and delivery-log tables (own tracks) and build the service. */
  static async create(deps: { cdb: CentralDb; clock: { now(): Date }; logger: Logger; options?: TrackingOptions }): Promise<TrackingService> {
    await migrateNotifications(deps.cdb.db);
    await migrateTracking(deps.cdb.db);
    return new TrackingService(deps.cdb, deps.clock, deps.logger, deps.options ?? {});
  }

  /** Socket.IO on central's HTTP server, then the background loops. */
  start(httpServer: http.Server, listenUrl: string): void {
    this.listenUrl = listenUrl;
    this.io = new IoServer(httpServer, { serveClient: true, cors: { origin: false } });
    this.hub = new TrackingHub(this.io, { db: this.db, logger: this.logger, viewContext: () => this.viewContext() });
    const pollMs = this.options.pollMs ?? 1_000;
    this.hub.start(pollMs);
    this.projector.start(pollMs);
    this.worker.start();
  }

  async close(): Promise<void> {
    this.hub?.stop();
    await this.projector.stop();
    await this.worker.stop();
    // Disconnect the pages without closing the HTTP server: central closes it.
    this.io?.disconnectSockets(true);
    this.io?.engine.close();
    await closeChannels(this.channels);
  }

  /** A branch pushed: look at it now rather than at the next poll. */
  pushed(): void {
    this.projector.kick();
  }

  publicUrl(): string {
    return (this.options.publicUrl ?? this.listenUrl).replace(/\/+$/, '');
  }

  viewContext(): ViewContext {
    return {
      now: this.clock.now(),
      staleAfterSeconds: this.staleAfterSeconds,
      defaultNotifyAt: this.defaultNotifyAt,
      channels: { push: this.notifier.isEnabled('push'), email: this.notifier.isEnabled('email'), sms: this.notifier.isEnabled('sms') },
      vapidPublicKey: this.options.channels?.push?.vapid.publicKey ?? null,
    };
  }

  /** A ticket as its visitor sees it; branchId (from ?branch=) picks among branches holding the same id. */
  async view(ticketId: string, branchId: string | null = null): Promise<TrackView> {
    const ref = { ticketId, branchId };
    return (await buildViews(this.db, [ref], this.viewContext())).get(refKey(ref)) as TrackView;
  }

  async branchTimeZone(branchId: string | null): Promise<string> {
    if (!branchId) return 'Africa/Dakar';
    const b = await this.db.selectFrom('branches').select('time_zone').where('id', '=', branchId).executeTakeFirst();
    return b?.time_zone ?? 'Africa/Dakar';
  }

  /** A visitor asks to be told on a channel. Refuses unknown or finished tickets, channels that are off, bad addresses. */
  async subscribe(ticketId: string, body: SubscribeBody, branchId: string | null = null): Promise<{ id: string; channel: ChannelKind; created: boolean }> {
    const view = await this.view(ticketId, branchId);
    if (!view.known || !view.branch) throw new CentralError(404, 'NOT_FOUND', `ticket ${ticketId} is not known at the head office (yet): try again in a minute`);
    if (view.status !== 'waiting' && view.status !== 'transferred' && view.status !== 'called') {
      throw new CentralError(409, 'TICKET_FINISHED', `ticket ${view.number} is ${view.status}: there is nothing left to notify`);
    }
    if (!this.notifier.isEnabled(body.channel)) {
      throw new CentralError(409, 'CHANNEL_DISABLED', `${body.channel === 'sms' ? 'SMS' : body.channel === 'push' ? 'web push' : 'e-mail'} notifications are not enabled on this server`);
    }
    const language: Language = body.language ?? view.language;
    let recipient: Recipient;
    try {
      recipient = body.channel === 'push'
        ? parseRecipient({ channel: 'push', subscription: body.subscription, language }, this.options.pushEndpointPolicy)
        : parseRecipient({ channel: body.channel, address: body.address, language });
    } catch (err) {
      if (err instanceof RecipientError) throw new CentralError(400, err.code, err.message);
      throw err;
    }
    const now = this.clock.now().toISOString();
    const existing = await this.db.selectFrom('tracking_subscriptions').select(['id', 'revoked_at'])
      .where('branch_id', '=', view.branch.id).where('ticket_id', '=', ticketId).where('channel', '=', recipient.channel).where('recipient', '=', recipient.address).executeTakeFirst();
    if (existing) {
      // Same person again (page reloaded): keep one subscription, with the latest keys and language.
      await this.db.updateTable('tracking_subscriptions').set({ target: JSON.stringify(recipient), language, revoked_at: null }).where('id', '=', existing.id).execute();
      this.projector.markDirty(view.branch.id);
      this.projector.kick();
      return { id: existing.id, channel: recipient.channel, created: false };
    }
    const count = await this.db.selectFrom('tracking_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('branch_id', '=', view.branch.id).where('ticket_id', '=', ticketId).executeTakeFirst();
    if (Number(count?.n ?? 0) >= MAX_SUBSCRIPTIONS_PER_TICKET) {
      throw new CentralError(429, 'TOO_MANY_SUBSCRIPTIONS', `a ticket can be followed by at most ${MAX_SUBSCRIPTIONS_PER_TICKET} subscriptions`);
    }
    const id = newId();
    await this.db.insertInto('tracking_subscriptions').values({
      id, ticket_id: ticketId, branch_id: view.branch.id, channel: recipient.channel, recipient: recipient.address, target: JSON.stringify(recipient),
      language, source: 'page', created_at: now, revoked_at: null,
    }).onConflict((oc) => oc.columns(['branch_id', 'ticket_id', 'channel', 'recipient']).doNothing()).execute();
    // Already at position N or closer: the next pass tells them.
    this.projector.markDirty(view.branch.id);
    this.projector.kick();
    return { id, channel: recipient.channel, created: true };
  }

  /** Travel advice from the visitor's position (used for this answer only, never stored). */
  async travel(ticketId: string, from: { lat: number; lon: number }, branchId: string | null = null): Promise<TravelAdvice> {
    const view = await this.view(ticketId, branchId);
    if (!view.known || !view.branch) throw new CentralError(404, 'NOT_FOUND', `ticket ${ticketId} is not known at the head office (yet)`);
    const b = await this.db.selectFrom('tracking_branches').select(['latitude', 'longitude']).where('branch_id', '=', view.branch.id).executeTakeFirst();
    if (b?.latitude === null || b?.latitude === undefined || b.longitude === null) {
      throw new CentralError(409, 'NO_BRANCH_LOCATION', 'the head office has not set where this branch is');
    }
    const trip = estimateTravel(from, { lat: b.latitude, lon: b.longitude }, this.clock.now(), { timeZone: await this.branchTimeZone(view.branch.id) });
    // No advice against a wait computed from stale data.
    const wait = view.freshness.stale ? null : view.estimatedWaitMinutes;
    const hint = travelHint(trip.minutes, wait);
    return {
      distanceKm: trip.distanceKm, travelMinutes: trip.minutes, mode: trip.mode, hint: hint.hint,
      leaveInMinutes: hint.hint === 'you_have_time' ? hint.leaveInMinutes : null, estimatedWaitMinutes: wait,
    };
  }

  async settings(branchId: string): Promise<TrackingSettingsBody> {
    await this.requireBranch(branchId);
    const b = await this.db.selectFrom('tracking_branches').selectAll().where('branch_id', '=', branchId).executeTakeFirst();
    const services = await this.db.selectFrom('tracking_services').selectAll().where('branch_id', '=', branchId).orderBy('service_id').execute();
    return {
      location: b && b.latitude !== null && b.longitude !== null ? { lat: b.latitude, lon: b.longitude } : null,
      services: services.map((s) => ({
        serviceId: s.service_id,
        ...(s.notify_at_position !== null && { notifyAtPosition: s.notify_at_position }),
        ...(s.name !== null && { name: JSON.parse(s.name) as { fr: string; wo: string; en: string } }),
        ...(s.default_service_minutes !== null && { defaultServiceMinutes: s.default_service_minutes }),
      })),
    };
  }

  async updateSettings(branchId: string, body: TrackingSettingsBody): Promise<TrackingSettingsBody> {
    await this.requireBranch(branchId);
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      if (body.location !== undefined) {
        const loc = { latitude: body.location?.lat ?? null, longitude: body.location?.lon ?? null, updated_at: now };
        await trx.insertInto('tracking_branches').values({ branch_id: branchId, ...loc })
          .onConflict((oc) => oc.column('branch_id').doUpdateSet(loc)).execute();
      }
      for (const s of body.services ?? []) {
        const values = {
          notify_at_position: s.notifyAtPosition ?? null, name: s.name ? JSON.stringify(s.name) : null,
          default_service_minutes: s.defaultServiceMinutes ?? null, updated_at: now,
        };
        await trx.insertInto('tracking_services').values({ branch_id: branchId, service_id: s.serviceId, ...values })
          .onConflict((oc) => oc.columns(['branch_id', 'service_id']).doUpdateSet(values)).execute();
      }
    });
    this.projector.markDirty(branchId);
    this.projector.kick();
    return this.settings(branchId);
  }

  private async requireBranch(branchId: string): Promise<void> {
    const b = await this.db.selectFrom('branches').select('id').where('id', '=', branchId).executeTakeFirst();
    if (!b) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
  }
}
