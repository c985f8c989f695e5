// The kiosk in Debian's Chromium (playwright-core) at touch size, against a real branch server that prints on the
// fake network printer: the visitor's path in portrait and landscape, idle resets, printer failure, server outage
// and pairing. A standalone branch offers no SMS (nobody could send it) and no QR code (a phone cannot reach the
// branch's network); a branch whose central sends SMS (the Orange SMS simulator) asks for a phone number and its
// QR code opens central's tracking page. Screens in all three languages are in kiosk-screens.test.ts; screenshots
// land in test-artifacts/kiosk/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, TicketView } from '../../server/src/shared/contracts/api.js';
import { commandsOf, decodeEscPos } from '../fixtures/escpos-decoder.js';
import { FakePrinter, unusedPort } from '../fixtures/fake-printer.js';
import { nextChange, startBranch, type TestBranch } from '../support/branch.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import type { KioskConfig } from '../../server/src/shared/contracts/print.js';
import { launchBrowser } from '../support/browser.js';
import { TestClock } from '../support/clock.js';
import {
  assertKioskBuilt, countTickets, expectTouchTargets, kioskBrowserTestsEnabled, kioskText as text, LANDSCAPE, LANGS,
  openKiosk, PORTRAIT, setLang, shot, shownTicket, waitPrintStatus,
} from '../support/kiosk.js';

