// Typed failures of the print module: the caller (ticket issuance at a kiosk) decides what to show
// from the code, never from the message text.

export const PRINT_ERROR_CODES = [
  /** The printer spec or an option is wrong (bad spec string, unknown code page, `lp` missing, unknown OS queue). */
  'PRINTER_CONFIG',
  /** The printer cannot be reached: connection refused/reset, host unreachable, OS queue disabled. */
  'PRINTER_OFFLINE',
  /** The printer did not connect, answer or take the job within the timeout. */
  'PRINTER_TIMEOUT',
  /** The printer reported that its paper roll is out (DLE EOT 4 on TCP, spooler status on Windows). */
  'PAPER_OUT',
  /** Any other failure reported by the printer or the spooler. */
  'PRINTER_ERROR',
  /** The ticket or receipt data is invalid (caller bug). */
  'INVALID_PRINT_DATA',
] as const;
export type PrintErrorCode = (typeof PRINT_ERROR_CODES)[number];

export class PrintError extends Error {
  override readonly name = 'PrintError';
  readonly code: PrintErrorCode;
  /** The printer spec this error is about, when known. */
  readonly spec: string | undefined;
  /**
   * True when the whole job had been handed to the printer or spooler before the failure (e.g. the printer took
   * the bytes but never confirmed): it may have printed, so a blind retry may print the ticket twice.
   */
  readonly maybePrinted: boolean;

  constructor(code: PrintErrorCode, message: string, options?: { cause?: unknown; spec?: string; maybePrinted?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.spec = options?.spec;
    this.maybePrinted = options?.maybePrinted ?? false;
  }
}

export function isPrintError(error: unknown): error is PrintError {
  return error instanceof PrintError;
}

/** Maps a Node socket/DNS error to our codes: anything that means "nobody there" is PRINTER_OFFLINE. */
export function printErrorFromSocketError(error: unknown, where: string, spec?: string): PrintError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const text = error instanceof Error ? error.message : String(error);
  if (code === 'ETIMEDOUT') return new PrintError('PRINTER_TIMEOUT', `${where}: ${text}`, { cause: error, spec });
  const offline = ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'];
  if (offline.includes(code)) return new PrintError('PRINTER_OFFLINE', `${where}: ${text}`, { cause: error, spec });
  return new PrintError('PRINTER_ERROR', `${where}: ${text}`, { cause: error, spec });
}
