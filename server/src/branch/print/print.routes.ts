// HTTP routes of ticket printing: a kiosk prints the ticket it just issued, admins check printers, print a test
// slip and preview the layout without paper; the kiosk reads its settings (QR link base, SMS offer, printer kind).
import type { Response, Router } from 'express';
import { z } from 'zod';
import { Language } from '../../shared/contracts/domain.js';
import { ConfiguredPrinter, KioskConfig, PrintResult, TestPrintBody } from '../../shared/contracts/print.js';
import { TestPageResult } from '../../shared/contracts/admin.js';
import type { Actor } from '../core/actor.js';
import type { BranchApi } from '../http/access.js';
import type { PaperWidth } from './layout.js';
import { TicketPrintFailure, type TicketPrintService } from './print.service.js';
import type { TicketPrintData } from './data.js';

function sendFailure(res: Response, failure: TicketPrintFailure): void {
  res.status(failure.httpStatus).json({ error: { code: failure.code, message: failure.message, details: failure.details } });
}

const PreviewQuery = z.object({
  format: z.enum(['html', 'svg']).default('html').describe('html (default) or svg'),
  paper: z.enum(['58', '80']).optional().transform((p) => (p === undefined ? undefined : (Number(p) as PaperWidth))).describe('Paper width in mm (default: the server\'s)'),
  lang: Language.optional().describe('Language of the slip'),
});
/** A preview is HTML, or SVG with ?format=svg. */
const PREVIEW_TYPES = ['text/html', 'image/svg+xml'];

function sendPreview(res: Response, p: TicketPrintService, data: TicketPrintData, format: 'html' | 'svg', paper: PaperWidth | undefined): void {
  // The preview is our own markup with escaped text; still, nothing in it may run or load anything.
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  res.setHeader('Cache-Control', 'no-store');
  if (format === 'svg') res.type('image/svg+xml').send(p.previewSvg(data, paper));
  else res.type('html').send(p.previewHtml(data, paper));
}

export function registerPrintRoutes(router: Router, api: BranchApi, p: TicketPrintService): void {
  api.add(router, {
    method: 'post', path: '/api/tickets/:id/print', tag: 'tickets', access: 'issuer', summary: 'Print a ticket on the kiosk\'s printer', response: PrintResult, errors: [429, 503],
    description: 'A kiosk prints the ticket it just issued, on its own printer or the server\'s default one (SMARTQUEUE_PRINTER); staff reprint on the default printer. '
      + 'Bounded by the printer timeout. On failure: 503 with code PRINTER_OFFLINE, PRINTER_TIMEOUT, PAPER_OUT, PRINTER_ERROR or PRINTER_CONFIG and '
      + 'details {ticketId, ticketNumber, maybePrinted}; the ticket stays valid and supervisors get a printer alert. A kiosk prints a ticket once '
      + '(409 after a success, 429 after 3 failed tries).',
  }, async ({ params, actor, res }) => {
    try {
      return await p.printTicket(params.id as string, actor as Actor, p.trackUrlBase());
    } catch (error) {
      if (error instanceof TicketPrintFailure) return sendFailure(res, error);
      throw error;
    }
  });

  api.add(router, {
    method: 'get', path: '/api/tickets/:id/ticket.html', tag: 'tickets', access: 'supervisor', summary: 'Preview of a ticket\'s printed slip (HTML, or SVG with ?format=svg)',
    description: 'The same layout as on paper, without a printer (language: the ticket\'s unless lang is given).', query: PreviewQuery, produces: PREVIEW_TYPES,
  }, ({ params, query: q, res }) => {
    sendPreview(res, p, p.ticketData(params.id as string, p.trackUrlBase(), q.lang), q.format, q.paper);
  });

  api.add(router, {
    method: 'get', path: '/api/kiosk/config', tag: 'kiosk', access: 'reader', summary: 'Settings a kiosk needs: QR link base, whether it offers an SMS, whether it has a printer', response: KioskConfig,
    description: 'trackUrlBase is null on a standalone branch (no QR code); sms is true only when central has an SMS channel configured, as central last said (docs/kiosk.md). '
      + 'The branch tells kiosks over Socket.IO (kioskChanged in a changes batch) when this changes: they read it again.',
  }, ({ actor }) => p.kioskConfig(actor));

  api.add(router, {
    method: 'get', path: '/api/admin/printers', tag: 'admin', access: 'admin', summary: 'Printers in use (default and kiosks\'), each checked now', response: ConfiguredPrinter.array(),
    description: 'Each distinct printer is asked for its status (TCP: connection and paper sensor; OS queue: lpstat/spooler), bounded by the printer timeout.',
  }, () => p.configuredPrinters());

  api.add(router, {
    method: 'post', path: '/api/admin/printers/test', tag: 'admin', access: 'admin', summary: 'Print a sample ticket', body: TestPrintBody, response: PrintResult, errors: [404, 503],
    description: 'On a kiosk\'s printer (deviceId), a given spec, or the default printer. 503 with the printer\'s error code when it fails.',
  }, async ({ body, res }) => {
    try {
      return await p.printSample(body, p.trackUrlBase());
    } catch (error) {
      if (error instanceof TicketPrintFailure) return sendFailure(res, error);
      throw error;
    }
  });

  api.add(router, {
    method: 'post', path: '/api/admin/devices/:id/test-page', tag: 'admin', access: 'admin', body: z.strictObject({ language: Language.optional() }), response: TestPageResult,
    summary: 'Print a test page on a kiosk\'s printer and tell what the printer answered',
    description: 'Always 200 for a kiosk: outcome printed, paper_out, unreachable (offline or no answer in time) or error, with the printer\'s code. 400 for a call board (no printer).',
  }, ({ params, body }) => p.testPage(params.id as string, p.trackUrlBase(), body.language));

  api.add(router, {
    method: 'get', path: '/api/admin/printers/sample.html', tag: 'admin', access: 'admin', summary: 'Preview of a sample ticket (HTML, or SVG with ?format=svg)',
    query: PreviewQuery, produces: PREVIEW_TYPES,
  }, ({ query: q, res }) => {
    sendPreview(res, p, p.sampleData(p.trackUrlBase(), q.lang ?? 'fr'), q.format, q.paper);
  });
}
