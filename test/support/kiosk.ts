// Helpers of the kiosk browser tests (test/e2e/kiosk*.test.ts): open the kiosk at touch size, switch language,
// read the ticket on screen, check touch targets, save screenshots under test-artifacts/kiosk/.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestBranch } from './branch.js';
import { artifactPath, CHROMIUM_PATH, chromiumAvailable } from './browser.js';

export const LANGS = ['fr', 'wo', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

const locales = Object.fromEntries(
  LANGS.map((l) => [l, JSON.parse(fs.readFileSync(path.resolve(`kiosk-ui/src/locales/${l}.json`), 'utf8'))]),
) as Record<Lang, Record<string, Record<string, string>>>;

/** A text of the kiosk's locale files, e.g. kioskText('wo', 'ticket', 'printed'). */
export function kioskText(lang: Lang, group: string, key: string): string {
  const value = locales[lang][group]?.[key];
  if (typeof value !== 'string') throw new Error(`no kiosk text ${lang}:${group}.${key}`);
  return value;
}

/**
 * Whether the browser tests can run here: without Chromium they are skipped with a visible message locally, and
 * fail in CI (process.env.CI), which must run them.
 */
export function kioskBrowserTestsEnabled(): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: CI must run the kiosk browser tests`);
  console.warn(`\n*** kiosk browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium) ***\n`);
  return false;
}

export function assertKioskBuilt(): void {
  if (!fs.existsSync(path.resolve('kiosk-ui/dist/index.html'))) {
    throw new Error('kiosk-ui/dist is missing: build it first (npm run build, or npx vite build --config kiosk-ui/vite.config.ts)');
  }
}

/** A touch-screen browser context on the kiosk page, waiting for the start screen. */
export async function openKiosk(browser: Browser, url: string, viewport: { width: number; height: number }, query = '?ticket=120'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, hasTouch: true, deviceScaleFactor: 1, locale: 'fr-SN' });
  const page = await context.newPage();
  await page.goto(`${url}/kiosk/${query}`);
  await page.getByTestId('screen-start').waitFor();
  return { context, page };
}

export async function setLang(page: Page, lang: Lang): Promise<void> {
  await page.getByTestId(`lang-${lang}`).tap();
  await expect.poll(() => page.evaluate<string>('document.documentElement.lang')).toBe(lang);
}

/** The ticket on screen: its id and its number as shown ("A-042"). */
export async function shownTicket(page: Page): Promise<{ id: string; shown: string }> {
  const el = page.getByTestId('ticket-number');
  await el.waitFor();
  return { id: (await el.getAttribute('data-ticket-id')) as string, shown: (await el.textContent()) as string };
}

export async function waitPrintStatus(page: Page, status: 'printed' | 'failed' | 'none'): Promise<void> {
  await page.locator(`[data-testid="ticket-print-status"][data-status="${status}"]`).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifactPath('kiosk', `${name}.png`) });
}

/** Every visible button of the screen is a touch target of at least 72 × 72 px. */
export async function expectTouchTargets(page: Page): Promise<void> {
  const small = await page.$$eval('button', (buttons) => buttons
    .map((b) => ({ b, r: b.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && r.height > 0)
    .filter(({ r }) => r.width < 72 || r.height < 72)
    .map(({ b, r }) => `${b.getAttribute('data-testid') ?? b.textContent}: ${Math.round(r.width)}×${Math.round(r.height)}`));
  expect(small).toEqual([]);
}

export function countTickets(b: TestBranch): number {
  const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
