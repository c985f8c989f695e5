// Ticket printing for kiosks: which printer a kiosk uses, what goes on the slip, and what happens when the printer
// fails. Issuance never waits on this: the kiosk issues (one SQLite transaction), then asks for the print. A failed
// print keeps the ticket and alerts supervisors; the kiosk shows the number on screen instead.
import type { BranchDirectory } from '../sync/directory.js';
import type { Logger } from 'pino';
import type { Actor } from '../core/actor.js';
import type { BranchContext } from '../core/context.js';
import type { BranchInfo } from '../settings/branch-info.js';
import type { BranchState } from '../supervision/branch-state.js';
import type { DeviceService } from '../devices/device.service.js';
import type { TicketQueries } from '../tickets/ticket.queries.js';
import type { Language, QueueType } from '../../shared/contracts/domain.js';
import type { ConfiguredPrinter, KioskConfig, PrintFailureCode, PrintFailureDetails, PrintResult } from '../../shared/contracts/print.js';
import { trackUrlFor } from '../../shared/contracts/print.js';
import type { TestPageResult } from '../../shared/contracts/admin.js';
import { DomainError } from '../../shared/domain/errors.js';
import { displayTicketNumber } from '../../shared/domain/numbering.js';
import { isFinal } from '../../shared/domain/ticket-state.js';
import type { TicketStatus } from '../../shared/contracts/domain.js';
import { findService, listServices } from '../services/service.repository.js';
import { findTicket } from '../tickets/ticket.repository.js';
import { isPrintError, PrintError } from './errors.js';
import { createPrinter, DEFAULT_TIMEOUT_MS, type TicketPrinter } from './printer.js';
import { parseCodePage, type CodePageName } from './codepages.js';
import { PAPER_WIDTHS, type PaperWidth } from './layout.js';
import { renderReceiptPreviewHtml, renderTicketPreviewHtml, renderTicketPreviewSvg } from './preview.js';
import { formatPrinterSpec, parsePrinterSpec } from './spec.js';
import type { ReceiptPrintData, TicketPrintData } from './data.js';

/** How this branch prints its tickets (BranchServerOptions.print; env SMARTQUEUE_PRINTER_*). */
export interface PrintSettings {
  /** Paper roll: 58 or 80 mm. Default 80. */
  paperWidth?: PaperWidth;
  /** Code page the printers have (PC858 by default). */
  codePage?: string;
  /** Bound on one print job (connect + send + confirm). Default 5000 ms. */
  timeoutMs?: number;
  /** PNG printed at the top of every ticket. */
  logoPath?: string | null;
  /** Message at the bottom; default: the thanks of the ticket's language. */
  footer?: string | null;
}

export interface PrintServiceDeps {
  ctx: BranchContext;
  branch: BranchInfo;
  tickets: TicketQueries;
  devices: DeviceService;
  state: BranchState;
  /** Told of printer state changes, which head office shows on its Now screen. */
  directory?: Pick<BranchDirectory, 'printerChanged'>;
  /** An SMS can reach this branch's visitors (central has an SMS channel, as it last said): the kiosk offers it. */
  smsAvailable: () => boolean;
}

/** A print that did not happen: answered as 503 (500 for our own bad data) with the ticket still valid. */
export class TicketPrintFailure extends Error {
  override readonly name = 'TicketPrintFailure';
  constructor(
    readonly code: PrintFailureCode,
    message: string,
    readonly details: PrintFailureDetails,
  ) {
    super(message);
  }
  get httpStatus(): number {
    return this.code === 'INVALID_PRINT_DATA' ? 500 : 503;
  }
}

/** A kiosk may try to print a ticket this many times (a retry after a jam, not a paper flood). */
const MAX_KIOSK_ATTEMPTS = 3;
/** Remembered tickets (attempts, printed): enough for a busy day, bounded for a kiosk that runs for months. */
const MEMORY = 5000;
/** While a printer keeps failing, remind supervisors at most this often. */
const REALERT_MS = 5 * 60_000;

