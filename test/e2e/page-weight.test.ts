// Page weight (issue 15): what each screen's first load transfers in Chromium, against a budget that fails the
// test when a change exceeds it; and how the servers send the built screens: the precompressed copy the build made
// (brotli, else gzip, with Vary), content-hashed assets immutable for a year, index.html revalidated, /favicon.ico
// on both servers. The tracking page's budget (30 KB) is in test/tracking/tracking-page.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBranch, type TestBranch } from '../support/branch.js';
import { CHROMIUM_PATH, chromiumAvailable, countTransfers, launchBrowser } from '../support/browser.js';
import { startCentral, type TestCentral } from '../support/central.js';
import { buildScreens } from '../support/ui-build.js';

const haveChromium = chromiumAvailable();
const KB = 1024;
/** Budgets of the first load, bytes on the wire (headers included), at the screen's real viewport. */
const BUDGETS = {
  kiosk: { path: '/kiosk/', ready: '[data-testid=screen-start]', viewport: { width: 1080, height: 1920 }, bytes: 150 * KB },
  display: { path: '/display/', ready: '[data-testid=branch-name]', viewport: { width: 1920, height: 1080 }, bytes: 150 * KB },
  agent: { path: '/agent/', ready: 'input[name=login]', viewport: { width: 1366, height: 768 }, bytes: 150 * KB },
  office: { path: '/office/', ready: 'input[type=password]', viewport: { width: 1366, height: 768 }, bytes: 150 * KB },
} as const;

describe.runIf(!haveChromium && process.env.CI)('page weight (CI)', () => {
  it('needs Chromium', () => { expect(haveChromium, `Chromium is required in CI (${CHROMIUM_PATH})`).toBe(true); });
});

describe.skipIf(!haveChromium)('page weight and how screens are served', () => {
  let ui: Awaited<ReturnType<typeof buildScreens>>;
  let b: TestBranch;
  let central: TestCentral;
  let browser: Browser;

  beforeAll(async () => {
    ui = await buildScreens(['kiosk', 'agent', 'display', 'office']);
    b = await startBranch({ uiRoot: ui.uiRoot });
    central = await startCentral('sqlite', { uiRoot: ui.uiRoot });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await b?.destroy();
    await central?.destroy();
    ui?.remove();
  });

  const urlOf = (screen: keyof typeof BUDGETS) => (screen === 'office' ? central.url : b.url);

  it('sends the precompressed copy the build made, hashed assets immutable, index.html revalidated', async () => {
    for (const screen of Object.keys(BUDGETS) as Array<keyof typeof BUDGETS>) {
      const base = `${urlOf(screen)}${BUDGETS[screen].path}`;
      const index = await fetch(base, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(index.status, screen).toBe(200);
      expect(index.headers.get('cache-control'), `${screen} index.html`).toBe('no-cache');
      const html = await index.text(); // fetch decodes
      const script = /src="([^"]+\.js)"/.exec(html)?.[1];
      expect(script, `${screen} script`).toMatch(new RegExp(`^${BUDGETS[screen].path}assets/`));
      const dist = path.join(ui.uiRoot, `${screen}-ui`, 'dist', (script as string).slice(BUDGETS[screen].path.length));
      const raw = fs.readFileSync(dist);
      for (const [accept, encoding, file] of [['br, gzip', 'br', `${dist}.br`], ['gzip', 'gzip', `${dist}.gz`], ['identity', null, dist]] as const) {
        // Node's fetch decodes bodies: ask with http's raw length instead.
        const res = await fetch(`${urlOf(screen)}${script}`, { headers: { 'accept-encoding': accept } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-encoding'), `${screen} ${accept}`).toBe(encoding);
        expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(res.headers.get('vary')).toBe('Accept-Encoding');
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(Number(res.headers.get('content-length')), `${screen} ${accept}`).toBe(fs.statSync(file).size);
        expect(Buffer.from(await res.arrayBuffer()).equals(raw), `${screen} ${accept} decodes to the built file`).toBe(true);
      }
      // A precompressed copy is never served by its own name, and a missing asset is a 404 (not the page).
      expect((await fetch(`${urlOf(screen)}${script}.br`)).status).toBe(404);
      expect((await fetch(`${urlOf(screen)}${BUDGETS[screen].path}assets/gone-1234.js`)).status).toBe(404);
      // Any other path of the single-page app is its page.
      expect((await fetch(`${base}some/where`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
  });

  it('has /favicon.ico on both servers, and every screen links it', async () => {
    for (const url of [b.url, central.url]) {
      const res = await fetch(`${url}/favicon.ico`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/x-icon');
      const ico = Buffer.from(await res.arrayBuffer());
      expect(ico.readUInt16LE(2)).toBe(1); // an icon resource
      expect(ico.readUInt16LE(4)).toBe(1); // one image
    }
    for (const screen of Object.keys(BUDGETS) as Array<keyof typeof BUDGETS>) {
      expect(await (await fetch(`${urlOf(screen)}${BUDGETS[screen].path}`)).text(), screen).toContain('<link rel="icon" href="/favicon.ico"');
    }
  });

  for (const screen of Object.keys(BUDGETS) as Array<keyof typeof BUDGETS>) {
    it(`loads the ${screen} screen within ${BUDGETS[screen].bytes / KB} KB`, async () => {
      const { path: p, ready, viewport, bytes } = BUDGETS[screen];
      const context = await browser.newContext({ viewport, locale: 'fr-SN' });
      const errors: string[] = [];
      try {
        const page = await context.newPage();
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        const counted = await countTransfers(context, page);
        await page.goto(`${urlOf(screen)}${p}`);
        await page.locator(ready).first().waitFor({ timeout: 20_000 });
        await page.waitForLoadState('networkidle');
        await counted.stop();
        const total = counted.total();
        console.info(`${screen} first load: ${[...counted.byPath].map(([k, n]) => `${k} ${n} B`).join(', ')}; total ${total} B`);
        expect(counted.byPath.get('/favicon.ico'), `${screen} asks for /favicon.ico`).toBeGreaterThan(0);
        expect(total, `${screen} first load`).toBeLessThan(bytes);
        expect(errors.filter((e) => /favicon|404/.test(e)), `${screen} console`).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
