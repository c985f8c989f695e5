// The kiosk print path end to end: a real branch server prints tickets over real TCP on the fake network printer;
// failures answer a clear 503, keep the ticket and alert supervisors over Socket.IO.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../shared/contracts/api.js';
import type { Alert, ChangeBatch } from '../../shared/contracts/events.js';
import type { ConfiguredPrinter, KioskConfig, PrintResult } from '../../shared/contracts/print.js';
import { commandsOf, decodeEscPos } from '../../../../test/fixtures/escpos-decoder.js';
import { FakePrinter, unusedPort } from '../../../../test/fixtures/fake-printer.js';
import { nextChange, startBranch, type TestBranch, type TypedSocket } from '../../../../test/support/branch.js';
import { TestClock } from '../../../../test/support/clock.js';

type ErrorShape = { error: { code: string; message: string; details?: { ticketId: string; ticketNumber: string; maybePrinted: boolean } } };

function expectError(res: { status: number; body: unknown }, status: number, code?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = res.body as ErrorShape;
  expect(body.error.message.length).toBeGreaterThan(3);
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

describe('ticket printing (kiosk print path)', () => {
  const printer = new FakePrinter();
  const second = new FakePrinter();
  const clock = new TestClock('2026-11-24T10:00:00Z'); // Tuesday 10:00 in Dakar
  let b: TestBranch;
  let kiosk: string;
  let kioskId: string;
  let supervisor: string;
  let admin: string;
  let staffSocket: TypedSocket;
  let svcA: string;

  const issue = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await b.api.issue(token, { serviceId: svcA, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const print = (token: string, ticketId: string) => b.api.post<PrintResult | ErrorShape>(`/api/tickets/${ticketId}/print`, undefined, token);
  const setKioskPrinter = async (spec: string | null) => {
    expect((await b.api.request('PATCH', `/api/admin/devices/${kioskId}`, { token: admin, body: { printer: spec } })).status).toBe(200);
  };

  beforeAll(async () => {
    await printer.start();
    await second.start();
    b = await startBranch({ clock, printer: printer.spec, print: { timeoutMs: 1500 } });
    kiosk = await b.kioskToken();
    supervisor = await b.login('aminata');
    admin = await b.login('admin');
    kioskId = (await b.api.get<{ id: string }>('/api/devices/me', kiosk)).body.id;
    staffSocket = await b.socket(supervisor);
    svcA = (await b.service('A')).id;
  });
  afterEach(async () => {
    printer.mode = 'normal';
    printer.paper = 'ok';
    await setKioskPrinter(null);
  });
  afterAll(async () => {
    await b.destroy();
    await printer.close();
    await second.close();
  });

  it('prints the issued ticket on the default printer: number, accented service, no QR code on a standalone branch, and cut', async () => {
    const before = printer.jobs.length;
    const ticket = await issue(kiosk);
    const res = await print(kiosk, ticket.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'printed', paper: 'ok', printer: 'tcp' });
    const [job] = (await printer.waitForJobs(before + 1)).slice(before);
    const decoded = decodeEscPos(job as Buffer, { chineseByDefault: true });
    expect(decoded.errors).toEqual([]);
    const text = decoded.text.join('\n');
    expect(ticket.number).toMatch(/^A\d{3}$/);
    const shown = ticket.number.replace(/^([A-Z]+)(\d+)$/, '$1-$2');
    expect(decoded.lines.find((l) => l.text.trim() === shown)?.height).toBeGreaterThan(1);
    expect(text).toContain('Dépôt / Retrait');
    expect(text).toContain('Agence');
    expect(commandsOf(decoded, 'cancelChinese').length).toBeGreaterThan(0);
    // Standalone: no page a visitor's phone could open (the branch's network is not theirs), so no QR code nor its
    // caption; the number and the position are on the paper.
    expect(commandsOf(decoded, 'qrStore')).toEqual([]);
    expect(commandsOf(decoded, 'qrPrint')).toEqual([]);
    expect(text).not.toContain('Suivez votre ticket');
    expect(text).toContain('Position');
    expect(commandsOf(decoded, 'cut')).toHaveLength(1);
  });

  it('prints in the visitor\'s language, on the kiosk\'s own printer when it has one', async () => {
    await setKioskPrinter(second.spec);
    const before = second.jobs.length;
    const ticket = await issue(kiosk, { language: 'wo', priority: 'elderly' });
    expect((await print(kiosk, ticket.id)).status).toBe(200);
    const [job] = (await second.waitForJobs(before + 1)).slice(before);
    const text = decodeEscPos(job as Buffer).text.join('\n');
    expect(text).toContain('Denc / Génne xaalis');
    expect(text).toContain('Jiitu'); // priority line, in Wolof
    const config = await b.api.get<KioskConfig>('/api/kiosk/config', kiosk);
    expect(config.body).toEqual({ trackUrlBase: null, sms: false, printer: { configured: true, simulated: false } });
  });

  it('answers 503 PRINTER_OFFLINE when the printer is unreachable, keeps the ticket and alerts supervisors once', async () => {
    await setKioskPrinter(`tcp://127.0.0.1:${await unusedPort()}`);
    const ticket = await issue(kiosk);
    const alert = nextChange(staffSocket, (c) => c.alerts?.find((a) => a.kind === 'printer' && a.data?.ticketId === ticket.id));
    const error = expectError(await print(kiosk, ticket.id), 503, 'PRINTER_OFFLINE');
    expect(error.details).toEqual({ ticketId: ticket.id, ticketNumber: ticket.number.replace(/^([A-Z]+)(\d+)$/, '$1-$2'), maybePrinted: false });
    const raised = await alert;
    expect(raised.severity).toBe('critical');
    expect(raised.message).toContain(ticket.number.replace(/^([A-Z]+)(\d+)$/, '$1-$2'));
    expect(raised.data).toMatchObject({ code: 'PRINTER_OFFLINE', deviceId: kioskId });
    const stored = await b.api.get<TicketView>(`/api/tickets/${ticket.id}`);
    expect(stored.body.status).toBe('waiting');
    expect(stored.body.position).not.toBeNull();

    // The same printer failing again within minutes does not flood supervisors.
    const alerts: Alert[] = [];
    const collect = (c: ChangeBatch) => alerts.push(...(c.alerts ?? []));
    staffSocket.on('changes', collect);
    const again = await issue(kiosk);
    expectError(await print(kiosk, again.id), 503, 'PRINTER_OFFLINE');
    staffSocket.off('changes', collect);
    expect(alerts).toEqual([]);
    // A printer that resets connections, then comes back: the ticket prints on retry and supervisors hear it.
    await setKioskPrinter(null);
    printer.mode = 'reset';
    const down = nextChange(staffSocket, (c) => c.alerts?.find((a) => a.kind === 'printer' && a.data?.ticketId === again.id));
    expectError(await print(kiosk, again.id), 503, 'PRINTER_OFFLINE');
    await down;
    printer.mode = 'normal';
    const back = nextChange(staffSocket, (c) => c.alerts?.find((a) => a.kind === 'printer' && a.severity === 'info'));
    expect((await print(kiosk, again.id)).status).toBe(200);
    expect((await back).message).toContain('rétablie');
    const listed = await b.api.get<Alert[]>('/api/alerts', supervisor);
    expect(listed.body.some((a) => a.kind === 'printer' && a.data?.ticketId === ticket.id)).toBe(true);
  });

  it('answers 503 PAPER_OUT when the paper sensor says so, and PRINTER_TIMEOUT (bounded) when the printer stalls', async () => {
    printer.paper = 'out';
    const ticket = await issue(kiosk);
    expectError(await print(kiosk, ticket.id), 503, 'PAPER_OUT');
    printer.paper = 'ok';
    printer.mode = 'stall';
    const stalled = await issue(kiosk);
    const error = expectError(await print(kiosk, stalled.id), 503, 'PRINTER_TIMEOUT');
    expect(error.details?.ticketId).toBe(stalled.id);
    expect((await b.api.get<TicketView>(`/api/tickets/${stalled.id}`)).body.status).toBe('waiting');
  });

  it('answers 503 PRINTER_CONFIG when no printer is set anywhere', async () => {
    const bare = await startBranch({ printer: undefined });
    try {
      const k = await bare.kioskToken();
      const a = await bare.service('A');
      const t = (await bare.api.issue(k, { serviceId: a.id })).body;
      expectError(await bare.api.post(`/api/tickets/${t.id}/print`, undefined, k), 503, 'PRINTER_CONFIG');
      expect((await bare.api.get<KioskConfig>('/api/kiosk/config', k)).body.printer.configured).toBe(false);
    } finally {
      await bare.destroy();
    }
  });

  it('lets a kiosk print only its own tickets, once; refuses displays, strangers and bad bodies', async () => {
    const ticket = await issue(kiosk);
    expect((await print(kiosk, ticket.id)).status).toBe(200);
    expectError(await print(kiosk, ticket.id), 409, 'CONFLICT');
    const otherKiosk = await b.kioskToken();
    expectError(await print(otherKiosk, ticket.id), 403, 'FORBIDDEN');
    expectError(await print(await b.displayToken(), ticket.id), 403, 'FORBIDDEN');
    expectError(await print('', ticket.id), 401, 'UNAUTHENTICATED');
    expectError(await print('sqd_not-a-real-token', ticket.id), 401);
    expectError(await print(kiosk, 'no-such-ticket'), 404, 'NOT_FOUND');
    expectError(await b.api.request('POST', `/api/tickets/${ticket.id}/print`, { token: kiosk, rawBody: JSON.stringify({ pad: 'x'.repeat(40_000) }) }), 413, 'PAYLOAD_TOO_LARGE');
    // Staff may reprint on the default printer.
    expect((await print(supervisor, ticket.id)).status).toBe(200);
  });

  it('gives up after three failed tries of the same ticket at a kiosk', async () => {
    printer.paper = 'out';
    const ticket = await issue(kiosk);
    for (let i = 0; i < 3; i++) expectError(await print(kiosk, ticket.id), 503, 'PAPER_OUT');
    expectError(await print(kiosk, ticket.id), 429, 'RATE_LIMITED');
  });

  it('previews a ticket as HTML or SVG for supervisors and admins, never for kiosks', async () => {
    const ticket = await issue(kiosk, { language: 'en' });
    const res = await fetch(`${b.url}/api/tickets/${ticket.id}/ticket.html`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(ticket.number.replace(/^([A-Z]+)(\d+)$/, '$1-$2'));
    expect(html).toContain('Deposit / Withdrawal');
    const fr = await (await fetch(`${b.url}/api/tickets/${ticket.id}/ticket.html?lang=fr&paper=58`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(fr).toContain('Dépôt / Retrait');
    const svg = await fetch(`${b.url}/api/tickets/${ticket.id}/ticket.html?format=svg`, { headers: { authorization: `Bearer ${admin}` } });
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg/);
    expectError(await b.api.get(`/api/tickets/${ticket.id}/ticket.html?paper=72`, admin), 400, 'VALIDATION_ERROR');
    expectError(await b.api.get(`/api/tickets/${ticket.id}/ticket.html`, kiosk), 403);
    expectError(await b.api.get(`/api/tickets/${ticket.id}/ticket.html`), 401);
    const sample = await fetch(`${b.url}/api/admin/printers/sample.html?lang=wo`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await sample.text()).toContain('Denc / Génne xaalis');
  });

  it('lets an admin check the printers in use and print a test slip', async () => {
    const dead = `tcp://127.0.0.1:${await unusedPort()}`;
    await setKioskPrinter(dead);
    const list = await b.api.get<ConfiguredPrinter[]>('/api/admin/printers', admin);
    expect(list.status).toBe(200);
    const byDefault = list.body.find((p) => p.isDefault);
    expect(byDefault?.spec).toBe(printer.spec);
    expect(byDefault?.status).toMatchObject({ ok: true, paper: 'ok' });
    const broken = list.body.find((p) => p.spec === dead);
    expect(broken?.devices.map((d) => d.id)).toEqual([kioskId]);
    expect(broken?.status).toMatchObject({ ok: false, code: 'PRINTER_OFFLINE' });
    expectError(await b.api.get('/api/admin/printers', supervisor), 403);

    const before = printer.jobs.length;
    expect((await b.api.post('/api/admin/printers/test', { language: 'wo' }, admin)).body).toEqual({ status: 'printed', paper: 'ok', printer: 'tcp' });
    const [job] = (await printer.waitForJobs(before + 1)).slice(before);
    expect(decodeEscPos(job as Buffer).text.join('\n')).toContain('A-042');
    expectError(await b.api.post('/api/admin/printers/test', { deviceId: kioskId }, admin), 503, 'PRINTER_OFFLINE');
    expectError(await b.api.post('/api/admin/printers/test', { spec: 'lpt1' }, admin), 503, 'PRINTER_CONFIG');
  });

  it('uses the configured track URL base for the QR code', async () => {
    const tracked = await startBranch({ printer: 'simulated', trackUrlBase: 'https://suivi.example.sn/t/' });
    try {
      const k = await tracked.kioskToken();
      const a = await tracked.service('A');
      const t = (await tracked.api.issue(k, { serviceId: a.id })).body;
      expect((await tracked.api.post(`/api/tickets/${t.id}/print`, undefined, k)).body).toMatchObject({ status: 'printed', printer: 'simulated' });
      expect(tracked.server.services.printing).toBeDefined();
      expect((await tracked.api.get<KioskConfig>('/api/kiosk/config', k)).body).toEqual({ trackUrlBase: 'https://suivi.example.sn/t/', sms: false, printer: { configured: true, simulated: true } });
      const html = await (await fetch(`${tracked.url}/api/tickets/${t.id}/ticket.html`, { headers: { authorization: `Bearer ${await tracked.login('admin')}` } })).text();
      expect(html).toContain(`https://suivi.example.sn/t/${t.id}`);
    } finally {
      await tracked.destroy();
    }
    await expect(startBranch({ trackUrlBase: 'ftp://example.sn/' })).rejects.toThrow(/http/);
  });
});
