// Every answer a phone can get, in every language, with the longest values: GSM-7 (no character that would turn
// the SMS into UCS-2) and at most 160 characters, so it is one SMS and one USSD screen.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/contracts/domain.js';
import { gsm7Length, isGsm7 } from '../../../shared/domain/gsm7.js';
import { PHONE_TEXTS, phoneText, unclippedPhoneText, type PhoneOutcome, type PhoneTicket } from './phone-texts.js';

const LONG_BRANCH = 'Agence Régionale de Ziguinchor – Boucotte Sud (Casamance)';
const LONG_SERVICE = 'Dépôts, retraits et opérations de caisse';
const CODES = ['BRANCH_OFFLINE', 'REMOTE_TICKET_ACTIVE', 'RATE_LIMITED', 'SERVICE_CLOSED', 'REMOTE_SHARE_FULL', 'BRANCH_UNAVAILABLE', 'REMOTE_JOIN_PENDING', 'NOT_FOUND'];

function ticket(over: Partial<PhoneTicket> = {}): PhoneTicket {
  return { number: 'A-9999', branch: LONG_BRANCH, service: LONG_SERVICE, position: 148, wait: 1234, stale: false, ...over };
}

/** Every kind of outcome, and each of its variants. */
function everyOutcome(): PhoneOutcome[] {
  const tickets = [ticket(), ticket({ position: 1 }), ticket({ position: null }), ticket({ stale: true }), ticket({ calledCounter: 12 }), ticket({ calledCounter: null }), ticket({ wait: null })];
  return [
    { kind: 'help' },
    ...tickets.map((k) => ({ kind: 'joined' as const, ticket: k })),
    { kind: 'status', tickets: [] },
    ...tickets.map((k) => ({ kind: 'status' as const, tickets: [k] })),
    { kind: 'status', tickets: [ticket(), ticket({ number: 'B-9999' }), ticket({ number: 'C-9999', stale: true })] },
    { kind: 'cancelled', number: 'A-9999', branch: LONG_BRANCH },
    { kind: 'cancelWhich', tickets: [{ number: 'A-9999', branchCode: 'ZIGUINCHORSUD', letter: 'A' }, { number: 'B-9999', branchCode: 'ZIGUINCHORSUD', letter: 'B' }, { number: 'C-9999', branchCode: 'KAOLACKCENTRE', letter: 'C' }] },
    { kind: 'unknownBranch', code: 'ZIGUINCHORBOUCOTTESUD' },
    { kind: 'unknownService', branch: LONG_BRANCH, branchCode: 'ZIGUINCHORSUD', letter: 'Z', letters: 'ABCDEFGHIJKLMN'.split('') },
    ...CODES.flatMap((code) => [{ kind: 'refused' as const, code, branch: LONG_BRANCH, number: 'A-9999' }, { kind: 'refused' as const, code, branch: LONG_BRANCH, number: null }]),
    ...CODES.map((code) => ({ kind: 'cancelRefused' as const, code, branch: LONG_BRANCH, number: 'A-9999' })),
  ];
}

describe('phone answers', () => {
  it('every template is written in GSM-7', () => {
    for (const language of LANGUAGES) {
      const walk = (node: unknown, at: string): void => {
        if (typeof node === 'string') expect(isGsm7(node), `${language}.${at}: ${node}`).toBe(true);
        else for (const [k, v] of Object.entries(node as object)) walk(v, `${at}.${k}`);
      };
      walk(PHONE_TEXTS[language], '');
    }
  });

  it('every answer, in every language and on both channels, is one GSM-7 SMS of at most 160 characters with no placeholder left', () => {
    for (const language of LANGUAGES) {
      for (const channel of ['sms', 'ussd'] as const) {
        for (const outcome of everyOutcome()) {
          const text = unclippedPhoneText(outcome, language, channel);
          const what = `${language} ${channel} ${JSON.stringify(outcome).slice(0, 80)}: ${text}`;
          expect(gsm7Length(text), what).not.toBeNull();
          expect(gsm7Length(text) as number, what).toBeLessThanOrEqual(160);
          expect(text, what).not.toMatch(/\{\{|undefined|null/);
          expect(phoneText(outcome, language, channel)).toBe(text);
        }
      }
    }
  });

  it('says the number, the position and the wait, in the sender’s language', () => {
    const joined: PhoneOutcome = { kind: 'joined', ticket: ticket({ branch: 'Agence Plateau', service: 'Dépôt', position: 3, wait: 15 }) };
    expect(phoneText(joined, 'fr', 'sms')).toBe("Ticket A-9999 - Agence Plateau, Dépot: position 3, attente env. 15 min. Passez à l'accueil. STATUT: position. ANNULER: annuler.");
    expect(phoneText(joined, 'wo', 'sms')).toBe('Tike A-9999 - Agence Plateau, Dépot: 2 nit ñoo la jiitu, xaar bi: lu tollu ci 15 minit. Dem ca accueil ba. ANA: sa tour. NEENAL: neenal.');
    expect(phoneText(joined, 'en', 'ussd')).toBe('Ticket A-9999 - Agence Plateau, Dépot: position 3, wait about 15 min. Check in at reception.');
    // A name with characters outside GSM-7 does not turn the SMS into UCS-2.
    const named = phoneText({ kind: 'cancelled', number: 'A-001', branch: 'Agence Fête’s' }, 'fr', 'sms');
    expect(named).toBe("Ticket A-001 - Agence Fete's annulé. Merci.");
  });
});
