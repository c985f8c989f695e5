// What a visitor reads on a basic phone (SMS answers, USSD screens), in fr, wo or en. The locale JSON files hold the
// words; here they are filled with values brought into GSM-7 and clipped, so that every answer is one SMS of at most
// 160 GSM-7 characters (phone-texts.test.ts renders every template with the longest values).
import type { Language } from '../../../shared/contracts/domain.js';
import { clipGsm7, GSM7_SMS_SEPTETS, toGsm7 } from '../../../shared/domain/gsm7.js';
import { fill } from '../../notifications/templates.js';
import fr from './locales/fr.json' with { type: 'json' };
import wo from './locales/wo.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export type PhoneTexts = typeof fr;
// Typed against fr: a key missing from wo or en fails the type check.
export const PHONE_TEXTS: Record<Language, PhoneTexts> = { fr, wo, en };

/** Longest values put into a message, in GSM-7 characters. */
export const MAX = { branch: 20, service: 20, code: 12, number: 8 } as const;
/** A longer estimate says nothing more to a visitor, and keeps the message one SMS. */
const MAX_WAIT_MINUTES = 999;

/** A remote ticket as a phone answer shows it. */
export interface PhoneTicket {
  /** A-004, as people read it. */
  number: string;
  branch: string;
  service: string;
  position: number | null;
  wait: number | null;
  /** Central's picture of the branch is too old to show the position as current. */
  stale: boolean;
  /** Called to this counter (null: called, counter unknown); undefined when not called. */
  calledCounter?: number | null;
}

export type PhoneOutcome =
  | { kind: 'help' }
  | { kind: 'joined'; ticket: PhoneTicket }
  /** The phone's active remote tickets (none: "you have no ticket"). */
  | { kind: 'status'; tickets: PhoneTicket[] }
  | { kind: 'cancelled'; number: string; branch: string }
  /** Several tickets and no line named: which one? */
  | { kind: 'cancelWhich'; tickets: Array<{ number: string; branchCode: string; letter: string }> }
  | { kind: 'unknownBranch'; code: string }
  | { kind: 'unknownService'; branch: string; branchCode: string; letter: string; letters: string[] }
  /** A join refused by central or the branch (its error code). */
  | { kind: 'refused'; code: string; branch: string; number: string | null }
  /** A cancel that did not happen (its error code). */
  | { kind: 'cancelRefused'; code: string; branch: string; number: string };

/** A value for a message: in GSM-7, at most `max` characters. */
export function value(text: string, max: number): string {
  return clipGsm7(toGsm7(text.replace(/\s+/g, ' ').trim()), max);
}

/** Where the ticket stands; `short` when several tickets share one message. */
function details(t: PhoneTexts, ticket: PhoneTicket, short = false): string {
  if (ticket.calledCounter !== undefined) {
    return ticket.calledCounter === null ? t.details.calledNoCounter : fill(t.details.called, { counter: ticket.calledCounter });
  }
  const words = short ? { ...t.details, ...t.short } : t.details;
  if (ticket.stale) return words.stale;
  if (ticket.position === null) return words.unknown;
  const where = ticket.position <= 1 ? words.next : fill(words.position, { position: ticket.position, ahead: ticket.position - 1 });
  return ticket.wait === null || ticket.position <= 1 ? where : `${where}, ${fill(words.wait, { minutes: Math.min(ticket.wait, MAX_WAIT_MINUTES) })}`;
}

function refusal(t: PhoneTexts, code: string, v: { branch: string; number: string }, channel: 'sms' | 'ussd'): string {
  switch (code) {
    case 'BRANCH_OFFLINE': return fill(t.outcome.offline, v);
    case 'REMOTE_TICKET_ACTIVE': return v.number ? fill(t.outcome.active, v) : t.outcome.activeNoNumber;
    case 'RATE_LIMITED': return t.outcome.rateLimited;
    case 'SERVICE_CLOSED': return fill(t.outcome.closed, v);
    case 'REMOTE_SHARE_FULL': return fill(t.outcome.full, v);
    case 'BRANCH_UNAVAILABLE': return fill(t.outcome.unavailable, v);
    // A USSD visitor looks again by dialling, not by texting.
    case 'REMOTE_JOIN_PENDING': return fill(channel === 'ussd' ? t.ussd.pending : t.outcome.pending, v);
    default: return t.outcome.failed;
  }
}

