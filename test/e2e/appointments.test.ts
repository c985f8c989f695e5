// The whole path of an appointment with real processes' parts and Debian's Chromium: a visitor books through
// central's public API → the branch pulls the booking → the visitor checks in at the kiosk (typed code, and the QR
// code read by the scanner) → the agent calls (the counter app and the call board mark it as an appointment) →
// served → the check-in and the visit are synced back to central.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentsDb } from '../../server/src/central/booking/booking.service.js';
import type { BookingCreated, BookingView, PublicServiceView } from '../../server/src/shared/contracts/appointments.js';
import type { TicketView } from '../../server/src/shared/contracts/api.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser.js';
import { FAST_SYNC, startCentral, waitFor, type TestCentral } from '../support/central.js';
import { TestClock } from '../support/clock.js';
import { kioskText, openKiosk, PORTRAIT, shownTicket } from '../support/kiosk.js';
import { buildScreens } from '../support/ui-build.js';
import { smsTracking, Visitors } from '../support/visitor.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';

function browserTestsEnabled(): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: CI must run the appointment browser test`);
  console.warn(`\n*** appointment browser test SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium) ***\n`);
  return false;
}

describe.skipIf(!browserTestsEnabled())('appointment: book → pull → kiosk check-in → call → served → synced back', () => {
  const clock = new TestClock('2026-12-22T08:00:00Z'); // Tuesday 08:00 in Dakar
  let screens: { uiRoot: string; remove(): void };
  let central: TestCentral;
  let b: TestBranch;
  let browser: Browser;
  let sms: OrangeSmsSimulator;
  let visitors: Visitors;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }
  async function see(page: Page, selector: string, name: string, timeout = 10_000): Promise<void> {
    try {
      await page.locator(selector).first().waitFor({ timeout });
    } catch (err) {
      await page.screenshot({ path: artifactPath('appointments', `failure-${name}.png`) }).catch(() => undefined);
      throw err;
    }
  }
  const syncNow = async () => {
    const res = await b.api.post<{ ok: boolean; error: string | null }>('/api/sync/run', {}, await b.login('aminata'));
    expect(res.body).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    screens = await buildScreens(['kiosk', 'agent', 'display']);
    sms = await new OrangeSmsSimulator().start();
    central = await startCentral('sqlite', { clock, tracking: smsTracking(sms) });
    visitors = new Visitors(central.api, sms, undefined, clock);
    // Enrolment as in the field: the branch starts once (its id), head office enrols it, it restarts connected.
    const first = await startBranch({ clock });
    const credential = await central.enrol(first.server.branchId, 'Agence Plateau');
    await first.close();
    b = await startBranch({ dataDir: first.dataDir, passwords: first.passwords, clock, uiRoot: screens.uiRoot, centralUrl: central.url, centralCredential: credential, sync: FAST_SYNC });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await b?.destroy();
    await central?.destroy();
    await sms?.close();
    screens?.remove();
  });

  it('runs the whole path', async () => {
    // The branch admin offers appointments for A (15-minute slots, one visitor each, bookable up to the last minute).
    const admin = await b.login('admin');
    const serviceA = (await b.service('A')).id;
    expect((await b.api.request('PUT', `/api/admin/appointments/services/${serviceA}`, { token: admin, body: { enabled: true, minLeadMinutes: 0 } })).status).toBe(200);
    await syncNow();
    await waitFor('central to offer the service', async () => (await central.api.get<PublicServiceView[]>(`/api/public/branches/${b.server.branchId}/services`)).body.length === 1);

    // Two visitors book from home, the phone confirmed by a code by SMS first.
    const bookAt = async (startsAt: string, name: string) => {
      const phone = '+221 77 555 44 33';
      const res = await central.api.post<BookingCreated>('/api/public/bookings', { branchId: b.server.branchId, serviceId: serviceA, startsAt, name, phone, visitorToken: await visitors.token(phone) });
      expect(res.status).toBe(201);
      return res.body.booking;
    };
    const typed = await bookAt('2026-12-22T09:00:00.000Z', 'Aïda Mbaye');
    const scanned = await bookAt('2026-12-22T09:15:00.000Z', 'Cheikh Diop');

    // The branch pulls them.
    await syncNow();
    const day = (await b.api.get<BookingView[]>('/api/appointments/bookings?day=2026-12-22', await b.login('awa'))).body;
    expect(day.map((x) => x.code).sort()).toEqual([typed.code, scanned.code].sort());

    // At the kiosk, 20 minutes before: the first types the code on the keypad.
    clock.set('2026-12-22T08:40:00Z');
    const kiosk = await openKiosk(browser, b.url, PORTRAIT);
    contexts.push(kiosk.context);
    kiosk.page.on('pageerror', (err) => pageErrors.push(`kiosk: ${err.message}`));
    await kiosk.page.getByTestId('checkin-open').tap();
    await see(kiosk.page, '[data-testid=screen-checkin]', 'checkin');
    let letters = false;
    for (const symbol of typed.code) {
      const isLetter = /[A-Z]/.test(symbol);
      if (isLetter !== letters) {
        await kiosk.page.getByTestId(isLetter ? 'keys-letters' : 'keys-digits').tap();
        letters = isLetter;
      }
      await kiosk.page.getByTestId(`key-${symbol}`).tap();
    }
    expect(await kiosk.page.getByTestId('checkin-code').textContent()).toBe(typed.displayCode);
    await kiosk.page.getByTestId('checkin-submit').tap();
    const first = await shownTicket(kiosk.page);
    expect(await kiosk.page.textContent('body')).toContain(kioskText('fr', 'ticket', 'appointment'));
    const firstTicket = (await b.api.get<TicketView>(`/api/tickets/${first.id}`)).body;
    expect(firstTicket).toMatchObject({ queueType: 'appointment', serviceId: serviceA, status: 'waiting' });
    await kiosk.page.getByTestId('ticket-done').tap();
    await see(kiosk.page, '[data-testid=screen-start]', 'start-again');

    // The second (09:15, check-in from 08:45) holds the QR code of the booking under the scanner, which types its
    // text and Enter.
    clock.set('2026-12-22T08:46:00Z');
    await kiosk.page.keyboard.type(scanned.displayCode);
    await kiosk.page.keyboard.press('Enter');
    const second = await shownTicket(kiosk.page);
    expect(second.id).not.toBe(first.id);
    expect((await b.api.get<TicketView>(`/api/tickets/${second.id}`)).body.queueType).toBe('appointment');
    await kiosk.page.getByTestId('ticket-done').tap();

    // A code that is no booking here gets a clear message, not a ticket.
    await see(kiosk.page, '[data-testid=screen-start]', 'start-unknown');
    await kiosk.page.keyboard.type('0000-0000');
    await kiosk.page.keyboard.press('Enter');
    await see(kiosk.page, '[data-testid=checkin-message]', 'unknown-code');
    expect(await kiosk.page.getByTestId('checkin-message').textContent()).toBe(kioskText('fr', 'checkin', 'notFound'));

    // A walk-in arrives meanwhile; at 08:56 the first appointment is due and goes first.
    const walkIn = await b.api.issue(await b.kioskToken(), { serviceId: serviceA });
    expect(walkIn.status).toBe(201);
    const display = await newPage({ width: 1920, height: 1080 });
    await display.goto(`${b.url}/display/?lang=fr`);
    await see(display, '[data-testid=branch-name]', 'display');
    const agent = await newPage({ width: 1366, height: 860 });
    await agent.goto(`${b.url}/agent/`);
    await agent.fill('input[name=login]', 'moussa');
    await agent.fill('input[name=password]', b.passwords.moussa as string);
    await agent.click('button[type=submit]');
    await agent.click('[data-testid=pick-counter-2]'); // counter 2 serves A
    await see(agent, '[data-testid=counter-status][data-status=open]', 'agent-open');

    clock.set('2026-12-22T08:56:00Z');
    await see(agent, '[data-testid=desk][data-busy=""]', 'agent-ready');
    await agent.keyboard.press('n');
    await see(agent, `[data-testid=current-ticket][data-ticket="${firstTicket.number}"][data-status=called]`, 'agent-called');
    expect(await agent.locator('[data-testid=current-ticket] .tag-appointment').count()).toBe(1);
    await see(display, `[data-testid=now-calling][data-ticket="${firstTicket.number}"].appointment`, 'board-appointment');
    expect(await display.locator('[data-testid=now-calling] .appointment-badge').count()).toBe(1);
    await display.screenshot({ path: artifactPath('appointments', 'board-appointment.png') });
    await agent.screenshot({ path: artifactPath('appointments', 'agent-appointment.png') });

    await see(agent, '[data-testid=desk][data-busy=""]', 'agent-ready-start');
    await agent.keyboard.press('s');
    await see(agent, `[data-testid=current-ticket][data-ticket="${firstTicket.number}"][data-status=serving]`, 'agent-serving');
    clock.set('2026-12-22T09:05:00Z');
    await see(agent, '[data-testid=desk][data-busy=""]', 'agent-ready-complete');
    await agent.keyboard.press('c');
    await waitFor('the visit to be served', async () => (await b.api.get<TicketView>(`/api/tickets/${first.id}`)).body.status === 'served');

    // Synced back: central knows the check-ins and the visit.
    await syncNow();
    const db = appointmentsDb(central.server.central);
    const atCentral = await db.selectFrom('bookings').selectAll().where('code', 'in', [typed.code, scanned.code]).orderBy('starts_at').execute();
    expect(atCentral.map((x) => [x.status, x.ticket_id])).toEqual([['checked_in', first.id], ['checked_in', second.id]]);
    const visit = await central.server.db.selectFrom('tickets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(visit).toMatchObject({ status: 'served', queue_type: 'appointment', booking_id: atCentral[0]?.id });
    expect(pageErrors).toEqual([]);
  });
});