describe.skipIf(!kioskBrowserTestsEnabled())('kiosk in Chromium', () => {
  const printer = new FakePrinter();
  const clock = new TestClock('2026-11-24T15:30:00Z'); // Tuesday 15:30 in Dakar: B (08:00–15:00) is closed
  let b: TestBranch;
  const sms = new OrangeSmsSimulator();
  let central: TestCentral;
  /** A branch connected to a central that sends SMS. */
  let connected: SyncedBranch;
  let browser: Browser;
  let admin: string;
  let supervisor: string;

  /** The kiosk device the page paired as (the newest kiosk). */
  const pageDevice = async (): Promise<DeviceView> => {
    const devices = (await b.api.get<DeviceView[]>('/api/admin/devices', admin)).body.filter((d) => d.role === 'kiosk');
    const last = devices.at(-1);
    if (!last) throw new Error('no kiosk device');
    return last;
  };
  beforeAll(async () => {
    assertKioskBuilt();
    await printer.start();
    b = await startBranch({ clock, printer: printer.spec, print: { timeoutMs: 1500 } });
    admin = await b.login('admin');
    supervisor = await b.login('aminata');
    await sms.start();
    central = await startCentral('sqlite', {
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' } } },
    });
    connected = await startSyncedBranch(central, { clock, printer: printer.spec, name: 'Agence Plateau' });
    const kiosk = await connected.kioskToken();
    await waitFor('the branch to know central sends SMS', async () => (await connected.api.get<KioskConfig>('/api/kiosk/config', kiosk)).body.sms);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await b?.destroy();
    await connected?.destroy();
    await central?.destroy();
    await sms.close();
    await printer.close();
  });

  it('portrait, central sends SMS: Wolof, priority and phone; the printed number equals the one on screen and the stored one', async () => {
    const b = connected; // this test's branch: its central sends SMS
    const { context, page } = await openKiosk(browser, b.url, PORTRAIT);
    try {
      await page.locator('.kiosk[data-sms="true"]').waitFor();
      await expectTouchTargets(page);
      // Closed service: greyed with its hours, a touch says so and issues nothing.
      const closed = page.getByTestId('service-B');
      expect(await closed.getAttribute('data-open')).toBe('false');
      expect(await closed.textContent()).toContain('08:00–15:00');
      const before = countTickets(b);
      await closed.tap({ force: true }); // aria-disabled: playwright would wait for it to be enabled
      await expect.poll(() => page.getByTestId('notice').textContent()).toContain('08:00–15:00');
      expect(countTickets(b)).toBe(before);

      await setLang(page, 'wo');
      expect(await page.textContent('body')).toContain('Dalal ak jàmm');
      await page.getByTestId('service-A').tap();
      await page.getByTestId('screen-priority').waitFor();
      expect(await page.getByTestId('priority-vip').count()).toBe(0);
      await expectTouchTargets(page);
      await page.getByTestId('priority-elderly').tap();
      await page.getByTestId('screen-phone').waitFor();
      await expectTouchTargets(page);
      for (const d of '77123456') await page.getByTestId(`key-${d}`).tap();
      await page.getByTestId('phone-submit').tap();
      expect(await page.getByTestId('phone-error').textContent()).toBe(text('wo', 'phone', 'invalid'));
      expect(countTickets(b)).toBe(before);
      await page.getByTestId('key-7').tap();
      expect(await page.getByTestId('phone-display').getAttribute('data-digits')).toBe('771234567');
      const jobsBefore = printer.jobs.length;
      await page.getByTestId('phone-submit').tap();

      const { id, shown } = await shownTicket(page);
      await waitPrintStatus(page, 'printed');
      expect(await page.textContent('body')).toContain(text('wo', 'ticket', 'printed'));
      expect(countTickets(b)).toBe(before + 1);

      const [job] = (await printer.waitForJobs(jobsBefore + 1)).slice(jobsBefore);
      const decoded = decodeEscPos(job as Buffer, { chineseByDefault: true });
      expect(decoded.errors).toEqual([]);
      const big = decoded.lines.filter((l) => l.height > 1).map((l) => l.text.trim());
      expect(big).toContain(shown);
      expect(decoded.text.join('\n')).toContain('Denc / Génne xaalis');
      // The QR code opens central's tracking page of the ticket, on paper and on screen.
      const qr = commandsOf(decoded, 'qrStore').map((c) => c.data);
      expect(qr).toEqual([`${central.url}/t/${id}`]);
      expect(await page.getByTestId('screen-ticket').locator('svg.qr').getAttribute('data-qr')).toBe(qr[0]);
      expect(commandsOf(decoded, 'cut')).toHaveLength(1);

      const stored = (await b.api.get<TicketView>(`/api/tickets/${id}`, await b.login('aminata'))).body;
      expect(stored.number.replace(/^([A-Z]+)(\d+)$/, '$1-$2')).toBe(shown);
      expect(stored).toMatchObject({ language: 'wo', priority: 'elderly', queueType: 'priority', phone: '+221771234567', channel: 'kiosk', status: 'waiting' });
    } finally {
      await context.close();
    }
  });

  it('landscape, standalone: English, no priority; no phone step and no QR code; back to the start in French after a touch', async () => {
    const { context, page } = await openKiosk(browser, b.url, LANDSCAPE);
    try {
      await page.locator('.kiosk[data-sms="false"]').waitFor();
      await expectTouchTargets(page);
      await setLang(page, 'en');
      await page.getByTestId('service-C').tap();
      const jobsBefore = printer.jobs.length;
      // No SMS can be sent from a standalone branch: the priority choice issues the ticket, no phone number is asked.
      await page.getByTestId('priority-none').tap();
      const { id, shown } = await shownTicket(page);
      expect(await page.getByTestId('screen-phone').count()).toBe(0);
      await waitPrintStatus(page, 'printed');
      // Nothing to scan: no QR code on screen nor on paper (a visitor's phone cannot reach the branch's network).
      expect(await page.getByTestId('screen-ticket').locator('svg.qr').count()).toBe(0);
      const [job] = (await printer.waitForJobs(jobsBefore + 1)).slice(jobsBefore);
      const decoded = decodeEscPos(job as Buffer, { chineseByDefault: true });
      expect(decoded.errors).toEqual([]);
      expect(commandsOf(decoded, 'qrStore')).toEqual([]);
      expect(decoded.lines.filter((l) => l.height > 1).map((l) => l.text.trim())).toContain(shown);
      expect(commandsOf(decoded, 'cut')).toHaveLength(1);
      const stored = (await b.api.get<TicketView>(`/api/tickets/${id}`)).body;
      expect(stored).toMatchObject({ language: 'en', priority: null, queueType: 'normal' });
      expect(shown).toMatch(/^C-\d{3}$/);
      expect(await page.getByTestId('ticket-service').textContent()).toBe('Transfers and Mobile Money');
      await shot(page, 'en-ticket-landscape');
      await expectTouchTargets(page);
      await page.getByTestId('screen-ticket').tap({ position: { x: 40, y: 40 } });
      await page.getByTestId('screen-start').waitFor();
      expect(await page.evaluate<string>('document.documentElement.lang')).toBe('fr');
    } finally {
      await context.close();
    }
  });

  it('a lost answer to the issuance (Wi-Fi glitch): the kiosk resends the same command id and shows one ticket, printed once', async () => {
    const { context, page } = await openKiosk(browser, b.url, PORTRAIT);
    try {
      const sent: Array<{ commandId?: string; serviceId?: string }> = [];
      let issuedFirst: TicketView | null = null;
      await page.route(`${b.url}/api/tickets`, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        sent.push(route.request().postDataJSON() as { commandId?: string; serviceId?: string });
        if (issuedFirst) return route.continue();
        // The server handles the request, then the answer never reaches the kiosk.
        const response = await route.fetch();
        expect(response.status()).toBe(201);
        issuedFirst = (await response.json()) as TicketView;
        return route.abort('connectionreset');
      });
      const before = countTickets(b);
      const jobs = printer.jobs.length;
      await page.getByTestId('service-C').tap();
      await page.getByTestId('priority-none').tap();
      const { id } = await shownTicket(page);
      await waitPrintStatus(page, 'printed');
      expect(sent).toHaveLength(2);
      expect(sent[0]?.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(sent[1]).toEqual(sent[0]);
      expect(id).toBe((issuedFirst as TicketView | null)?.id);
      expect(countTickets(b)).toBe(before + 1);
      await printer.waitForJobs(jobs + 1);
      expect(printer.jobs.length).toBe(jobs + 1);
      // The next visitor's attempt gets a new id.
      await page.getByTestId('ticket-done').tap();
      await page.getByTestId('service-C').tap();
      await page.getByTestId('priority-none').tap();
      const next = await shownTicket(page);
      expect(next.id).not.toBe(id);
      expect(sent).toHaveLength(3);
      expect(sent[2]?.commandId).not.toBe(sent[0]?.commandId);
      expect(countTickets(b)).toBe(before + 2);
    } finally {
      await context.close();
    }
  });

  it('goes back to the start by itself: after the ticket, and on a screen left alone', async () => {
    const { context, page } = await openKiosk(browser, b.url, PORTRAIT, '?ticket=2&idle=2');
    try {
      await page.getByTestId('service-A').tap();
      await page.getByTestId('screen-priority').waitFor();
      await page.getByTestId('screen-start').waitFor({ timeout: 6000 });
      await page.getByTestId('service-D').tap();
      await page.getByTestId('priority-none').tap();
      await page.getByTestId('screen-ticket').waitFor();
      await page.getByTestId('screen-start').waitFor({ timeout: 8000 });
    } finally {
      await context.close();
    }
  });

  it('printer offline: the ticket is shown with a note-your-number message, kept, and supervisors are alerted', async () => {
    const { context, page } = await openKiosk(browser, b.url, PORTRAIT);
    const staff = await b.socket(supervisor);
    try {
      const device = await pageDevice();
      const dead = `tcp://127.0.0.1:${await unusedPort()}`;
      expect((await b.api.request('PATCH', `/api/admin/devices/${device.id}`, { token: admin, body: { printer: dead } })).status).toBe(200);
      for (const lang of LANGS) {
        await setLang(page, lang);
        // One alert when the printer starts failing (not one per ticket).
        const alert = lang === 'fr' ? nextChange(staff, (c) => c.alerts?.find((a) => a.kind === 'printer' && a.data?.deviceId === device.id), 10_000) : null;
        await page.getByTestId('service-A').tap();
        await page.getByTestId('priority-none').tap();
          const { id, shown } = await shownTicket(page);
        const status = page.locator('[data-testid="ticket-print-status"][data-status="failed"]');
        await status.waitFor();
        expect(await status.getAttribute('data-code')).toBe('PRINTER_OFFLINE');
        expect(await status.textContent()).toContain(text(lang, 'ticket', 'noteNumber').replace('{{number}}', shown));
        await shot(page, `${lang}-ticket-print-failed`);
        if (alert) {
          const raised = await alert;
          expect(raised.data?.ticketId).toBe(id);
          expect(raised.message).toContain(shown);
        }
        expect((await b.api.get<TicketView>(`/api/tickets/${id}`)).body.status).toBe('waiting');
        // A touch does not hide the number after a failed print: only the button does.
        await page.getByTestId('screen-ticket').tap({ position: { x: 40, y: 40 } });
        expect(await page.getByTestId('screen-ticket').count()).toBe(1);
        await page.getByTestId('ticket-done').tap();
        await page.getByTestId('screen-start').waitFor();
      }
    } finally {
      staff.disconnect();
      await context.close();
    }
  });

  it('server down: out of service, then back by itself when the server restarts on the same port and data', async () => {
    const { context, page } = await openKiosk(browser, b.url, PORTRAIT);
    try {
      const port = b.server.port;
      await b.close();
      await page.getByTestId('screen-offline').waitFor({ timeout: 15_000 });
      for (const lang of LANGS) {
        await setLang(page, lang);
        expect(await page.getByTestId('screen-offline').textContent()).toContain(text(lang, 'offline', 'title'));
        await shot(page, `${lang}-out-of-service`);
      }
      b = await startBranch({ clock, printer: printer.spec, print: { timeoutMs: 1500 }, port, dataDir: b.dataDir, passwords: b.passwords });
      await page.getByTestId('screen-start').waitFor({ timeout: 20_000 });
      // Same device, same token: it issues and prints again.
      const jobs = printer.jobs.length;
      await page.getByTestId('service-A').tap();
      await page.getByTestId('priority-none').tap();
      await waitPrintStatus(page, 'printed');
      await printer.waitForJobs(jobs + 1);
    } finally {
      await context.close();
    }
  });

  it('pairing: a kiosk without a valid token (or with a call board\'s) asks for an admin\'s code', async () => {
    const bare = await startBranch({ demo: false, printer: 'simulated' });
    const context = await browser.newContext({ viewport: PORTRAIT, hasTouch: true });
    try {
      const bareAdmin = await bare.login('admin');
      const display = await bare.api.post<{ pairingCode: string }>('/api/admin/devices', { name: 'Écran hall', role: 'display' }, bareAdmin);
      const displayToken = (await bare.api.post<{ deviceToken: string }>('/api/devices/pair', { code: display.body.pairingCode })).body.deviceToken;
      const page = await context.newPage();
      await page.goto(`${bare.url}/kiosk/`);
      // A call board's token stored as the kiosk's is refused: pairing screen.
      await page.evaluate(`localStorage.setItem('smartqueue.deviceToken.kiosk', ${JSON.stringify(displayToken)})`);
      await page.reload();
      await page.getByTestId('screen-pairing').waitFor();
      for (const lang of LANGS) {
        await setLang(page, lang);
        await shot(page, `${lang}-pairing`);
      }
      await setLang(page, 'fr');
      await expectTouchTargets(page);
      for (const d of '000000') await page.getByTestId(`key-${d}`).tap();
      await page.getByTestId('pairing-submit').tap();
      expect(await page.getByTestId('pairing-error').textContent()).toBe(text('fr', 'pairing', 'error'));

      const created = await bare.api.post<{ pairingCode: string; device: DeviceView }>('/api/admin/devices', { name: 'Borne entrée', role: 'kiosk' }, bareAdmin);
      for (const d of created.body.pairingCode) await page.getByTestId(`key-${d}`).tap();
      await page.getByTestId('pairing-submit').tap();
      await page.getByTestId('screen-start').waitFor();
      const token = await page.evaluate<string | null>("localStorage.getItem('smartqueue.deviceToken.kiosk')");
      expect(token).toMatch(/^sqd_/);
      expect((await bare.api.get<DeviceView>('/api/devices/me', token as string)).body.id).toBe(created.body.device.id);

      // Revoked by an admin: the kiosk falls back to the pairing screen.
      expect((await bare.api.post(`/api/admin/devices/${created.body.device.id}/revoke`, {}, bareAdmin)).status).toBe(200);
      await page.reload();
      await page.getByTestId('screen-pairing').waitFor();
    } finally {
      await context.close();
      await bare.destroy();
    }
  });
});
