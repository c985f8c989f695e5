// Serving a screen built by Vite (kiosk, agent, display at the branch; office at central), the same way on both
// servers: the precompressed copy the build made (brotli, else gzip) when the browser accepts it, content-hashed
// assets cached for good, index.html always revalidated, and index.html for every other path (single-page apps).
import type { Express, Request, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon', '.png': 'image/png', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.txt': 'text/plain; charset=utf-8',
  '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.wav': 'audio/wav', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** Vite writes content-hashed names under assets/: such a file never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The encoding to send for a file, among the precompressed copies that exist and the browser accepts. */
function pickEncoding(req: Request, file: string): { file: string; encoding?: 'br' | 'gzip' } {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted) && fs.existsSync(`${file}.br`)) return { file: `${file}.br`, encoding: 'br' };
  if (/\bgzip\b/.test(accepted) && fs.existsSync(`${file}.gz`)) return { file: `${file}.gz`, encoding: 'gzip' };
  return { file };
}

function sendFile(req: Request, res: Response, file: string, cacheControl: string): void {
  const chosen = pickEncoding(req, file);
  res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  if (chosen.encoding) res.setHeader('Content-Encoding', chosen.encoding);
  res.sendFile(chosen.file, { cacheControl: false, dotfiles: 'deny' });
}

/**
 * Mounts the screen built in `dist` under `base` ("/kiosk"). `notBuilt` is the text answered (503) while the
 * screen has not been built.
 */
export function mountBuiltScreen(app: Express, base: string, dist: string, notBuilt: string): void {
  const root = path.resolve(dist);
  app.get([base, `${base}/{*rest}`], (req, res, next) => {
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) {
      res.status(503).type('text').send(notBuilt);
      return;
    }
    let rel: string;
    try { rel = decodeURIComponent(req.path.slice(base.length).replace(/^\/+/, '')); } catch { next(); return; }
    const file = path.resolve(root, rel);
    const inside = file.startsWith(root + path.sep);
    // A precompressed copy is only ever sent for its original, never asked for by name.
    if (inside && !/\.(br|gz)$/.test(file) && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      sendFile(req, res, file, rel.startsWith('assets/') ? IMMUTABLE : (rel === 'index.html' ? 'no-cache' : 'public, max-age=3600'));
      return;
    }
    // A missing asset is a 404, not the page: a stale cached page asking for old hashed names must fail visibly.
    if (rel.startsWith('assets/')) { next(); return; }
    sendFile(req, res, index, 'no-cache');
  });
}
