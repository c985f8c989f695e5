// One description of a printed slip, rendered both to ESC/POS (escpos.ts) and to HTML/SVG (preview.ts), so the
// admin preview and the paper never drift. Text is already wrapped, padded and cleaned for the code page here:
// every `text` block is exactly one printed line.
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { toPrintable, DEFAULT_CODE_PAGE, type CodePageName } from './codepages.js';
import { validateReceiptData, validateTicketData, type ReceiptPrintData, type TicketPrintData } from './data.js';
import { formatDateTime, formatWait, formatXof } from './format.js';
import { labelsFor } from './labels.js';

export type PaperWidth = 58 | 80;
export const PAPER_WIDTHS: readonly PaperWidth[] = [58, 80];
/** Characters per line in font A (12×24 dots). */
export const COLUMNS: Record<PaperWidth, number> = { 58: 32, 80: 48 };
/** Printable dots per line at 203 dpi. */
export const DOTS: Record<PaperWidth, number> = { 58: 384, 80: 576 };

export type Align = 'left' | 'center' | 'right';

export interface TextBlock {
  kind: 'text';
  /** At most columns / size characters, already in the code page's repertoire. */
  text: string;
  align: Align;
  bold: boolean;
  /** Character magnification, same in width and height (1 = normal). */
  size: number;
}
export interface QrBlock {
  kind: 'qr';
  data: string;
  /** Dots per module (1-8, ESC/POS GS ( k 1 C). */
  cellSize: number;
  /** Modules per side of the symbol qrcode computes (model 2, level M), for the preview. */
  modules: number;
}
export interface ImageBlock { kind: 'image'; png: Buffer; width: number; height: number }
export interface FeedBlock { kind: 'feed'; lines: number }
export interface CutBlock { kind: 'cut' }
export type LayoutBlock = TextBlock | QrBlock | ImageBlock | FeedBlock | CutBlock;

export interface PrintLayout {
  paperWidth: PaperWidth;
  columns: number;
  dots: number;
  codePage: CodePageName;
  blocks: LayoutBlock[];
  /** Things left out (unreadable logo …), for the log. */
  warnings: string[];
}

export interface LayoutOptions {
  paperWidth?: PaperWidth;
  codePage?: CodePageName;
}

const QR_ECC = 'M' as const;

/** Greedy word wrap; a word longer than the line is cut. */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      let w = word;
      while (w.length > max) {
        if (line !== '') { lines.push(line); line = ''; }
        lines.push(w.slice(0, max));
        w = w.slice(max);
      }
      if (w === '') continue;
      if (line === '') line = w;
      else if (line.length + 1 + w.length <= max) line += ` ${w}`;
      else { lines.push(line); line = w; }
    }
    if (line !== '') lines.push(line);
  }
  return lines;
}

interface PngInfo { png: Buffer; width: number; height: number }

