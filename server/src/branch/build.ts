// The branch's parts built over one SQLite store, without HTTP: createBranchServer serves them, and the fast
// service-level tests (test/support/parts.ts) build them over a file alone. Each part gets what it uses.
import { RemoteJoinIssuer } from './remote/remote-joins.js';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { BranchStore } from './db/store.js';
import { UnitOfWork } from './db/unit-of-work.js';
import { DomainEvents } from './core/events.js';
import type { BranchContext } from './core/context.js';
import { AppointmentService, type AppointmentOptions } from './appointments/appointment.service.js';
import { AdminAudit } from './audit/audit.service.js';
import { CounterService } from './counters/counter.service.js';
import { DeviceService } from './devices/device.service.js';
import { CentralCheckoutClient } from './payments/central-client.js';
import { PaymentService } from './payments/payment.service.js';
import { ServiceCatalog } from './services/service.service.js';
import { BranchInfo } from './settings/branch-info.js';
import { BranchState } from './supervision/branch-state.js';
import { LongWaitMonitor } from './supervision/long-wait-monitor.js';
import { TicketCommands } from './tickets/ticket.commands.js';
import { TicketQueries } from './tickets/ticket.queries.js';
import { UserService } from './users/user.service.js';
import { ContactRetention } from './retention/contact-retention.js';
import { CONTACT_RETENTION_DAYS } from '../shared/privacy.js';
import { BranchDirectory } from './sync/directory.js';
import { ServicePace } from './sync/pace.js';

export interface BranchPartsOptions {
  store: BranchStore;
  branchId: string;
  clock: Clock;
  logger: Logger;
  noShowAfterMinutes?: number;
  sessionTtlSeconds?: number;
  kioskRateLimitPerMinute?: number;
  /** Central, for booking look-ups and phone payments; none: standalone. */
  central?: { url: string; credential: string } | null;
  appointments?: Omit<AppointmentOptions, 'central'>;
  /** Days a visitor's phone and e-mail are kept after the visit (default 30, shared/privacy.ts). */
  contactRetentionDays?: number;
}

/** The built parts: what createBranchServer wires to HTTP and Socket.IO, and what in-process callers use. */
export interface BranchParts {
  ctx: BranchContext;
  branch: BranchInfo;
  /** The ticket commands (issue, call, serve … and the sweepers' expiries). */
  tickets: TicketCommands;
  /** Ticket views, positions and estimated waits. */
  ticketViews: TicketQueries;
  counters: CounterService;
  catalog: ServiceCatalog;
  users: UserService;
  devices: DeviceService;
  state: BranchState;
  longWaits: LongWaitMonitor;
  appointments: AppointmentService;
  payments: PaymentService;
  /** Erases visitors' contacts once the retention period is over. */
  retention: ContactRetention;
  /** Services, staff names and printer states sent to head office (names in its console, printer alerts). */
  directory: BranchDirectory;
  /** Each service's pace sent to head office: the tracking page shows the branch's own estimate. */
  pace: ServicePace;
  /** Every admin change with who, when and before → after. */
  audit: AdminAudit;
  /** Remote tickets: issues the joins central holds for this branch (a step of the sync cycle). */
  remote: RemoteJoinIssuer;
}

export function buildBranchParts(o: BranchPartsOptions): BranchParts {
  const { store, clock, logger, branchId } = o;
  const events = new DomainEvents();
  events.setMaxListeners(50);
  const uow = new UnitOfWork(store, clock, () => events.emit('outbox.appended'), (err) => logger.error({ err }, 'a group commit or an effect after it failed'));
  const branch = new BranchInfo(store, branchId);
  const ctx: BranchContext = {
    store, uow, clock, logger, branchId, events,
    timeZone: branch.view().timeZone,
    config: {
      noShowAfterMinutes: o.noShowAfterMinutes ?? 30,
      sessionTtlSeconds: o.sessionTtlSeconds ?? 12 * 3600,
      kioskRateLimitPerMinute: o.kioskRateLimitPerMinute ?? 30,
    },
  };
  const ticketViews = new TicketQueries({ store, clock });
  const counters = new CounterService({ store, uow, clock, events, branchId });
  const tickets = new TicketCommands({
    store, uow, clock, events, logger, branch, branchId, noShowAfterMinutes: ctx.config.noShowAfterMinutes, queries: ticketViews, counters,
  });
  const catalog = new ServiceCatalog(ctx, branch);
  const state = new BranchState(ctx, branch, ticketViews, counters, catalog);
  const central = o.central ?? null;
  return {
    ctx, branch, tickets, ticketViews, counters, catalog, state,
    audit: new AdminAudit(ctx),
    longWaits: new LongWaitMonitor(state, catalog),
    users: new UserService(ctx),
    devices: new DeviceService(ctx),
    appointments: new AppointmentService(ctx, branch, { commands: tickets, queries: ticketViews }, { ...o.appointments, central }),
    // Phone payments go through central (it holds the provider keys); counter payments work without it.
    remote: new RemoteJoinIssuer({ store, clock, logger, tickets }),
    retention: new ContactRetention(ctx, o.contactRetentionDays ?? CONTACT_RETENTION_DAYS),
    directory: new BranchDirectory(ctx),
    pace: new ServicePace(ctx, ticketViews),
    payments: new PaymentService(ctx, branch, central ? new CentralCheckoutClient({ centralUrl: central.url, credential: central.credential }) : null, counters),
  };
}
