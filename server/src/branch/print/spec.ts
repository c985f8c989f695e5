// The printer spec string of a kiosk (SMARTQUEUE_PRINTER, a device's `printer` column):
//   tcp://HOST[:PORT][?waiteof=false&status=false]   raw ESC/POS over TCP, port 9100 by default
//   os:PRINTER_NAME                                   the OS print queue (lp on Linux/macOS, spooler on Windows)
//   simulated[:FOLDER]                                jobs kept in memory, and written to FOLDER when given
import { PrintError } from './errors.js';

export interface TcpPrinterSpec {
  kind: 'tcp';
  host: string;
  port: number;
  /**
   * Wait for the printer to close the connection after our half-close, as CUPS' socket backend does (its
   * `waiteof`): the printer closes only once it has read the whole job, so a printer that takes nothing times out
   * instead of losing the ticket silently. `?waiteof=false` for the rare printer that never closes.
   */
  waitForClose: boolean;
  /** Ask DLE EOT 4 (paper sensor) before printing and in status(). `?status=false` for printers that choke on it. */
  statusQuery: boolean;
}
export interface OsPrinterSpec { kind: 'os'; name: string }
export interface SimulatedPrinterSpec { kind: 'simulated'; dir: string | null }
export type PrinterSpec = TcpPrinterSpec | OsPrinterSpec | SimulatedPrinterSpec;
export type PrinterKind = PrinterSpec['kind'];

const FORMS = 'expected "tcp://HOST:PORT", "os:PRINTER_NAME" or "simulated"';
const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function bad(spec: string, why: string): PrintError {
  return new PrintError('PRINTER_CONFIG', `invalid printer spec "${spec}": ${why}`, { spec });
}

function parseFlag(spec: string, name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw bad(spec, `option ${name} must be true or false`);
}

function parseTcp(spec: string): TcpPrinterSpec {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw bad(spec, FORMS);
  }
  if (url.username !== '' || url.password !== '') throw bad(spec, 'no credentials in a tcp printer spec');
  if (url.pathname !== '' && url.pathname !== '/') throw bad(spec, 'no path after HOST:PORT');
  if (url.hash !== '') throw bad(spec, 'no #fragment');
  let host = url.hostname;
  if (host === '') throw bad(spec, 'missing host');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1); // IPv6 literal
  else if (!HOSTNAME_RE.test(host)) throw bad(spec, `"${host}" is not a host name or IP address`);
  // URL drops an explicit port only when it is the scheme's default, and tcp: has none; an empty port means absent.
  const port = url.port === '' ? 9100 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(spec, 'port must be 1-65535');
  const out: TcpPrinterSpec = { kind: 'tcp', host, port, waitForClose: true, statusQuery: true };
  for (const [key, value] of url.searchParams) {
    if (key === 'waiteof') out.waitForClose = parseFlag(spec, key, value);
    else if (key === 'status') out.statusQuery = parseFlag(spec, key, value);
    else throw bad(spec, `unknown option "${key}" (known: waiteof, status)`);
  }
  return out;
}

/** Parses a printer spec; throws PrintError(PRINTER_CONFIG) with a readable reason when it is not one. */
export function parsePrinterSpec(input: string): PrinterSpec {
  if (typeof input !== 'string') throw new PrintError('PRINTER_CONFIG', `invalid printer spec: ${FORMS}`);
  const spec = input.trim();
  if (spec === '') throw bad(input, `empty; ${FORMS}`);
  const lower = spec.toLowerCase();
  if (lower.startsWith('tcp://')) return parseTcp(spec);
  if (lower.startsWith('os:')) {
    const name = spec.slice(3).trim();
    if (name === '') throw bad(input, 'missing printer name after "os:"');
    if (name.length > 200) throw bad(input, 'printer name too long');
    // The name goes to lp/PowerShell as one argument (never through a shell); still refuse what no queue is named.
    if (/\p{Cc}/u.test(name)) throw bad(input, 'control characters in printer name');
    if (name.startsWith('-')) throw bad(input, 'printer name may not start with "-"');
    return { kind: 'os', name };
  }
  if (lower === 'simulated') return { kind: 'simulated', dir: null };
  if (lower.startsWith('simulated:')) {
    const dir = spec.slice('simulated:'.length).trim();
    if (dir === '') throw bad(input, 'missing folder after "simulated:"');
    return { kind: 'simulated', dir };
  }
  throw bad(input, FORMS);
}

/** The spec written back in canonical form (for logs and the admin UI). */
export function formatPrinterSpec(spec: PrinterSpec): string {
  switch (spec.kind) {
    case 'tcp': {
      const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
      const opts = [!spec.waitForClose ? 'waiteof=false' : '', !spec.statusQuery ? 'status=false' : ''].filter(Boolean);
      return `tcp://${host}:${spec.port}${opts.length ? `?${opts.join('&')}` : ''}`;
    }
    case 'os':
      return `os:${spec.name}`;
    case 'simulated':
      return spec.dir === null ? 'simulated' : `simulated:${spec.dir}`;
  }
}
