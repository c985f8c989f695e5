// The visitor web site at central `/` (issue 18) in Debian's Chromium on a 390×844 phone over a throttled 3G link
// (750 kbps, 300 ms RTT), against a real central and a real branch syncing to it through a link the test can cut,
// with the Orange SMS simulator as the operator. A visitor finds the branch (region → organization type → branch,
// and by a search), sees its lines with their age, joins with the code read from the SMS, and gets a number that the
// branch's agent app shows with its channel and "pas encore arrivé"; at the branch the kiosk reads the tracking page's
// QR code, the ticket is arrived, the agent calls it and the tracking page says so. With the branch cut off: a clear refusal and
// nothing issued, then or when it comes back. A booking made with an e-mail only is moved and cancelled from its page
// after the code sent to its address (read from the SMTP sink; the page shows the address masked), and a time is booked
// from the branch page with an e-mail instead of a phone (the code by e-mail, no phone at central). Each page's first
// load stays under 60 KB and nothing shifts; axe-core.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SyncDetails } from '../../server/src/branch/sync/worker.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { SITE_STRINGS } from '../../server/src/central/site/site.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';
import { expectNoAxeViolations } from '../support/axe.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, countTransfers, launchBrowser, layoutShift, watchLayoutShift } from '../support/browser.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { buildScreens } from '../support/ui-build.js';
import { codeFromMail, codeFromSms, isVisitorCodeText, smsTracking, Visitors } from '../support/visitor.js';
import { kioskText, openKiosk, PORTRAIT } from '../support/kiosk.js';
import { PAGE_STRINGS } from '../../server/src/central/tracking/page.js';
import { appointmentsDb } from '../../server/src/central/booking/booking.service.js';

const haveChromium = chromiumAvailable();
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-SN' } as const;
/** Each page's first load, everything it transfers (headers included). */
const PAGE_BUDGET_BYTES = 60 * 1024;
const S = SITE_STRINGS.fr;

describe.runIf(!haveChromium && process.env.CI)('visitor site browser tests (CI)', () => {
  it('needs Chromium in CI', () => { expect(chromiumAvailable(), `Chromium missing at ${CHROMIUM_PATH}`).toBe(true); });
});

