// Layout, code pages, labels and formats: pure parts of the print module.
import { describe, expect, it } from 'vitest';
import { CODE_PAGES, parseCodePage, toPrintable } from './codepages.js';
import { formatDateTime, formatWait, formatXof } from './format.js';
import { PRINT_LABELS, type PrintLabels } from './labels.js';
import { buildTicketLayout, COLUMNS, layoutLines, wrapText, type TextBlock } from './layout.js';
import { renderTicketEscPos } from './escpos.js';
import { commandsOf, decodeEscPos } from '../../../../test/fixtures/escpos-decoder.js';
import type { TicketPrintData } from './data.js';

const base: TicketPrintData = {
  branchName: 'Ecobank Agence Thiès',
  serviceName: 'Dépôt / Retrait',
  ticketNumber: 'B007',
  issuedAt: '2025-06-01T08:05:00Z',
  timeZone: 'Africa/Dakar',
  position: 1,
  estimatedWaitMinutes: 0,
  trackUrl: null,
  language: 'fr',
};

function flatten(labels: PrintLabels, prefix = ''): Array<[string, string]> {
  return Object.entries(labels).flatMap(([key, value]): Array<[string, string]> =>
    typeof value === 'string' ? [[prefix + key, value]] : flatten(value as unknown as PrintLabels, `${prefix}${key}.`),
  );
}

describe('code pages', () => {
  it('accepts the usual spellings and refuses unknown pages', () => {
    expect(parseCodePage(undefined)).toBe('PC858');
    expect(parseCodePage('pc850')).toBe('PC850');
    expect(parseCodePage('PC858_EURO')).toBe('PC858');
    expect(parseCodePage('windows-1252')).toBe('WPC1252');
    expect(parseCodePage('437')).toBe('PC437');
    expect(() => parseCodePage('UTF-8')).toThrow(/unknown printer code page/);
  });

  it('emits the ESC t table we document for each page (node-thermal-printer agrees)', async () => {
    for (const [name, info] of Object.entries(CODE_PAGES)) {
      const job = await renderTicketEscPos(base, { codePage: parseCodePage(name) });
      const decoded = decodeEscPos(job);
      expect(commandsOf(decoded, 'codePage').map((c) => c.table), name).toEqual([info.escposTable]);
      // French accents survive on every page we offer (PC437 loses accents on capitals only).
      expect(decoded.text, name).toContain('Dépôt / Retrait');
      expect(decoded.text.join('\n'), name).toContain('Thiès');
    }
  });

  it('keeps what the page has and replaces what it lacks, never switching page', () => {
    expect(toPrintable('Dépôt, Thiès, Ziguinchor, €', 'PC858')).toBe('Dépôt, Thiès, Ziguinchor, €');
    expect(toPrintable('€', 'PC850')).toBe('EUR');
    expect(toPrintable('À l’accueil — «Caisse»', 'PC437')).toBe("A l'accueil - «Caisse»");
    expect(toPrintable('Ñaari ŋaan', 'PC858')).toBe('Ñaari ngaan');
    expect(toPrintable('12\u202F500', 'PC858')).toBe('12 500');
    expect(toPrintable('a\u001b@b\nc', 'PC858')).toBe('a @b c');
    expect(toPrintable('Москва 東京', 'PC858')).toBe('?????? ??');
  });
});

describe('labels', () => {
  it('have the same keys in fr, wo and en, none empty', () => {
    const keys = (l: PrintLabels) => flatten(l).map(([k]) => k).sort();
    expect(keys(PRINT_LABELS.wo)).toEqual(keys(PRINT_LABELS.fr));
    expect(keys(PRINT_LABELS.en)).toEqual(keys(PRINT_LABELS.fr));
    for (const lang of ['fr', 'wo', 'en'] as const) for (const [key, value] of flatten(PRINT_LABELS[lang])) expect(value.trim(), `${lang}.${key}`).not.toBe('');
  });

  it('are Wolof in wo, not French copied (only VIP and the placeholders may match)', () => {
    const fr = new Map(flatten(PRINT_LABELS.fr));
    const same = flatten(PRINT_LABELS.wo).filter(([key, value]) => fr.get(key) === value).map(([key]) => key);
    expect(same).toEqual(['hoursMinutes', 'queueType.vip']);
  });
});

