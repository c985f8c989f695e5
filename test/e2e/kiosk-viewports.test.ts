// Every kiosk step fits or scrolls visibly (issue 15): at 1080×1920, 1920×1080 and 1366×768, with 6 and with 12
// services, every button of the start, priority, phone and ticket steps is inside the screen, or inside a part that
// scrolls (with its scrollbar shown) and comes into the screen when scrolled to. The branch's central sends SMS (the
// Orange SMS simulator), so the phone step is offered and checked too.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import type { KioskConfig } from '../../server/src/shared/contracts/print.js';
import { artifactPath, launchBrowser } from '../support/browser.js';
import { kioskBrowserTestsEnabled, LANDSCAPE, openKiosk, PORTRAIT } from '../support/kiosk.js';
import { buildScreens } from '../support/ui-build.js';

const SMALL = { width: 1366, height: 768 };
const EXTRA = 'EFGHIJKL'.split('');

/** Buttons that are neither on screen nor reachable by a visible scroll: "testid: why". */
async function unreachable(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { innerWidth: number; innerHeight: number; document: { querySelectorAll(s: string): ArrayLike<unknown> }; getComputedStyle(e: unknown): { overflowY: string } };
    type El = { getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number }; parentElement: El | null; scrollHeight: number; clientHeight: number; offsetWidth: number; getAttribute(n: string): string | null; textContent: string | null; scrollIntoView(o: unknown): void };
    const out: string[] = [];
    for (const b of Array.from(g.document.querySelectorAll('button')) as El[]) {
      const r = b.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const name = b.getAttribute('data-testid') ?? (b.textContent ?? '').trim().slice(0, 30);
      const inside = r.top >= 0 && r.left >= 0 && r.bottom <= g.innerHeight + 0.5 && r.right <= g.innerWidth + 0.5;
      if (inside) continue;
      let p = b.parentElement;
      let scroller: El | null = null;
      while (p) {
        const oy = g.getComputedStyle(p).overflowY;
        if ((oy === 'auto' || oy === 'scroll') && p.scrollHeight > p.clientHeight + 1) { scroller = p; break; }
        p = p.parentElement;
      }
      if (!scroller) { out.push(`${name}: at y ${Math.round(r.top)}–${Math.round(r.bottom)}, nothing scrolls`); continue; }
      if (scroller.offsetWidth <= (scroller as unknown as { clientWidth: number }).clientWidth) { out.push(`${name}: its scroll has no visible scrollbar`); continue; }
      b.scrollIntoView({ block: 'nearest' });
      const s = b.getBoundingClientRect();
      if (!(s.top >= 0 && s.bottom <= g.innerHeight + 0.5)) out.push(`${name}: still off screen when scrolled to`);
      scroller.scrollIntoView({ block: 'start' });
      (scroller as unknown as { scrollTop: number }).scrollTop = 0;
    }
    return out;
  });
}

describe.skipIf(!kioskBrowserTestsEnabled())('kiosk steps at every kiosk size', () => {
  let ui: Awaited<ReturnType<typeof buildScreens>>;
  const sms = new OrangeSmsSimulator();
  let central: TestCentral;
  let b: SyncedBranch;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    ui = await buildScreens(['kiosk']);
    await sms.start();
    central = await startCentral('sqlite', {
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' } } },
    });
    b = await startSyncedBranch(central, { uiRoot: ui.uiRoot });
    admin = await b.login('admin');
    const kiosk = await b.kioskToken();
    await waitFor('the branch to know central sends SMS', async () => (await b.api.get<KioskConfig>('/api/kiosk/config', kiosk)).body.sms);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await b?.destroy();
    await central?.destroy();
    await sms.close();
    ui?.remove();
  });

  async function haveServices(n: number): Promise<void> {
    const hours = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), [{ open: '00:00', close: '24:00' }]]));
    for (const prefix of EXTRA) {
      const have = await b.services();
      if (have.length >= n) return;
      if (have.some((s) => s.prefix === prefix)) continue;
      const res = await b.api.request('POST', '/api/admin/services', { token: admin, body: { prefix, name: { fr: `Service ${prefix}`, wo: `Sarwiis ${prefix}`, en: `Service ${prefix}` }, openingHours: hours } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }

  for (const count of [6, 12]) {
    it(`every button of every step is reachable with ${count} services`, async () => {
      await haveServices(count);
      expect((await b.services()).length).toBe(count);
      for (const [viewport, tag] of [[PORTRAIT, 'portrait'], [LANDSCAPE, 'landscape'], [SMALL, 'small']] as const) {
        const { context, page } = await openKiosk(browser, b.url, viewport);
        try {
          const step = async (name: string) => {
            await page.screenshot({ path: artifactPath('kiosk-viewports', `${count}-${tag}-${name}.png`) });
            expect(await unreachable(page), `${tag} ${viewport.width}×${viewport.height}, ${count} services, ${name}`).toEqual([]);
          };
          await page.locator('.kiosk[data-sms="true"]').waitFor();
          await step('start');
          const open = page.locator('[data-testid^=service-][data-open=true]').first();
          await open.scrollIntoViewIfNeeded();
          await open.tap();
          await page.getByTestId('screen-priority').waitFor();
          await step('priority');
          await page.getByTestId('priority-none').tap();
          await page.getByTestId('screen-phone').waitFor();
          await step('phone');
          await page.getByTestId('phone-skip').scrollIntoViewIfNeeded();
          await page.getByTestId('phone-skip').tap();
          await page.getByTestId('screen-ticket').waitFor();
          await page.locator('[data-testid=ticket-print-status]:not([data-status=printing])').waitFor();
          await step('ticket');
        } finally {
          await context.close();
        }
      }
    }, 180_000);
  }
});
