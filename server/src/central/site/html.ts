// The visitor site's shared page parts: its strings in fr/wo/en, escaping, the one layout (styles inline, the page
// script deferred) and language links. Each page file (site.ts, booking-page.ts) renders with them.
import { LANGUAGES, type Language } from '../../shared/contracts/domain.js';
import fr from './locales/fr.json' with { type: 'json' };
import wo from './locales/wo.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export type SiteStrings = typeof fr;
// Typed against fr: a key missing from wo or en fails the type check.
export const SITE_STRINGS: Record<Language, SiteStrings> = { fr, wo, en };

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
export const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
// One template filler for every text central sends or shows: a missing value is a bug, never a page with "{{…}}".
export { fill } from '../notifications/templates.js';
export const CSS = `*{box-sizing:border-box}body{margin:0;font:17px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f4;color:#122}
main{max-width:30rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:.2rem 0 .6rem}
h3{font-size:1rem;margin:.8rem 0 .3rem;color:#355}a{color:#0a5bd3}ul{list-style:none;padding:0;margin:0}
li a{display:block;padding:.65rem .2rem;border-bottom:1px solid #dde;text-decoration:none}.card,section{background:#fff;border-radius:12px;padding:1rem;margin-bottom:.8rem;box-shadow:0 1px 3px #0002}
.small{font-size:.85rem;color:#455}.warn{background:#fff4d6;border:1px solid #e0b040;border-radius:8px;padding:.7rem;margin:.6rem 0}
.err{background:#fde8e8;border:1px solid #c33;border-radius:8px;padding:.7rem;margin:.6rem 0}.svc{padding:.5rem 0;border-bottom:1px solid #eee}
.svc b{display:block}button{font:inherit;padding:.75rem 1rem;border:0;border-radius:8px;background:#0a5bd3;color:#fff;width:100%;margin-top:.5rem}
input,select{font:inherit;padding:.6rem;width:100%;border:1px solid #778;border-radius:8px;margin:.3rem 0 .5rem;background:#fff}label{display:block;font-size:.9rem}
.search{display:flex;gap:.4rem}.search input,.search select{margin:0}.search button{width:auto;margin:0}.num{font-size:3rem;font-weight:800;letter-spacing:.05em}
.code{font-size:2rem;font-weight:800;letter-spacing:.05em}.row{display:flex;gap:1rem}.row>div{flex:1}.big{font-size:1.8rem;font-weight:700}nav{text-align:center;margin-top:1rem}nav a{margin:0 .5rem}
select+button{margin-top:0}fieldset.via{border:0;padding:0;margin:.2rem 0 .4rem}.via legend{font-size:.9rem;padding:0}.via label{display:flex;gap:.5rem;align-items:center;padding:.35rem 0;font-size:1rem}.via input{width:auto;margin:0}.qr svg{display:block;width:12rem;height:12rem;margin:.5rem auto}
[hidden]{display:none!important}`;

export function layout(lang: Language, S: SiteStrings, title: string, body: string, selfPath: string, withScript: boolean, init?: unknown): string {
  const sep = selfPath.includes('?') ? '&' : '?';
  const langs = LANGUAGES.map((l) => `<a href="${esc(`${selfPath}${sep}lang=${l}`)}" lang="${l}"${l === lang ? ' aria-current="true"' : ''}>${l.toUpperCase()}</a>`).join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><meta name="theme-color" content="#0a5bd3"><link rel="icon" href="/favicon.ico"><style>${CSS}</style></head><body><main>
${body}
<nav aria-label="${esc(S.language)}">${langs}</nav>
</main>${init !== undefined ? `<script id="sq-init" type="application/json">${jsonForScript(init)}</script>` : ''}${withScript ? '<script src="/site.js" defer></script>' : ''}</body></html>`;
}

export const withLang = (href: string, lang: Language) => (lang === 'fr' ? href : `${href}${href.includes('?') ? '&' : '?'}lang=${lang}`);

/**
 * The one-time code step every form of the site shares (the page script shows it after a code is sent; it holds the
 * ids the script uses): where the code went, the code, and the button that confirms it.
 */
export function verifyForm(codeLabel: string, confirmLabel: string): string {
  return `<form id="verify" hidden novalidate><p id="sentTo" class="small" aria-live="polite"></p>
<label for="code">${esc(codeLabel)}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit" id="confirm">${esc(confirmLabel)}</button></form>`;
}
