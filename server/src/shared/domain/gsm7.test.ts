import { describe, expect, it } from 'vitest';
import { clipGsm7, fitsOneGsm7Sms, gsm7Length, isGsm7, toGsm7 } from './gsm7.js';

describe('GSM-7', () => {
  it('knows the alphabet: French accents of the table, Wolof ñ and à; not ê, ç, ë, ó or curly quotes', () => {
    expect(isGsm7("Présentez-vous à l'accueil. Ñu ngi xaar, Dibéer")).toBe(true);
    for (const c of ['ê', 'ç', 'ë', 'ó', '’', 'ô', 'û', 'î', '😀']) expect(isGsm7(`a${c}b`), c).toBe(false);
  });

  it('counts extension characters twice', () => {
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('5 €')).toBe(4);
    expect(gsm7Length('[x]')).toBe(5);
    expect(gsm7Length('mën')).toBeNull();
    expect(fitsOneGsm7Sms('a'.repeat(160))).toBe(true);
    expect(fitsOneGsm7Sms('a'.repeat(161))).toBe(false);
    expect(fitsOneGsm7Sms(`${'a'.repeat(159)}€`)).toBe(false);
  });

  it('brings a value into GSM-7, keeping the letters it has', () => {
    expect(toGsm7('Agence Thiès – Médina’s Fête, Kébémer, mën, Ndëp, Français')).toBe("Agence Thiès - Médina's Fete, Kébémer, men, Ndep, Francais");
    expect(toGsm7('漢')).toBe('?');
    expect(isGsm7(toGsm7('Sédhiou • Ziguinchor ✓'))).toBe(true);
  });

  it('clips at a character and says so', () => {
    expect(clipGsm7('Agence Plateau', 20)).toBe('Agence Plateau');
    expect(clipGsm7('Agence du Plateau Nord', 10)).toBe('Agence.');
    expect(clipGsm7('Transferts et Mobile Money', 16)).toBe('Transferts.');
    expect(clipGsm7('Yonnee xaalis ak Mobile Money', 20)).toBe('Yonnee xaalis.');
    expect(clipGsm7('Dépôts / retraits', 11)).toBe('Dépôts.');
    expect(clipGsm7('Ziguinchorboucotte', 10)).toBe('Ziguincho.');
    expect(gsm7Length(clipGsm7('€€€€€€', 5))).toBeLessThanOrEqual(5);
  });
});
