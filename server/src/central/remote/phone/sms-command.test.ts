import { describe, expect, it } from 'vitest';
import { normalizeBranchCode, parseSmsCommand } from './sms-command.js';

describe('SMS commands', () => {
  it('joins by branch code and service letter, whatever the case, accents and spaces', () => {
    for (const text of ['PLATEAU A', 'plateau a', '  Plateau   a ', 'Platéau A\n', 'PLATEAU-A']) {
      expect(parseSmsCommand(text), text).toEqual({ kind: 'join', language: null, branchCode: 'PLATEAU', serviceLetter: 'A' });
    }
    expect(parseSmsCommand('ticket plateau b')).toEqual({ kind: 'join', language: 'fr', branchCode: 'PLATEAU', serviceLetter: 'B' });
    expect(parseSmsCommand('Tike Plateau b')).toEqual({ kind: 'join', language: 'wo', branchCode: 'PLATEAU', serviceLetter: 'B' });
    expect(parseSmsCommand('JOIN plateau c')).toEqual({ kind: 'join', language: 'en', branchCode: 'PLATEAU', serviceLetter: 'C' });
    // A code written with a space or a dash, or holding digits.
    expect(parseSmsCommand('PLATEAU A ?')).toMatchObject({ kind: 'join', branchCode: 'PLATEAU' });
    expect(parseSmsCommand('dk-01 a')).toMatchObject({ kind: 'join', branchCode: 'DK01', serviceLetter: 'A' });
    expect(normalizeBranchCode('Dk-01')).toBe('DK01');
    expect(normalizeBranchCode('Thiès Nord')).toBe('THIESNORD');
  });

  it('knows status, cancel and help in French, Wolof and English', () => {
    expect(parseSmsCommand('statut')).toEqual({ kind: 'status', language: 'fr' });
    expect(parseSmsCommand(' Statut ')).toEqual({ kind: 'status', language: 'fr' });
    expect(parseSmsCommand('Où en suis-je ?')).toEqual({ kind: 'status', language: 'fr' });
    expect(parseSmsCommand('ana')).toEqual({ kind: 'status', language: 'wo' });
    expect(parseSmsCommand('Ana sama tour')).toEqual({ kind: 'status', language: 'wo' });
    expect(parseSmsCommand('STATUS')).toEqual({ kind: 'status', language: 'en' });
    expect(parseSmsCommand('Annuler')).toEqual({ kind: 'cancel', language: 'fr', branchCode: null, serviceLetter: null });
    expect(parseSmsCommand('annuler plateau a')).toEqual({ kind: 'cancel', language: 'fr', branchCode: 'PLATEAU', serviceLetter: 'A' });
    expect(parseSmsCommand('neenal')).toEqual({ kind: 'cancel', language: 'wo', branchCode: null, serviceLetter: null });
    expect(parseSmsCommand('Bàyyi')).toEqual({ kind: 'cancel', language: 'wo', branchCode: null, serviceLetter: null });
    expect(parseSmsCommand('aide')).toEqual({ kind: 'help', language: 'fr' });
    expect(parseSmsCommand('?')).toEqual({ kind: 'help', language: 'fr' });
    expect(parseSmsCommand('ndimbal')).toEqual({ kind: 'help', language: 'wo' });
    expect(parseSmsCommand('Help me')).toEqual({ kind: 'help', language: 'en' });
  });

  it('calls anything else unknown (the caller answers with the help)', () => {
    for (const text of ['', '   ', 'bonjour', 'PLATEAU', 'PLATEAU AB', 'statut plateau', 'annuler tout', 'A', '😀']) {
      expect(parseSmsCommand(text), JSON.stringify(text)).toEqual({ kind: 'unknown' });
    }
  });
});
