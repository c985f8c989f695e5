// Issue 16: a day an admin closed the branch (a closure, Administration › Agence) in Debian's Chromium. When the branch
// day turns to it, the call board shows the closure's reason instead of the calls, in each of its languages and large
// enough to read from 10 m; the kiosk says the branch is closed today with the reason in the visitor's language, and
// no line issues a ticket (409 SERVICE_CLOSED). When the closure is removed, both screens are back at once.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HolidayOverrideView } from '../../server/src/shared/contracts/appointments.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser.js';
import { TestClock } from '../support/clock.js';
import { buildScreens } from '../support/ui-build.js';
import { expectNoAxeViolations } from '../support/axe.js';

const haveChromium = chromiumAvailable();
// The pictures of docs/agent-display.md and docs/kiosk.md with SMARTQUEUE_DOCS_IMAGES=1, else test-artifacts/closure/.
const IMG = process.env.SMARTQUEUE_DOCS_IMAGES === '1' ? path.resolve('docs/img') : path.dirname(artifactPath('closure', 'x.png'));

describe.runIf(!haveChromium && process.env.CI)('closure browser tests (CI)', () => {
  it('needs Chromium in CI', () => { expect(chromiumAvailable(), `Chromium missing at ${CHROMIUM_PATH}`).toBe(true); });
});

describe.skipIf(!haveChromium)('a closure day on the call board and at the kiosk', () => {
  // Tuesday 23:59:30 in Dakar (UTC all year); the closure is on Wednesday.
  const clock = new TestClock('2026-12-08T23:59:30Z');
  const reason = { fr: 'Inventaire annuel', wo: 'Lim alal yi ci at mi', en: 'Annual stocktaking' };
  let b: TestBranch;
  let screens: { uiRoot: string; remove(): void };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let board: Page;
  let kiosk: Page;
  let admin: string;
  let kioskToken: string;
  let closure: HolidayOverrideView;

  async function newPage(viewport: { width: number; height: number }, touch = false): Promise<Page> {
    const context = await browser.newContext({ viewport, hasTouch: touch });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }
  const fontPx = (page: Page, testId: string) =>
    page.getByTestId(testId).first().evaluate((el) => Number.parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize));

  beforeAll(async () => {
    fs.mkdirSync(IMG, { recursive: true });
    screens = await buildScreens(['kiosk', 'display']);
    b = await startBranch({ clock, uiRoot: screens.uiRoot });
    admin = await b.login('admin');
    kioskToken = await b.kioskToken();
    browser = await launchBrowser();
    board = await newPage({ width: 1920, height: 1080 });
    await board.goto(`${b.url}/display/?lang=fr,wo`);
    await board.getByTestId('branch-name').waitFor();
    kiosk = await newPage({ width: 1080, height: 1920 }, true);
    await kiosk.goto(`${b.url}/kiosk/`);
    await kiosk.getByTestId('screen-start').waitFor();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await b?.destroy();
    screens?.remove();
  });

  it('shows nothing of a closure set for tomorrow, and the branch issues today', async () => {
    const res = await b.api.post<HolidayOverrideView>('/api/admin/appointments/holiday-overrides', { kind: 'closure', date: '2026-12-09', label: reason }, admin);
    expect(res.status).toBe(201);
    closure = res.body;
    expect(await board.getByTestId('closure').count()).toBe(0);
    expect(await kiosk.getByTestId('closure').count()).toBe(0);
    expect((await b.service('A')).openNow).toBe(true);
    expect((await b.api.issue(kioskToken, { serviceId: (await b.service('A')).id })).status).toBe(201);
  });

  it('when the day turns to the closure, the board shows its reason large in each language and the kiosk says the branch is closed', async () => {
    clock.set('2026-12-09T00:00:30Z');
    // The sweeper's step (every 30 s) that notices the day turning, run now rather than waited for.
    b.server.services.catalog.noticeClosureDay();

    await board.getByTestId('closure').waitFor({ timeout: 5_000 });
    expect(await board.locator('.closure-title').textContent()).toBe('Agence fermée aujourd\'hui · Ajaans bi tëj na tey');
    expect(await board.getByTestId('closure-reason').allTextContents()).toEqual([reason.fr, reason.wo]);
    expect(await board.getByTestId('now-calling').count()).toBe(0);
    // Read from 10 m: letters about 4 cm high or more. A 43-inch TV is 54 cm high for 1080 px, so ≥ 80 px
    // (4 cm) for the reason and more for the title; the ticket number on this board is 22vh.
    expect(await fontPx(board, 'closure-reason')).toBeGreaterThanOrEqual(80);
    expect(await board.locator('.closure-title').evaluate((el) => Number.parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(90);
    await board.screenshot({ path: path.join(IMG, 'board-closure.png') });
    await expectNoAxeViolations(board, 'Écran d\'appel (fermeture)');

    // The kiosk: the reason in the visitor's language, every service closed for today.
    await kiosk.getByTestId('closure').waitFor({ timeout: 5_000 });
    expect(await kiosk.getByTestId('closure').textContent()).toBe(`L'agence est fermée aujourd'hui ${reason.fr}`);
    await expect.poll(() => kiosk.locator('[data-testid^=service-][data-open=true]').count()).toBe(0);
    await kiosk.getByTestId('lang-wo').tap();
    expect(await kiosk.getByTestId('closure-reason').textContent()).toBe(reason.wo);
    await kiosk.getByTestId('lang-fr').tap();
    await kiosk.screenshot({ path: path.join(IMG, 'kiosk-closure.png') });
    await expectNoAxeViolations(kiosk, 'Borne (fermeture)');

    const refused = await b.api.issue(kioskToken, { serviceId: (await b.service('A')).id });
    expect(refused.status).toBe(409);
    expect((refused.body as unknown as { error: { code: string; message: string } }).error).toMatchObject({ code: 'SERVICE_CLOSED', message: expect.stringContaining('closed today (Annual stocktaking)') });
    expect((await b.services()).every((s) => !s.openNow && s.hoursToday.length === 0)).toBe(true);
  });

  it('once the admin removes the closure, the board and the kiosk are back at once', async () => {
    expect((await b.api.request('DELETE', `/api/admin/appointments/holiday-overrides/${closure.id}`, { token: admin })).status).toBe(204);
    await board.getByTestId('closure').waitFor({ state: 'detached', timeout: 5_000 });
    await board.locator('.now-empty, [data-testid=now-calling]').first().waitFor();
    await kiosk.getByTestId('closure').waitFor({ state: 'detached', timeout: 5_000 });
    await kiosk.locator('[data-testid=service-A][data-open=true]').waitFor();
    expect((await b.api.issue(kioskToken, { serviceId: (await b.service('A')).id })).status).toBe(201);
    expect(pageErrors).toEqual([]);
  });
});
