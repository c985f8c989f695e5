// Raw ESC/POS over TCP (port 9100), with our own socket handling rather than node-thermal-printer's: its
// network interface resolves as soon as the bytes are handed to the kernel, uses an idle timeout rather than a
// bound on the whole job, and never learns whether the printer took anything.
//
// One connection per job: connect → (DLE EOT 4 paper query, short wait) → write job + half-close → wait until the
// printer closes its side (it does once it has read everything, as CUPS' socket backend expects). Every step
// shares one deadline, so nothing hangs past timeoutMs.
import net from 'node:net';
import { PrintError, printErrorFromSocketError } from './errors.js';
import type { TcpPrinterSpec } from './spec.js';
import type { JobMeta, PaperState, PrinterStatus, PrintTransport, SendResult } from './transport.js';

/**
 * DLE EOT 4: real-time "transmit roll paper sensor status". Handled by the printer as soon as it arrives, even
 * when it is busy or out of paper. node-thermal-printer only has GS r 1, which waits in the print queue.
 */
export const DLE_EOT_PAPER = Buffer.from([0x10, 0x04, 0x04]);

/** Decodes the DLE EOT 4 answer: fixed bits 0x12, paper near end 0x0C, paper end 0x60. */
export function decodePaperStatus(byte: number): PaperState {
  if ((byte & 0x93) !== 0x12) return 'unknown';
  if ((byte & 0x60) !== 0) return 'out';
  if ((byte & 0x0c) !== 0) return 'near_end';
  return 'ok';
}

export interface TcpExchangeOptions {
  /** Bound on the whole exchange. */
  timeoutMs: number;
  /** How long to wait for the DLE EOT answer before going on as "unknown". */
  statusTimeoutMs: number;
  statusQuery: boolean;
  waitForClose: boolean;
  /** The job; none for a status check. */
  job?: Buffer;
  spec?: string;
}

type Phase = 'connect' | 'status' | 'send' | 'confirm';
const WAITING_FOR: Record<Phase, string> = {
  connect: 'connection',
  status: 'status answer',
  send: 'acceptance of the job',
  confirm: 'confirmation of the job (the printer did not close the connection after it)',
};

/** One connection to the printer; resolves with the paper state, rejects with a PrintError. */
export function tcpExchange(host: string, port: number, o: TcpExchangeOptions): Promise<SendResult> {
  const where = `printer ${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise<SendResult>((resolve, reject) => {
    let phase: Phase = 'connect';
    let paper: PaperState = 'unknown';
    let settled = false;
    let statusTimer: NodeJS.Timeout | undefined;
    const socket = new net.Socket();

    const settle = (error: PrintError | null, keepOpen = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(statusTimer);
      socket.removeAllListeners('data');
      socket.on('error', () => {}); // late errors after we are done are not ours to report
      if (keepOpen) {
        // Let the FIN we queued after the job go out instead of destroying (which could send RST and drop it).
        setTimeout(() => socket.destroy(), o.timeoutMs).unref();
      } else {
        socket.destroy();
      }
      if (error) reject(error);
      else resolve({ paper });
    };

    const deadline = setTimeout(() => {
      settle(
        new PrintError('PRINTER_TIMEOUT', `${where}: no ${WAITING_FOR[phase]} within ${o.timeoutMs} ms`, {
          spec: o.spec,
          maybePrinted: phase === 'confirm',
        }),
      );
    }, o.timeoutMs);

    const send = () => {
      if (settled || (phase !== 'connect' && phase !== 'status')) return;
      clearTimeout(statusTimer);
      if (!o.job) return settle(null);
      if (paper === 'out') return settle(new PrintError('PAPER_OUT', `${where}: out of paper`, { spec: o.spec }));
      phase = 'send';
      // Node calls this on 'finish' (bytes handed to the kernel) or with the write error.
      socket.end(o.job, (error?: Error | null) => {
        if (settled) return;
        if (error) return settle(printErrorFromSocketError(error, where, o.spec));
        if (o.waitForClose) phase = 'confirm';
        else settle(null, true);
      });
    };

    socket.on('error', (error) => {
      settle(printErrorFromSocketError(error, where, o.spec));
    });
    socket.on('data', (chunk: Buffer) => {
      // Only the first answer to our query counts; anything else (automatic status back …) is ignored.
      if (phase === 'status' && chunk.length > 0) {
        paper = decodePaperStatus(chunk[0] ?? 0);
        send();
      }
    });
    socket.on('end', () => {
      if (phase === 'confirm') settle(null);
      else if (phase === 'status' && !o.job) settle(null);
      else settle(new PrintError('PRINTER_OFFLINE', `${where}: the printer closed the connection before taking the job`, { spec: o.spec }));
    });
    socket.on('close', () => {
      if (phase === 'confirm') settle(null);
      else settle(new PrintError('PRINTER_OFFLINE', `${where}: connection closed`, { spec: o.spec }));
    });

    socket.connect({ host, port }, () => {
      if (settled) return;
      socket.setNoDelay(true);
      if (o.statusQuery) {
        phase = 'status';
        socket.write(DLE_EOT_PAPER);
        statusTimer = setTimeout(send, Math.min(o.statusTimeoutMs, o.timeoutMs));
      } else {
        send();
      }
    });
  });
}

export class TcpTransport implements PrintTransport {
  constructor(
    private readonly target: TcpPrinterSpec,
    private readonly timeouts: { timeoutMs: number; statusTimeoutMs: number },
    private readonly specText: string,
  ) {}

  async send(job: Buffer, _meta: JobMeta): Promise<SendResult> {
    return tcpExchange(this.target.host, this.target.port, {
      ...this.timeouts,
      statusQuery: this.target.statusQuery,
      waitForClose: this.target.waitForClose,
      job,
      spec: this.specText,
    });
  }

  async status(): Promise<PrinterStatus> {
    try {
      const { paper } = await tcpExchange(this.target.host, this.target.port, {
        ...this.timeouts,
        statusQuery: this.target.statusQuery,
        waitForClose: false,
        spec: this.specText,
      });
      if (paper === 'out') return { ok: false, code: 'PAPER_OUT', message: 'out of paper', paper };
      return { ok: true, paper, ...(paper === 'near_end' ? { message: 'paper roll nearly empty' } : {}) };
    } catch (error) {
      const e = error instanceof PrintError ? error : new PrintError('PRINTER_ERROR', String(error));
      return { ok: false, code: e.code, message: e.message, paper: 'unknown' };
    }
  }

  async close(): Promise<void> {}
}
