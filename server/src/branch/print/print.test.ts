// The print module end to end: tickets rendered with node-thermal-printer, sent over real TCP to a fake printer,
// decoded back to text and commands.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf, decodeEscPos, type DecodedEscPos } from '../../../../test/fixtures/escpos-decoder.js';
import { FakePrinter, unusedPort } from '../../../../test/fixtures/fake-printer.js';
import {
  buildReceiptLayout,
  buildTicketLayout,
  COLUMNS,
  createPrinter,
  layoutLines,
  PrintError,
  renderReceiptPreviewHtml,
  renderTicketEscPos,
  renderTicketPreviewHtml,
  renderTicketPreviewSvg,
  SimulatedPrinter,
  type PaperWidth,
  type TicketPrintData,
} from './index.js';

const DAKAR = 'Africa/Dakar';

function ticket(overrides: Partial<TicketPrintData> = {}): TicketPrintData {
  return {
    branchName: 'CBAO Agence Médina',
    serviceName: 'Dépôt / Retrait',
    ticketNumber: 'A042',
    issuedAt: '2025-03-05T10:42:00Z',
    timeZone: DAKAR,
    position: 3,
    estimatedWaitMinutes: 15,
    trackUrl: 'https://suivi.smartqueue.sn/t/7f3a9c21',
    language: 'fr',
    ...overrides,
  };
}

/** Decodes as a clone printer booting in Chinese mode would: accents only survive if FS . was sent. */
function decode(job: Buffer): DecodedEscPos {
  const decoded = decodeEscPos(job, { chineseByDefault: true });
  expect(decoded.errors).toEqual([]);
  expect(commandsOf(decoded, 'unknown')).toEqual([]);
  return decoded;
}

async function rejection(promise: Promise<unknown>): Promise<PrintError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PrintError);
    return error as PrintError;
  }
  throw new Error('expected the promise to reject');
}

