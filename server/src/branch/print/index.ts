// Thermal ticket printing: public API of the print module.
export { createPrinter, SimulatedPrinter, DEFAULT_TIMEOUT_MS, type PrinterOptions, type PrintJobResult, type TicketPrinter } from './printer.js';
export type { TicketPrintData, ReceiptPrintData } from './data.js';
export { validateTicketData, validateReceiptData } from './data.js';
export { PrintError, isPrintError, PRINT_ERROR_CODES, type PrintErrorCode } from './errors.js';
export { parsePrinterSpec, formatPrinterSpec, type PrinterSpec, type PrinterKind } from './spec.js';
export { CODE_PAGES, CODE_PAGE_NAMES, DEFAULT_CODE_PAGE, parseCodePage, toPrintable, type CodePageName } from './codepages.js';
export {
  buildTicketLayout,
  buildReceiptLayout,
  layoutLines,
  layoutToText,
  COLUMNS,
  DOTS,
  PAPER_WIDTHS,
  type PaperWidth,
  type PrintLayout,
  type LayoutBlock,
  type LayoutOptions,
} from './layout.js';
export { renderTicketEscPos, renderReceiptEscPos, renderLayoutEscPos } from './escpos.js';
export {
  renderTicketPreviewHtml,
  renderTicketPreviewSvg,
  renderReceiptPreviewHtml,
  renderReceiptPreviewSvg,
  renderLayoutHtml,
  renderLayoutSvg,
  type HtmlPreviewOptions,
} from './preview.js';
export { formatXof, formatWait, formatDateTime } from './format.js';
export { PRINT_LABELS, labelsFor, type PrintLabels } from './labels.js';
export type { PrinterStatus, PaperState } from './transport.js';
export type { SimulatedJob } from './transport-simulated.js';
export type { OsCommands } from './transport-os.js';
