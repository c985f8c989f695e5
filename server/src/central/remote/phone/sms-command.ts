// "Text to join": what a visitor's SMS asks for, in French, Wolof or English words, whatever the case, the accents
// and the spaces. Pure: the caller looks the branch code up and acts. Words are listed in docs/remote.md.
import type { Language } from '../../../shared/contracts/domain.js';

export type SmsCommand =
  /** `PLATEAU A`, `TICKET PLATEAU A`, `TIKE PLATEAU A`: a ticket in line A of the branch whose code is PLATEAU. */
  | { kind: 'join'; language: Language | null; branchCode: string; serviceLetter: string }
  | { kind: 'status'; language: Language }
  /** `ANNULER`, or `ANNULER PLATEAU A` when the phone holds tickets in several lines. */
  | { kind: 'cancel'; language: Language; branchCode: string | null; serviceLetter: string | null }
  | { kind: 'help'; language: Language }
  /** Nothing we understand: the caller answers with the help (never silence). */
  | { kind: 'unknown' };

/** Command words, already normalised (upper case, no accents). Several words: a phrase. */
const WORDS: Record<'join' | 'status' | 'cancel' | 'help', Record<Language, string[]>> = {
  join: { fr: ['TICKET'], wo: ['TIKE'], en: ['JOIN'] },
  status: { fr: ['STATUT', 'POSITION', 'OU EN SUIS JE'], wo: ['ANA', 'SAMA TOUR', 'ANA SAMA TOUR'], en: ['STATUS', 'WHERE'] },
  cancel: { fr: ['ANNULER', 'ANNULATION'], wo: ['NEENAL', 'BAYYI'], en: ['CANCEL'] },
  help: { fr: ['AIDE', 'INFO', '?'], wo: ['NDIMBAL'], en: ['HELP'] },
};

/** Upper case, accents off, anything but letters, digits and "?" turned into spaces, spaces collapsed. */
export function normalizeSmsText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toUpperCase()
    .replace(/[^A-Z0-9?]+/g, ' ').replace(/\?+/g, ' ? ').replace(/\s+/g, ' ').trim();
}

/** A branch code as it is compared: letters and digits only ("Dakar-Plateau 2" → "DAKARPLATEAU2"). */
export function normalizeBranchCode(code: string): string {
  return normalizeSmsText(code).replace(/[^A-Z0-9]/g, '');
}

/** The longest command word at the start of `words`, with its kind and language. */
function leadingWord(words: string[]): { kind: keyof typeof WORDS; language: Language; length: number } | null {
  let best: { kind: keyof typeof WORDS; language: Language; length: number } | null = null;
  for (const kind of Object.keys(WORDS) as Array<keyof typeof WORDS>) {
    for (const language of Object.keys(WORDS[kind]) as Language[]) {
      for (const phrase of WORDS[kind][language]) {
        const p = phrase.split(' ');
        if (p.length > words.length || p.some((w, i) => words[i] !== w)) continue;
        if (!best || p.length > best.length) best = { kind, language, length: p.length };
      }
    }
  }
  return best;
}

/** `CODE LETTER` (the code may hold spaces or dashes: "DK 01 A"), or null. */
function branchAndLetter(words: string[]): { branchCode: string; serviceLetter: string } | null {
  const letter = words[words.length - 1];
  if (words.length < 2 || !letter || !/^[A-Z]$/.test(letter)) return null;
  const code = words.slice(0, -1).join('');
  return /^[A-Z0-9]{1,40}$/.test(code) ? { branchCode: code, serviceLetter: letter } : null;
}

export function parseSmsCommand(text: string): SmsCommand {
  const words = normalizeSmsText(text).split(' ').filter(Boolean);
  if (words.length === 0) return { kind: 'unknown' };
  const lead = leadingWord(words);
  // A question mark after the first word asks nothing more ("STATUT ?").
  const rest = (lead ? words.slice(lead.length) : words).filter((w, i) => w !== '?' || (!lead && i === 0));
  if (lead?.kind === 'help') return { kind: 'help', language: lead.language };
  if (lead?.kind === 'status') return rest.length === 0 ? { kind: 'status', language: lead.language } : { kind: 'unknown' };
  if (lead?.kind === 'cancel') {
    if (rest.length === 0) return { kind: 'cancel', language: lead.language, branchCode: null, serviceLetter: null };
    const target = branchAndLetter(rest);
    return target ? { kind: 'cancel', language: lead.language, ...target } : { kind: 'unknown' };
  }
  const target = branchAndLetter(rest);
  if (!target) return { kind: 'unknown' };
  return { kind: 'join', language: lead?.kind === 'join' ? lead.language : null, ...target };
}
