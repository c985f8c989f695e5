// Layout → HTML or SVG, so an admin sees a ticket without a printer. Same layout as the ESC/POS rendering,
// hence the same lines. The SVG is drawn at printer scale (1 unit = 1 dot at 203 dpi, font A = 12×24 dots).
import { qrSvgPath } from '../../shared/qr.js';
import { buildReceiptLayout, buildTicketLayout, type LayoutOptions, type PrintLayout, type QrBlock } from './layout.js';
import type { ReceiptPrintData, TicketPrintData } from './data.js';

export interface HtmlPreviewOptions extends LayoutOptions {
  /** Wrap in a complete HTML document (default: a <div> fragment to embed). */
  document?: boolean;
}

const CHAR_W = 12;
const CHAR_H = 24;
const LINE_H = 30; // default ESC 2 line spacing ≈ 1/6 inch
const MARGIN = 16;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** QR symbol as one SVG path of dark modules, `cell` units per module. */
function qrPath(block: QrBlock, x0: number, y0: number, cell: number): string {
  return qrSvgPath(block.data, cell, x0, y0).d;
}

export function renderLayoutHtml(layout: PrintLayout, opts: { document?: boolean; title?: string } = {}): string {
  const parts: string[] = [];
  // 1 ch is one printed column; images and QR codes are sized in ch too (12 dots per column).
  const dotsToCh = (dots: number) => `${(dots / CHAR_W).toFixed(3)}ch`;
  for (const block of layout.blocks) {
    switch (block.kind) {
      case 'text': {
        const style = [`text-align:${block.align}`, block.bold ? 'font-weight:700' : '', block.size > 1 ? `font-size:${block.size}em` : '']
          .filter(Boolean)
          .join(';');
        parts.push(`<div class="sq-line" data-size="${block.size}" style="${style}">${escapeXml(block.text)}</div>`);
        break;
      }
      case 'feed':
        for (let i = 0; i < block.lines; i++) parts.push('<div class="sq-line sq-feed">&#8203;</div>');
        break;
      case 'qr': {
        const side = block.modules * block.cellSize;
        parts.push(
          `<div class="sq-qr" style="text-align:center;padding:0.5em 0"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" ` +
            `style="width:${dotsToCh(side)};height:${dotsToCh(side)}" role="img" aria-label="QR ${escapeXml(block.data)}" data-qr="${escapeXml(block.data)}">` +
            `<path fill="#000" d="${qrPath(block, 0, 0, block.cellSize)}"/></svg></div>`,
        );
        break;
      }
      case 'image':
        parts.push(
          `<div class="sq-logo" style="text-align:center"><img alt="" src="data:image/png;base64,${block.png.toString('base64')}" ` +
            `style="width:${dotsToCh(block.width)};height:auto;image-rendering:pixelated"></div>`,
        );
        break;
      case 'cut':
        parts.push('<div class="sq-cut" style="border-top:1px dashed #888;margin-top:1em"></div>');
        break;
    }
  }
  const fragment =
    `<div class="sq-print-preview" data-paper="${layout.paperWidth}" data-columns="${layout.columns}" ` +
    `style="box-sizing:content-box;width:${layout.columns}ch;padding:1em 1ch;background:#fff;color:#000;` +
    `font-family:'DejaVu Sans Mono',Menlo,Consolas,'Courier New',monospace;font-size:16px;line-height:1.5;white-space:pre;` +
    `box-shadow:0 1px 4px rgba(0,0,0,.3)">${parts.join('')}</div>`;
  if (!opts.document) return fragment;
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(opts.title ?? 'SmartQueue print preview')}</title></head>` +
    `<body style="margin:0;padding:2em;background:#eee">${fragment}</body></html>`
  );
}

export function renderLayoutSvg(layout: PrintLayout): string {
  const width = layout.dots + 2 * MARGIN;
  const parts: string[] = [];
  let y = MARGIN;
  const left = MARGIN;
  const right = MARGIN + layout.dots;
  const centre = MARGIN + layout.dots / 2;
  for (const block of layout.blocks) {
    switch (block.kind) {
      case 'text': {
        const s = block.size;
        const [x, anchor] = block.align === 'center' ? [centre, 'middle'] : block.align === 'right' ? [right, 'end'] : [left, 'start'];
        const textLength = block.text.length * CHAR_W * s;
        parts.push(
          // Pair lines align with runs of spaces: keep them (xml:space for old renderers, white-space for CSS ones).
          `<text x="${x}" y="${y + Math.round(CHAR_H * s * 0.8)}" font-size="${20 * s}" text-anchor="${anchor}" xml:space="preserve" style="white-space:pre"` +
            `${block.bold ? ' font-weight="700"' : ''}${textLength > 0 ? ` textLength="${textLength}" lengthAdjust="spacingAndGlyphs"` : ''}>` +
            `${escapeXml(block.text)}</text>`,
        );
        y += CHAR_H * s + (LINE_H - CHAR_H);
        break;
      }
      case 'feed':
        y += LINE_H * block.lines;
        break;
      case 'qr': {
        const side = block.modules * block.cellSize;
        parts.push(`<path data-qr="${escapeXml(block.data)}" fill="#000" d="${qrPath(block, Math.round(centre - side / 2), y, block.cellSize)}"/>`);
        y += side;
        break;
      }
      case 'image':
        parts.push(
          `<image x="${Math.round(centre - block.width / 2)}" y="${y}" width="${block.width}" height="${block.height}" ` +
            `href="data:image/png;base64,${block.png.toString('base64')}"/>`,
        );
        y += block.height;
        break;
      case 'cut':
        y += LINE_H;
        parts.push(`<line x1="0" y1="${y}" x2="${width}" y2="${y}" stroke="#888" stroke-dasharray="6 4"/>`);
        break;
    }
  }
  const height = y + MARGIN;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `data-paper="${layout.paperWidth}" font-family="'DejaVu Sans Mono',Menlo,Consolas,monospace" xml:space="preserve">` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`
  );
}

export function renderTicketPreviewHtml(data: TicketPrintData, opts: HtmlPreviewOptions = {}): string {
  return renderLayoutHtml(buildTicketLayout(data, opts), { document: opts.document ?? false, title: `Ticket ${data.ticketNumber}` });
}

export function renderTicketPreviewSvg(data: TicketPrintData, opts: LayoutOptions = {}): string {
  return renderLayoutSvg(buildTicketLayout(data, opts));
}

export function renderReceiptPreviewHtml(data: ReceiptPrintData, opts: HtmlPreviewOptions = {}): string {
  return renderLayoutHtml(buildReceiptLayout(data, opts), { document: opts.document ?? false, title: `Receipt ${data.reference}` });
}

export function renderReceiptPreviewSvg(data: ReceiptPrintData, opts: LayoutOptions = {}): string {
  return renderLayoutSvg(buildReceiptLayout(data, opts));
}