function cancelRefusal(t: PhoneTexts, code: string, v: { branch: string; number: string }, channel: 'sms' | 'ussd'): string {
  if (code === 'BRANCH_OFFLINE') return fill(t.outcome.cancelOffline, v);
  if (code === 'REMOTE_JOIN_PENDING') return fill(channel === 'ussd' ? t.ussd.cancelPending : t.outcome.cancelPending, v);
  return fill(t.outcome.cancelRefused, v);
}

/** The answer to show for `outcome`: one SMS of GSM-7 (an SMS answer also says which words to send next). */
export function phoneText(outcome: PhoneOutcome, language: Language, channel: 'sms' | 'ussd'): string {
  // The templates and the clipped values fit (tested); this only guards against a template edited too long.
  return clipGsm7(unclippedPhoneText(outcome, language, channel), GSM7_SMS_SEPTETS);
}

/** The answer before the last guard (the tests check it fits as it is). */
export function unclippedPhoneText(outcome: PhoneOutcome, language: Language, channel: 'sms' | 'ussd'): string {
  const t = PHONE_TEXTS[language];
  const branch = (s: string) => value(s, MAX.branch);
  const number = (s: string) => value(s, MAX.number);
  let text: string;
  switch (outcome.kind) {
    case 'help': text = t.outcome.help; break;
    case 'joined': {
      const k = outcome.ticket;
      text = fill(t.outcome.joined, { number: number(k.number), branch: branch(k.branch), service: value(k.service, MAX.service), details: details(t, k) });
      if (channel === 'sms') text += t.smsHints.joined;
      break;
    }
    case 'status': {
      if (outcome.tickets.length === 0) { text = channel === 'sms' ? t.outcome.noTicket : t.ussd.noTicket; break; }
      // Several tickets share the message: each branch name gets a part of it.
      const many = outcome.tickets.length > 1;
      const lines = outcome.tickets.map((k) => fill(t.outcome.statusLine, { number: number(k.number), branch: value(k.branch, many ? 10 : MAX.branch), details: details(t, k, many) }));
      text = lines.length === 1 ? fill(t.outcome.statusOne, { line: lines[0] as string }) : fill(t.outcome.statusMany, { lines: lines.join('; ') });
      break;
    }
    case 'cancelled': text = fill(t.outcome.cancelled, { number: number(outcome.number), branch: branch(outcome.branch) }); break;
    case 'cancelWhich': {
      const target = (k: { branchCode: string; letter: string }) => `${value(k.branchCode, MAX.code)} ${value(k.letter, 1)}`;
      const list = outcome.tickets.map(target).join(', ');
      text = fill(t.outcome.cancelWhich, { list, example: target(outcome.tickets[0] ?? { branchCode: 'PLATEAU', letter: 'A' }) });
      break;
    }
    case 'unknownBranch': text = fill(t.outcome.unknownBranch, { code: value(outcome.code, MAX.code) }); break;
    case 'unknownService': {
      const letters = outcome.letters.map((l) => value(l, 1)).join(', ');
      const example = `${value(outcome.branchCode, MAX.code)} ${value(outcome.letters[0] ?? 'A', 1)}`;
      text = fill(t.outcome.unknownService, { branch: branch(outcome.branch), letter: value(outcome.letter, 1), letters: clipGsm7(letters, 30), example });
      break;
    }
    case 'refused': text = refusal(t, outcome.code, { branch: branch(outcome.branch), number: outcome.number ? number(outcome.number) : '' }, channel); break;
    case 'cancelRefused': text = cancelRefusal(t, outcome.code, { branch: branch(outcome.branch), number: number(outcome.number) }, channel); break;
  }
  return toGsm7(text);
}
