import { describe, expect, it } from 'vitest';
import { gsm7Length } from '../../../shared/domain/gsm7.js';
import { listPages, ussdAnswer, ussdStep, type MenuBranch, type MenuData, type MenuTicket, type UssdStep } from './ussd-menu.js';

const names = (fr: string, wo = fr, en = fr) => ({ fr, wo, en });
const plateau: MenuBranch = {
  id: 'b-plateau', code: 'PLATEAU', name: 'Agence Plateau', region: 'Dakar',
  services: [
    { id: 's-a', letter: 'A', name: names('Dépôt / Retrait', 'Denc / Génne xaalis', 'Deposit / Withdrawal') },
    { id: 's-b', letter: 'B', name: names('Ouverture de compte', 'Ubbi kont', 'Open an account') },
  ],
};
const thies: MenuBranch = { id: 'b-thies', code: 'THIES-1', name: 'Agence Thiès Centre', region: 'Thiès', services: [{ id: 's-t', letter: 'A', name: names('Caisse') }] };
// Many branches with long names in one region: the lists need pages.
const many: MenuBranch[] = Array.from({ length: 23 }, (_, i) => ({
  id: `b-${i}`, code: `DK${i}`, name: `Agence Dakar Sicap Liberté ${i + 1} – Grand Dakar`, region: 'Dakar', services: plateau.services,
}));
const ticket = (joinId: string, number: string, branch: string): MenuTicket => ({ joinId, number, branch, service: 'Dépôt', position: 3, wait: 15, stale: false });
const data: MenuData = { branches: [plateau, thies, ...many], tickets: [] };

function screen(step: UssdStep): string {
  if (step.kind !== 'screen') throw new Error(`expected a screen, got ${step.kind}`);
  return ussdAnswer(step.end, step.text);
}

