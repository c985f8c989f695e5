// A stand-in for the Orange SMS API: a real HTTP server on 127.0.0.1 that issues OAuth2 client-credentials tokens,
// accepts outbound SMS requests in Orange's shape and records them. Tests read `messages`; the demo prints them.
// Faults for tests: fail the next N sends with a status, expire every token now.
// The inbound side (issue 18): a phone "sends" a message to the service number (sendFromPhone, or POST /__sim/inbound
// for the demo) and the simulator delivers it to the application's callback URL as Orange does, a GSMA OneAPI
// inboundSMSMessageNotification; deliverAgain repeats a delivery (the same messageId), as a provider retrying does.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SimulatedSms {
  id: string;
  /** Recipient, without the tel: prefix. */
  to: string;
  senderAddress: string;
  senderName: string | null;
  message: string;
  at: string;
}

/** A message a phone sent to the service number, and what the application's callback answered. */
export interface SimulatedInboundSms {
  messageId: string;
  from: string;
  message: string;
  at: string;
  /** The callback's HTTP status (0: not reachable). */
  status: number;
  answer: string;
}

export interface OrangeSmsSimulatorOptions {
  /** The application's callback for mobile-originated messages (the "SMS response" URL given to Orange). */
  inboundUrl?: string;
  /** The service number phones text. Default tel:+2210000. */
  serviceNumber?: string;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued tokens. Default 3600 s. */
  tokenTtlSeconds?: number;
  port?: number;
  /** Called for every accepted message (the demo logs them). */
  onMessage?: (sms: SimulatedSms) => void;
}

export class OrangeSmsSimulator {
  readonly messages: SimulatedSms[] = [];
  readonly inbound: SimulatedInboundSms[] = [];
  inboundUrl: string | null;
  tokenRequests = 0;
  readonly clientId: string;
  readonly clientSecret: string;
  private readonly tokens = new Map<string, number>();
  private failures: Array<{ status: number }> = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(private readonly options: OrangeSmsSimulatorOptions = {}) {
    this.clientId = options.clientId ?? 'sim-client-id';
    this.clientSecret = options.clientSecret ?? 'sim-client-secret';
    this.inboundUrl = options.inboundUrl ?? null;
  }

