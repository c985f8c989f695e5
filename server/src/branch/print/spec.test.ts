import { describe, expect, it } from 'vitest';
import { PrintError } from './errors.js';
import { formatPrinterSpec, parsePrinterSpec } from './spec.js';

describe('parsePrinterSpec', () => {
  it('parses tcp printers, with port 9100 by default and IPv6 literals', () => {
    expect(parsePrinterSpec('tcp://192.168.1.50:9100')).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100, waitForClose: true, statusQuery: true });
    expect(parsePrinterSpec(' TCP://printer-kiosk1.local ')).toMatchObject({ host: 'printer-kiosk1.local', port: 9100 });
    expect(parsePrinterSpec('tcp://[fe80::1]:9101')).toMatchObject({ host: 'fe80::1', port: 9101 });
    expect(parsePrinterSpec('tcp://10.0.0.7:9100?waiteof=false&status=0')).toMatchObject({ waitForClose: false, statusQuery: false });
  });

  it('parses OS queues and simulated printers', () => {
    expect(parsePrinterSpec('os:EPSON_TM_T20')).toEqual({ kind: 'os', name: 'EPSON_TM_T20' });
    expect(parsePrinterSpec('os:POS-80 Printer')).toEqual({ kind: 'os', name: 'POS-80 Printer' });
    expect(parsePrinterSpec('simulated')).toEqual({ kind: 'simulated', dir: null });
    expect(parsePrinterSpec('simulated:./data/prints')).toEqual({ kind: 'simulated', dir: './data/prints' });
  });

  it('rejects bad specs with PRINTER_CONFIG and a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['   ', /empty/],
      ['lpt1', /expected "tcp:\/\/HOST:PORT"/],
      ['http://printer:9100', /expected/],
      ['tcp://', /missing host/],
      ['tcp://printer:0', /port/],
      ['tcp://printer:65536', /expected|port/],
      ['tcp://printer:9100/queue', /no path/],
      ['tcp://user:pw@printer:9100', /credentials/],
      ['tcp://printer:9100?speed=fast', /unknown option "speed"/],
      ['tcp://printer:9100?waiteof=maybe', /true or false/],
      ['tcp://bad_host!:9100', /expected|not a host/],
      ['os:', /missing printer name/],
      ['os:-o evil', /may not start with "-"/],
      ['os:a\u0007b', /control characters/],
      ['simulated:', /missing folder/],
    ];
    for (const [spec, reason] of cases) {
      let error: unknown;
      try {
        parsePrinterSpec(spec);
      } catch (e) {
        error = e;
      }
      expect(error, spec).toBeInstanceOf(PrintError);
      expect((error as PrintError).code, spec).toBe('PRINTER_CONFIG');
      expect((error as PrintError).message, spec).toMatch(reason);
    }
  });

  it('formats specs back in canonical form', () => {
    for (const spec of ['tcp://192.168.1.50:9100', 'tcp://[fe80::1]:9100', 'tcp://p:9100?waiteof=false&status=false', 'os:Kiosk 1', 'simulated', 'simulated:/tmp/x']) {
      expect(formatPrinterSpec(parsePrinterSpec(spec))).toBe(spec);
    }
    expect(formatPrinterSpec(parsePrinterSpec('tcp://printer'))).toBe('tcp://printer:9100');
  });
});