/** Reads a PNG's size from its IHDR chunk (the library decodes the pixels itself). */
export function readPng(path: string): PngInfo {
  const png = readFileSync(path);
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature || png.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { png, width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

class LayoutBuilder {
  readonly blocks: LayoutBlock[] = [];
  readonly warnings: string[] = [];
  readonly columns: number;
  readonly dots: number;

  constructor(readonly paperWidth: PaperWidth, readonly codePage: CodePageName) {
    this.columns = COLUMNS[paperWidth];
    this.dots = DOTS[paperWidth];
  }

  clean(text: string): string {
    return toPrintable(text, this.codePage).replace(/ +/g, ' ').trim();
  }

  /** Wrapped paragraph. */
  text(text: string, style: { align?: Align; bold?: boolean; size?: number } = {}): void {
    const size = style.size ?? 1;
    for (const line of wrapText(this.clean(text), Math.floor(this.columns / size))) {
      this.blocks.push({ kind: 'text', text: line, align: style.align ?? 'left', bold: style.bold ?? false, size });
    }
  }

  /** The largest size (up to max) at which the text fits in at most maxLines lines without cutting a word. */
  fittingSize(text: string, max: number, maxLines: number): number {
    const clean = this.clean(text);
    const longestWord = Math.max(...clean.split(' ').map((w) => w.length));
    for (let size = max; size > 1; size--) {
      const cols = Math.floor(this.columns / size);
      if (longestWord <= cols && wrapText(clean, cols).length <= maxLines) return size;
    }
    return 1;
  }

  /** Label on the left, value on the right; two lines when they do not fit on one. */
  pair(label: string, value: string, bold = false): void {
    const l = this.clean(label);
    const v = this.clean(value);
    if (l.length + 1 + v.length <= this.columns) {
      this.blocks.push({ kind: 'text', text: l + ' '.repeat(this.columns - l.length - v.length) + v, align: 'left', bold, size: 1 });
      return;
    }
    this.text(l, { bold });
    this.text(v, { align: 'right', bold });
  }

  rule(): void {
    this.blocks.push({ kind: 'text', text: '-'.repeat(this.columns), align: 'left', bold: false, size: 1 });
  }

  feed(lines = 1): void {
    this.blocks.push({ kind: 'feed', lines });
  }

  logo(path: string | null | undefined): void {
    if (!path) return;
    try {
      const info = readPng(path);
      if (info.width > this.dots) {
        this.warnings.push(`logo ${path} is ${info.width} px wide; the ${this.paperWidth} mm paper has ${this.dots} dots: not printed`);
        return;
      }
      this.blocks.push({ kind: 'image', ...info });
    } catch (error) {
      this.warnings.push(`logo ${path} not printed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  qr(data: string): void {
    const modules = QRCode.create(data, { errorCorrectionLevel: QR_ECC }).modules.size;
    // Keep the symbol within about three quarters of the paper, quiet zone included.
    const cellSize = Math.max(1, Math.min(this.paperWidth === 58 ? 6 : 8, Math.floor((this.dots * 0.75) / (modules + 8))));
    this.blocks.push({ kind: 'qr', data, cellSize, modules });
  }

  cut(): void {
    this.blocks.push({ kind: 'cut' });
  }

  build(): PrintLayout {
    return { paperWidth: this.paperWidth, columns: this.columns, dots: this.dots, codePage: this.codePage, blocks: this.blocks, warnings: this.warnings };
  }
}

function builderFor(opts: LayoutOptions): LayoutBuilder {
  return new LayoutBuilder(opts.paperWidth ?? 80, opts.codePage ?? DEFAULT_CODE_PAGE);
}

function header(b: LayoutBuilder, branchName: string, logoPath: string | null | undefined): void {
  b.logo(logoPath);
  b.text(branchName, { align: 'center', bold: true, size: b.fittingSize(branchName, 2, 1) });
  b.rule();
}

function footerText(footer: string | null | undefined, fallback: string): string | null {
  if (footer === undefined || footer === null) return fallback;
  return footer.trim() === '' ? null : footer;
}

export function buildTicketLayout(data: TicketPrintData, opts: LayoutOptions = {}): PrintLayout {
  const d = validateTicketData(data);
  const t = labelsFor(d.language);
  const b = builderFor(opts);
  header(b, d.branchName, d.logoPath);

  b.text(d.serviceName, { align: 'center', bold: true, size: b.fittingSize(d.serviceName, 2, 2) });
  if (d.queueType && d.queueType !== 'normal') b.text(t.queueType[d.queueType], { align: 'center', bold: true });
  b.feed();
  b.text(t.ticket, { align: 'center' });
  const maxNumberSize = b.paperWidth === 58 ? 4 : 5;
  b.text(d.ticketNumber, { align: 'center', bold: true, size: b.fittingSize(d.ticketNumber, maxNumberSize, 1) });
  b.feed();
  b.rule();

  const { date, time } = formatDateTime(d.issuedAt, d.timeZone);
  b.pair(t.date, date);
  b.pair(t.time, time);
  if (d.position !== null) b.pair(t.position, String(d.position), true);
  if (d.noOpenCounter) b.text(t.noOpenCounter);
  else if (d.estimatedWaitMinutes !== null) b.pair(t.estimatedWait, formatWait(d.estimatedWaitMinutes, t), true);
  b.rule();
  b.text(t.pleaseWait, { align: 'center' });

  if (d.trackUrl !== null) {
    b.feed();
    b.text(t.track, { align: 'center', bold: true });
    // URL.href is ASCII (punycode host, percent-encoded path): the QR store command counts bytes as characters.
    b.qr(new URL(d.trackUrl).href);
  }
  const footer = footerText(d.footer, t.footer);
  if (footer !== null) {
    b.feed();
    b.text(footer, { align: 'center' });
  }
  b.cut();
  return b.build();
}

export function buildReceiptLayout(data: ReceiptPrintData, opts: LayoutOptions = {}): PrintLayout {
  const d = validateReceiptData(data);
  const t = labelsFor(d.language);
  const r = t.receipt;
  const b = builderFor(opts);
  header(b, d.branchName, d.logoPath);

  b.text(r.title, { align: 'center', bold: true, size: b.fittingSize(r.title, 2, 1) });
  b.feed();
  const { date, time } = formatDateTime(d.paidAt, d.timeZone);
  b.pair(t.date, date);
  b.pair(t.time, time);
  if (d.serviceName) b.pair(t.service, d.serviceName);
  if (d.ticketNumber) b.pair(t.ticket, d.ticketNumber);
  b.rule();
  const amount = formatXof(d.amountXof);
  b.text(r.amount, { align: 'center' });
  b.text(amount, { align: 'center', bold: true, size: b.fittingSize(amount, 2, 1) });
  b.rule();
  b.pair(r.provider, d.provider);
  b.pair(r.reference, d.reference);
  const footer = footerText(d.footer, r.footer);
  if (footer !== null) {
    b.feed();
    b.text(footer, { align: 'center' });
  }
  b.cut();
  return b.build();
}

/** The text lines of a layout as printed: one per text block, an empty one per fed line. */
export function layoutLines(layout: PrintLayout): string[] {
  const lines: string[] = [];
  for (const block of layout.blocks) {
    if (block.kind === 'text') lines.push(block.text);
    else if (block.kind === 'feed') for (let i = 0; i < block.lines; i++) lines.push('');
  }
  return lines;
}

/** Plain-text rendering (the .txt beside a simulated job): alignment applied, QR and logo as markers. */
export function layoutToText(layout: PrintLayout): string {
  const out: string[] = [];
  for (const block of layout.blocks) {
    switch (block.kind) {
      case 'text': {
        // Placed as on paper (a magnified letter takes `size` columns), written at normal size.
        const pad = layout.columns - block.text.length * block.size;
        const left = block.align === 'center' ? Math.floor(pad / 2) : block.align === 'right' ? pad : 0;
        out.push((' '.repeat(Math.max(0, left)) + block.text).trimEnd());
        break;
      }
      case 'feed':
        for (let i = 0; i < block.lines; i++) out.push('');
        break;
      case 'qr':
        out.push(`[QR ${block.data}]`);
        break;
      case 'image':
        out.push(`[logo ${block.width}x${block.height}]`);
        break;
      case 'cut':
        out.push('='.repeat(layout.columns));
        break;
    }
  }
  return `${out.join('\n')}\n`;
}