const FAILURE_TEXT: Record<PrintFailureCode, string> = {
  PRINTER_OFFLINE: 'imprimante injoignable (éteinte ou débranchée ?)',
  PRINTER_TIMEOUT: "l'imprimante ne répond pas à temps",
  PAPER_OUT: "plus de papier dans l'imprimante",
  PRINTER_ERROR: "erreur de l'imprimante",
  PRINTER_CONFIG: 'imprimante mal configurée',
  INVALID_PRINT_DATA: 'ticket impossible à mettre en page (erreur du serveur)',
};

interface PrinterHealth { failing: boolean; lastAlertAt: number; nearEndReported: boolean }

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MEMORY) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

export class TicketPrintService {
  private readonly printers = new Map<string, TicketPrinter>();
  private readonly attempts = new Map<string, number>();
  private readonly printed = new Map<string, true>();
  private readonly health = new Map<string, PrinterHealth>();
  /** Paper sensor per printer (canonical spec) at its last job. */
  private readonly lastPaper = new Map<string, PrintResult['paper']>();
  private readonly logger: Logger;
  private readonly paperWidth: PaperWidth;
  private readonly timeoutMs: number;
  private readonly codePage: CodePageName;

  constructor(
    private readonly deps: PrintServiceDeps,
    private readonly settings: PrintSettings & { defaultPrinter: string | null; trackUrlBase: string | null },
  ) {
    this.logger = deps.ctx.logger.child({ module: 'print' });
    // Operator mistakes in the settings stop the server at start, with the reason; a bad default printer spec does
    // not (the queue works without paper), it is reported to supervisors instead.
    this.paperWidth = settings.paperWidth ?? 80;
    if (!PAPER_WIDTHS.includes(this.paperWidth)) throw new Error(`printer paper width must be 58 or 80 (mm), got ${String(settings.paperWidth)}`);
    this.codePage = parseCodePage(settings.codePage);
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0 || this.timeoutMs > 120_000) throw new Error(`printer timeout must be 1-120000 ms, got ${this.timeoutMs}`);
    if (settings.trackUrlBase !== null) checkTrackUrlBase(settings.trackUrlBase);
    if (settings.defaultPrinter) {
      try {
        parsePrinterSpec(settings.defaultPrinter);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error({ printer: settings.defaultPrinter }, message);
        deps.state.raiseAlert({ kind: 'printer', severity: 'critical', message: `Imprimante par défaut mal configurée : ${message}`, data: { printer: settings.defaultPrinter } });
      }
    }
  }

  /**
   * The base of the QR links: central's tracking page (or SMARTQUEUE_TRACK_URL). Null on a standalone branch: no QR
   * code, since a visitor's phone (on mobile data) cannot reach the branch's network (docs/kiosk.md).
   */
  trackUrlBase(): string | null {
    return this.settings.trackUrlBase;
  }

  /** The printer spec a kiosk prints on: its own, else the server's default. Staff use the default. */
  specFor(actor: Actor | null): string | null {
    if (actor?.kind === 'device') {
      const own = this.deps.devices.get(actor.deviceId).printer;
      if (own && own.trim()) return own;
    }
    return this.settings.defaultPrinter && this.settings.defaultPrinter.trim() ? this.settings.defaultPrinter : null;
  }

  kioskConfig(actor: Actor | null): KioskConfig {
    const spec = this.specFor(actor);
    let simulated = false;
    try {
      simulated = spec !== null && parsePrinterSpec(spec).kind === 'simulated';
    } catch {
      /* a bad spec is reported when printing */
    }
    return { trackUrlBase: this.trackUrlBase(), sms: this.deps.smsAvailable(), printer: { configured: spec !== null, simulated } };
  }

  /** What the slip of this ticket says (also the preview). */
  ticketData(ticketId: string, trackBase: string | null, language?: Language): TicketPrintData {
    const { ctx, branch, tickets } = this.deps;
    const row = findTicket(ctx.store, ticketId);
    if (!row) throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`);
    const view = tickets.view(row);
    const service = findService(ctx.store, row.service_id);
    const lang = language ?? (row.language as Language);
    const serviceName = service ? { fr: service.name_fr, wo: service.name_wo, en: service.name_en }[lang] : row.service_id;
    return {
      branchName: branch.view().name,
      logoPath: this.settings.logoPath ?? null,
      serviceName,
      ticketNumber: displayTicketNumber(row.number),
      issuedAt: row.issued_at,
      timeZone: branch.view().timeZone,
      position: view.position,
      estimatedWaitMinutes: view.estimatedWaitMinutes,
      noOpenCounter: view.noOpenCounter,
      trackUrl: trackBase === null ? null : trackUrlFor(trackBase, row.id),
      footer: this.settings.footer ?? null,
      language: lang,
      queueType: row.queue_type as QueueType,
    };
  }

  /** A sample slip (test print, preview before any ticket exists). */
  sampleData(trackBase: string | null, language: Language): TicketPrintData {
    const { ctx, branch } = this.deps;
    const service = listServices(ctx.store)[0];
    const names = service ? { fr: service.name_fr, wo: service.name_wo, en: service.name_en } : { fr: 'Service', wo: 'Sarwiis', en: 'Service' };
    return {
      branchName: branch.view().name,
      logoPath: this.settings.logoPath ?? null,
      serviceName: names[language],
      ticketNumber: `${service?.prefix ?? 'A'}-042`,
      issuedAt: ctx.clock.now(),
      timeZone: branch.view().timeZone,
      position: 3,
      estimatedWaitMinutes: 12,
      trackUrl: trackBase === null ? null : trackUrlFor(trackBase, 'exemple'),
      footer: this.settings.footer ?? null,
      language,
    };
  }

  previewHtml(data: TicketPrintData, paperWidth?: PaperWidth): string {
    return renderTicketPreviewHtml(data, { paperWidth: paperWidth ?? this.paperWidth, codePage: this.codePage, document: true });
  }

  previewSvg(data: TicketPrintData, paperWidth?: PaperWidth): string {
    return renderTicketPreviewSvg(data, { paperWidth: paperWidth ?? this.paperWidth, codePage: this.codePage });
  }

  /**
   * Prints a ticket on the caller's printer. A kiosk prints the tickets it issued, once (a failed try may be
   * retried a little); staff may reprint any active ticket on the default printer.
   */
  async printTicket(ticketId: string, actor: Actor, trackBase: string | null): Promise<PrintResult> {
    const row = findTicket(this.deps.ctx.store, ticketId);
    if (!row) throw new DomainError('NOT_FOUND', `ticket ${ticketId} does not exist`);
    const number = displayTicketNumber(row.number);
    if (actor.kind === 'device') {
      if (actor.role !== 'kiosk') throw new DomainError('FORBIDDEN', 'only a kiosk prints tickets');
      if (row.device_id !== actor.deviceId) throw new DomainError('FORBIDDEN', 'a kiosk prints only the tickets it issued');
      if (this.printed.has(row.id)) throw new DomainError('CONFLICT', `ticket ${number} was already printed: staff can reprint it`);
      const tries = (this.attempts.get(row.id) ?? 0) + 1;
      if (tries > MAX_KIOSK_ATTEMPTS) throw new DomainError('RATE_LIMITED', `ticket ${number} could not be printed after ${MAX_KIOSK_ATTEMPTS} tries: staff can reprint it`);
      remember(this.attempts, row.id, tries);
    }
    if (isFinal(row.status as TicketStatus)) throw new DomainError('CONFLICT', `ticket ${number} is ${row.status}: nothing to print`);

    const details: PrintFailureDetails = { ticketId: row.id, ticketNumber: number, maybePrinted: false };
    const spec = this.specFor(actor);
    const where = actor.kind === 'device' ? this.deviceLabel(actor.deviceId) : 'imprimante par défaut';
    const context = { ticketId: row.id, ticketNumber: number, deviceId: actor.kind === 'device' ? actor.deviceId : null, where };
    if (spec === null) {
      const failure = new TicketPrintFailure('PRINTER_CONFIG', 'no printer is set for this kiosk (device printer or SMARTQUEUE_PRINTER)', details);
      this.onFailure('(none)', failure, context);
      throw failure;
    }
    try {
      const data = this.ticketData(row.id, trackBase);
      const result = await this.send(spec, data);
      if (actor.kind === 'device') remember(this.printed, row.id, true);
      this.onSuccess(spec, result.paper, context);
      return result;
    } catch (error) {
      if (!isPrintError(error)) throw error;
      const failure = new TicketPrintFailure(error.code, error.message, { ...details, maybePrinted: error.maybePrinted });
      this.onFailure(spec, failure, context);
      throw failure;
    }
  }

  /** A payment receipt on the caller's printer (the kiosk's own, else the default); TicketPrintFailure when it fails. */
  async printReceipt(data: ReceiptPrintData, actor: Actor | null): Promise<PrintResult> {
    const details: PrintFailureDetails = { ticketId: '', ticketNumber: data.ticketNumber ?? '', maybePrinted: false };
    const spec = this.specFor(actor);
    if (spec === null) throw new TicketPrintFailure('PRINTER_CONFIG', 'no printer is set for this kiosk (device printer or SMARTQUEUE_PRINTER)', details);
    const printer = this.printer(spec);
    try {
      const result = await printer.printReceipt({ ...data, logoPath: data.logoPath ?? this.settings.logoPath ?? null, footer: data.footer ?? this.settings.footer ?? null });
      return { status: 'printed', paper: result.paper, printer: printer.kind };
    } catch (error) {
      if (!isPrintError(error)) throw error;
      throw new TicketPrintFailure(error.code, error.message, { ...details, maybePrinted: error.maybePrinted });
    }
  }

  receiptPreviewHtml(data: ReceiptPrintData, paperWidth?: PaperWidth): string {
    return renderReceiptPreviewHtml({ ...data, logoPath: data.logoPath ?? this.settings.logoPath ?? null }, { paperWidth: paperWidth ?? this.paperWidth, codePage: this.codePage, document: true });
  }

  /** An admin's test print: a sample slip on a kiosk's printer, a given spec, or the default one. */
  async printSample(input: { deviceId?: string; spec?: string; language?: Language }, trackBase: string | null): Promise<PrintResult> {
    const spec = input.spec ?? (input.deviceId ? this.specFor({ kind: 'device', deviceId: input.deviceId, role: this.deps.devices.get(input.deviceId).role }) : this.specFor(null));
    const details: PrintFailureDetails = { ticketId: '', ticketNumber: '', maybePrinted: false };
    if (spec === null) throw new TicketPrintFailure('PRINTER_CONFIG', 'no printer is set (device printer or SMARTQUEUE_PRINTER)', details);
    try {
      return await this.send(spec, this.sampleData(trackBase, input.language ?? 'fr'));
    } catch (error) {
      if (!isPrintError(error)) throw error;
      throw new TicketPrintFailure(error.code, error.message, { ...details, maybePrinted: error.maybePrinted });
    }
  }

  /** The paper sensor of a kiosk's printer at its last job (null: nothing printed on it since the server started). */
  paperOf(device: { role: string; printer: string | null }): PrintResult['paper'] | null {
    if (device.role !== 'kiosk') return null;
    const spec = device.printer && device.printer.trim() ? device.printer : this.settings.defaultPrinter;
    return spec ? this.lastPaper.get(canonical(spec)) ?? null : null;
  }

  /** A test page on a kiosk's printer, with the printer's answer in words an admin reads (never a 503). */
  async testPage(deviceId: string, trackBase: string | null, language?: Language): Promise<TestPageResult> {
    if (this.deps.devices.get(deviceId).role !== 'kiosk') throw new DomainError('VALIDATION_ERROR', 'only a kiosk has a printer: a call board prints nothing');
    try {
      const r = await this.printSample({ deviceId, ...(language && { language }) }, trackBase);
      return { outcome: 'printed', paper: r.paper, code: null, message: null };
    } catch (error) {
      if (!(error instanceof TicketPrintFailure)) throw error;
      const outcome = error.code === 'PAPER_OUT' ? 'paper_out' : error.code === 'PRINTER_OFFLINE' || error.code === 'PRINTER_TIMEOUT' ? 'unreachable' : 'error';
      return { outcome, paper: error.code === 'PAPER_OUT' ? 'out' : 'unknown', code: error.code, message: error.message };
    }
  }

  /** Every printer in use (the default and the kiosks' own), with a live status check of each. */
  async configuredPrinters(): Promise<ConfiguredPrinter[]> {
    const byKey = new Map<string, { spec: string; isDefault: boolean; devices: Array<{ id: string; name: string }> }>();
    const add = (spec: string, device: { id: string; name: string } | null, isDefault: boolean) => {
      const key = canonical(spec);
      const entry = byKey.get(key) ?? { spec: key, isDefault: false, devices: [] };
      entry.isDefault ||= isDefault;
      if (device) entry.devices.push(device);
      byKey.set(key, entry);
    };
    if (this.settings.defaultPrinter) add(this.settings.defaultPrinter, null, true);
    for (const d of this.deps.devices.list()) {
      if (d.role !== 'kiosk' || d.revokedAt) continue;
      const spec = d.printer && d.printer.trim() ? d.printer : this.settings.defaultPrinter;
      if (spec) add(spec, { id: d.id, name: d.name }, false);
    }
    return Promise.all([...byKey.values()].map(async (entry) => {
      let status: ConfiguredPrinter['status'];
      try {
        status = await this.printer(entry.spec).status();
      } catch (error) {
        status = { ok: false, code: isPrintError(error) ? error.code : 'PRINTER_ERROR', message: error instanceof Error ? error.message : String(error), paper: 'unknown' };
      }
      return { ...entry, status };
    }));
  }

  async close(): Promise<void> {
    const printers = [...this.printers.values()];
    this.printers.clear();
    await Promise.all(printers.map((p) => p.close().catch(() => {})));
  }

  /** One printer object per spec: its jobs go out one at a time. */
  private printer(spec: string): TicketPrinter {
    const key = canonical(spec);
    let printer = this.printers.get(key);
    if (!printer) {
      printer = createPrinter({ spec, paperWidth: this.paperWidth, codePage: this.codePage, timeoutMs: this.timeoutMs, logger: this.deps.ctx.logger });
      this.printers.set(key, printer);
    }
    return printer;
  }

  private async send(spec: string, data: TicketPrintData): Promise<PrintResult> {
    const printer = this.printer(spec);
    // A job waits behind the printer's earlier ones before its own timeout starts: bound the whole wait too, so a
    // kiosk never waits on a stuck printer longer than about twice the timeout.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PrintError('PRINTER_TIMEOUT', `printer ${printer.spec} is still busy with earlier jobs`, { spec: printer.spec, maybePrinted: true })), this.timeoutMs * 2 + 500);
    });
    try {
      const result = await Promise.race([printer.printTicket(data), deadline]);
      this.lastPaper.set(printer.spec, result.paper);
      return { status: 'printed', paper: result.paper, printer: printer.kind };
    } catch (error) {
      if (isPrintError(error) && error.code === 'PAPER_OUT') this.lastPaper.set(printer.spec, 'out');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private deviceLabel(deviceId: string): string {
    try {
      return `borne « ${this.deps.devices.get(deviceId).name} »`;
    } catch {
      return `borne ${deviceId}`;
    }
  }

  private healthOf(spec: string): PrinterHealth {
    const key = spec === '(none)' ? spec : canonical(spec);
    let h = this.health.get(key);
    if (!h) {
      h = { failing: false, lastAlertAt: 0, nearEndReported: false };
      this.health.set(key, h);
    }
    return h;
  }

  private onFailure(spec: string, failure: TicketPrintFailure, c: { ticketId: string; ticketNumber: string; deviceId: string | null; where: string }): void {
    this.logger.warn({ printer: spec, code: failure.code, ticketId: c.ticketId, deviceId: c.deviceId }, `ticket ${c.ticketNumber} not printed: ${failure.message}`);
    const h = this.healthOf(spec);
    const now = this.deps.ctx.clock.now().getTime();
    // One alert when a printer starts failing, then a reminder every few minutes while it keeps failing.
    if (h.failing && now - h.lastAlertAt < REALERT_MS) return;
    if (!h.failing) this.tellCentral({ printer: spec, deviceId: c.deviceId, where: c.where, state: failure.code === 'PAPER_OUT' ? 'out_of_paper' : 'failing', code: failure.code });
    h.failing = true;
    h.lastAlertAt = now;
    this.deps.state.raiseAlert({
      kind: 'printer',
      severity: failure.code === 'PRINTER_TIMEOUT' || failure.code === 'PRINTER_ERROR' ? 'warning' : 'critical',
      message: `Ticket ${c.ticketNumber} non imprimé (${c.where}) : ${FAILURE_TEXT[failure.code]}. Le ticket reste valable, le visiteur a son numéro à l'écran.`,
      data: { code: failure.code, printer: spec, ticketId: c.ticketId, ticketNumber: c.ticketNumber, deviceId: c.deviceId, maybePrinted: failure.details.maybePrinted },
    });
  }

  private tellCentral(status: Parameters<BranchDirectory['printerChanged']>[0]): void {
    try {
      this.deps.directory?.printerChanged(status);
    } catch (err) {
      this.logger.error({ err }, 'could not queue the printer state for central');
    }
  }

  private onSuccess(spec: string, paper: PrintResult['paper'], c: { deviceId: string | null; where: string }): void {
    const h = this.healthOf(spec);
    if (h.failing) {
      h.failing = false;
      this.tellCentral({ printer: spec, deviceId: c.deviceId, where: c.where, state: 'ok', code: null });
      this.deps.state.raiseAlert({ kind: 'printer', severity: 'info', message: `Imprimante rétablie (${c.where}) : les tickets s'impriment de nouveau.`, data: { printer: spec, deviceId: c.deviceId } });
    }
    if (paper === 'near_end' && !h.nearEndReported) {
      h.nearEndReported = true;
      this.tellCentral({ printer: spec, deviceId: c.deviceId, where: c.where, state: 'near_end', code: null });
      this.deps.state.raiseAlert({ kind: 'printer', severity: 'warning', message: `Rouleau de papier presque vide (${c.where}) : prévoir un rouleau neuf.`, data: { printer: spec, deviceId: c.deviceId } });
    } else if (paper === 'ok') {
      h.nearEndReported = false;
    }
  }
}

function canonical(spec: string): string {
  try {
    return formatPrinterSpec(parsePrinterSpec(spec));
  } catch {
    return spec.trim();
  }
}

/** SMARTQUEUE_TRACK_URL must be an http(s) URL the ticket id can be appended to. */
export function checkTrackUrlBase(base: string): void {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`track URL base "${base}" is not a URL (expected e.g. https://suivi.example.sn/t/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`track URL base "${base}" must start with http:// or https://`);
  if (url.hash) throw new Error(`track URL base "${base}" must not have a #fragment`);
}
