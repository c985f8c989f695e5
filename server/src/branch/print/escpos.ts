// Layout → ESC/POS bytes through node-thermal-printer's buffer API (no interface: we send with our own transports).
import { BreakLine, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { CODE_PAGES } from './codepages.js';
import { buildReceiptLayout, buildTicketLayout, type Align, type LayoutOptions, type PrintLayout } from './layout.js';
import type { ReceiptPrintData, TicketPrintData } from './data.js';

declare module 'node-thermal-printer' {
  // Present in the library (lib/core.js, used by cut()) but missing from its typings.
  interface ThermalPrinter {
    /** ESC @: clear the buffer and reset modes. */
    initHardware(): void;
  }
}

/**
 * FS . — cancel Chinese (Kanji) character mode. Clones sold in West Africa boot in GB18030 mode, where every
 * byte ≥ 0x80 starts a double-byte Chinese character, so "é" eats the next letter. The library has no call for it.
 * It must come after ESC @, which restores the boot defaults.
 */
export const CANCEL_CHINESE_MODE = Buffer.from([0x1c, 0x2e]);

export async function renderLayoutEscPos(layout: PrintLayout): Promise<Buffer> {
  const p = new ThermalPrinter({
    type: PrinterTypes.EPSON,
    interface: '', // no interface: buffer only
    width: layout.columns,
    // Our layout is already wrapped; the library's own folding would wrap magnified lines at the wrong width.
    breakLine: BreakLine.NONE,
  });
  p.initHardware(); // ESC @
  p.add(CANCEL_CHINESE_MODE);
  p.setCharacterSet(CODE_PAGES[layout.codePage].characterSet); // ESC t n

  // State after ESC @: left, not bold, size 1. Only changes are sent.
  let align: Align = 'left';
  let bold = false;
  let size = 1;
  const setAlign = (a: Align) => {
    if (a === align) return;
    if (a === 'center') p.alignCenter();
    else if (a === 'right') p.alignRight();
    else p.alignLeft();
    align = a;
  };
  const setBold = (on: boolean) => {
    if (on !== bold) p.bold(on);
    bold = on;
  };
  const setSize = (s: number) => {
    if (s === size) return;
    // GS ! n. The library writes its first argument in the high nibble, which ESC/POS defines as the width (it
    // calls it height): harmless here, as our sizes are square.
    p.setTextSize(s - 1, s - 1);
    size = s;
  };

  for (const block of layout.blocks) {
    switch (block.kind) {
      case 'text':
        setAlign(block.align);
        setBold(block.bold);
        setSize(block.size);
        p.println(block.text);
        break;
      case 'feed':
        for (let i = 0; i < block.lines; i++) p.newLine();
        break;
      case 'qr':
        setAlign('center');
        p.printQR(block.data, { cellSize: block.cellSize, correction: 'M', model: 2 });
        break;
      case 'image':
        setAlign('center');
        await p.printImageBuffer(block.png);
        break;
      case 'cut':
        // ESC d 4 twice (feed past the cutter), GS V 0 (full cut), then ESC @.
        p.cut();
        align = 'left';
        bold = false;
        size = 1;
        break;
    }
  }
  return Buffer.from(p.getBuffer());
}

export async function renderTicketEscPos(data: TicketPrintData, opts: LayoutOptions = {}): Promise<Buffer> {
  return renderLayoutEscPos(buildTicketLayout(data, opts));
}

export async function renderReceiptEscPos(data: ReceiptPrintData, opts: LayoutOptions = {}): Promise<Buffer> {
  return renderLayoutEscPos(buildReceiptLayout(data, opts));
}
