// The kiosk's three languages stay complete: same keys in fr, wo and en, no empty text, same placeholders.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve('kiosk-ui/src/locales');
const LANGS = ['fr', 'wo', 'en'] as const;

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of flatten(value, name)) out.set(k, v);
    else throw new Error(`${name}: expected text or a group of texts`);
  }
  return out;
}

const load = (lang: string) => flatten(JSON.parse(fs.readFileSync(path.join(DIR, `${lang}.json`), 'utf8')) as Tree);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('kiosk locale files', () => {
  const locales = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<(typeof LANGS)[number], Map<string, string>>;

  it('have exactly the same keys in fr, wo and en', () => {
    const fr = [...locales.fr.keys()].sort();
    expect(fr.length).toBeGreaterThan(50);
    for (const lang of LANGS) expect([...locales[lang].keys()].sort(), lang).toEqual(fr);
  });

  it('have no empty text, and the same {{placeholders}} in every language', () => {
    for (const lang of LANGS) {
      for (const [key, text] of locales[lang]) {
        expect(text.trim(), `${lang}: ${key}`).not.toBe('');
        expect(placeholders(text), `${lang}: ${key}`).toEqual(placeholders(locales.fr.get(key) ?? ''));
      }
    }
  });

  it('are translated, not copied: Wolof and English differ from French on the visitor\'s path', () => {
    for (const key of ['start.welcome', 'start.title', 'priority.title', 'phone.title', 'ticket.printed', 'ticket.noteNumber', 'offline.title', 'checkin.title']) {
      expect(locales.wo.get(key), key).not.toBe(locales.fr.get(key));
      expect(locales.en.get(key), key).not.toBe(locales.fr.get(key));
    }
    expect(locales.wo.get('start.welcome')).toBe('Dalal ak jàmm');
  });
});
