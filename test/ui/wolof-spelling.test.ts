// One spelling per word in every Wolof text of SmartQueue (screens, printed ticket, notifications, tracking page,
// call-board voice segments, the visitor site): the choices and their reasons are in docs/wolof.md.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const FILES = [
  'kiosk-ui/src/locales/wo.json',
  'agent-ui/src/locales/wo.json',
  'display-ui/src/locales/wo.json',
  'server/src/central/notifications/locales/wo.json',
  'server/src/branch/print/locales/wo.json',
  'server/src/central/tracking/page/locales/wo.json',
  'server/src/central/remote/phone/locales/wo.json',
  'server/src/central/site/locales/wo.json',
];
const VOICES = 'display-ui/public/voices/wo/manifest.json';

/** A whole word (Wolof letters are not ASCII: \\b would not see the edges of "ñu" or "léegi"). */
const word = (alternatives: string) => new RegExp(`(^|[^\\p{L}])(${alternatives})(?![\\p{L}])`, 'iu');

/** Spellings we do not use, the one we do (docs/wolof.md), and a text the rule must catch. */
const RULES: Array<{ use: string; not: RegExp; caught: string }> = [
  { use: 'tike', not: word('tiket|tiké|tikee|ticket'), caught: 'Toppal sa tiket' },
  { use: 'guichet', not: word('guiset'), caught: 'fey ci guiset bi' },
  { use: 'léegi', not: word('leegi'), caught: 'tëj na leegi.' },
  { use: 'ñu ngi', not: word('ñungi'), caught: 'Ñungi xaar' },
  { use: 'fey', not: word('fay|pay'), caught: 'Pay (F CFA)' },
  { use: 'minit', not: word('simili'), caught: '{{count}} simili' },
  { use: 'sarwiis', not: word('services?'), caught: 'Sama service yi' },
  { use: 'làggoo', not: word('lago'), caught: 'Ku am lago' },
  { use: 'mën', not: word('man na'), caught: 'man na la laaj' },
  { use: 'skanneel', not: word('scanne'), caught: 'Scanne ak Wave' },
  { use: 'génne (masin bi ngi génne…)', not: word('imprime|imprimewu'), caught: 'mënul a imprimewu' },
  { use: 'code', not: word('kod|kodu|kood'), caught: 'Kodu booleb' },
  { use: 'ekraa', not: word('ekraan|ekraanu'), caught: 'Ci ekraan bu woote bi' },
];
const withoutPlaceholders = (t: string) => t.replace(/\{\{\s*\w+\s*\}\}/g, '');

function texts(value: unknown, key = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[key, value]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => texts(v, key ? `${key}.${k}` : k));
  return [];
}

function allWolofTexts(): Array<[string, string]> {
  const out = FILES.flatMap((file) => texts(JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'))).map(([k, t]): [string, string] => [`${file}:${k}`, t]));
  const voices = JSON.parse(fs.readFileSync(path.resolve(VOICES), 'utf8')) as { segments: Record<string, { text: string }> };
  for (const [k, s] of Object.entries(voices.segments)) out.push([`${VOICES}:${k}`, s.text]);
  return out;
}

describe('Wolof spelling', () => {
  const all = allWolofTexts();

  it('reads every Wolof text', () => {
    expect(all.length).toBeGreaterThan(300);
  });

  it.each(RULES.map((r) => [r.use, r] as const))('writes %s, one spelling everywhere', (_use, rule) => {
    expect(rule.not.test(rule.caught), rule.caught).toBe(true);
    // Placeholders ({{service}}) are not Wolof text.
    const bad = all.filter(([, t]) => rule.not.test(withoutPlaceholders(t))).map(([k, t]) => `${k}: ${t}`);
    expect(bad).toEqual([]);
  });

  it('calls a ticket "tike" on the kiosk, the printed slip, the call board, the agent app and in messages', () => {
    const word = (file: string, key: string) => all.find(([k]) => k === `${file}:${key}`)?.[1];
    expect(word('server/src/branch/print/locales/wo.json', 'ticket')).toBe('Tike');
    expect(word('display-ui/src/locales/wo.json', 'ticket')).toBe('Tike');
    expect(word('agent-ui/src/locales/wo.json', 'sup.ticket')).toBe('Tike');
    expect(word('kiosk-ui/src/locales/wo.json', 'ticket.title')).toBe('Sa tike');
    expect(word(VOICES, 'ticket')).toBe('Tike');
  });
});
