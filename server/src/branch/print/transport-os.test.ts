// The OS-queue transport against stand-ins for CUPS' lp and lpstat: small shell scripts that record what they
// are given (the print system is the outside world here; no CUPS on the test machine).
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../../test/fixtures/escpos-decoder.js';
import { createPrinter, PrintError, type TicketPrintData } from './index.js';

const data: TicketPrintData = {
  branchName: 'Hôpital Principal de Dakar',
  serviceName: 'Consultation générale',
  ticketNumber: 'C013',
  issuedAt: '2025-03-05T09:00:00Z',
  timeZone: 'Africa/Dakar',
  position: 5,
  estimatedWaitMinutes: 40,
  trackUrl: null,
  language: 'fr',
};

let dir: string;

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sq-lp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('os:NAME printers through lp', () => {
  it('pipes the job to `lp -d NAME -o raw`', async () => {
    const lp = await script('lp-ok', `printf '%s\\n' "$@" > "${dir}/args"\ncat > "${dir}/job.bin"\necho "request id is $2-1 (0 file(s))"`);
    const printer = createPrinter({ spec: 'os:POS-80 Kiosk', paperWidth: 80, osCommands: { lp } });
    const result = await printer.printTicket(data);
    const args = (await readFile(path.join(dir, 'args'), 'utf8')).trimEnd().split('\n');
    expect(args.slice(0, 4)).toEqual(['-d', 'POS-80 Kiosk', '-o', 'raw']);
    expect(args.slice(4)).toEqual(['-t', 'SmartQueue ticket C013']);
    const job = await readFile(path.join(dir, 'job.bin'));
    expect(job.length).toBe(result.bytes);
    expect(decodeEscPos(job).text).toEqual(expect.arrayContaining(['C013', 'Hôpital Principal de Dakar']));
  });

  it('reports an unknown queue as PRINTER_CONFIG and a stopped scheduler as PRINTER_OFFLINE', async () => {
    const missing = await script('lp-missing', `cat > /dev/null\necho "lp: The printer or class does not exist." >&2\nexit 1`);
    const down = await script('lp-down', `cat > /dev/null\necho "lp: Unable to connect to server: Connection refused" >&2\nexit 1`);
    const error1 = await createPrinter({ spec: 'os:Nope', osCommands: { lp: missing } }).printTicket(data).catch((e: unknown) => e);
    expect(error1).toBeInstanceOf(PrintError);
    expect((error1 as PrintError).code).toBe('PRINTER_CONFIG');
    const error2 = await createPrinter({ spec: 'os:Kiosk', osCommands: { lp: down } }).printTicket(data).catch((e: unknown) => e);
    expect((error2 as PrintError).code).toBe('PRINTER_OFFLINE');
  });

  it('kills a hanging lp at the timeout: PRINTER_TIMEOUT', async () => {
    const hang = await script('lp-hang', 'exec sleep 30');
    const error = await createPrinter({ spec: 'os:Kiosk', timeoutMs: 300, osCommands: { lp: hang } }).printTicket(data).catch((e: unknown) => e);
    expect((error as PrintError).code).toBe('PRINTER_TIMEOUT');
  }, 10_000);

  it('reports a missing lp as PRINTER_CONFIG', async () => {
    const error = await createPrinter({ spec: 'os:Kiosk', osCommands: { lp: path.join(dir, 'no-such-lp') } }).printTicket(data).catch((e: unknown) => e);
    expect((error as PrintError).code).toBe('PRINTER_CONFIG');
    expect((error as PrintError).message).toMatch(/not found/);
  });

  it('tells the queue state through lpstat', async () => {
    const idle = await script('lpstat-idle', 'echo "printer $2 is idle.  enabled since Wed 05 Mar 2025 09:00:00 GMT"');
    const disabled = await script('lpstat-disabled', 'echo "printer $2 disabled since Wed 05 Mar 2025 09:00:00 GMT -"');
    const unknown = await script('lpstat-unknown', `echo "lpstat: Invalid destination name in list \\"$2\\"." >&2\nexit 1`);
    expect(await createPrinter({ spec: 'os:Kiosk', osCommands: { lpstat: idle } }).status()).toMatchObject({ ok: true, paper: 'unknown' });
    expect(await createPrinter({ spec: 'os:Kiosk', osCommands: { lpstat: disabled } }).status()).toMatchObject({ ok: false, code: 'PRINTER_OFFLINE' });
    expect(await createPrinter({ spec: 'os:Nope', osCommands: { lpstat: unknown } }).status()).toMatchObject({ ok: false, code: 'PRINTER_CONFIG' });
  });
});
