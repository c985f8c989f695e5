// The USSD menu, screen by screen, from the aggregator's `text` alone (the choices so far joined by "*"), so a
// replayed or resumed session gives the same screens. Pure: the caller loads the branches and the phone's tickets,
// and carries out a join or a cancel when the menu asks for one. Every answer, "CON "/"END " included, is at most
// 160 characters (long lists are paged with "0 Suite").
import type { Language, LocalizedText } from '../../../shared/contracts/domain.js';
import { fill } from '../../notifications/templates.js';
import { normalizeBranchCode } from './sms-command.js';
import { PHONE_TEXTS, phoneText, value, MAX, type PhoneTicket, type PhoneTexts } from './phone-texts.js';

export const USSD_MAX = 160;
/** The first screen, in the three languages at once: the visitor has not chosen yet. */
export const LANGUAGE_SCREEN = 'SmartQueue\n1 Francais\n2 Wolof\n3 English';
const LANGUAGE_CHOICES: Record<string, Language> = { 1: 'fr', 2: 'wo', 3: 'en' };

export interface MenuService { id: string; letter: string; name: LocalizedText }
export interface MenuBranch { id: string; code: string; name: string; region: string; services: MenuService[] }
export interface MenuTicket extends PhoneTicket { joinId: string }
export interface MenuData {
  /** Branches taking remote tickets (with a code), in the order to list them. */
  branches: MenuBranch[];
  /** The phone's active remote tickets. */
  tickets: MenuTicket[];
}

export type UssdStep =
  | { kind: 'screen'; end: boolean; text: string }
  | { kind: 'join'; language: Language; branch: MenuBranch; service: MenuService }
  | { kind: 'cancel'; language: Language; ticket: MenuTicket };

/** The aggregator's answer: "CON …" waits for a choice, "END …" closes the session. */
export function ussdAnswer(end: boolean, text: string): string {
  return `${end ? 'END' : 'CON'} ${text}`;
}

const con = (text: string): UssdStep => ({ kind: 'screen', end: false, text });
const end = (text: string): UssdStep => ({ kind: 'screen', end: true, text });

/** The pages of a numbered list: as many items a page as fit with the header and the "more" line. */
export function listPages(header: string, labels: string[], more: string): string[] {
  const room = USSD_MAX - 'CON '.length;
  const pages: string[] = [];
  let i = 0;
  while (i < labels.length || pages.length === 0) {
    let text = header;
    let taken = 0;
    while (i + taken < labels.length) {
      const line = `\n${i + taken + 1} ${labels[i + taken] as string}`;
      const last = i + taken + 1 === labels.length;
      if ((text + line + (last ? '' : `\n${more}`)).length > room && taken > 0) break;
      text += line;
      taken++;
      if (text.length > room) break; // one item alone too long: shown clipped below
    }
    i += taken;
    pages.push(i < labels.length ? `${text}\n${more}` : text);
    if (taken === 0) break;
  }
  return pages.map((p) => (p.length > room ? `${p.slice(0, room - 1)}.` : p));
}

export function ussdStep(text: string, data: MenuData): UssdStep {
  const tokens = text.trim() === '' ? [] : text.split('*').map((s) => s.trim());
  let at = 0;
  const more = () => at < tokens.length;
  const next = () => tokens[at++] as string;

  if (!more()) return con(LANGUAGE_SCREEN);
  const chosen = LANGUAGE_CHOICES[next()];
  if (!chosen) return end(PHONE_TEXTS.fr.ussd.invalid);
  const language: Language = chosen;
  const t: PhoneTexts = PHONE_TEXTS[language];
  const invalid = end(t.ussd.invalid);

  /** A choice in a paged list: the item, or the screen to show now. */
  function pick<T>(header: string, items: T[], label: (item: T) => string): { item: T } | { step: UssdStep } {
    const pages = listPages(header, items.map(label), t.ussd.more);
    let page = 0;
    while (more()) {
      const token = next();
      if (token === '0' && page + 1 < pages.length) { page++; continue; }
      const n = /^\d{1,3}$/.test(token) ? Number(token) : NaN;
      if (n >= 1 && n <= items.length) return { item: items[n - 1] as T };
      return { step: invalid };
    }
    return { step: con(pages[page] as string) };
  }

  function service(branch: MenuBranch): UssdStep {
    const name = value(branch.name, MAX.branch);
    const chosen = pick(fill(t.ussd.services, { branch: name }), branch.services, (s) => `${s.letter} ${value(s.name[language], 28)}`);
    if ('step' in chosen) return chosen.step;
    if (!more()) return con(fill(t.ussd.confirm, { service: value(chosen.item.name[language], 28), branch: name }));
    const answer = next();
    if (answer === '1' && !more()) return { kind: 'join', language, branch, service: chosen.item };
    return answer === '2' && !more() ? end(t.ussd.bye) : invalid;
  }

  function take(): UssdStep {
    if (data.branches.length === 0) return end(t.ussd.noBranches);
    if (!more()) return con(t.ussd.how);
    const how = next();
    if (how === '1') {
      if (!more()) return con(t.ussd.enterCode);
      const typed = next();
      const code = normalizeBranchCode(typed);
      const branch = data.branches.find((b) => normalizeBranchCode(b.code) === code);
      return branch ? service(branch) : end(fill(t.ussd.unknownBranch, { code: value(typed, MAX.code) }));
    }
    if (how !== '2') return invalid;
    const regions = [...new Set(data.branches.map((b) => b.region))];
    const region = pick(t.ussd.regions, regions, (r) => value(r, 28));
    if ('step' in region) return region.step;
    const inRegion = data.branches.filter((b) => b.region === region.item);
    const branch = pick(t.ussd.branches, inRegion, (b) => value(b.name, 40));
    return 'step' in branch ? branch.step : service(branch.item);
  }

  function cancel(): UssdStep {
    if (data.tickets.length === 0) return end(t.ussd.noTicket);
    let ticket: MenuTicket;
    if (data.tickets.length === 1) ticket = data.tickets[0] as MenuTicket;
    else {
      const chosen = pick(t.ussd.cancelChoose, data.tickets, (k) => `${value(k.number, MAX.number)} ${value(k.branch, 30)}`);
      if ('step' in chosen) return chosen.step;
      ticket = chosen.item;
    }
    const v = { number: value(ticket.number, MAX.number), branch: value(ticket.branch, MAX.branch) };
    if (!more()) return con(fill(t.ussd.cancelConfirm, v));
    const answer = next();
    if (answer === '1' && !more()) return { kind: 'cancel', language, ticket };
    return answer === '2' && !more() ? end(fill(t.ussd.kept, v)) : invalid;
  }

  if (!more()) return con(t.ussd.main);
  switch (next()) {
    case '1': return take();
    case '2': return more() ? invalid : end(phoneText({ kind: 'status', tickets: data.tickets }, language, 'ussd'));
    case '3': return cancel();
    default: return invalid;
  }
}
