// Draws the SmartQueue app icon (a ticket on a green tile) and writes build/icons/<size>x<size>.png.
// Run: npx tsx build/make-icons.ts. No image library: PNG is a zlib stream with chunk CRCs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const ICON_SIZES = [256, 512] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA, 8 bits per channel, no interlace; each scanline prefixed by filter type 0. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y += 1) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type Rgb = readonly [number, number, number];
const GREEN: Rgb = [15, 81, 50];
const YELLOW: Rgb = [253, 203, 47];
const WHITE: Rgb = [255, 255, 255];

function inRoundedRect(x: number, y: number, left: number, top: number, right: number, bottom: number, radius: number): boolean {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Colour at a point of the unit square, or null where the icon is transparent. */
function paint(u: number, v: number): Rgb | null {
  if (!inRoundedRect(u, v, 0.02, 0.02, 0.98, 0.98, 0.2)) return null;
  const onTicket = inRoundedRect(u, v, 0.2, 0.3, 0.8, 0.7, 0.05);
  // Notches on both sides, as on a tear-off queue ticket.
  const notched = (u - 0.2) ** 2 + (v - 0.5) ** 2 < 0.06 ** 2 || (u - 0.8) ** 2 + (v - 0.5) ** 2 < 0.06 ** 2;
  if (!onTicket || notched) return GREEN;
  const line = (top: number, right: number): boolean => u > 0.3 && u < right && v > top && v < top + 0.05;
  if (line(0.4, 0.7) || line(0.52, 0.6)) return GREEN;
  if (u > 0.62 && u < 0.7 && v > 0.52 && v < 0.6) return WHITE;
  return YELLOW;
}

/** Renders with 4×4 supersampling so edges are smooth at any size. */
export function drawIcon(size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const colour = paint((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered += 1;
        }
      }
      const at = (y * size + x) * 4;
      if (covered > 0) pixels.set([Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round((255 * covered) / samples ** 2)], at);
    }
  }
  return pixels;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'icons');
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) {
    const file = join(dir, `${size}x${size}.png`);
    writeFileSync(file, encodePng(size, size, drawIcon(size)));
    console.log(`wrote ${file}`);
  }
}
