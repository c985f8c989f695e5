// A bare HTTP endpoint that keeps what providers POST to it (headers and raw body), for tests and demo
// checks that need a webhook URL before the real route exists.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status answered to the sender. Default 200. */
  responseStatus = 200;
  private server: Server | null = null;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  async start(): Promise<{ url: string }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '/', headers: req.headers, rawBody: Buffer.concat(chunks) });
        res.writeHead(this.responseStatus).end();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.count ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  /** Resolves once `count` webhooks in total have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
