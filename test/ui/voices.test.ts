// The call board's voice folder: every language can say any ticket A000–Z999 at any counter 1–999, fr and en have
// a recorded file for each segment, Wolof lists its segments with their text for the branch to record, and the
// folder stays small. Also the spelling rule itself.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callKeys, callText, missingFiles, numberKeys, type VoiceManifest } from '../../display-ui/src/audio/spell.js';

const VOICES = path.resolve('display-ui/public/voices');
const manifest = (lang: string) => JSON.parse(fs.readFileSync(path.join(VOICES, lang, 'manifest.json'), 'utf8')) as VoiceManifest;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? folderBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
}

describe('voice segments', () => {
  it.each(['fr', 'en', 'wo'])('%s can say every ticket and counter number', (lang) => {
    const m = manifest(lang);
    expect(m.language).toBe(lang);
    const needed = new Set<string>();
    for (let n = 0; n <= 999; n += 1) {
      const keys = callKeys(m, `${LETTERS[n % LETTERS.length]}${String(n).padStart(3, '0')}`, (n % 999) + 1);
      expect(keys, `${lang} ${n}`).not.toBeNull();
      for (const k of keys ?? []) needed.add(k);
    }
    for (const letter of LETTERS) needed.add(`letter-${letter}`);
    for (const k of needed) expect(m.segments[k]?.text, `${lang} ${k}`).toBeTruthy();
  });

  it.each(['fr', 'en'])('%s has a small recorded Ogg file for every segment', (lang) => {
    const m = manifest(lang);
    for (const [key, segment] of Object.entries(m.segments)) {
      expect(segment.file, key).toBe(`${key}.ogg`);
      const bytes = fs.readFileSync(path.join(VOICES, lang, segment.file as string));
      expect(bytes.subarray(0, 4).toString('latin1'), key).toBe('OggS');
      expect(bytes.length, key).toBeLessThan(20_000);
    }
  });

  it('ships Wolof as a list to record, without files', () => {
    const m = manifest('wo');
    expect(Object.values(m.segments).every((s) => s.file === null)).toBe(true);
    expect(fs.readdirSync(path.join(VOICES, 'wo'))).toEqual(['manifest.json']);
    const keys = callKeys(m, 'A042', 3) as string[];
    expect(missingFiles(m, keys)).toEqual(keys);
    expect(callText(m, keys)).toBe('Tike A ñeent fukk ak ñaar dem ca guichet ñett');
  });

  it('keeps the voices folder under 3 MB', () => {
    expect(folderBytes(VOICES)).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('spelling a call', () => {
  it('splits numbers into the recorded pieces', () => {
    expect(numberKeys(0, null)).toEqual(['number-0']);
    expect(numberKeys(42, null)).toEqual(['number-42']);
    expect(numberKeys(300, 'and')).toEqual(['hundred-3']);
    expect(numberKeys(142, null)).toEqual(['hundred-1', 'number-42']);
    expect(numberKeys(142, 'and')).toEqual(['hundred-1', 'and', 'number-42']);
    expect(numberKeys(1000, null)).toBeNull();
  });

  it('follows the manifest pattern: ticket, letters, number, counter, number', () => {
    expect(callKeys(manifest('fr'), 'A042', 3)).toEqual(['ticket', 'letter-A', 'number-42', 'counter', 'number-3']);
    expect(callKeys(manifest('en'), 'B142', 12)).toEqual(['ticket', 'letter-B', 'hundred-1', 'and', 'number-42', 'counter', 'number-12']);
    expect(callKeys(manifest('fr'), 'A1000', 1)).toBeNull(); // past 999: the board falls back to speech synthesis
    expect(callKeys(manifest('fr'), 'not-a-ticket', 1)).toBeNull();
  });
});