describe('USSD menu', () => {
  it('walks to a ticket by branch code, in the chosen language', () => {
    expect(screen(ussdStep('', data))).toBe('CON SmartQueue\n1 Francais\n2 Wolof\n3 English');
    expect(screen(ussdStep('1', data))).toBe('CON SmartQueue\n1 Prendre un ticket\n2 Mon ticket\n3 Annuler mon ticket');
    expect(screen(ussdStep('2', data))).toBe('CON SmartQueue\n1 Am tike\n2 Sama tike\n3 Neenal sama tike');
    expect(screen(ussdStep('1*1', data))).toBe('CON Agence:\n1 Par code\n2 Par région');
    expect(screen(ussdStep('1*1*1', data))).toBe("CON Code de l'agence (ex: PLATEAU):");
    expect(screen(ussdStep('1*1*1* plateau ', data))).toBe('CON Agence Plateau - service:\n1 A Dépot / Retrait\n2 B Ouverture de compte');
    expect(screen(ussdStep('1*1*1*plateau*2', data))).toBe('CON Ticket Ouverture de compte, Agence Plateau ?\n1 Confirmer\n2 Abandonner');
    expect(ussdStep('1*1*1*plateau*2*1', data)).toMatchObject({ kind: 'join', language: 'fr', branch: { id: 'b-plateau' }, service: { id: 's-b' } });
    expect(screen(ussdStep('1*1*1*plateau*2*2', data))).toBe('END Aucun ticket pris. Au revoir.');
    // A code with a dash typed without it, in Wolof.
    expect(screen(ussdStep('2*1*1*thies1', data))).toBe('CON Agence Thiès Centre - sarwiis:\n1 A Caisse');
    expect(ussdStep('2*1*1*thies1*1*1', data)).toMatchObject({ kind: 'join', language: 'wo', branch: { id: 'b-thies' } });
    expect(screen(ussdStep('1*1*1*NULLEPART', data))).toBe("END Agence NULLEPART inconnue. Recommencez avec le code affiché à l'agence.");
  });

  it('walks by region, with pages of branches ("0 Suite") numbered across pages', () => {
    expect(screen(ussdStep('3*1*2', data))).toBe('CON Region:\n1 Dakar\n2 Thiès');
    const first = screen(ussdStep('1*1*2*1', data));
    expect(first.startsWith('CON Agence:\n1 Agence Plateau\n2 Agence Dakar')).toBe(true);
    expect(first.endsWith('\n0 Suite')).toBe(true);
    const second = screen(ussdStep('1*1*2*1*0', data));
    const firstOnSecond = Number(/\n(\d+) /.exec(second)?.[1]);
    expect(firstOnSecond).toBe(first.split('\n').length - 1);
    // A number of the second page picks it, and the service list follows.
    expect(screen(ussdStep(`1*1*2*1*0*${firstOnSecond}`, data))).toContain(' - service:\n1 A Dépot / Retrait');
    expect(ussdStep(`1*1*2*1*0*${firstOnSecond}*1*1`, data)).toMatchObject({ kind: 'join', branch: { id: `b-${firstOnSecond - 2}` }, service: { id: 's-a' } });
    expect(ussdStep('1*1*2*2*1*1*1', data)).toMatchObject({ kind: 'join', branch: { id: 'b-thies' } });
  });

  it('shows the phone’s tickets, and cancels one after a confirmation', () => {
    const one = { ...data, tickets: [ticket('j1', 'A-004', 'Agence Plateau')] };
    expect(screen(ussdStep('1*2', one))).toBe('END Ticket A-004 Agence Plateau: position 3, attente env. 15 min.');
    expect(screen(ussdStep('1*2', data))).toBe("END Vous n'avez pas de ticket en cours.");
    expect(screen(ussdStep('1*3', one))).toBe('CON Annuler le ticket A-004 (Agence Plateau) ?\n1 Oui\n2 Non');
    expect(ussdStep('1*3*1', one)).toMatchObject({ kind: 'cancel', language: 'fr', ticket: { joinId: 'j1' } });
    expect(screen(ussdStep('1*3*2', one))).toBe('END Ticket A-004 gardé.');
    const two = { ...data, tickets: [ticket('j1', 'A-004', 'Agence Plateau'), ticket('j2', 'B-002', 'Agence Thiès Centre')] };
    expect(screen(ussdStep('3*3', two))).toBe('CON Cancel which ticket?\n1 A-004 Agence Plateau\n2 B-002 Agence Thiès Centre');
    expect(ussdStep('3*3*2*1', two)).toMatchObject({ kind: 'cancel', language: 'en', ticket: { joinId: 'j2' } });
  });

  it('ends with a clear word on a choice it does not know', () => {
    expect(screen(ussdStep('4', data))).toBe('END Choix invalide. Recommencez.');
    expect(screen(ussdStep('2*9', data))).toBe('END Tànn bi baaxul. Jéemaatal.');
    expect(screen(ussdStep('1*1*3', data))).toBe('END Choix invalide. Recommencez.');
    expect(screen(ussdStep('1*1*1*plateau*7', data))).toBe('END Choix invalide. Recommencez.');
    expect(screen(ussdStep('1*1*1*plateau*1*1*1', data))).toBe('END Choix invalide. Recommencez.');
    expect(screen(ussdStep('1*1', { branches: [], tickets: [] }))).toBe('END Aucune agence ne prend de ticket à distance ici.');
  });

  it('keeps every reachable screen within 160 GSM-7 characters', () => {
    const tickets = [ticket('j1', 'A-9999', many[0]?.name as string), ticket('j2', 'B-9999', many[1]?.name as string), ticket('j3', 'C-9999', many[2]?.name as string)];
    const rich = { ...data, tickets };
    const choices = ['0', '1', '2', '3', '9', 'PLATEAU', 'DK7'];
    let seen = 0;
    const walk = (text: string, depth: number): void => {
      const step = ussdStep(text, rich);
      if (step.kind !== 'screen') return;
      const answer = ussdAnswer(step.end, step.text);
      seen++;
      expect(gsm7Length(answer), answer).not.toBeNull();
      expect(answer.length, answer).toBeLessThanOrEqual(160);
      if (step.end || depth === 0) return;
      for (const c of choices) walk(text === '' ? c : `${text}*${c}`, depth - 1);
    };
    walk('', 8);
    expect(seen).toBeGreaterThan(200);
    expect(listPages('H', ['x'.repeat(300)], '0 More')[0]?.length).toBeLessThanOrEqual(156);
  });
});
