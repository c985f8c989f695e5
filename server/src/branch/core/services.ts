import type { BranchInfo } from '../settings/branch-info.js';
import type { BranchState } from '../supervision/branch-state.js';
import type { LongWaitMonitor } from '../supervision/long-wait-monitor.js';
import type { CounterService } from '../counters/counter.service.js';
import type { DeviceService } from '../devices/device.service.js';
import type { ServiceCatalog } from '../services/service.service.js';
import type { TicketService } from '../tickets/ticket.service.js';
import type { UserService } from '../users/user.service.js';
import type { TicketPrintService } from '../print/print.service.js';
import type { AppointmentService } from '../appointments/appointment.service.js';
import type { PaymentService } from '../payments/payment.service.js';
import type { BranchContext } from './context.js';

/** The service layer of a branch: HTTP routes and the Socket.IO gateway call these and nothing else. */
export interface BranchServices {
  ctx: BranchContext;
  branch: BranchInfo;
  tickets: TicketService;
  counters: CounterService;
  catalog: ServiceCatalog;
  users: UserService;
  devices: DeviceService;
  state: BranchState;
  /** Raises long-wait alerts; checked by the sweeper. */
  longWaits: LongWaitMonitor;
  /** Demo mode: loopback kiosks and displays pair themselves. */
  demo: boolean;
  defaultPrinter: string | null;
  /** Ticket printing on kiosks' printers (server/src/branch/print). */
  printing: TicketPrintService;
  /** Appointment settings, bookings pulled from central, check-in (server/src/branch/appointments). */
  appointments: AppointmentService;
  /** Counter and Mobile Money payments of tickets and bookings (server/src/branch/payments). */
  payments: PaymentService;
  version: string;
}
