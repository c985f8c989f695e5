// /favicon.ico on both servers: browsers ask for it on every screen (a console error and a 404 otherwise). Drawn
// here rather than kept as a binary file so that it exists wherever the server runs (tests, dist, desktop app):
// SmartQueue's green square with three white bars, a queue.
import type { Express } from 'express';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const SIZE = 32;

/** A 32×32 32-bit ICO (one BMP image: header, bottom-up BGRA pixels, an all-visible AND mask). */
export function faviconIco(): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const corner = Math.min(x, SIZE - 1 - x) + Math.min(y, SIZE - 1 - y) < 3; // rounded corners
      const bar = x >= 7 && x <= 24 && [8, 15, 22].some((top) => y >= top && y < top + 4) && !(y >= 22 && x > 18);
      const [r, g, b, a] = corner ? [0, 0, 0, 0] : bar ? [255, 255, 255, 255] : [0x0b, 0x7a, 0x53, 255];
      const i = ((SIZE - 1 - y) * SIZE + x) * 4; // BMP rows go bottom-up
      pixels[i] = b; pixels[i + 1] = g; pixels[i + 2] = r; pixels[i + 3] = a;
    }
  }
  const mask = Buffer.alloc((SIZE * SIZE) / 8);
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0); header.writeInt32LE(SIZE, 4); header.writeInt32LE(SIZE * 2, 8); // height counts the mask
  header.writeUInt16LE(1, 12); header.writeUInt16LE(32, 14); header.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([header, pixels, mask]);
  const dir = Buffer.alloc(6 + 16);
  dir.writeUInt16LE(1, 2); dir.writeUInt16LE(1, 4);
  dir.writeUInt8(SIZE, 6); dir.writeUInt8(SIZE, 7); dir.writeUInt16LE(1, 10); dir.writeUInt16LE(32, 12);
  dir.writeUInt32LE(image.length, 14); dir.writeUInt32LE(dir.length, 18);
  return Buffer.concat([dir, image]);
}

export function mountFavicon(app: Express): void {
  const ico = faviconIco();
  const gzip = gzipSync(ico, { level: 9 }); // mostly one colour: 4 KB become a few hundred bytes
  const etag = `"${createHash('sha256').update(ico).digest('base64url').slice(0, 16)}"`;
  app.get('/favicon.ico', (req, res) => {
    res.setHeader('Content-Type', 'image/x-icon');
    res.setHeader('Cache-Control', 'public, max-age=604800'); // a week: its name has no hash, it may change
    res.setHeader('ETag', etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
    } else if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(gzip);
    } else {
      res.end(ico);
    }
  });
}
