// Every kiosk screen in fr, wo and en, in Debian's Chromium at touch size against a real branch server, with a
// screenshot of each in test-artifacts/kiosk/ (<lang>-<screen>.png): start (portrait and landscape), priority,
// malformed phone, printed ticket, appointment check-in (keypad and a scanner typing a code + Enter).
// The failed-print, out-of-service and pairing screens are shot by kiosk.test.ts. The branch is connected to a
// central that sends SMS (the Orange SMS simulator): the phone step is offered, the ticket has its QR code.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePrinter } from '../fixtures/fake-printer.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import type { KioskConfig } from '../../server/src/shared/contracts/print.js';
import { launchBrowser } from '../support/browser.js';
import { TestClock } from '../support/clock.js';
import {
  assertKioskBuilt, expectTouchTargets, kioskBrowserTestsEnabled, kioskText as text, LANDSCAPE, LANGS, openKiosk, PORTRAIT, setLang, shot,
  waitPrintStatus,
} from '../support/kiosk.js';

describe.skipIf(!kioskBrowserTestsEnabled())('kiosk screens in three languages', () => {
  const printer = new FakePrinter();
  const clock = new TestClock('2026-11-24T15:30:00Z'); // Tuesday 15:30 in Dakar: B (08:00–15:00) is closed
  const sms = new OrangeSmsSimulator();
  let central: TestCentral;
  let b: SyncedBranch;
  let browser: Browser;

  beforeAll(async () => {
    assertKioskBuilt();
    await printer.start();
    await sms.start();
    central = await startCentral('sqlite', {
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' } } },
    });
    b = await startSyncedBranch(central, { clock, printer: printer.spec, name: 'Agence Plateau' });
    const kiosk = await b.kioskToken();
    await waitFor('the branch to know central sends SMS', async () => (await b.api.get<KioskConfig>('/api/kiosk/config', kiosk)).body.sms);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await b?.destroy();
    await central?.destroy();
    await sms.close();
    await printer.close();
  });

  it('screens in fr, wo and en: start, priority, phone, ticket, check-in (screenshots)', async () => {
    for (const [viewport, tag] of [[PORTRAIT, 'portrait'], [LANDSCAPE, 'landscape']] as const) {
      const { context, page } = await openKiosk(browser, b.url, viewport);
      try {
        await page.locator('.kiosk[data-sms="true"]').waitFor();
        for (const lang of LANGS) {
          const name = (screen: string) => `${lang}-${screen}${tag === 'landscape' ? '-landscape' : ''}`;
          await setLang(page, lang);
          expect(await page.textContent('body')).toContain(text(lang, 'start', 'title'));
          await shot(page, name('start'));
          if (tag === 'landscape') continue;
          await page.getByTestId('service-A').tap();
          await page.getByTestId('screen-priority').waitFor();
          expect(await page.textContent('body')).toContain(text(lang, 'priority', 'pregnant'));
          await expectTouchTargets(page);
          await shot(page, name('priority'));
          await page.getByTestId('priority-pregnant').tap();
          await page.getByTestId('screen-phone').waitFor();
          for (const d of '7612') await page.getByTestId(`key-${d}`).tap();
          await page.getByTestId('phone-submit').tap();
          await page.getByTestId('phone-error').waitFor();
          await shot(page, name('phone-invalid'));
          await page.getByTestId('phone-skip').tap();
          await waitPrintStatus(page, 'printed');
          expect(await page.textContent('body')).toContain(text(lang, 'ticket', 'printed'));
          // Its QR code opens central's tracking page of the ticket.
          const id = await page.getByTestId('ticket-number').getAttribute('data-ticket-id');
          expect(await page.getByTestId('screen-ticket').locator('svg.qr').getAttribute('data-qr')).toBe(`${central.url}/t/${id}`);
          await shot(page, name('ticket'));
          await page.getByTestId('ticket-done').tap();
          await setLang(page, lang);
          // Appointment check-in: keypad entry; a scanner types the same code and Enter on the start screen.
          await page.getByTestId('checkin-open').tap();
          await page.getByTestId('screen-checkin').waitFor();
          await page.getByTestId('keys-letters').tap();
          for (const s of 'K') await page.getByTestId(`key-${s}`).tap();
          await page.getByTestId('keys-digits').tap();
          for (const s of '7') await page.getByTestId(`key-${s}`).tap();
          expect(await page.getByTestId('checkin-code').textContent()).toBe('K7');
          await page.getByTestId('checkin-submit').tap();
          const message = await page.getByTestId('checkin-message').textContent();
          expect([text(lang, 'checkin', 'unavailable'), text(lang, 'checkin', 'notFound'), text(lang, 'checkin', 'invalidCode')]).toContain(message);
          await expectTouchTargets(page);
          await shot(page, name('checkin'));
          await page.getByTestId('back').tap();
          await page.getByTestId('screen-start').waitFor();
          await page.keyboard.type('K7M44QX2');
          await page.keyboard.press('Enter');
          await page.getByTestId('screen-checkin').waitFor();
          await page.getByTestId('checkin-message').waitFor();
          await page.getByTestId('back').tap();
        }
      } finally {
        await context.close();
      }
    }
  });

});