  /** A phone texts the service number: delivered to the callback in Orange's shape. `from`: +221XXXXXXXXX. */
  async sendFromPhone(from: string, message: string, messageId: string = randomUUID()): Promise<SimulatedInboundSms> {
    if (!this.inboundUrl) throw new Error('the SMS simulator has no inbound URL to deliver to (inboundUrl / SMS_SIMULATOR_INBOUND_URL)');
    const notification = {
      inboundSMSMessageNotification: {
        inboundSMSMessage: {
          senderAddress: `tel:${from}`, destinationAddress: this.options.serviceNumber ?? 'tel:+2210000', message, messageId, dateTime: new Date().toISOString(),
        },
      },
    };
    let status = 0;
    let answer = '';
    try {
      const res = await fetch(this.inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(notification), signal: AbortSignal.timeout(30_000) });
      status = res.status;
      answer = await res.text();
    } catch (err) {
      answer = String(err);
    }
    const sms: SimulatedInboundSms = { messageId, from, message, at: new Date().toISOString(), status, answer };
    this.inbound.push(sms);
    return sms;
  }

  /** The provider delivers a message again (a lost acknowledgement): the same messageId. */
  deliverAgain(sms: Pick<SimulatedInboundSms, 'from' | 'message' | 'messageId'>): Promise<SimulatedInboundSms> {
    return this.sendFromPhone(sms.from, sms.message, sms.messageId);
  }

  /** The messages sent to one phone, oldest first (the answers it got). */
  sentTo(phone: string): SimulatedSms[] {
    return this.messages.filter((m) => m.to === phone);
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => this.json(res, 500, { error: String(err) }));
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** The next `count` sends answer `status` (e.g. 503 for an outage, 400 for a refused number). */
  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.failures.push({ status });
  }

  /** Every token issued so far stops working (the adapter must fetch a new one). */
  expireTokens(): void {
    this.tokens.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const body = await readBody(req);
    if (req.method === 'GET' && url.pathname === '/__sim/messages') {
      const to = url.searchParams.get('to');
      return this.json(res, 200, to ? this.sentTo(to) : this.messages);
    }
    if (req.method === 'POST' && url.pathname === '/__sim/inbound') return this.simulateInbound(res, body);
    if (req.method === 'POST' && url.pathname === '/oauth/v3/token') return this.token(req, res, body);
    const m = /^\/smsmessaging\/v1\/outbound\/([^/]+)\/requests$/.exec(url.pathname);
    if (req.method === 'POST' && m) return this.send(req, res, decodeURIComponent(m[1] as string), body);
    this.json(res, 404, { requestError: { serviceException: { messageId: 'SVC0002', text: `no route ${req.method} ${url.pathname}` } } });
  }

  /** The demo's way to text from a phone: `{"from":"+221771234567","message":"PLATEAU A"}` (messageId to repeat one). */
  private async simulateInbound(res: ServerResponse, body: string): Promise<void> {
    let parsed: { from?: unknown; message?: unknown; messageId?: unknown };
    try { parsed = JSON.parse(body) as typeof parsed; } catch { return this.json(res, 400, { error: 'body is not JSON' }); }
    if (typeof parsed.from !== 'string' || !/^\+\d{8,15}$/.test(parsed.from) || typeof parsed.message !== 'string') {
      return this.json(res, 400, { error: 'expected {"from":"+221XXXXXXXXX","message":"…"}' });
    }
    if (!this.inboundUrl) return this.json(res, 409, { error: 'no inbound URL: start the simulator with SMS_SIMULATOR_INBOUND_URL' });
    const sent = await this.sendFromPhone(parsed.from, parsed.message, typeof parsed.messageId === 'string' ? parsed.messageId : undefined);
    this.json(res, 200, sent);
  }

  private token(req: IncomingMessage, res: ServerResponse, body: string): void {
    this.tokenRequests++;
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return this.json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') return this.json(res, 400, { error: 'unsupported_grant_type' });
    const token = randomUUID();
    const ttl = this.options.tokenTtlSeconds ?? 3600;
    this.tokens.set(token, Date.now() + ttl * 1000);
    this.json(res, 200, { token_type: 'Bearer', access_token: token, expires_in: ttl });
  }

  private send(req: IncomingMessage, res: ServerResponse, sender: string, body: string): void {
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const exp = auth ? this.tokens.get(auth[1] as string) : undefined;
    if (!exp || exp < Date.now()) return this.json(res, 401, { code: 42, message: 'Expired credentials', description: 'The requested service needs credentials, but the ones provided were expired.' });
    const failure = this.failures.shift();
    if (failure) return this.json(res, failure.status, { requestError: { serviceException: { messageId: 'SVC0001', text: 'injected failure' } } });
    let parsed: unknown;
    try { parsed = JSON.parse(body); } catch { return this.json(res, 400, { requestError: { serviceException: { messageId: 'SVC0001', text: 'body is not JSON' } } }); }
    const r = (parsed as { outboundSMSMessageRequest?: Record<string, unknown> }).outboundSMSMessageRequest;
    const text = (r?.outboundSMSTextMessage as { message?: unknown } | undefined)?.message;
    const address = r?.address;
    if (!r || typeof address !== 'string' || !/^tel:\+\d{8,15}$/.test(address) || typeof text !== 'string' || r.senderAddress !== sender) {
      return this.json(res, 400, { requestError: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value for message part outboundSMSMessageRequest', variables: ['address'] } } });
    }
    const sms: SimulatedSms = {
      id: randomUUID(), to: address.slice(4), senderAddress: sender, senderName: typeof r.senderName === 'string' ? r.senderName : null,
      message: text, at: new Date().toISOString(),
    };
    this.messages.push(sms);
    this.options.onMessage?.(sms);
    this.json(res, 201, { outboundSMSMessageRequest: { ...r, resourceURL: `${this.url}/smsmessaging/v1/outbound/${encodeURIComponent(sender)}/requests/${sms.id}` } });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
