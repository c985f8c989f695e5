// The counter app's payment of the current ticket, in Debian's Chromium against a real branch server: the ticket of a
// service with a fee shows what it owes, the agent records part in cash and the rest by Wave with its reference,
// and the badge turns to paid. Typing in the dialog never triggers a counter shortcut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { TicketPayments } from '../../server/src/shared/contracts/payments.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser.js';
import { buildScreens } from '../support/ui-build.js';

const haveChromium = chromiumAvailable();
if (!haveChromium && !process.env.CI) console.warn(`\n[agent-payment] SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)\n`);

describe.runIf(!haveChromium && process.env.CI)('agent payment browser test (CI)', () => {
  it('needs Chromium in CI', () => { expect(chromiumAvailable(), `Chromium missing at ${CHROMIUM_PATH}`).toBe(true); });
});

describe.skipIf(!haveChromium)('payment at the counter in the agent app', () => {
  let b: TestBranch;
  let screens: { uiRoot: string; remove(): void };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let service: ServiceView;
  let kiosk: string;

  beforeAll(async () => {
    screens = await buildScreens(['agent']);
    b = await startBranch({ uiRoot: screens.uiRoot });
    const admin = await b.login('admin');
    const a = await b.service('A');
    const h = [{ open: '00:00', close: '24:00' }];
    const res = await b.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, {
      token: admin, body: { feeXof: 2500, openingHours: { 1: h, 2: h, 3: h, 4: h, 5: h, 6: h, 7: h } },
    });
    expect(res.status).toBe(200);
    service = res.body;
    kiosk = await b.kioskToken();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 860 } })).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await b?.destroy();
    screens?.remove();
  });

  it('shows what the ticket owes and records cash, then Wave with its reference', async () => {
    const issued = await b.api.issue(kiosk, { serviceId: service.id });
    expect(issued.status).toBe(201);
    const ticket: TicketView = issued.body;

    await page.goto(`${b.url}/agent/`);
    await page.fill('input[name=login]', 'awa');
    await page.fill('input[name=password]', b.passwords.awa as string);
    await page.click('button[type=submit]');
    const counter = (await b.counters()).find((c) => c.serviceIds.includes(service.id));
    expect(counter).toBeDefined();
    await page.click(`[data-testid=pick-counter-${counter?.number}]`);
    await page.locator('[data-testid=counter-status][data-status=open]').waitFor();
    await page.click('[data-testid=action-call-next]');
    await page.locator(`[data-testid=current-ticket][data-ticket="${ticket.number}"]`).waitFor();

    await page.locator('[data-testid=payment][data-state=due][data-due="2500"]').waitFor();
    expect(await page.textContent('[data-testid=payment-badge]')).toMatch(/2[\s\u202f\u00a0]500 F CFA/);

    // 1000 in cash.
    await page.click('[data-testid=record-payment]');
    await page.locator('[data-testid=payment-dialog]').waitFor();
    await page.fill('[data-testid=pay-amount]', '1000');
    await page.click('[data-testid=pay-confirm]');
    await page.locator('[data-testid=payment][data-due="1500"]').waitFor();

    // The rest by Wave: the reference is required, and typing it does not complete the ticket (C) nor call (N).
    await page.click('[data-testid=record-payment]');
    await page.click('[data-testid=pay-method-wave]');
    expect(await page.inputValue('[data-testid=pay-amount]')).toBe('1500');
    expect(await page.isDisabled('[data-testid=pay-confirm]')).toBe(true);
    // X is "no-show" on the desk: pressed with a dialog button focused, it must not reach the desk.
    await page.focus('[data-testid=pay-method-wave]');
    await page.keyboard.press('x');
    await page.locator('[data-testid=pay-reference]').pressSequentially('TC_N1234');
    await page.screenshot({ path: artifactPath('agent-payment', 'dialog.png') });
    await page.click('[data-testid=pay-confirm]');
    await page.locator('[data-testid=payment][data-state=paid]').waitFor();
    await page.screenshot({ path: artifactPath('agent-payment', 'paid.png') });
    expect(await page.locator('[data-testid=record-payment]').count()).toBe(0);
    await page.locator(`[data-testid=current-ticket][data-status=called]`).waitFor();

    const agent = await b.login('awa');
    const paid = (await b.api.get<TicketPayments>(`/api/tickets/${ticket.id}/payments`, agent)).body;
    expect(paid).toMatchObject({ feeXof: 2500, paidXof: 2500, dueXof: 0 });
    expect(paid.payments.map((p) => [p.method, p.amountXof, p.providerRef, p.status])).toEqual([
      ['cash', 1000, null, 'succeeded'],
      ['wave', 1500, 'TC_N1234', 'succeeded'],
    ]);
    expect(pageErrors).toEqual([]);
  });
});
