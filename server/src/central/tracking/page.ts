// The tracking page, served by central at /t/:ticketId: one small HTML document (styles inline, the ticket's view
// and this language's strings embedded), the page script and the service worker. Everything is gzip-compressed
// when the phone accepts it: the page must load over a weak 3G link.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';
import { LANGUAGES, type Language } from '../../shared/contracts/domain.js';
import type { TrackView } from '../../shared/contracts/tracking.js';
import { WAITING_STATUSES } from '../../shared/domain/ticket-state.js';
import { qrSvgPath } from '../../shared/qr.js';
import fr from './page/locales/fr.json' with { type: 'json' };
import wo from './page/locales/wo.json' with { type: 'json' };
import en from './page/locales/en.json' with { type: 'json' };

export type PageStrings = typeof fr;
// Typed against fr: a key missing from wo or en fails the type check.
export const PAGE_STRINGS: Record<Language, PageStrings> = { fr, wo, en };

// The same folder from server/src/central/tracking (tsx, tests) and server/dist/central/tracking (built).
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const PAGE_DIR = path.join(REPO_ROOT, 'server/src/central/tracking/page');

export interface Asset { body: Buffer; gzip: Buffer; etag: string; type: string }

export function asset(body: Buffer, type: string): Asset {
  return { body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`, type };
}

let assets: { script: Asset; worker: Asset } | null = null;
export function pageAssets(): { script: Asset; worker: Asset } {
  assets ??= {
    script: asset(fs.readFileSync(path.join(PAGE_DIR, 'track.js')), 'text/javascript; charset=utf-8'),
    worker: asset(fs.readFileSync(path.join(PAGE_DIR, 'sw.js')), 'text/javascript; charset=utf-8'),
  };
  return assets;
}

function acceptsGzip(req: Request): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** Send a static asset with its ETag (304 when the phone has it) and gzip when accepted. */
export function sendAsset(req: Request, res: Response, a: Asset, cacheControl: string): void {
  res.setHeader('content-type', a.type);
  res.setHeader('cache-control', cacheControl);
  res.setHeader('etag', a.etag);
  res.setHeader('vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === a.etag) {
    res.status(304).end();
    return;
  }
  sendBody(req, res, a.body, a.gzip);
}

export function sendBody(req: Request, res: Response, body: Buffer, gzip?: Buffer): void {
  if (acceptsGzip(req)) {
    res.setHeader('content-encoding', 'gzip');
    res.end(gzip ?? gzipSync(body, { level: 9 }));
  } else {
    res.end(body);
  }
}

/** ?lang= first, then the ticket's language, then the browser's. */
export function pageLanguage(req: Request, view: TrackView): Language {
  const asked = String(req.query.lang ?? '');
  if ((LANGUAGES as readonly string[]).includes(asked)) return asked as Language;
  if (view.known) return view.language;
  const accepted = String(req.headers['accept-language'] ?? '').toLowerCase();
  return LANGUAGES.find((l) => accepted.startsWith(l)) ?? 'fr';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
/** JSON inside <script>: nothing that could close the element. */
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const CSS = `*{box-sizing:border-box}body{margin:0;font:17px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f4;color:#122}
main{max-width:30rem;margin:0 auto;padding:1rem}header{color:#355;margin-bottom:.5rem}#branch{font-weight:600}
.card,section{background:#fff;border-radius:12px;padding:1rem;margin-bottom:.8rem;box-shadow:0 1px 3px #0002}
.lbl{font-size:.85rem;color:#566}h1.lbl{margin:0;font-weight:400}.num{font-size:3.2rem;font-weight:800;letter-spacing:.05em;line-height:1.1}
.row{display:flex;gap:1rem;margin-top:.6rem}.row>div{flex:1}.big{font-size:2.2rem;font-weight:700}
.status{font-size:1.2rem;font-weight:600;margin:.4rem 0;min-height:1.7em}#branch,#svc,.upd{min-height:1.4em}.hot{color:#fff;background:#0a7d45;padding:.6rem;border-radius:8px}
.warn{background:#fff4d6;border:1px solid #e0b040;border-radius:8px;padding:.7rem;margin-top:.6rem}
.small{font-size:.85rem;color:#566;margin-top:.5rem}button{font:inherit;padding:.7rem 1rem;border:0;border-radius:8px;background:#0a5bd3;color:#fff;width:100%}
input{font:inherit;padding:.6rem;width:100%;border:1px solid #99a;border-radius:8px;margin:.4rem 0}nav{text-align:center}nav a{margin:0 .5rem;color:#0a5bd3}
.qr{display:block;width:14rem;height:14rem;margin:.4rem auto 0}
[hidden]{display:none!important}`;

/** The page. Renders from `view` in the page script; <noscript> keeps the essentials for browsers without it. */
/** A remote visitor's check-in code: the page's own address as a QR code, drawn in the HTML (no script needed). */
function arrivalQr(pageUrl: string, label: string): string {
  const { d, size } = qrSvgPath(pageUrl, 1, 4, 4);
  const n = size + 8;
  return `<svg class="qr" viewBox="0 0 ${n} ${n}" role="img" aria-label="${esc(label)}" shape-rendering="crispEdges"><rect width="${n}" height="${n}" fill="#fff"/><path d="${d}"/></svg>`;
}

export function renderPage(view: TrackView, lang: Language, timeZone: string, pageUrl?: string): string {
  const S = PAGE_STRINGS[lang];
  const locale = lang === 'wo' ? 'fr-SN' : lang === 'fr' ? 'fr-SN' : 'en-GB';
  // The page script takes the domain's rules from here, not from a copy of its own.
  const init = { view, strings: S, lang, locale, timeZone, waitingStatuses: WAITING_STATUSES };
  const noscript = view.known
    ? `${esc(S.ticket)} ${esc(view.displayNumber ?? '')}${view.position !== null && !view.freshness.stale ? ` · ${esc(S.position)} ${view.position}` : ''}${view.freshness.stale ? ` · ${esc(S.staleTitle)}` : ''}`
    : esc(S.unknown);
  // The card is drawn here as the script will draw it (number, branch, service, position and wait), and the lines it
  // fills later keep their height: nothing moves when the script runs (layout shift < 0.05, tracking-page test).
  const waiting = view.known && view.status !== null && WAITING_STATUSES.includes(view.status);
  const nums = waiting && view.position !== null && !view.freshness.stale;
  const fillIn = (t: string, v: Record<string, string | number>) => t.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(v[k] ?? ''));
  const wait = view.estimatedWaitMinutes === null ? '—' : fillIn(S.minutes, { n: view.estimatedWaitMinutes });
  const hide = (on: boolean) => (on ? '' : ' hidden');
  const langs = LANGUAGES.map((l) => `<a href="?lang=${l}" lang="${l}"${l === lang ? ' aria-current="true"' : ''}>${l.toUpperCase()}</a>`).join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(S.title)}${view.displayNumber ? ` · ${esc(view.displayNumber)}` : ''}</title><meta name="theme-color" content="#0a5bd3"><link rel="icon" href="/favicon.ico"><meta name="robots" content="noindex">
<noscript><meta http-equiv="refresh" content="30"></noscript><style>${CSS}</style></head><body><main>
<header><div id="branch">${esc(view.branch?.name ?? '')}</div><div id="svc">${esc(view.serviceName?.[lang] ?? '')}</div></header>
<div class="card"><h1 class="lbl">${esc(S.ticket)}</h1><div id="num" class="num">${esc(view.displayNumber ?? '…')}</div><div id="status" class="status" aria-live="polite"></div>
<div id="nums"${hide(nums)}><div class="row"><div><div class="lbl">${esc(S.position)}</div><div id="pos" class="big">${nums ? view.position : ''}</div></div><div><div class="lbl">${esc(S.wait)}</div><div id="wait" class="big">${nums ? esc(wait) : ''}</div></div></div></div>
<div id="holders" class="warn" hidden><div>${esc(S.chooseBranch)}</div><ul id="holderList"></ul></div>
<div id="stale" class="warn" role="alert" hidden><b>${esc(S.staleTitle)}</b><div id="staleAge"></div><div id="lastKnown" class="small"></div></div>
<div id="upd" class="small upd"></div><div id="conn" class="warn" hidden>${esc(S.offline)}</div>
<noscript><p>${noscript}</p></noscript></div>
${view.remote && waiting && pageUrl ? `<section id="arrive" data-testid="arrive-qr"><p class="small">${esc(S.arriveQr)}</p>${arrivalQr(pageUrl, S.arriveQr)}</section>\n` : ''}<section id="alerts"${hide(waiting)}><div id="notifyAt" class="small">${esc(fillIn(S.notifyAt, { n: view.notifyAtPosition }))}</div><div id="notify"${hide(Boolean(view.channels.push && view.vapidPublicKey))}><button id="notifyBtn" type="button">${esc(S.notify)}</button><div id="notifyMsg" class="small" aria-live="polite"></div></div>
<form id="contactForm"><div id="contact"${hide(Boolean(view.channels.sms || view.channels.email))}><label for="contactInput" class="small">${esc(S.contact)}</label><input id="contactInput" autocomplete="${contactAutocomplete(view.channels)}" placeholder="${esc(S.contactPlaceholder)}" required><button type="submit">${esc(S.contactSend)}</button><div id="contactMsg" class="small" aria-live="polite"></div></div></form></section>
<section id="travel"${hide(waiting && view.branch?.hasLocation === true)}><button id="travelBtn" type="button">${esc(S.travel)}</button><div id="travelMsg" class="small" aria-live="polite"></div></section>
<nav aria-label="${esc(S.language)}">${langs}</nav>
</main><script id="sq-init" type="application/json">${jsonForScript(init)}</script><script src="/t/track.js" defer></script></body></html>`;
}

/** One autofill token (a list of two is invalid HTML, which axe-core reports): a phone, an e-mail, or either. */
function contactAutocomplete(channels: { sms: boolean; email: boolean }): string {
  if (channels.sms && !channels.email) return 'tel';
  if (channels.email && !channels.sms) return 'email';
  return 'on';
}
