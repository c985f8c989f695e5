// Printing through the operating system's queue, for USB printers installed as a raw queue.
//   Linux/macOS: `lp -d NAME -o raw` with the job on stdin (CUPS). lp returns once the job is queued: it says
//                nothing about paper; status() asks `lpstat -p NAME`.
//   Windows:     the spooler's raw path (OpenPrinter / StartDocPrinter with datatype RAW / WritePrinter) through
//                a short PowerShell script, the job passed base64-encoded on stdin and the queue name in an
//                environment variable (nothing is interpolated into the script). Not exercised by our tests (no
//                Windows here); Add-Type compiles the helper on each job, which takes ~1 s on a slow PC, so give
//                such printers a timeout of 10 s or more.
// Every command is spawned without a shell and killed at the timeout.
import { spawn } from 'node:child_process';
import { PrintError } from './errors.js';
import type { OsPrinterSpec } from './spec.js';
import type { JobMeta, PrinterStatus, PrintTransport, SendResult } from './transport.js';

export interface OsCommands {
  /** Default `lp`. */
  lp?: string;
  /** Default `lpstat`. */
  lpstat?: string;
  /** Default `powershell.exe`. */
  powershell?: string;
}

interface CommandResult { code: number | null; stdout: string; stderr: string }

const OUTPUT_LIMIT = 16_384;

export function runCommand(
  command: string,
  args: string[],
  o: { input?: Buffer | string; timeoutMs: number; env?: NodeJS.ProcessEnv; spec?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: o.env ?? process.env, windowsHide: true });
    const done = (error: PrintError | null, result?: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else if (result) resolve(result);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(new PrintError('PRINTER_TIMEOUT', `"${command}" did not finish within ${o.timeoutMs} ms`, { spec: o.spec, maybePrinted: true }));
    }, o.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        done(new PrintError('PRINTER_CONFIG', `"${command}" not found: install the print system (CUPS: lp) or use a tcp:// printer`, { cause: error, spec: o.spec }));
      } else {
        done(new PrintError('PRINTER_ERROR', `could not run "${command}": ${error.message}`, { cause: error, spec: o.spec }));
      }
    });
    child.stdout.on('data', (chunk: Buffer) => { if (stdout.length < OUTPUT_LIMIT) stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < OUTPUT_LIMIT) stderr += chunk.toString('utf8'); });
    child.stdin.on('error', () => {}); // EPIPE when the command exits without reading: its exit code tells why
    child.stdin.end(o.input ?? '');
    child.on('close', (code) => done(null, { code, stdout, stderr }));
  });
}

/** Sorts a spooler complaint into our codes. */
function classify(output: string, name: string, spec: string): PrintError {
  const text = output.trim() || 'no message';
  if (/does not exist|invalid destination|unknown (printer|destination)|not found|1801|InvalidPrinterName/i.test(text)) {
    return new PrintError('PRINTER_CONFIG', `print queue "${name}" does not exist: ${text}`, { spec });
  }
  if (/unable to connect|not responding|scheduler is not running|disabled|not accepting|offline/i.test(text)) {
    return new PrintError('PRINTER_OFFLINE', `print queue "${name}" is not available: ${text}`, { spec });
  }
  if (/paper ?out|out of paper/i.test(text)) return new PrintError('PAPER_OUT', `print queue "${name}": ${text}`, { spec });
  return new PrintError('PRINTER_ERROR', `print queue "${name}": ${text}`, { spec });
}