describe('formats', () => {
  it('prints date and time in the branch zone', () => {
    expect(formatDateTime('2025-06-01T08:05:00Z', 'Africa/Dakar')).toEqual({ date: '01/06/2025', time: '08:05' });
    expect(formatDateTime(new Date('2025-12-31T23:59:00Z'), 'Africa/Lagos')).toEqual({ date: '01/01/2026', time: '00:59' });
    expect(formatDateTime('2025-06-01T10:05:00+02:00', 'Africa/Dakar')).toEqual({ date: '01/06/2025', time: '08:05' });
  });

  it('prints waits in minutes or hours', () => {
    expect(formatWait(0, PRINT_LABELS.fr)).toBe("moins d'1 min");
    expect(formatWait(0.2, PRINT_LABELS.en)).toBe('1 min');
    expect(formatWait(14.1, PRINT_LABELS.wo)).toBe('15 minit');
    expect(formatWait(125, PRINT_LABELS.fr)).toBe('2 h 05');
  });

  it('prints XOF amounts with thin-space thousands', () => {
    expect(formatXof(12500)).toBe('12\u202F500\u202FF\u202FCFA');
    expect(formatXof(1_250_000)).toBe('1\u202F250\u202F000\u202FF\u202FCFA');
    expect(formatXof(500)).toBe('500\u202FF\u202FCFA');
    expect(formatXof(-2000)).toBe('-2\u202F000\u202FF\u202FCFA');
    expect(() => formatXof(12.5)).toThrow(/integers/);
  });
});

describe('ticket layout', () => {
  it('wraps words and cuts only words longer than a line', () => {
    expect(wrapText('Veuillez patienter, votre numéro sera appelé.', 32)).toEqual(['Veuillez patienter, votre numéro', 'sera appelé.']);
    expect(wrapText('abcdefghij klm', 4)).toEqual(['abcd', 'efgh', 'ij', 'klm']);
    expect(wrapText('a\n\nb', 10)).toEqual(['a', 'b']);
  });

  it('fits every line in the paper width, magnified ones included', () => {
    const long = { ...base, branchName: 'Caisse Nationale de Sécurité Sociale — Agence de Ziguinchor', serviceName: 'Prestations familiales et allocations', ticketNumber: 'PF-1024', trackUrl: 'https://suivi.smartqueue.sn/t/1' };
    for (const paperWidth of [58, 80] as const) {
      for (const language of ['fr', 'wo', 'en'] as const) {
        const layout = buildTicketLayout({ ...long, language }, { paperWidth });
        for (const block of layout.blocks.filter((b): b is TextBlock => b.kind === 'text')) {
          expect(block.text.length * block.size, block.text).toBeLessThanOrEqual(COLUMNS[paperWidth]);
        }
        const qr = layout.blocks.find((b) => b.kind === 'qr');
        expect(qr && qr.kind === 'qr' ? qr.modules * qr.cellSize : 0).toBeLessThanOrEqual(layout.dots);
      }
    }
  });

  it('omits unknown position and wait, the QR without URL, and the footer when set to ""', () => {
    const lines = layoutLines(buildTicketLayout({ ...base, position: null, estimatedWaitMinutes: null, footer: '' }, { paperWidth: 58 }));
    expect(lines.some((l) => l.startsWith('Position') || l.startsWith('Attente'))).toBe(false);
    expect(lines).not.toContain('Suivez votre ticket');
    expect(lines).not.toContain('Merci de votre visite.');
    const custom = layoutLines(buildTicketLayout({ ...base, footer: 'Ouvert du lundi au vendredi, 8 h - 16 h' }, { paperWidth: 80 }));
    expect(custom).toContain('Ouvert du lundi au vendredi, 8 h - 16 h');
    const layout = buildTicketLayout({ ...base, queueType: 'normal' });
    expect(layoutLines(layout)).not.toContain('Prioritaire');
  });

  it('says no counter is open instead of a wait (fr, wo, en)', () => {
    for (const [language, text] of [['fr', "Aucun guichet ouvert pour l'instant"], ['wo', 'Amul guichet bu ubbi léegi'], ['en', 'No counter open yet']] as const) {
      const lines = layoutLines(buildTicketLayout({ ...base, language, position: 3, estimatedWaitMinutes: null, noOpenCounter: true }, { paperWidth: 58 }));
      expect(lines.join(' ').replace(/ +/g, ' '), language).toContain(text);
      expect(lines.some((l) => /\bmin\b/.test(l)), language).toBe(false);
    }
  });
});