function branchTickets(branch: SyncedBranch): Array<{ id: string; number: string; channel: string; phone: string | null }> {
  const db = new Database(path.join(branch.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, number, channel, phone FROM tickets').all() as never;
  } finally {
    db.close();
  }
}

describe.skipIf(!haveChromium)('visitor web site on a 3G phone', () => {
  let screens: { uiRoot: string; remove(): void };
  let sms: OrangeSmsSimulator;
  let mail: SmtpSink;
  let central: TestCentral;
  let proxy: FaultProxy;
  let branch: SyncedBranch;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let serviceName: string;
  let serviceId: string;

  async function phonePage(): Promise<Page> {
    // The site's CSP refuses axe's inline script: bypassed for the test only.
    const context = await browser.newContext({ ...PHONE, bypassCSP: true });
    contexts.push(context);
    await watchLayoutShift(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // A weak 3G link: 750 kbps each way, 300 ms round trip.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: (750 * 1000) / 8, uploadThroughput: (750 * 1000) / 8 });
    return page;
  }

  /** Open a page on a fresh transfer count: what its first load cost, in bytes. */
  async function openWeighed(page: Page, go: () => Promise<unknown>): Promise<number> {
    const counted = await countTransfers(page.context(), page);
    await go();
    await page.waitForLoadState('networkidle');
    const total = counted.total();
    await counted.stop();
    return total;
  }

  beforeAll(async () => {
    screens = await buildScreens(['agent', 'kiosk']);
    sms = await new OrangeSmsSimulator().start();
    mail = await new SmtpSink().start();
    const tracking = smsTracking(sms);
    // Stale after 10 s without news (90 s in production): the cut-off test waits that long. E-mail to the SMTP sink
    // (the codes of bookings made with an e-mail only).
    central = await startCentral('sqlite', {
      tracking: { ...tracking, channels: { ...tracking.channels, email: { url: mail.url, from: 'SmartQueue <no-reply@smartqueue.sn>' } }, staleAfterSeconds: 10 },
    });
    proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/'] });
    branch = await startSyncedBranch(central, { centralUrl: proxy.url, name: 'Agence Plateau', uiRoot: screens.uiRoot, organization: { id: 'org-teranga', name: 'Banque Teranga', type: 'bank' } });
    // A line taking tickets now (the demo's hours decide which).
    const kiosk = await branch.kioskToken();
    for (const s of await branch.services()) {
      if ((await branch.api.issue(kiosk, { serviceId: s.id })).status === 201) {
        serviceId = s.id;
        serviceName = s.name.fr;
        break;
      }
    }
    expect(serviceId).toBeTruthy();
    const supervisor = await branch.login('aminata');
    await waitFor('the live link open', async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body.link?.connected === true);
    // Central has the branch's directory and its first ticket.
    await waitFor('the branch page with its lines', async () => (await (await fetch(`${central.url}/b/${branch.server.branchId}`)).text()).includes(`data-service="${serviceId}"`));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await branch?.destroy();
    await proxy?.close();
    await central?.destroy();
    await sms?.close();
    await mail?.close();
    screens?.remove();
  });

  it('finds the branch, joins with the code from the SMS, the agent app shows it not arrived; the kiosk scans its QR, it is called, the tracking page follows', async () => {
    const page = await phonePage();
    const weights: Record<string, number> = {};

    weights.home = await openWeighed(page, () => page.goto(`${central.url}/`));
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await expectNoAxeViolations(page, 'visitor site home');
    weights.region = await openWeighed(page, () => page.getByRole('link', { name: /^Dakar/ }).click());
    await page.getByRole('heading', { name: S.types.bank }).waitFor();
    await expectNoAxeViolations(page, 'visitor site region');
    weights.branch = await openWeighed(page, () => page.getByRole('link', { name: 'Agence Plateau' }).click());
    await page.getByRole('heading', { name: 'Agence Plateau', level: 1 }).waitFor();

    // The lines as central last heard of them, with their age (fresh here).
    const line = page.locator(`[data-service="${serviceId}"]`);
    expect(await line.textContent()).toContain(serviceName);
    expect(await line.textContent()).toMatch(/1 personne\(s\) en attente/);
    expect(await page.getByTestId('freshness').textContent()).toMatch(/^Données de l'agence d'il y a \d+ s\.$/);
    // The line took a ticket at the kiosk a moment ago: its hours (sent in the branch's directory) say open.
    expect(await page.getByTestId('hours').textContent()).toBe(S.openNow);
    await expectNoAxeViolations(page, 'visitor site branch');
    await page.screenshot({ path: artifactPath('visitor-site', 'branch.png'), fullPage: true });

    // Join: name and phone, the code the operator delivered, then the number the branch issued.
    const before = sms.messages.length;
    await page.locator('#service').selectOption(serviceId);
    await page.locator('#name').fill('Awa Diop');
    await page.locator('#phone').fill('77 123 45 67');
    await page.locator('#join').getByRole('button', { name: S.sendCode }).click();
    await page.locator('#verify').waitFor();
    expect(await page.locator('#sentTo').textContent()).toContain('+221 77 ••• •• 67');
    const code = await codeFromSms(sms, '+221771234567', before);
    await page.locator('#code').fill(code);
    await page.getByRole('button', { name: S.confirm }).click();
    const ticket = page.getByTestId('ticket');
    await ticket.waitFor({ timeout: 15_000 });
    const number = (await page.locator('#num').textContent()) as string;
    expect(number).toMatch(/^[A-Z]-\d{3}$/);
    expect(Number(await page.locator('#pos').textContent())).toBeGreaterThanOrEqual(2);
    const href = (await page.locator('#track').getAttribute('href')) as string;
    expect(href).toMatch(/^\/t\/[^?]+\?branch=.+&lang=fr$/);
    await expectNoAxeViolations(page, 'visitor site ticket');
    await page.screenshot({ path: artifactPath('visitor-site', 'ticket.png'), fullPage: true });
    expect(await layoutShift(page)).toBeLessThan(0.05);

    // The branch issued it: channel web, the visitor's phone.
    const issued = branchTickets(branch).find((t) => t.number === number.replace('-', ''));
    expect(issued).toMatchObject({ channel: 'web', phone: '+221771234567' });

    // The tracking page the link opens, and a search by name, also within the budget.
    weights.tracking = await openWeighed(page, () => page.locator('#track').click());
    await page.locator('#num').filter({ hasText: number }).waitFor();
    weights.search = await openWeighed(page, () => page.goto(`${central.url}/?q=plateau`));
    expect(await page.getByRole('link', { name: /Agence Plateau/ }).count()).toBe(1);
    // "My tickets": the same phone, confirmed again on another visit, lists the ticket with its tracking link.
    weights.myTickets = await openWeighed(page, () => page.getByRole('link', { name: S.myTickets }).click());
    const again = sms.messages.length;
    await page.locator('#minePhone').fill('+221771234567');
    await page.locator('#mine').getByRole('button', { name: S.sendCode }).click();
    await page.locator('#verify').waitFor();
    await page.locator('#code').fill(await codeFromSms(sms, '+221771234567', again));
    await page.getByRole('button', { name: S.confirm }).click();
    const mine = page.getByTestId('my-tickets').getByRole('link', { name: new RegExp(`^${number} · Agence Plateau`) });
    await mine.waitFor();
    expect(await mine.getAttribute('href')).toBe(`${href.replace(/&lang=fr$/, '')}&lang=fr`);
    await expectNoAxeViolations(page, 'visitor site my tickets');
    for (const [name, bytes] of Object.entries(weights)) expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(PAGE_BUDGET_BYTES);
    // The figures, for the README's page-weight table.
    fs.writeFileSync(artifactPath('visitor-site', 'first-load-bytes.json'), `${JSON.stringify(weights, null, 2)}\n`);

    // The counter: the agent app lists it with its channel and "pas encore arrivé".
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const agent = await context.newPage();
    await agent.goto(`${branch.url}/agent/`);
    await agent.fill('input[name=login]', 'awa');
    await agent.fill('input[name=password]', branch.passwords.awa as string);
    await agent.click('button[type=submit]');
    await agent.click('[data-testid=pick-counter-1]');
    await agent.locator('[data-testid=desk]').waitFor();
    const row = agent.locator(`[data-testid=next-up-ticket][data-ticket="${number.replace('-', '')}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('ticket-channel').getAttribute('data-channel')).toBe('web');
    expect(await row.getByTestId('not-arrived').textContent()).toBe('Pas encore arrivé');
    await agent.screenshot({ path: artifactPath('visitor-site', 'agent-next-up.png') });

    // At the branch: the phone's tracking page shows the check-in code, the kiosk's scanner reads it, the ticket is
    // arrived for the agent, the agent calls it, and the tracking page follows live.
    const tracking = await phonePage();
    await tracking.goto(`${central.url}${href}`);
    const qr = tracking.getByTestId('arrive-qr');
    await qr.waitFor();
    expect(await qr.getByRole('img').getAttribute('aria-label')).toBe(PAGE_STRINGS.fr.arriveQr);
    const kioskPage = (await openKiosk(browser, branch.url, PORTRAIT)).page;
    contexts.push(kioskPage.context());
    await kioskPage.keyboard.type(`${central.url}/t/${issued?.id as string}`);
    await kioskPage.keyboard.press('Enter');
    await kioskPage.getByTestId('remote-arrived').waitFor();
    expect(await kioskPage.getByTestId('remote-arrived').textContent()).toBe(kioskText('fr', 'ticket', 'remoteArrived'));
    await expect.poll(() => row.getByTestId('not-arrived').count(), { timeout: 10_000 }).toBe(0);
    // The walk-in ahead of it first (absent here), then the visitor.
    for (let i = 0; i < 3; i++) {
      await agent.locator('[data-testid=desk][data-busy=""]').waitFor();
      await agent.getByTestId('action-call-next').click();
      const current = agent.getByTestId('current-ticket');
      await expect.poll(async () => (await current.getAttribute('data-ticket')) ?? '', { timeout: 10_000 }).not.toBe('');
      if ((await current.getAttribute('data-ticket')) === number.replace('-', '')) break;
      await agent.getByTestId('action-no-show').click();
      await expect.poll(async () => (await current.getAttribute('data-ticket')) ?? 'x', { timeout: 10_000 }).toBe('');
    }
    expect(await agent.getByTestId('current-ticket').getAttribute('data-ticket')).toBe(number.replace('-', ''));
    await tracking.locator('#status').filter({ hasText: PAGE_STRINGS.fr.called.replace('{{counter}}', '1') }).waitFor({ timeout: 15_000 });
    await expect.poll(() => qr.isHidden()).toBe(true);
  }, 180_000);

  it('books a time: a free slot, the code from the SMS, and the booking code to show at the kiosk', async () => {
    const admin = await branch.login('admin');
    expect((await branch.api.request('PUT', `/api/admin/appointments/services/${serviceId}`, { token: admin, body: { enabled: true, minLeadMinutes: 0 } })).status).toBe(200);
    await branch.api.post('/api/sync/run', {}, await branch.login('aminata'));
    await waitFor('central to offer the slots', async () => (await (await fetch(`${central.url}/b/${branch.server.branchId}`)).text()).includes('id="bookSlot"'));
    const page = await phonePage();
    const weight = await openWeighed(page, () => page.goto(`${central.url}/b/${branch.server.branchId}`));
    expect(weight).toBeLessThan(PAGE_BUDGET_BYTES);
    const booking = page.getByTestId('book');
    await booking.getByRole('heading', { name: S.bookTitle }).waitFor();
    const slot = (await page.locator('#bookSlot option').first().getAttribute('value')) as string;
    await page.locator('#bookSlot').selectOption(slot);
    await page.locator('#bookName').fill('Moussa Fall');
    await page.locator('#bookPhone').fill('77 999 00 11');
    const before = sms.messages.length;
    await page.locator('#book').getByRole('button', { name: S.bookButton }).click();
    await page.locator('#verify').waitFor();
    await page.locator('#code').fill(await codeFromSms(sms, '+221779990011', before));
    await page.getByRole('button', { name: S.confirm }).click();
    await page.getByTestId('booked').waitFor({ timeout: 15_000 });
    const code = ((await page.locator('#bookedCode').textContent()) as string).trim();
    // The booking is central's, for that slot and phone (the branch pulls it like any booking).
    const held = await central.api.get<{ status: string; startsAt: string; service: { id: string } }>(`/api/public/bookings/${encodeURIComponent(code)}`);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'booked', startsAt: slot.split('|')[1], service: { id: serviceId } });
    await expectNoAxeViolations(page, 'visitor site booked');
    await page.screenshot({ path: artifactPath('visitor-site', 'booked.png'), fullPage: true });

    // The booking's page (code, QR code, cancel, move), from the confirmation: move it to another day chosen in the
    // day picker (a plain form), with the phone confirmed moments ago (this tab keeps its token: no new code).
    const weights: Record<string, number> = {};
    weights.booking = await openWeighed(page, () => page.getByRole('link', { name: S.openBooking }).click());
    expect(await page.getByTestId('booking-code').textContent()).toBe(code);
    await page.getByRole('img', { name: S.bookingQr }).waitFor();
    await expectNoAxeViolations(page, 'visitor site booking page');
    const days = await page.locator('#day option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
    const day = days.find((d) => d !== held.body.startsAt.slice(0, 10)) ?? (days[0] as string);
    await page.locator('#day').selectOption(day);
    weights.bookingDay = await openWeighed(page, () => page.getByRole('button', { name: S.showDay }).click());
    expect(new URL(page.url()).searchParams.get('day')).toBe(day);
    const newAt = (await page.locator('#moveSlot option').last().getAttribute('value')) as string;
    expect(newAt.slice(0, 10)).toBe(day);
    await page.locator('#moveSlot').selectOption(newAt);
    const sentBefore = sms.messages.length;
    await page.getByRole('button', { name: S.moveButton }).click();
    await page.waitForURL((u) => !u.searchParams.has('day'));
    await expect.poll(async () => (await central.api.get<{ startsAt: string }>(`/api/public/bookings/${encodeURIComponent(code)}`)).body.startsAt).toBe(newAt);
    expect(sms.messages.slice(sentBefore).filter((m) => isVisitorCodeText(m.message))).toHaveLength(0);
    await page.screenshot({ path: artifactPath('visitor-site', 'booking-moved.png'), fullPage: true });

    // "My tickets and bookings" on another visit: the phone and its code, then the booking with its page.
    const other = await phonePage();
    weights.myBookings = await openWeighed(other, () => other.goto(`${central.url}/tickets`));
    let sent = sms.messages.length;
    await other.locator('#minePhone').fill('77 999 00 11');
    await other.locator('#mine').getByRole('button', { name: S.sendCode }).click();
    await other.locator('#code').fill(await codeFromSms(sms, '+221779990011', sent));
    await other.getByRole('button', { name: S.confirm }).click();
    const listed = other.getByTestId('my-bookings').getByRole('link', { name: new RegExp(`^${code} · ${serviceName} · Agence Plateau · `) });
    await listed.waitFor();
    expect(await listed.getAttribute('href')).toBe(`/r/${code.replace('-', '')}`);
    await expectNoAxeViolations(other, 'visitor site my bookings');
    await other.screenshot({ path: artifactPath('visitor-site', 'my-bookings.png'), fullPage: true });

    // Its page opened elsewhere (no token there): the cancel asks for the booking's phone and its code first.
    const elsewhere = await phonePage();
    await elsewhere.goto(`${central.url}${(await listed.getAttribute('href')) as string}?lang=en`);
    await elsewhere.getByRole('button', { name: SITE_STRINGS.en.cancelBooking }).click();
    await elsewhere.locator('#whoPhone').fill('+221 77 999 00 11');
    sent = sms.messages.length;
    await elsewhere.getByRole('button', { name: SITE_STRINGS.en.sendCode }).click();
    await elsewhere.locator('#code').fill(await codeFromSms(sms, '+221779990011', sent));
    await elsewhere.getByRole('button', { name: SITE_STRINGS.en.confirmManage }).click();
    await elsewhere.getByTestId('booking-status').filter({ hasText: SITE_STRINGS.en.statusCancelled }).waitFor({ timeout: 15_000 });
    expect((await central.api.get<{ status: string }>(`/api/public/bookings/${encodeURIComponent(code)}`)).body.status).toBe('cancelled');
    await expectNoAxeViolations(elsewhere, 'visitor site booking cancelled');
    // Gone from the list.
    const token = await other.evaluate<string>("JSON.parse(sessionStorage.getItem('sq-visitor')).token");
    expect((await central.api.post<Array<{ code: string }>>('/api/public/my-bookings', { visitorToken: token })).body).toEqual([]);
    for (const [name, bytes] of Object.entries(weights)) expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(PAGE_BUDGET_BYTES);
    fs.writeFileSync(artifactPath('visitor-site', 'booking-first-load-bytes.json'), `${JSON.stringify(weights, null, 2)}\n`);
  }, 180_000);

  it("a booking made with an e-mail only: its page sends a code to the booking's address (shown masked), then moves and cancels it", async () => {
    // Booked by e-mail only (the API, with the address's token from its code), in the service the last test opened to bookings.
    const email = 'awa.ndiaye@example.sn';
    const token = await new Visitors(central.api, sms, mail).emailToken(email);
    const slots = (await central.api.get<{ slots: Array<{ startsAt: string }> }>(`/api/public/branches/${branch.server.branchId}/services/${serviceId}/slots`)).body.slots;
    const made = await central.api.post<{ booking: { code: string; displayCode: string; startsAt: string } }>('/api/public/bookings', {
      branchId: branch.server.branchId, serviceId, startsAt: (slots[0] as { startsAt: string }).startsAt, name: 'Awa Ndiaye', email, language: 'fr', visitorToken: token,
    });
    expect(made.status).toBe(201);
    const { code, displayCode } = made.body.booking;

    const page = await phonePage();
    const weights: Record<string, number> = {};
    weights.emailBooking = await openWeighed(page, () => page.goto(`${central.url}/r/${encodeURIComponent(code)}`));
    expect(await page.getByTestId('booking-code').textContent()).toBe(displayCode);
    const bookedWhen = await page.getByTestId('booking-when').textContent();
    await expectNoAxeViolations(page, 'visitor site e-mail booking page');
    // The move asks for the booking's e-mail first: shown masked, never typed, never in the page.
    const newAt = (await page.locator('#moveSlot option').last().getAttribute('value')) as string;
    await page.locator('#moveSlot').selectOption(newAt);
    await page.getByRole('button', { name: S.moveButton }).click();
    const intro = page.getByTestId('manage-email');
    await intro.waitFor();
    expect(await intro.textContent()).toBe(S.manageIntroEmail.replace('{{to}}', 'a•••@example.sn'));
    expect(await page.locator('#whoPhone').count()).toBe(0);
    expect((await page.content()).toLowerCase()).not.toContain(email);
    await expectNoAxeViolations(page, 'visitor site e-mail booking asks a code');
    const before = mail.messages.length;
    await page.getByRole('button', { name: S.sendCodeEmail }).click();
    await page.locator('#verify').waitFor();
    expect(await page.locator('#sentTo').textContent()).toBe(S.codeSentEmail.replace('{{to}}', 'a•••@example.sn'));
    expect(await page.getByLabel(S.codeEmail).count()).toBe(1);
    const digits = await codeFromMail(mail, email, before);
    // A wrong code first: said plainly, with the tries left.
    await page.locator('#code').fill(digits === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: S.confirmManage }).click();
    await page.locator('#msg', { hasText: S.errors.CODE_WRONG.replace('{{n}}', '4') }).waitFor();
    await expectNoAxeViolations(page, 'visitor site e-mail booking wrong code');
    await page.screenshot({ path: artifactPath('visitor-site', 'email-booking-code.png'), fullPage: true });
    await page.locator('#code').fill(digits);
    await page.getByRole('button', { name: S.confirmManage }).click();
    await expect.poll(async () => (await central.api.get<{ startsAt: string }>(`/api/public/bookings/${encodeURIComponent(code)}`)).body.startsAt, { timeout: 15_000 }).toBe(newAt);
    // The page loads again with the new time.
    await expect.poll(() => page.getByTestId('booking-when').textContent(), { timeout: 15_000 }).not.toBe(bookedWhen);
    await page.screenshot({ path: artifactPath('visitor-site', 'email-booking-moved.png'), fullPage: true });

    // The cancel right after: the tab keeps the address's token, no new code.
    const sent = mail.messages.length;
    weights.emailBookingMoved = await openWeighed(page, () => page.reload());
    await page.getByRole('button', { name: S.cancelBooking }).click();
    await page.getByTestId('booking-status').filter({ hasText: S.statusCancelled }).waitFor({ timeout: 15_000 });
    expect((await central.api.get<{ status: string }>(`/api/public/bookings/${encodeURIComponent(code)}`)).body.status).toBe('cancelled');
    expect(mail.messages.slice(sent).filter((m) => isVisitorCodeText(m.subject))).toHaveLength(0);
    await expectNoAxeViolations(page, 'visitor site e-mail booking cancelled');
    for (const [name, bytes] of Object.entries(weights)) expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(PAGE_BUDGET_BYTES);
    fs.writeFileSync(artifactPath('visitor-site', 'email-booking-first-load-bytes.json'), `${JSON.stringify(weights, null, 2)}\n`);
  }, 120_000);

  it('books a time with an e-mail instead of a phone: the code from the SMTP sink, the booking with no phone, my bookings by the address, its page', async () => {
    // The service the booking test opened to bookings; this central sends both SMS and e-mail: a choice, phone first.
    const page = await phonePage();
    const weights: Record<string, number> = {};
    weights.branch = await openWeighed(page, () => page.goto(`${central.url}/b/${branch.server.branchId}`));
    const form = page.locator('#book');
    await form.waitFor();
    expect(await page.getByRole('radio', { name: S.viaPhone }).isChecked()).toBe(true);
    expect(await page.locator('#bookPhone').isVisible()).toBe(true);
    expect(await page.locator('#bookEmail').isVisible()).toBe(false);
    await expectNoAxeViolations(page, 'visitor site booking form');
    await page.getByRole('radio', { name: S.viaEmail }).check();
    expect(await page.locator('#bookPhone').isVisible()).toBe(false);
    const slot = (await page.locator('#bookSlot option').first().getAttribute('value')) as string;
    await page.locator('#bookSlot').selectOption(slot);
    await page.locator('#bookName').fill('Fatou Diop');
    // A mistyped address: said in the address's words, not the number's; no code sent.
    const mailsBefore = mail.messages.length;
    await page.getByLabel(S.email).fill('fatou.diop@');
    await form.getByRole('button', { name: S.sendCodeEmail }).click();
    await page.locator('#msg', { hasText: S.errors.VALIDATION_ERROR_EMAIL }).waitFor();
    // Said beside the booking form that asked, not in the join section above it (off screen on a phone).
    expect(await page.locator('[data-testid="book"] #msg').textContent()).toBe(S.errors.VALIDATION_ERROR_EMAIL);
    await expectNoAxeViolations(page, 'visitor site booking by e-mail, bad address');
    await page.screenshot({ path: artifactPath('visitor-site', 'book-by-email-form.png'), fullPage: true });
    const email = 'Fatou.Diop@example.sn';
    await page.getByLabel(S.email).fill(email);
    const smsBefore = sms.messages.length;
    await form.getByRole('button', { name: S.sendCodeEmail }).click();
    await page.locator('#verify').waitFor();
    expect(await page.getByLabel(S.codeEmail).count()).toBe(1);
    expect(await page.locator('#sentTo').textContent()).toBe(S.codeSentEmail.replace('{{to}}', 'f•••@example.sn'));
    await expectNoAxeViolations(page, 'visitor site booking by e-mail, code');
    await page.locator('#code').fill(await codeFromMail(mail, email, mailsBefore));
    await page.getByRole('button', { name: S.confirm }).click();
    await page.getByTestId('booked').waitFor({ timeout: 15_000 });
    expect(await page.locator('#bookedHint').textContent()).toBe(S.bookingHintEmail);
    const displayCode = ((await page.locator('#bookedCode').textContent()) as string).trim();
    const href = (await page.getByRole('link', { name: S.openBooking }).getAttribute('href')) as string;
    const code = displayCode.replace('-', '');
    expect(href).toBe(`/r/${code}`);
    // Central holds it with the e-mail address alone: no phone; no code went by SMS.
    const held = await appointmentsDb(central.server.central).selectFrom('bookings').select(['phone', 'email', 'status', 'starts_at', 'service_id']).where('code', '=', code).executeTakeFirstOrThrow();
    expect(held).toMatchObject({ phone: null, email, status: 'booked', starts_at: slot.split('|')[1], service_id: slot.split('|')[0] });
    const shown = await central.api.get<{ phone: string | null; email: string | null }>(`/api/public/bookings/${encodeURIComponent(code)}`);
    expect([shown.status, shown.body.phone]).toEqual([200, null]);
    expect(sms.messages.slice(smsBefore).filter((m) => isVisitorCodeText(m.message))).toHaveLength(0);
    await expectNoAxeViolations(page, 'visitor site booked by e-mail');
    await page.screenshot({ path: artifactPath('visitor-site', 'booked-by-email.png'), fullPage: true });

    // "My tickets and bookings" on another visit, with the address (phone first in the choice): its code by e-mail,
    // then the booking with its page; no ticket list for an address.
    const other = await phonePage();
    weights.myBookings = await openWeighed(other, () => other.goto(`${central.url}/tickets`));
    expect(await other.getByRole('radio', { name: S.viaPhoneMine }).isChecked()).toBe(true);
    await other.getByRole('radio', { name: S.viaEmailMine }).check();
    await other.getByLabel(S.email).fill('fatou.diop@example.sn');
    const asked = mail.messages.length;
    await other.locator('#mine').getByRole('button', { name: S.sendCodeEmail }).click();
    await other.getByLabel(S.codeEmail).fill(await codeFromMail(mail, email, asked));
    await other.getByRole('button', { name: S.confirm }).click();
    const listed = other.getByTestId('my-bookings').getByRole('link', { name: new RegExp(`^${displayCode} · `) });
    await listed.waitFor();
    expect(await listed.getAttribute('href')).toBe(href);
    expect(await other.getByRole('heading', { name: S.ticketsHeading, exact: true }).isVisible()).toBe(false);
    await expectNoAxeViolations(other, 'visitor site my bookings by e-mail');
    await other.screenshot({ path: artifactPath('visitor-site', 'my-bookings-by-email.png'), fullPage: true });

    // Its page from the confirmation: the code, and a cancel with the address confirmed moments ago (no new code).
    const sent = mail.messages.length;
    weights.booking = await openWeighed(page, () => page.getByRole('link', { name: S.openBooking }).click());
    expect(await page.getByTestId('booking-code').textContent()).toBe(displayCode);
    await page.getByRole('button', { name: S.cancelBooking }).click();
    await page.getByTestId('booking-status').filter({ hasText: S.statusCancelled }).waitFor({ timeout: 15_000 });
    expect((await central.api.get<{ status: string }>(`/api/public/bookings/${encodeURIComponent(code)}`)).body.status).toBe('cancelled');
    expect(mail.messages.slice(sent).filter((m) => isVisitorCodeText(m.subject))).toHaveLength(0);
    for (const [name, bytes] of Object.entries(weights)) expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(PAGE_BUDGET_BYTES);
    fs.writeFileSync(artifactPath('visitor-site', 'email-book-first-load-bytes.json'), `${JSON.stringify(weights, null, 2)}\n`);
  }, 120_000);

  it('with the branch cut off: a clear refusal, and nothing is issued then or when it comes back', async () => {
    const page = await phonePage();
    await page.goto(`${central.url}/b/${branch.server.branchId}`);
    const supervisor = await branch.login('aminata');
    const status = async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body;
    proxy.setDown(true);
    await waitFor('the link seen down', async () => (await status()).link?.connected === false);
    const before = branchTickets(branch).length;

    const sent = sms.messages.length;
    await page.locator('#service').selectOption(serviceId);
    await page.locator('#name').fill('Fatou Sarr');
    await page.locator('#phone').fill('+221 78 888 88 88');
    await page.locator('#join').getByRole('button', { name: S.sendCode }).click();
    await page.locator('#verify').waitFor();
    await page.locator('#code').fill(await codeFromSms(sms, '+221788888888', sent));
    await page.getByRole('button', { name: S.confirm }).click();
    await page.locator('#msg', { hasText: S.errors.BRANCH_OFFLINE }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ticket').isHidden()).toBe(true);
    await expectNoAxeViolations(page, 'visitor site branch offline');
    await page.screenshot({ path: artifactPath('visitor-site', 'offline.png'), fullPage: true });

    // Once the branch's news is older than the threshold, its page says how old, and asks no code any more.
    await new Promise((r) => setTimeout(r, 11_000));
    await page.reload();
    expect(await page.getByTestId('freshness').textContent()).toMatch(/^Données anciennes : l'agence n'a rien envoyé depuis \d+ s\./);
    expect(await page.getByTestId('offline').textContent()).toBe(S.offline);
    expect(await page.locator('#join').count()).toBe(0);
    await expectNoAxeViolations(page, 'visitor site branch stale');
    await page.screenshot({ path: artifactPath('visitor-site', 'stale.png'), fullPage: true });

    proxy.setDown(false);
    await waitFor('the link back', async () => (await status()).link?.connected === true, 20_000);
    expect((await branch.api.post<{ ok: boolean }>('/api/sync/run', {}, supervisor)).body.ok).toBe(true);
    expect(branchTickets(branch)).toHaveLength(before);
    expect(branchTickets(branch).some((t) => t.phone === '+221788888888')).toBe(false);
  }, 120_000);
});
