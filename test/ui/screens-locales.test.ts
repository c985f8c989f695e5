// Each screen's three languages are complete: the same keys in fr, wo and en, and no empty text.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const LANGS = ['fr', 'wo', 'en'] as const;

/** "a.b.c" → text, arrays as a.b.0 … */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

describe.each(['agent-ui', 'display-ui'])('%s locales', (app) => {
  const files = Object.fromEntries(LANGS.map((l) => [l, flatten(JSON.parse(fs.readFileSync(path.resolve(app, 'src/locales', `${l}.json`), 'utf8')))]));

  it('have the same keys in fr, wo and en', () => {
    const keys = Object.keys(files.fr as object).sort();
    expect(keys.length).toBeGreaterThan(10);
    for (const l of LANGS) expect(Object.keys(files[l] as object).sort(), l).toEqual(keys);
  });

  it('have no empty or non-text value', () => {
    for (const l of LANGS) {
      for (const [key, text] of Object.entries(files[l] as object)) {
        expect(typeof text, `${l}:${key}`).toBe('string');
        expect((text as string).trim().length, `${l}:${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('keep the same {{placeholders}} in every language', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(files.fr as object)) {
      for (const l of LANGS) expect(placeholders((files[l] as Record<string, string>)[key] as string), `${l}:${key}`).toEqual(placeholders(text as string));
    }
  });
});
