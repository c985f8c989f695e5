// `npx tsx test/tracking/phone-demo.ts`: a ticket followed from a phone-sized browser, start to finish, on one
// machine. It starts the local sinks (an SMTP server, the Orange SMS simulator, a web push endpoint that checks VAPID
// and decrypts), a central (SQLite in a temp folder) whose channels point at them, and a branch that syncs to it
// through a link the demo cuts for a while. A visitor's ticket is opened in Chromium at 390×844; agents serve
// tickets through the branch API; the transcript shows what the phone displays and each message as it reaches a
// sink. Screenshots go to test-artifacts/tracking-demo/. Needs Chromium (SMARTQUEUE_CHROMIUM, default /usr/bin/chromium).
import type { Page } from 'playwright-core';
import { artifactPath, launchBrowser } from '../support/browser.js';
import { waitFor } from '../support/central.js';
import { issue, localPushManagerScript, PHONE, startTrackingWorld } from './support.js';

const STALE_AFTER_SECONDS = 5;
const started = Date.now();
const say = (who: string, what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${who.padEnd(6)} ${what}`);

const w = await startTrackingWorld('sqlite', {
  viaProxy: true, staleAfterSeconds: STALE_AFTER_SECONDS,
  // Links in messages point at this central (no public URL on a laptop).
  tracking: { publicUrl: undefined },
});
const browser = await launchBrowser();
try {
  say('setup', `central ${w.central.url} · branch ${w.branch.url} (through a cuttable link) · SMTP ${w.sink.url} · SMS ${w.sms.url} · push ${w.push.url}`);
  await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, {
    location: { lat: 14.6681, lon: -17.4316 },
    services: [{ serviceId: w.serviceA, notifyAtPosition: 2, name: { fr: 'Dépôt / Retrait', wo: 'Denc / Génne xaalis', en: 'Deposit / Withdrawal' } }],
  });
  for (let i = 0; i < 3; i++) await issue(w);
  const mine = await issue(w, { phone: '77 123 45 67', email: 'awa.diop@example.sn', language: 'fr' });
  const url = `${w.central.url}/t/${mine}`;
  say('kiosk', `ticket A004 issued with a phone number and an e-mail address; its QR code: ${url}`);

  // What reached the sinks since last time.
  let seenSms = 0;
  let seenMail = 0;
  let seenPush = 0;
  const pushSub = w.push.subscribe();
  const news = () => {
    for (const m of w.sms.messages.slice(seenSms)) say('sms', `→ ${m.to}: ${m.message}`);
    for (const m of w.sink.messages.slice(seenMail)) say('email', `→ ${m.to.join(', ')}: ${m.subject}`);
    for (const p of w.push.received.slice(seenPush)) {
      const body = JSON.parse(p.payload) as { title: string; body: string };
      say('push', `→ this phone (VAPID ok, decrypted): ${body.title} – ${body.body}`);
    }
    seenSms = w.sms.messages.length;
    seenMail = w.sink.messages.length;
    seenPush = w.push.received.length;
  };
  const expectMessages = async (sms: number, mail: number, push: number) => {
    await waitFor('the messages at the sinks', () => w.sms.messages.length >= sms && w.sink.messages.length >= mail && w.push.received.length >= push, 20_000);
    news();
  };

  const context = await browser.newContext({ ...PHONE, permissions: ['notifications'] });
  await context.addInitScript(localPushManagerScript(pushSub.json));
  const page: Page = await context.newPage();
  const shot = (name: string) => page.screenshot({ path: artifactPath('tracking-demo', `${name}.png`) });
  const text = async (selector: string) => (await page.locator(selector).textContent())?.trim() ?? '';
  const shows = async () => {
    const stale = await page.locator('#stale').isVisible();
    const nums = await page.locator('#nums').isVisible();
    const parts = [await text('#num')];
    if (nums) parts.push(`position ${await text('#pos')}`, `attente ${await text('#wait')}`);
    if (await text('#status')) parts.push(await text('#status'));
    if (stale) parts.push(`${await text('#stale b')} – ${await text('#staleAge')} ${await text('#lastKnown')}`);
    say('phone', parts.join(' · '));
  };
  const until = (selector: string, hasText: string | RegExp) => page.locator(selector, { hasText }).first().waitFor({ state: 'visible', timeout: 20_000 });

  await page.goto(url);
  await until('#pos', '4');
  say('phone', `opens ${url} at ${PHONE.viewport.width}×${PHONE.viewport.height}`);
  await shows();
  await page.locator('#notifyBtn').tap();
  await until('#notifyMsg', /./);
  say('phone', `taps "${await text('#notifyBtn')}": ${await text('#notifyMsg')}`);
  await shot('1-waiting');

  const counter = await w.openCounter('awa', 2);
  const serve = async (expectPos: string) => {
    const served = await w.serveNext('awa', counter);
    say('agent', `counter 2 calls, serves and completes ${(await w.view(served ?? '')).number}`);
    await until('#pos', expectPos);
    await shows();
  };
  await serve('3');

  w.proxy?.setDown(true);
  say('link', `branch ↔ central cut; after ${STALE_AFTER_SECONDS} s without news the page must say so`);
  await until('#stale', /./);
  await shows();
  await shot('2-stale');
  const served = await w.serveNext('awa', counter);
  say('agent', `counter 2 serves ${(await w.view(served ?? '')).number} meanwhile (central cannot know: nothing is sent)`);
  news();
  w.proxy?.heal();
  say('link', 'back');
  await until('#pos', '2');
  await shows();
  await expectMessages(1, 1, 1);

  await serve('1');
  const called = await w.callNext('awa', counter);
  say('agent', `counter 2 calls ${(await w.view(called ?? '')).number}`);
  await until('#status', 'Guichet 2');
  await shows();
  await shot('3-called');
  await expectMessages(2, 2, 2);
  say('done', 'screenshots in test-artifacts/tracking-demo/');
} finally {
  await browser.close();
  await w.close();
}