/** Text of the HTML preview's lines, unescaped. */
function htmlLines(html: string): string[] {
  return [...html.matchAll(/<div class="sq-line[^"]*"[^>]*>(.*?)<\/div>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/&#8203;/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

let fake: FakePrinter;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sq-print-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('ticket over TCP to a fake printer', () => {
  beforeAll(async () => {
    fake = new FakePrinter();
    await fake.start();
  });
  afterEach(() => {
    fake.mode = 'normal';
    fake.paper = 'ok';
    fake.connections.length = 0;
  });
  afterAll(async () => {
    await fake.close();
  });

  for (const paperWidth of [58, 80] as PaperWidth[]) {
    it(`prints a French ticket on ${paperWidth} mm paper that decodes back to its text and commands`, async () => {
      const printer = createPrinter({ spec: fake.spec, paperWidth });
      const result = await printer.printTicket(ticket());
      expect(result.paper).toBe('ok');
      const [job] = await fake.waitForJobs(1);
      // The connection carried the 3-byte paper query (DLE EOT 4) before the job.
      expect(job?.length).toBe(result.bytes + 3);
      const d = decode(job ?? Buffer.alloc(0));

      expect(d.text).toContain('Dépôt / Retrait');
      expect(d.text).toContain('CBAO Agence Médina');
      const number = d.lines.find((l) => l.text === 'A042');
      expect(number).toMatchObject({ align: 'center', bold: true });
      expect(number?.width).toBeGreaterThanOrEqual(3);
      expect(number?.height).toBe(number?.width);
      // Africa/Dakar is UTC+0 all year.
      expect(d.text).toContain(`Date${' '.repeat(COLUMNS[paperWidth] - 14)}05/03/2025`);
      expect(d.text).toContain(`Heure${' '.repeat(COLUMNS[paperWidth] - 10)}10:42`);
      expect(d.text.some((l) => /^Position +3$/.test(l))).toBe(true);
      expect(d.text.some((l) => /^Attente estimée +15 min$/.test(l))).toBe(true);
      expect(d.text).toContain('Suivez votre ticket');
      expect(d.text).toContain('Merci de votre visite.');
      for (const line of d.lines) expect(line.text.length * line.width).toBeLessThanOrEqual(COLUMNS[paperWidth]);

      const types = d.commands.map((c) => c.type);
      const init = types.indexOf('init');
      const cancel = types.indexOf('cancelChinese');
      const codePage = commandsOf(d, 'codePage');
      expect(init).toBeGreaterThanOrEqual(0);
      expect(cancel).toBeGreaterThan(init);
      expect(codePage).toHaveLength(1);
      expect(codePage[0]).toMatchObject({ table: 19, encoding: 'CP858' });
      expect(codePage[0]?.offset).toBeGreaterThan(d.commands[cancel]?.offset ?? Infinity);
      expect(commandsOf(d, 'qrStore').map((c) => c.data)).toEqual(['https://suivi.smartqueue.sn/t/7f3a9c21']);
      expect(types.indexOf('qrPrint')).toBeGreaterThan(types.indexOf('qrStore'));
      // The cut comes after every line, followed only by the reset for the next job.
      const cut = commandsOf(d, 'cut');
      expect(cut).toHaveLength(1);
      expect(types.slice(types.indexOf('cut') + 1)).toEqual(['init']);
      // The paper check went first, on the same connection.
      expect(d.commands[0]).toMatchObject({ type: 'realtimeStatus', n: 4 });

      // Same layout, same lines: the decoded paper equals the layout (and hence the preview).
      expect(d.text).toEqual(layoutLines(buildTicketLayout(ticket(), { paperWidth })));
      expect(htmlLines(renderTicketPreviewHtml(ticket(), { paperWidth }))).toEqual(d.text);
    });
  }

  it('prints a long service name, a priority class and the time in the branch zone', async () => {
    const printer = createPrinter({ spec: fake.spec, paperWidth: 58 });
    await printer.printTicket(ticket({ serviceName: 'Ouverture de compte', queueType: 'priority', issuedAt: new Date('2025-03-05T23:30:00Z'), timeZone: 'Europe/Paris' }));
    const [job] = await fake.waitForJobs(1);
    const d = decode(job ?? Buffer.alloc(0));
    const service = d.lines.filter((l) => l.width === 2 && /Ouverture|compte/.test(l.text)).map((l) => l.text);
    expect(service.join(' ')).toBe('Ouverture de compte');
    expect(d.text).toContain('Prioritaire');
    expect(d.text.some((l) => /^Date +06\/03\/2025$/.test(l))).toBe(true);
    expect(d.text.some((l) => /^Heure +00:30$/.test(l))).toBe(true);
  });

  it('prints the labels in the visitor’s language: French, Wolof, English', async () => {
    const printer = createPrinter({ spec: fake.spec, paperWidth: 80 });
    await printer.printTicket(ticket({ language: 'fr' }));
    await printer.printTicket(ticket({ language: 'wo' }));
    await printer.printTicket(ticket({ language: 'en' }));
    const jobs = (await fake.waitForJobs(3)).map((j) => decode(j).text);
    const [fr, wo, en] = jobs as [string[], string[], string[]];
    expect(fr.some((l) => l.startsWith('Position'))).toBe(true);
    expect(fr).toContain('Suivez votre ticket');
    expect(wo.some((l) => /^Sa tour +3$/.test(l))).toBe(true);
    expect(wo.some((l) => /^Xaar +15 minit$/.test(l))).toBe(true);
    expect(wo).toContain('Tike');
    expect(wo).toContain('Toppal sa tike');
    expect(wo).toContain('Jërëjëf ci li nga ñëw.');
    expect(en.some((l) => /^Estimated wait +15 min$/.test(l))).toBe(true);
    expect(en).toContain('Track your ticket');
    expect(en).toContain('Thank you for your visit.');
    // Whatever the language, the service name and number are the branch's.
    for (const lines of jobs) expect(lines).toEqual(expect.arrayContaining(['Dépôt / Retrait', 'A042']));
  });

  it('uses the configured code page', async () => {
    const printer = createPrinter({ spec: fake.spec, paperWidth: 58, codePage: 'WPC1252' });
    await printer.printTicket(ticket());
    const d = decode((await fake.waitForJobs(1))[0] ?? Buffer.alloc(0));
    expect(commandsOf(d, 'codePage').map((c) => c.table)).toEqual([16]);
    expect(d.text).toContain('Dépôt / Retrait');
  });

  it('prints jobs one after the other when issued together', async () => {
    const printer = createPrinter({ spec: fake.spec });
    await Promise.all(['A001', 'A002', 'A003'].map((n) => printer.printTicket(ticket({ ticketNumber: n }))));
    const numbers = (await fake.waitForJobs(3)).map((j) => decode(j).text.find((l) => /^A00\d$/.test(l)));
    expect(numbers).toEqual(['A001', 'A002', 'A003']);
  });

  it('reports a stalled printer as PRINTER_TIMEOUT instead of hanging', async () => {
    fake.mode = 'stall';
    const printer = createPrinter({ spec: fake.spec, timeoutMs: 300 });
    const error = await rejection(printer.printTicket(ticket()));
    expect(error.code).toBe('PRINTER_TIMEOUT');
    expect(error.message).toContain('300 ms');
    // The bytes may sit in the printer's buffer: a retry could print twice, and the caller is told.
    expect(error.maybePrinted).toBe(true);
    expect(fake.connections).toHaveLength(1);
    // status() of a printer that accepts but does not answer: reachable, paper unknown.
    expect(await printer.status()).toEqual({ ok: true, paper: 'unknown' });
  }, 10_000);

  it('refuses to print when the printer says its paper is out, and status() says so', async () => {
    fake.paper = 'out';
    const printer = createPrinter({ spec: fake.spec, timeoutMs: 2000 });
    const error = await rejection(printer.printTicket(ticket()));
    expect(error.code).toBe('PAPER_OUT');
    expect(error.maybePrinted).toBe(false);
    expect(fake.jobs).toHaveLength(0);
    expect(await printer.status()).toMatchObject({ ok: false, code: 'PAPER_OUT', paper: 'out' });
  });

  it('prints and warns when the paper roll is nearly empty', async () => {
    fake.paper = 'near_end';
    const printer = createPrinter({ spec: fake.spec });
    expect((await printer.printTicket(ticket())).paper).toBe('near_end');
    expect(await printer.status()).toMatchObject({ ok: true, paper: 'near_end' });
  });

  it('prints to a printer that never answers status queries, paper unknown', async () => {
    fake.paper = 'silent';
    const printer = createPrinter({ spec: fake.spec, timeoutMs: 2000, statusTimeoutMs: 100 });
    expect((await printer.printTicket(ticket())).paper).toBe('unknown');
    expect(await fake.waitForJobs(1)).toHaveLength(1);
    expect(await printer.status()).toEqual({ ok: true, paper: 'unknown' });
  });

  it('skips the status query when the spec says status=false', async () => {
    const printer = createPrinter({ spec: `${fake.spec}?status=false` });
    await printer.printTicket(ticket());
    const d = decode((await fake.waitForJobs(1))[0] ?? Buffer.alloc(0));
    expect(commandsOf(d, 'realtimeStatus')).toEqual([]);
    expect(d.commands[0]?.type).toBe('init');
  });

  it('reports a connection reset as PRINTER_OFFLINE', async () => {
    fake.mode = 'reset';
    const printer = createPrinter({ spec: fake.spec, timeoutMs: 2000 });
    expect((await rejection(printer.printTicket(ticket()))).code).toBe('PRINTER_OFFLINE');
  });

  it('reports status ok for a reachable printer', async () => {
    expect(await createPrinter({ spec: fake.spec }).status()).toEqual({ ok: true, paper: 'ok' });
  });
});

describe('printer offline or misconfigured', () => {
  it('reports a closed port as PRINTER_OFFLINE without waiting for the timeout', async () => {
    const port = await unusedPort();
    // A timeout far longer than the test's: the refusal has to come from the connection, not from the timer.
    const printer = createPrinter({ spec: `tcp://127.0.0.1:${port}`, timeoutMs: 120_000 });
    const error = await rejection(printer.printTicket(ticket()));
    expect(error.code).toBe('PRINTER_OFFLINE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(await printer.status()).toMatchObject({ ok: false, code: 'PRINTER_OFFLINE', paper: 'unknown' });
  }, 10_000);

  it('rejects bad specs and options with PRINTER_CONFIG', () => {
    for (const spec of ['', 'usb:foo', 'tcp://', 'tcp://printer:0', 'tcp://printer:70000', 'tcp://printer:9100/x', 'os:', 'simulated:']) {
      expect(() => createPrinter({ spec }), spec).toThrow(PrintError);
      try {
        createPrinter({ spec });
      } catch (error) {
        expect((error as PrintError).code).toBe('PRINTER_CONFIG');
      }
    }
    expect(() => createPrinter({ spec: 'simulated', codePage: 'EBCDIC' })).toThrow(/code page/);
    expect(() => createPrinter({ spec: 'simulated', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createPrinter({ spec: 'simulated', paperWidth: 76 as PaperWidth })).toThrow(/58 or 80/);
  });

  it('rejects invalid ticket data with INVALID_PRINT_DATA before sending anything', async () => {
    const printer = createPrinter({ spec: 'simulated' });
    const cases: Array<Partial<TicketPrintData>> = [
      { timeZone: 'Mars/Olympus' },
      { issuedAt: 'yesterday' },
      { ticketNumber: '' },
      { trackUrl: 'javascript:alert(1)' },
      { position: -1 },
    ];
    for (const bad of cases) {
      expect((await rejection(printer.printTicket(ticket(bad)))).code, JSON.stringify(bad)).toBe('INVALID_PRINT_DATA');
    }
    expect((printer as SimulatedPrinter).jobs).toHaveLength(0);
  });
});

describe('simulated printer', () => {
  it('keeps the job in memory and writes .bin and .txt to its folder', async () => {
    const dir = path.join(tmp, 'sim');
    const printer = createPrinter({ spec: `simulated:${dir}`, paperWidth: 58 });
    expect(printer).toBeInstanceOf(SimulatedPrinter);
    expect(printer.kind).toBe('simulated');
    const result = await printer.printTicket(ticket({ language: 'wo' }));
    const jobs = (printer as SimulatedPrinter).jobs;
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job?.bytes.length).toBe(result.bytes);
    expect(decode(job?.bytes ?? Buffer.alloc(0)).text).toContain('A042');
    const files = job?.files;
    expect(files).not.toBeNull();
    expect(await readFile(files?.bin ?? '')).toEqual(job?.bytes);
    const txt = await readFile(files?.txt ?? '', 'utf8');
    expect(txt).toContain('Dépôt / Retrait');
    expect(txt).toContain('[QR https://suivi.smartqueue.sn/t/7f3a9c21]');
    expect(await printer.status()).toMatchObject({ ok: true });
  });

  it('keeps jobs in memory only with the bare spec, and refuses jobs once closed', async () => {
    const printer = createPrinter({ spec: 'simulated' }) as SimulatedPrinter;
    await printer.printReceipt({
      branchName: 'Orange Agence Sandaga',
      amountXof: 12500,
      provider: 'Wave',
      reference: 'T_8H2K4Q',
      paidAt: '2025-03-05T10:45:00Z',
      timeZone: DAKAR,
      language: 'fr',
      ticketNumber: 'C017',
    });
    expect(printer.jobs.map((j) => [j.kind, j.title, j.files])).toEqual([['receipt', 'T_8H2K4Q', null]]);
    await printer.close();
    expect((await rejection(printer.printTicket(ticket()))).code).toBe('PRINTER_CONFIG');
  });
});

describe('receipt', () => {
  it('prints the amount in XOF, the provider and the reference', async () => {
    const receiptFake = new FakePrinter();
    await receiptFake.start();
    try {
      const data = {
        branchName: 'Orange Agence Sandaga',
        amountXof: 1_250_000,
        provider: 'Orange Money',
        reference: 'OM250305.1045.A12345',
        paidAt: '2025-03-05T10:45:00Z',
        timeZone: DAKAR,
        language: 'fr' as const,
        ticketNumber: 'C017',
        serviceName: 'Paiement de facture',
      };
      await createPrinter({ spec: receiptFake.spec, paperWidth: 58 }).printReceipt(data);
      const d = decode((await receiptFake.waitForJobs(1))[0] ?? Buffer.alloc(0));
      expect(d.text).toContain('Reçu de paiement');
      // U+202F thousands separators become plain spaces on a page that lacks them.
      expect(d.lines.find((l) => l.text === '1 250 000 F CFA')).toMatchObject({ bold: true, align: 'center' });
      expect(d.text.some((l) => /^Opérateur +Orange Money$/.test(l))).toBe(true);
      expect(d.text.some((l) => /^Référence +OM250305\.1045\.A12345$/.test(l))).toBe(true);
      expect(d.text.some((l) => /^Ticket +C017$/.test(l))).toBe(true);
      expect(commandsOf(d, 'cut')).toHaveLength(1);
      expect(d.text).toEqual(layoutLines(buildReceiptLayout(data, { paperWidth: 58 })));
      expect(htmlLines(renderReceiptPreviewHtml(data, { paperWidth: 58 }))).toEqual(d.text);
    } finally {
      await receiptFake.close();
    }
  });
});

describe('logo and previews', () => {
  it('prints a configured PNG logo as a raster image, and skips an unreadable one with a warning', async () => {
    const logoPath = path.join(tmp, 'logo.png');
    await writeFile(logoPath, await QRCode.toBuffer('logo', { type: 'png', width: 120, margin: 0 }));
    const job = await renderTicketEscPos(ticket({ logoPath }), { paperWidth: 58 });
    const raster = commandsOf(decode(job), 'rasterImage');
    expect(raster).toHaveLength(1);
    expect(raster[0]).toMatchObject({ widthBytes: 15, height: 120 });

    const printer = createPrinter({ spec: 'simulated' });
    const result = await printer.printTicket(ticket({ logoPath: path.join(tmp, 'missing.png') }));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('missing.png');
    expect(commandsOf(decode((printer as SimulatedPrinter).jobs[0]?.bytes ?? Buffer.alloc(0)), 'rasterImage')).toEqual([]);
  });

  it('renders an SVG preview with the same text and the QR code', () => {
    const svg = renderTicketPreviewSvg(ticket({ language: 'en' }), { paperWidth: 80 });
    expect(svg.startsWith('<svg')).toBe(true);
    const texts = [...svg.matchAll(/<text [^>]*>(.*?)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(layoutLines(buildTicketLayout(ticket({ language: 'en' }), { paperWidth: 80 })).filter((l) => l !== ''));
    expect(svg).toContain('data-qr="https://suivi.smartqueue.sn/t/7f3a9c21"');
  });

  it('escapes HTML in the preview', () => {
    const html = renderTicketPreviewHtml(ticket({ serviceName: '<b>Caisse</b> & "X"' }), { document: true });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('&lt;b&gt;Caisse&lt;/b&gt; &amp; &quot;X&quot;');
    expect(html).not.toContain('<b>Caisse');
  });
});
