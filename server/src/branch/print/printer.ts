// createPrinter(): one printer per kiosk, picked by its spec string; jobs go out one at a time.
import type { Logger } from 'pino';
import { parseCodePage, type CodePageName } from './codepages.js';
import type { ReceiptPrintData, TicketPrintData } from './data.js';
import { PrintError } from './errors.js';
import { renderLayoutEscPos } from './escpos.js';
import { buildReceiptLayout, buildTicketLayout, layoutToText, PAPER_WIDTHS, type PaperWidth, type PrintLayout } from './layout.js';
import { formatPrinterSpec, parsePrinterSpec, type PrinterKind } from './spec.js';
import type { JobMeta, PaperState, PrinterStatus, PrintTransport } from './transport.js';
import { OsTransport, type OsCommands } from './transport-os.js';
import { SimulatedTransport, type SimulatedJob } from './transport-simulated.js';
import { TcpTransport } from './transport-tcp.js';

export const DEFAULT_TIMEOUT_MS = 5000;

export interface PrinterOptions {
  /** `tcp://HOST:PORT`, `os:PRINTER_NAME`, `simulated` or `simulated:FOLDER` (see spec.ts). */
  spec: string;
  /** Paper roll: 58 mm (32 characters a line) or 80 mm (48). Default 80. */
  paperWidth?: PaperWidth;
  /** Code page the printer has: PC858 (default), PC850, PC437, PC863, WPC1252, ISO8859_15. */
  codePage?: string;
  /** Bound on every printer operation (connect + send + confirm, or a status check). Default 5000 ms. */
  timeoutMs?: number;
  /** How long a TCP printer may take to answer the paper status query before it counts as "unknown". */
  statusTimeoutMs?: number;
  logger?: Logger;
  /** Commands of the OS transport (defaults: lp, lpstat, powershell.exe). */
  osCommands?: OsCommands;
  /** Platform the OS transport targets; default process.platform. */
  platform?: NodeJS.Platform;
  /** Jobs a simulated printer keeps in memory. Default 100. */
  maxSimulatedJobs?: number;
}

export interface PrintJobResult {
  /** Size of the ESC/POS job. */
  bytes: number;
  /** Paper state learned on the way (TCP printers answering DLE EOT 4); `near_end` deserves an alert. */
  paper: PaperState;
  /** What was left out of the slip (e.g. an unreadable logo). */
  warnings: string[];
}

export interface TicketPrinter {
  /** The spec in canonical form. */
  readonly spec: string;
  readonly kind: PrinterKind;
  readonly paperWidth: PaperWidth;
  readonly codePage: CodePageName;
  /** Renders and prints; rejects with a PrintError (never hangs past timeoutMs once the job's turn comes). */
  printTicket(data: TicketPrintData): Promise<PrintJobResult>;
  printReceipt(data: ReceiptPrintData): Promise<PrintJobResult>;
  /** Never rejects: `{ ok: false, code }` when the printer is unreachable or out of paper. */
  status(): Promise<PrinterStatus>;
  /** Waits for queued jobs, then refuses new ones. */
  close(): Promise<void>;
}

class QueuedPrinter implements TicketPrinter {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly spec: string,
    readonly kind: PrinterKind,
    readonly paperWidth: PaperWidth,
    readonly codePage: CodePageName,
    protected readonly transport: PrintTransport,
    private readonly logger: Logger | undefined,
  ) {}

  async printTicket(data: TicketPrintData): Promise<PrintJobResult> {
    const layout = buildTicketLayout(data, { paperWidth: this.paperWidth, codePage: this.codePage });
    return this.enqueue(layout, 'ticket', data.ticketNumber);
  }

  async printReceipt(data: ReceiptPrintData): Promise<PrintJobResult> {
    const layout = buildReceiptLayout(data, { paperWidth: this.paperWidth, codePage: this.codePage });
    return this.enqueue(layout, 'receipt', data.reference);
  }

  status(): Promise<PrinterStatus> {
    return this.transport.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail.catch(() => {});
    await this.transport.close();
  }

  private enqueue(layout: PrintLayout, kind: JobMeta['kind'], title: string): Promise<PrintJobResult> {
    if (this.closed) return Promise.reject(new PrintError('PRINTER_CONFIG', `printer ${this.spec} is closed`, { spec: this.spec }));
    for (const warning of layout.warnings) this.logger?.warn({ printer: this.spec, kind, title }, warning);
    // Many printers serve one connection at a time and a job's timeout should start when it is sent, not while
    // it waits behind the previous one: jobs of a printer go out in order, one by one.
    const run = async (): Promise<PrintJobResult> => {
      const job = await renderLayoutEscPos(layout);
      const started = Date.now();
      try {
        const { paper } = await this.transport.send(job, { kind, title, text: layoutToText(layout) });
        this.logger?.info({ printer: this.spec, kind, title, bytes: job.length, paper, ms: Date.now() - started }, 'printed');
        if (paper === 'near_end') this.logger?.warn({ printer: this.spec }, 'printer paper roll nearly empty');
        return { bytes: job.length, paper, warnings: layout.warnings };
      } catch (error) {
        const e = error instanceof PrintError ? error : new PrintError('PRINTER_ERROR', String(error), { cause: error, spec: this.spec });
        this.logger?.warn({ printer: this.spec, kind, title, code: e.code, maybePrinted: e.maybePrinted, ms: Date.now() - started }, e.message);
        throw e;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }
}

/** A simulated printer, with its jobs readable (demos, tests). */
export class SimulatedPrinter extends QueuedPrinter {
  get jobs(): readonly SimulatedJob[] {
    return (this.transport as SimulatedTransport).jobs;
  }
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > 600_000) {
    throw new PrintError('PRINTER_CONFIG', `${name} must be a number of milliseconds between 1 and 600000, got ${value}`);
  }
  return value;
}

/** Parses the spec and picks the transport; throws PrintError(PRINTER_CONFIG) on a bad spec or option. */
export function createPrinter(opts: PrinterOptions): TicketPrinter {
  const parsed = parsePrinterSpec(opts.spec);
  const spec = formatPrinterSpec(parsed);
  const paperWidth = opts.paperWidth ?? 80;
  if (!PAPER_WIDTHS.includes(paperWidth)) {
    throw new PrintError('PRINTER_CONFIG', `paper width must be 58 or 80 (mm), got ${String(paperWidth)}`, { spec });
  }
  const codePage = parseCodePage(opts.codePage);
  const timeoutMs = positiveMs(opts.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const statusTimeoutMs = positiveMs(opts.statusTimeoutMs, Math.min(800, Math.max(50, Math.floor(timeoutMs / 3))), 'statusTimeoutMs');
  const logger = opts.logger?.child({ module: 'print' });
  switch (parsed.kind) {
    case 'tcp':
      return new QueuedPrinter(spec, 'tcp', paperWidth, codePage, new TcpTransport(parsed, { timeoutMs, statusTimeoutMs }, spec), logger);
    case 'os':
      return new QueuedPrinter(
        spec,
        'os',
        paperWidth,
        codePage,
        new OsTransport(parsed, { timeoutMs, ...(opts.osCommands ? { commands: opts.osCommands } : {}), ...(opts.platform ? { platform: opts.platform } : {}) }, spec),
        logger,
      );
    case 'simulated':
      return new SimulatedPrinter(spec, 'simulated', paperWidth, codePage, new SimulatedTransport(parsed.dir, opts.maxSimulatedJobs ?? 100, spec), logger);
  }
}
