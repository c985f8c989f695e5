// What every printer transport does: take a finished ESC/POS job, tell whether the printer is there.
import type { PrintErrorCode } from './errors.js';

export type PaperState = 'ok' | 'near_end' | 'out' | 'unknown';

export interface PrinterStatus {
  /** The printer is reachable and not known to be out of paper. */
  ok: boolean;
  code?: PrintErrorCode;
  message?: string;
  /** Paper sensor, when the printer answered (TCP DLE EOT 4); `unknown` otherwise, which is not a failure. */
  paper: PaperState;
}

export interface JobMeta {
  kind: 'ticket' | 'receipt';
  /** Short name: ticket number or payment reference. */
  title: string;
  /** Plain-text rendering of the layout (for simulated printers and logs). */
  text: string;
}

export interface SendResult {
  /** Paper state learned while sending (TCP status query), else unknown. */
  paper: PaperState;
}

export interface PrintTransport {
  send(job: Buffer, meta: JobMeta): Promise<SendResult>;
  status(): Promise<PrinterStatus>;
  close(): Promise<void>;
}
