// Code pages we let an installer choose, and the text clean-up that keeps every character printable in it.
//
// node-thermal-printer emits the ESC t selection and encodes text with iconv-lite, but when a character is missing
// from the active page it silently switches to another page (even ESC R for CJK), which on a cheap clone prints
// garbage. So we hand it only characters the chosen page has: a missing one is replaced (’ → ', ŋ → ng) or loses its
// accent, and the preview shows the very same replaced text.
import iconv from 'iconv-lite';
import { CharacterSet } from 'node-thermal-printer';
import { PrintError } from './errors.js';

export interface CodePageInfo {
  /** node-thermal-printer's name, passed to setCharacterSet(). */
  characterSet: CharacterSet;
  /** iconv-lite encoding of the page. */
  iconv: string;
  /** n of ESC t n on Epson-compatible printers (what the library emits; kept here for checks and docs). */
  escposTable: number;
}

export const CODE_PAGES = {
  /** Western Europe with €: the default, present on Epson and most clones. */
  PC858: { characterSet: CharacterSet.PC858_EURO, iconv: 'CP858', escposTable: 19 },
  PC850: { characterSet: CharacterSet.PC850_MULTILINGUAL, iconv: 'CP850', escposTable: 2 },
  /** US page: has é è ê ë à â ç î ï ô û ù but no accented capitals but É. */
  PC437: { characterSet: CharacterSet.PC437_USA, iconv: 'CP437', escposTable: 0 },
  PC863: { characterSet: CharacterSet.PC863_CANADIAN_FRENCH, iconv: 'CP863', escposTable: 4 },
  WPC1252: { characterSet: CharacterSet.WPC1252, iconv: 'CP1252', escposTable: 16 },
  ISO8859_15: { characterSet: CharacterSet.ISO8859_15_LATIN9, iconv: 'ISO-8859-15', escposTable: 40 },
} as const satisfies Record<string, CodePageInfo>;

export type CodePageName = keyof typeof CODE_PAGES;
export const CODE_PAGE_NAMES = Object.keys(CODE_PAGES) as CodePageName[];
export const DEFAULT_CODE_PAGE: CodePageName = 'PC858';

const ALIASES: Record<string, CodePageName> = {
  PC858: 'PC858', PC858EURO: 'PC858', CP858: 'PC858', '858': 'PC858',
  PC850: 'PC850', PC850MULTILINGUAL: 'PC850', CP850: 'PC850', '850': 'PC850',
  PC437: 'PC437', PC437USA: 'PC437', CP437: 'PC437', '437': 'PC437',
  PC863: 'PC863', PC863CANADIANFRENCH: 'PC863', CP863: 'PC863', '863': 'PC863',
  WPC1252: 'WPC1252', CP1252: 'WPC1252', WINDOWS1252: 'WPC1252', '1252': 'WPC1252',
  ISO885915: 'ISO8859_15', ISO885915LATIN9: 'ISO8859_15', LATIN9: 'ISO8859_15',
};

/** Accepts our names and common spellings ("PC858", "pc858_euro", "CP1252", "windows-1252"). */
export function parseCodePage(name: string | undefined | null): CodePageName {
  if (name === undefined || name === null || name.trim() === '') return DEFAULT_CODE_PAGE;
  const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const found = ALIASES[key];
  if (!found) {
    throw new PrintError('PRINTER_CONFIG', `unknown printer code page "${name}": use one of ${CODE_PAGE_NAMES.join(', ')}`);
  }
  return found;
}

// Characters a thermal page lacks, replaced by the nearest thing it has (tried only when the page lacks them).
const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u2032': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2026': '...', '\u2022': '*', '\u00B7': '.', '\u2248': '~',
  // Thin, narrow no-break and other spaces (XOF thousands use U+202F): the printer has one space.
  '\u00A0': ' ', '\u202F': ' ', '\u2009': ' ', '\u2007': ' ', '\u2002': ' ', '\u2003': ' ',
  // Wolof's eng has no place in any Latin-1-like page; "ng" is how it is written without it.
  '\u014B': 'ng', '\u014A': 'NG',
  '\u0153': 'oe', '\u0152': 'OE', '\u00E6': 'ae', '\u00C6': 'AE', '\u00DF': 'ss',
  '\u20AC': 'EUR',
};

const encodable = new Map<string, boolean>();
function hasChar(page: CodePageName, ch: string): boolean {
  const key = `${page}\u0000${ch}`;
  let ok = encodable.get(key);
  if (ok === undefined) {
    const enc = CODE_PAGES[page].iconv;
    ok = iconv.decode(iconv.encode(ch, enc), enc) === ch;
    encodable.set(key, ok);
  }
  return ok;
}

/**
 * Returns the text as the printer will show it with this code page: same string when every character exists,
 * otherwise with replacements. Control characters become spaces (a stray ESC in a service name must not
 * become a printer command).
 */
export function toPrintable(text: string, page: CodePageName): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0x3f;
    if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) { out += ' '; continue; }
    if (cp < 0x80 || hasChar(page, ch)) { out += ch; continue; }
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined && [...replacement].every((c) => c.charCodeAt(0) < 0x80 || hasChar(page, c))) {
      out += replacement;
      continue;
    }
    // Drop the accent: À → A where a page has no capital with grave (PC437).
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (base !== '' && [...base].every((c) => c.charCodeAt(0) < 0x80 || hasChar(page, c))) { out += base; continue; }
    out += '?';
  }
  return out;
}
