// A QR symbol drawn as one SVG path of its dark modules (no canvas, crisp at any size): the kiosk's screen, the
// printed ticket's preview and central's tracking page draw QR codes the same way.
import QRCode from 'qrcode';

/** The path of `text`'s dark modules, `cell` units each, starting at (x0, y0); `size` is the symbol's width in modules. */
export function qrSvgPath(text: string, cell = 1, x0 = 0, y0 = 0): { d: string; size: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (modules.get(r, c)) d += `M${x0 + c * cell} ${y0 + r * cell}h${cell}v${cell}h-${cell}z`;
    }
  }
  return { d, size: modules.size };
}