const WINDOWS_RAW_PRINT = String.raw`
$ErrorActionPreference = 'Stop'
try {
  Add-Type -TypeDefinition @'
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
public static class SmartQueueRawPrint {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DocInfo {
    [MarshalAs(UnmanagedType.LPWStr)] public string pDocName;
    [MarshalAs(UnmanagedType.LPWStr)] public string pOutputFile;
    [MarshalAs(UnmanagedType.LPWStr)] public string pDatatype;
  }
  [DllImport("winspool.drv", EntryPoint = "OpenPrinterW", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern bool OpenPrinter(string name, out IntPtr handle, IntPtr defaults);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr handle);
  [DllImport("winspool.drv", EntryPoint = "StartDocPrinterW", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern int StartDocPrinter(IntPtr handle, int level, [In] DocInfo info);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr handle);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr handle);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr handle);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool WritePrinter(IntPtr handle, byte[] data, int count, out int written);
  static Exception Fail(string what) { int code = Marshal.GetLastWin32Error(); return new Win32Exception(code, what + " failed (" + code + "): " + new Win32Exception(code).Message); }
  public static void Send(string printer, byte[] bytes, string docName) {
    IntPtr h;
    if (!OpenPrinter(printer, out h, IntPtr.Zero)) throw Fail("OpenPrinter");
    try {
      DocInfo info = new DocInfo(); info.pDocName = docName; info.pDatatype = "RAW";
      if (StartDocPrinter(h, 1, info) == 0) throw Fail("StartDocPrinter");
      try {
        if (!StartPagePrinter(h)) throw Fail("StartPagePrinter");
        int written;
        if (!WritePrinter(h, bytes, bytes.Length, out written)) throw Fail("WritePrinter");
        if (written != bytes.Length) throw new Exception("WritePrinter wrote " + written + " of " + bytes.Length + " bytes");
        EndPagePrinter(h);
      } finally { EndDocPrinter(h); }
    } finally { ClosePrinter(h); }
  }
}
'@
  $bytes = [Convert]::FromBase64String([Console]::In.ReadToEnd())
  [SmartQueueRawPrint]::Send($env:SQ_PRINTER_NAME, $bytes, $env:SQ_DOC_NAME)
} catch {
  [Console]::Error.WriteLine($_.Exception.Message)
  exit 1
}
`;

const WINDOWS_STATUS = String.raw`
$ErrorActionPreference = 'Stop'
try { (Get-Printer -Name $env:SQ_PRINTER_NAME).PrinterStatus } catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }
`;

const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command'];

export class OsTransport implements PrintTransport {
  private readonly commands: Required<OsCommands>;

  constructor(
    private readonly target: OsPrinterSpec,
    private readonly o: { timeoutMs: number; commands?: OsCommands; platform?: NodeJS.Platform },
    private readonly specText: string,
  ) {
    this.commands = { lp: 'lp', lpstat: 'lpstat', powershell: 'powershell.exe', ...o.commands };
  }

  private get windows(): boolean {
    return (this.o.platform ?? process.platform) === 'win32';
  }

  async send(job: Buffer, meta: JobMeta): Promise<SendResult> {
    const title = `SmartQueue ${meta.kind} ${meta.title}`;
    const result = this.windows
      ? await runCommand(this.commands.powershell, [...POWERSHELL_ARGS, WINDOWS_RAW_PRINT], {
          input: job.toString('base64'),
          timeoutMs: this.o.timeoutMs,
          env: { ...process.env, SQ_PRINTER_NAME: this.target.name, SQ_DOC_NAME: title },
          spec: this.specText,
        })
      : await runCommand(this.commands.lp, ['-d', this.target.name, '-o', 'raw', '-t', title], {
          input: job,
          timeoutMs: this.o.timeoutMs,
          spec: this.specText,
        });
    if (result.code !== 0) throw classify(`${result.stderr}\n${result.stdout}`, this.target.name, this.specText);
    return { paper: 'unknown' };
  }

  async status(): Promise<PrinterStatus> {
    try {
      if (this.windows) {
        const r = await runCommand(this.commands.powershell, [...POWERSHELL_ARGS, WINDOWS_STATUS], {
          timeoutMs: this.o.timeoutMs,
          env: { ...process.env, SQ_PRINTER_NAME: this.target.name },
          spec: this.specText,
        });
        if (r.code !== 0) throw classify(r.stderr, this.target.name, this.specText);
        const state = r.stdout.trim();
        if (/paperout/i.test(state)) return { ok: false, code: 'PAPER_OUT', message: state, paper: 'out' };
        if (/offline|error|notavailable/i.test(state)) return { ok: false, code: 'PRINTER_OFFLINE', message: state, paper: 'unknown' };
        return { ok: true, message: state, paper: 'unknown' };
      }
      const r = await runCommand(this.commands.lpstat, ['-p', this.target.name], { timeoutMs: this.o.timeoutMs, spec: this.specText });
      if (r.code !== 0) throw classify(`${r.stderr}\n${r.stdout}`, this.target.name, this.specText);
      const line = r.stdout.trim().split('\n')[0] ?? '';
      if (/disabled/i.test(line)) return { ok: false, code: 'PRINTER_OFFLINE', message: line, paper: 'unknown' };
      return { ok: true, message: line, paper: 'unknown' };
    } catch (error) {
      const e = error instanceof PrintError ? error : new PrintError('PRINTER_ERROR', String(error));
      return { ok: false, code: e.code, message: e.message, paper: 'unknown' };
    }
  }

  async close(): Promise<void> {}
}
