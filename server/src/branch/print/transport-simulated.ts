// A printer that keeps its jobs in memory (demos, tests, a kiosk without paper) and, given a folder, also writes
// each job there as <UTC time>-NNNN-kind-title.bin (the exact ESC/POS bytes) and .txt (what the paper would show).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PrintError } from './errors.js';
import type { JobMeta, PrinterStatus, PrintTransport, SendResult } from './transport.js';

export interface SimulatedJob {
  seq: number;
  at: Date;
  kind: JobMeta['kind'];
  title: string;
  bytes: Buffer;
  text: string;
  /** Paths written when the printer has a folder. */
  files: { bin: string; txt: string } | null;
}

export class SimulatedTransport implements PrintTransport {
  readonly jobs: SimulatedJob[] = [];
  private seq = 0;

  constructor(
    private readonly dir: string | null,
    private readonly maxJobs: number,
    private readonly specText: string,
  ) {}

  async send(job: Buffer, meta: JobMeta): Promise<SendResult> {
    const seq = ++this.seq;
    const at = new Date();
    let files: SimulatedJob['files'] = null;
    if (this.dir !== null) {
      const safeTitle = meta.title.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'job';
      const base = path.join(this.dir, `${at.toISOString().replace(/[:.]/g, '-')}-${String(seq).padStart(4, '0')}-${meta.kind}-${safeTitle}`);
      files = { bin: `${base}.bin`, txt: `${base}.txt` };
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFile(files.bin, job);
        await writeFile(files.txt, meta.text, 'utf8');
      } catch (error) {
        throw new PrintError('PRINTER_ERROR', `simulated printer cannot write to ${this.dir}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
          spec: this.specText,
        });
      }
    }
    this.jobs.push({ seq, at, kind: meta.kind, title: meta.title, bytes: Buffer.from(job), text: meta.text, files });
    // A demo kiosk can run for weeks: keep only the latest jobs in memory.
    if (this.jobs.length > this.maxJobs) this.jobs.splice(0, this.jobs.length - this.maxJobs);
    return { paper: 'ok' };
  }

  async status(): Promise<PrinterStatus> {
    return { ok: true, paper: 'ok', message: 'simulated printer' };
  }

  async close(): Promise<void> {}
}
