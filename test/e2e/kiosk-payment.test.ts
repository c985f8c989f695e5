// Paying a service's fee from the visitor's phone at the kiosk, in Debian's Chromium: a real branch synced to a real
// central whose Wave adapter talks to the Wave simulator. The kiosk shows the checkout's QR code, the simulated
// payer pays, the signed webhook reaches central, the verdict comes down the feed, and the kiosk prints the receipt.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceView } from '../../server/src/shared/contracts/api.js';
import { WaveProvider } from '../../server/src/central/payments/providers/index.js';
import { WaveSimulator } from '../../server/src/simulators/payments/index.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { launchBrowser } from '../support/browser.js';
import { FAST_SYNC, startCentral, type TestCentral } from '../support/central.js';
import { expectTouchTargets, kioskBrowserTestsEnabled, openKiosk, PORTRAIT, shot } from '../support/kiosk.js';
import { buildScreens } from '../support/ui-build.js';

const WAVE = { apiKey: 'wave_sn_kiosk_test', webhookSecret: 'kiosk-webhook-secret' };

describe.skipIf(!kioskBrowserTestsEnabled())('kiosk: paying the fee by Wave', () => {
  let wave: WaveSimulator;
  let central: TestCentral;
  let branch: TestBranch;
  let screens: { uiRoot: string; remove(): void };
  let browser: Browser;
  let receipts: string;

  beforeAll(async () => {
    screens = await buildScreens(['kiosk']);
    wave = new WaveSimulator(WAVE);
    await wave.start();
    central = await startCentral('sqlite', { payments: { providers: { wave: new WaveProvider({ ...WAVE, apiUrl: wave.url, timeoutMs: 2000 }) }, reconcileEveryMs: 0 } });
    wave.setWebhookUrl(`${central.url}/api/payments/webhooks/wave`);
    receipts = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-kiosk-receipts-'));
    // Enrolled as in the field: first start (its id), enrolment at head office, restart with the credential.
    const first = await startBranch({ uiRoot: screens.uiRoot });
    const credential = await central.enrol(first.server.branchId);
    await first.close();
    branch = await startBranch({
      dataDir: first.dataDir, passwords: first.passwords, uiRoot: screens.uiRoot, printer: `simulated:${receipts}`,
      centralUrl: central.url, centralCredential: credential, sync: FAST_SYNC,
    });
    const admin = await branch.login('admin');
    const a = await branch.service('A');
    const h = [{ open: '00:00', close: '24:00' }];
    const res = await branch.api.request<ServiceView>('PATCH', `/api/admin/services/${a.id}`, {
      token: admin, body: { feeXof: 3000, openingHours: { 1: h, 2: h, 3: h, 4: h, 5: h, 6: h, 7: h } },
    });
    expect(res.status).toBe(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await branch?.destroy();
    await central?.destroy();
    await wave?.close();
    screens?.remove();
    if (receipts) fs.rmSync(receipts, { recursive: true, force: true });
  });

  it('shows the QR code, follows the payment and prints the receipt', async () => {
    const { context, page } = await openKiosk(browser, branch.url, PORTRAIT, '?ticket=60');
    try {
      await page.locator('.kiosk[data-sms="false"]').waitFor();
      await page.getByTestId('service-A').tap();
      // This central has no SMS channel: the kiosk asks for no phone number.
      await page.getByTestId('priority-none').tap();
      await page.getByTestId('screen-ticket').waitFor();
      expect(await page.getByTestId('screen-phone').count()).toBe(0);
      const offer = page.getByTestId('pay-offer');
      expect(await offer.textContent()).toMatch(/3[\s\u202f\u00a0]000 F CFA/);
      await expectTouchTargets(page);
      await page.getByTestId('pay-wave').tap();

      await page.locator('[data-testid=screen-pay][data-state=waiting]').waitFor();
      const [session] = wave.listPayments();
      expect(session).toMatchObject({ amountXof: 3000, status: 'pending' });
      const link = await page.getByTestId('pay-link').textContent();
      expect(link).toBe(`${wave.url}/pay/${session?.id}`);
      expect(await page.getByTestId('screen-pay').locator('svg.qr').getAttribute('data-qr')).toBe(link);
      await expectTouchTargets(page);
      await shot(page, 'fr-pay-qr');

      // The visitor pays on the phone: Wave's signed webhook → central → the branch's feed → the kiosk.
      await wave.complete(session?.id as string);
      await page.locator('[data-testid=screen-pay][data-state=paid]').waitFor({ timeout: 20_000 });
      await page.locator('[data-testid=pay-receipt][data-status=printed]').waitFor();
      await shot(page, 'fr-pay-paid');
      const receipt = fs.readdirSync(receipts).filter((f) => f.includes('-receipt-') && f.endsWith('.txt'));
      expect(receipt).toHaveLength(1);
      const text = fs.readFileSync(path.join(receipts, receipt[0] as string), 'utf8');
      expect(text).toContain('Wave');
      expect(text).toContain(session?.id);

      await page.getByTestId('pay-done').tap();
      await page.getByTestId('screen-start').waitFor();
    } finally {
      await context.close();
    }
  });
});
