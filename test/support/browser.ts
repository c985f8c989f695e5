// Debian's Chromium driven by playwright-core (never a downloaded browser). SMARTQUEUE_CHROMIUM overrides the path.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SMARTQUEUE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Screenshots and other artifacts of browser tests land here (CI keeps the folder). */
export function artifactPath(...parts: string[]): string {
  const file = path.resolve('test-artifacts', ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Counts what a page transfers (bytes on the wire, headers included: Chromium's encodedDataLength), per path, from
 * now on: the page-weight budgets (test/e2e/page-weight.test.ts, the tracking page's test).
 */
export async function countTransfers(context: BrowserContext, page: Page): Promise<{ byPath: Map<string, number>; total(): number; stop(): Promise<void> }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const byPath = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = new URL(urls.get(e.requestId) ?? 'http://x/?');
    byPath.set(url.pathname, (byPath.get(url.pathname) ?? 0) + e.encodedDataLength);
  });
  return { byPath, total: () => [...byPath.values()].reduce((a, b) => a + b, 0), stop: () => cdp.detach() };
}

/**
 * Cumulative layout shift (Chromium's layout-shift entries, as Lighthouse sums them, without user input) of the
 * pages this context opens from now on: read it with layoutShift(page) once the page has settled.
 */
export async function watchLayoutShift(context: BrowserContext): Promise<void> {
  await context.addInitScript(`(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  })();`);
}

export function layoutShift(page: Page): Promise<number> {
  return page.evaluate('window.__cls') as Promise<number>;
}
