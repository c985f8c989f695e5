// axe-core on every screen of the branch and the tracking page, each at the size it is used at: kiosk portrait
// (1080×1920) and landscape (1920×1080) through its whole path, the agent desk (with a ticket called, then idle with
// its buttons disabled) and the supervision at 1366×768, the call board at 1920×1080, the tracking page at 390×844.
// 0 serious and 0 critical violations (the head-office console is checked by office.test.ts with the same helper).
// Also: every screen has its h1, disabled buttons look disabled, a closed service is not shown in green.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/axe.js';
import { artifactPath, CHROMIUM_PATH, chromiumAvailable, launchBrowser, layoutShift, watchLayoutShift } from '../support/browser.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { kioskText, LANDSCAPE, PORTRAIT } from '../support/kiosk.js';
import { buildScreens } from '../support/ui-build.js';
import type { TicketView } from '../../server/src/shared/contracts/api.js';
import type { KioskConfig } from '../../server/src/shared/contracts/print.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';

const haveChromium = chromiumAvailable();
const DESK = { width: 1366, height: 768 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-SN' } as const;

describe.runIf(!haveChromium && process.env.CI)('screens accessibility (CI)', () => {
  it('needs Chromium', () => { expect(haveChromium, `Chromium is required in CI (${CHROMIUM_PATH})`).toBe(true); });
});

describe.skipIf(!haveChromium)('axe-core on every screen at its real size', () => {
  let ui: Awaited<ReturnType<typeof buildScreens>>;
  const sms = new OrangeSmsSimulator();
  let central: TestCentral;
  let b: SyncedBranch;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ui = await buildScreens(['kiosk', 'agent', 'display']);
    // Central sends SMS (the Orange SMS simulator): the kiosk offers its phone step, which is checked too.
    await sms.start();
    central = await startCentral('sqlite', {
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' } } },
    });
    b = await startSyncedBranch(central, { name: 'Agence Plateau', uiRoot: ui.uiRoot });
    const kiosk = await b.kioskToken();
    await waitFor('the branch to know central sends SMS', async () => (await b.api.get<KioskConfig>('/api/kiosk/config', kiosk)).body.sms);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await b?.destroy();
    await central?.destroy();
    await sms.close();
    ui?.remove();
  });

  async function open(url: string, options: Parameters<Browser['newContext']>[0], measureShift = false): Promise<Page> {
    const context = await browser.newContext({ locale: 'fr-SN', ...options });
    contexts.push(context);
    if (measureShift) await watchLayoutShift(context);
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }
  async function check(page: Page, screen: string): Promise<void> {
    await page.screenshot({ path: artifactPath('a11y', `${screen}.png`) });
    await expectNoAxeViolations(page, screen);
    expect(await page.locator('h1').count(), `${screen} has one h1`).toBe(1);
  }

  for (const [viewport, tag] of [[PORTRAIT, 'portrait'], [LANDSCAPE, 'landscape']] as const) {
    it(`kiosk ${tag}: start, priority, phone, ticket`, async () => {
      const page = await open(`${b.url}/kiosk/?ticket=120`, { viewport, hasTouch: true }, true);
      await page.getByTestId('screen-start').waitFor();
      await page.waitForTimeout(1_000);
      const cls = await layoutShift(page);
      console.info(`kiosk ${tag} layout shift at load: ${cls.toFixed(4)}`);
      expect(cls).toBeLessThan(0.05);
      await check(page, `kiosk-${tag}-start`);
      await page.locator('.kiosk[data-sms="true"]').waitFor();
      await page.getByTestId('service-A').tap();
      await page.getByTestId('screen-priority').waitFor();
      await check(page, `kiosk-${tag}-priority`);
      await page.getByTestId('priority-none').tap();
      await page.getByTestId('phone-display').waitFor();
      await check(page, `kiosk-${tag}-phone`);
      await page.getByTestId('phone-skip').tap();
      await page.getByTestId('screen-ticket').waitFor();
      await page.locator('[data-testid=ticket-print-status]:not([data-status=printing])').waitFor();
      // No counter is open yet (the desk test opens one later): no minutes are promised.
      expect(await page.getByTestId('ticket-wait').textContent()).toBe(kioskText('fr', 'ticket', 'noOpenCounter'));
      await check(page, `kiosk-${tag}-ticket`);
    });
  }

  it('agent desk (a ticket called, then idle) and supervision at 1366×768; the call board at 1920×1080', async () => {
    const kiosk = await b.kioskToken();
    const a = (await b.service('A')).id;
    for (let i = 0; i < 2; i++) expect((await b.api.issue(kiosk, { serviceId: a })).status).toBe(201);
    const board = await open(`${b.url}/display/`, { viewport: { width: 1920, height: 1080 } });
    await board.getByTestId('branch-name').waitFor();

    const desk = await open(`${b.url}/agent/`, { viewport: DESK });
    await desk.fill('input[name=login]', 'awa');
    await desk.fill('input[name=password]', b.passwords.awa as string);
    await check(desk, 'agent-login');
    await desk.click('button[type=submit]');
    await desk.click('[data-testid=pick-counter-1]');
    await desk.locator('[data-testid=counter-status][data-status=open]').waitFor();
    await check(desk, 'agent-desk-idle');
    // Nothing to finish yet: "Terminer" is disabled and looks it (not the green of a live button).
    const finish = desk.getByTestId('action-complete');
    expect(await finish.isDisabled()).toBe(true);
    const live = desk.getByTestId('action-call-next');
    expect(await live.isEnabled()).toBe(true);
    const look = async (el: typeof finish) => ['backgroundColor', 'color', 'borderStyle'].map((p) => computed(el, p));
    expect(await Promise.all(await look(finish))).not.toEqual(await Promise.all(await look(live)));
    expect(await computed(finish, 'cursor')).toBe('not-allowed');
    expect(greenish(await computed(finish, 'backgroundColor')), 'a disabled button is not green').toBe(false);

    await desk.getByTestId('action-call-next').click();
    await desk.locator('[data-testid=current-ticket][data-status=called]').waitFor();
    await board.locator('[data-testid=now-calling][data-ticket=A001]').waitFor();
    await check(desk, 'agent-desk-called');
    // A new call flashes three times (2.1 s); axe reads the board at rest, as it is seen for the rest of the call
    // (a frame caught mid-flash blends the colours; the marquee's endless animation is not a flash).
    await board.waitForFunction("document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)");
    await check(board, 'call-board');

    const sup = await open(`${b.url}/agent/`, { viewport: DESK });
    await sup.fill('input[name=login]', 'aminata');
    await sup.fill('input[name=password]', b.passwords.aminata as string);
    await sup.click('button[type=submit]');
    await sup.getByTestId('supervisor').waitFor();
    await check(sup, 'supervision');
    // A closed service line is not shown in green.
    const supervisorToken = await b.login('aminata');
    const c = (await b.service('C')).id;
    expect((await b.api.request('POST', `/api/services/${c}/status`, { token: supervisorToken, body: { status: 'closed' } })).status).toBe(200);
    await sup.locator('[data-testid=sup-service-C][data-status=closed]').waitFor();
    const closedColour = await computed(sup.locator('[data-testid=sup-service-C] .service-status').first(), 'color');
    expect(greenish(closedColour), `"Fermé" shown in ${closedColour}`).toBe(false);
    await check(sup, 'supervision-service-closed');
  });

  it('tracking page at 390×844', async () => {
    const kiosk = await b.kioskToken();
    const issued = await b.api.issue(kiosk, { serviceId: (await b.service('A')).id });
    const ticket = issued.body as TicketView;
    await waitFor('the ticket at central', async () => (await central.api.get<{ known: boolean }>(`/api/track/${ticket.id}`)).body.known || undefined, 15_000);
    const page = await open(`${central.url}/t/${ticket.id}`, { ...PHONE, bypassCSP: true }, true); // the page's CSP refuses axe's inline script
    await page.locator('#num', { hasText: 'A-' }).waitFor();
    // Drawn in the HTML, filled by the script without moving: layout shift < 0.05.
    await page.waitForFunction("typeof io === 'function'", undefined, { timeout: 15_000 });
    await page.waitForTimeout(1_500);
    const cls = await layoutShift(page);
    console.info(`tracking page layout shift: ${cls.toFixed(4)}`);
    expect(cls).toBeLessThan(0.05);
    await check(page, 'tracking-page');
  });
});

type Styled = ReturnType<Page['locator']>;
/** A computed style property of the element (the test's tsconfig has no DOM types, hence the cast). */
function computed(el: Styled, property: string): Promise<string> {
  return el.evaluate((e, p) => (globalThis as unknown as { getComputedStyle(x: unknown): Record<string, string> }).getComputedStyle(e)[p] ?? '', property);
}

/** A colour whose green channel clearly dominates (rgb(...) as the browser computes it). */
function greenish(css: string): boolean {
  const [r, g, bl] = (css.match(/\d+/g) ?? []).map(Number) as [number, number, number];
  return g > r + 40 && g > bl + 20;
}
