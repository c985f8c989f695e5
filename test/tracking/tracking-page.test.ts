// The tracking page on a phone, in Debian's Chromium: a ticket issued at a real branch that replicates to a real
// central (through a link the test can cut) is opened on a 390×844 touch screen from central's /t/:ticketId. The
// page is small, speaks the ticket's language (and fr, wo, en on demand), follows the position live over
// Socket.IO while agents serve tickets through the branch API, says plainly that the branch's data is stale when
// the link is down (and hides the old numbers), gives travel advice from the phone's position, and takes a contact
// (refusing a bad number with a clear message) that then receives "your turn is near" and "it's your turn".
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_STRINGS } from '../../server/src/central/tracking/page.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, countTransfers, launchBrowser } from '../support/browser.js';
import { waitFor } from '../support/central.js';
import { issue, localPushManagerScript, PHONE, PUBLIC_URL, ShiftClock, startTrackingWorld, waitForView, type TrackingWorld } from './support.js';

function browserTestsEnabled(): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: CI must run the tracking page test`);
  console.warn(`\n*** tracking page browser test SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium) ***\n`);
  return false;
}

/** The tracking page's budget over a weak 3G link: everything the first load transfers, headers included. */
const FIRST_LOAD_BUDGET_BYTES = 30 * 1024;
// Place de l'Indépendance (Plateau): where the head office says the branch is. A visitor at the café next door,
// and one in Rufisque (~25 km by road).
const BRANCH = { lat: 14.6681, lon: -17.4316 };
const NEXT_DOOR = { latitude: 14.6690, longitude: -17.4316 };
const RUFISQUE = { latitude: 14.7167, longitude: -17.2667 };

describe.skipIf(!browserTestsEnabled())('the tracking page on a phone', () => {
  const clock = new ShiftClock();
  const fr = PAGE_STRINGS.fr;
  let w: TrackingWorld;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const ahead: string[] = [];
  let mine = '';
  let counter = '';
  let pushSub: ReturnType<TrackingWorld['push']['subscribe']>;

  const trackUrl = (id: string, query = '') => `${w.central.url}/t/${id}${query}`;
  async function newPhone(extra: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    const c = await browser.newContext({ ...PHONE, ...extra });
    contexts.push(c);
    return c;
  }
  async function openPage(c: BrowserContext, url: string): Promise<Page> {
    const p = await c.newPage();
    p.on('pageerror', (err) => pageErrors.push(`${p.url()}: ${err.message}`));
    p.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`${p.url()} console: ${m.text()}`); });
    await p.goto(url);
    return p;
  }
  /** Bounded wait for the text of an element; a screenshot of the failure for CI. */
  async function see(p: Page, selector: string, text: string | RegExp, name: string, timeout = 15_000): Promise<void> {
    try {
      await p.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout });
    } catch (err) {
      await p.screenshot({ path: artifactPath('tracking', `failure-${name}.png`) }).catch(() => undefined);
      throw new Error(`${name}: ${selector} never showed ${String(text)} (saw "${await p.locator(selector).first().textContent().catch(() => '?')}")`, { cause: err });
    }
  }

  beforeAll(async () => {
    w = await startTrackingWorld('sqlite', {
      // Time passes at the branch and at central alike (the outage's jump included); only the link fails.
      viaProxy: true, clock, branchClock: true, staleAfterSeconds: 30,
    });
    const settings = await w.central.admin('PUT', `/api/central/branches/${w.branch.server.branchId}/tracking`, {
      location: BRANCH, services: [{ serviceId: w.serviceA, notifyAtPosition: 2 }],
    });
    expect(settings.status).toBe(200);
    // Counter 2 (service A only) is open: the branch promises a wait, which the page must show as the kiosk did.
    counter = await w.openCounter('awa', 2);
    for (let i = 0; i < 3; i++) ahead.push(await issue(w));
    mine = await issue(w, { language: 'fr' });
    await waitForView(w, mine, 'the ticket at central', (v) => v.position === 4);
    browser = await launchBrowser();
    phone = await newPhone({ geolocation: NEXT_DOOR, permissions: ['geolocation', 'notifications'] });
    pushSub = w.push.subscribe();
    await phone.addInitScript(localPushManagerScript(pushSub.json));
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await w?.close();
  });

  it('loads small, in the ticket\'s language, with the position and the estimated wait', async () => {
    page = await phone.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    const counted = await countTransfers(phone, page);
    await page.goto(trackUrl(mine));
    await see(page, '#num', 'A-004', 'number');
    await see(page, '#pos', '4', 'first position');
    // Four visitors to go at 4 minutes each (the branch's own time for service A), one counter: the kiosk's figure.
    const atBranch = (await w.branch.api.get<{ estimatedWaitMinutes: number | null }>(`/api/tickets/${mine}`)).body;
    expect(atBranch.estimatedWaitMinutes).toBe(16);
    await see(page, '#wait', '16 min', 'estimated wait');
    await see(page, '#branch', 'Agence Plateau', 'branch');
    await see(page, '#notifyAt', 'Nous vous prévenons quand vous serez en position 2.', 'notify at N');
    await see(page, '#upd', /^Données de l'agence à \d\d:\d\d$/, 'freshness');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('#stale').isHidden()).toBe(true);
    // Live: the Socket.IO client loads after the first paint.
    await page.waitForFunction("typeof io === 'function'", undefined, { timeout: 15_000 });
    await waitFor('the Socket.IO client to be counted', () => counted.byPath.has('/socket.io/socket.io.min.js'), 5_000);
    await page.screenshot({ path: artifactPath('tracking', 'phone-1-waiting.png') });
    await counted.stop();
    const transfers = counted.byPath;
    const total = counted.total();
    const statics = ['/t/' + mine, '/t/track.js', '/socket.io/socket.io.min.js'];
    for (const s of statics) expect(transfers.get(s), s).toBeGreaterThan(0);
    console.info(`tracking page first load: ${[...transfers].map(([p, n]) => `${p.replace(mine, ':id')} ${n} B`).join(', ')}; total ${total} B`);
    expect(total).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
  });

  it('speaks French, Wolof and English', async () => {
    const c = await newPhone();
    for (const lang of ['wo', 'en', 'fr'] as const) {
      const S = PAGE_STRINGS[lang];
      const p = await openPage(c, trackUrl(mine, `?lang=${lang}`));
      expect(await p.locator('html').getAttribute('lang')).toBe(lang);
      expect(await p.title()).toBe(`${S.title} · A-004`);
      await see(p, '#nums .lbl', S.position, `${lang} position label`);
      await see(p, '#notifyAt', S.notifyAt.replace('{{n}}', '2'), `${lang} notify text`);
      await see(p, '#contact label', S.contact, `${lang} contact label`);
      expect(await p.locator('nav a[aria-current="true"]').textContent()).toBe(lang.toUpperCase());
      await p.close();
    }
    // Wolof is its own text, not French.
    expect(PAGE_STRINGS.wo.position).not.toBe(fr.position);
  });

  it('gives travel advice from the phone\'s position, with consent, against the estimated wait', async () => {
    await page.locator('#travelBtn').tap();
    // 130 m on foot from the branch: about 2 minutes; the wait is 16: leave in 16 − 2 − 5 (margin) minutes.
    await see(page, '#travelMsg', fr.youHaveTime.replace('{{minutes}}', '2').replace('{{leave}}', '9'), 'travel: you have time');
    // From Rufisque the road takes longer than the wait at any hour of Dakar's traffic: leave now.
    const far = await newPhone({ geolocation: RUFISQUE, permissions: ['geolocation'] });
    const p = await openPage(far, trackUrl(mine));
    await p.locator('#travelBtn').tap();
    await see(p, '#travelMsg', /^Partez maintenant : environ \d+ min de trajet\.$/, 'travel: leave now');
    const minutes = Number(/(\d+) min/.exec(await p.locator('#travelMsg').textContent() ?? '')?.[1]);
    const advice = (await w.central.api.get<{ travelMinutes: number; hint: string }>(`/api/track/${mine}/travel?lat=${RUFISQUE.latitude}&lon=${RUFISQUE.longitude}`)).body;
    expect(advice.hint).toBe('leave_now');
    expect(minutes).toBe(advice.travelMinutes);
    expect(minutes).toBeGreaterThan(16);
    await p.screenshot({ path: artifactPath('tracking', 'phone-travel-leave-now.png') });
  });

  it('refuses a bad phone number with a clear message, then takes an e-mail address', async () => {
    await page.locator('#contactInput').fill('+33 6 12 34 56 78');
    await page.locator('#contactForm button[type="submit"]').tap();
    await see(page, '#contactMsg', fr.invalidPhone, 'invalid phone');
    await page.locator('#contactInput').fill('awa@');
    await page.locator('#contactForm button[type="submit"]').tap();
    await see(page, '#contactMsg', fr.invalidEmail, 'invalid e-mail');
    const stored = await w.central.server.tracking.db.selectFrom('tracking_subscriptions').select('recipient').where('ticket_id', '=', mine).execute();
    expect(stored).toEqual([]);
    await page.locator('#contactInput').fill('Awa.Ndiaye@example.sn');
    await page.locator('#contactForm button[type="submit"]').tap();
    await see(page, '#contactMsg', fr.contactSaved, 'contact saved');
  });

  it('subscribes this phone to web push with the server\'s VAPID key', async () => {
    await page.locator('#notifyBtn').tap();
    await see(page, '#notifyMsg', fr.notifyOn, 'push on');
    expect(await page.evaluate<string[]>('window.pushServerKeys')).toEqual([(await w.view(mine)).vapidPublicKey]);
    // The page's service worker, which shows the pushes, is registered for /t/.
    expect(await page.evaluate<string>("navigator.serviceWorker.getRegistration('/t/').then((r) => r ? r.scope : '')")).toBe(`${w.central.url}/t/`);
    const stored = await w.central.server.tracking.db.selectFrom('tracking_subscriptions').select(['channel', 'language']).where('ticket_id', '=', mine).orderBy('channel').execute();
    expect(stored).toEqual([{ channel: 'email', language: 'fr' }, { channel: 'push', language: 'fr' }]);
  });

  it('follows the position live as agents serve, says so when the branch\'s data is stale, and tells the visitor', async () => {
    // Every value the position takes on the page, as the visitor would see it change.
    await page.evaluate(`(() => {
      const pos = document.getElementById('pos');
      const seen = window.seenPositions = [pos.textContent];
      new MutationObserver(() => { if (pos.textContent !== seen[seen.length - 1]) seen.push(pos.textContent); })
        .observe(pos, { childList: true, characterData: true, subtree: true });
    })()`);
    expect(await w.serveNext('awa', counter)).toBe(ahead[0]);
    await see(page, '#pos', '3', 'position 3');

    // The link goes down and time passes: the page says the data is old and stops showing it as current.
    w.proxy?.setDown(true);
    // A push relayed just before the cut may land after the jump and make the data look fresh: let it land first.
    await w.proxy?.settled();
    clock.jump(120);
    await see(page, '#stale', fr.staleTitle, 'stale notice');
    await see(page, '#staleAge', fr.staleAge.replace('{{n}}', '2'), 'stale age');
    await see(page, '#lastKnown', /^Dernière position connue : 3 \(à \d\d:\d\d\)$/, 'last known position');
    expect(await page.locator('#nums').isHidden()).toBe(true);
    expect(await page.locator('#upd').textContent()).toBe('');
    // Travel advice given against the old wait is gone too.
    expect(await page.locator('#travelMsg').textContent()).toBe('');
    await page.screenshot({ path: artifactPath('tracking', 'phone-2-stale.png') });
    // Meanwhile at the branch the visitor reaches N; central cannot know, so nothing is sent.
    expect(await w.serveNext('awa', counter)).toBe(ahead[1]);
    expect((await w.branch.api.get<{ position: number }>(`/api/tickets/${mine}`)).body.position).toBe(2);
    await w.central.server.tracking.projector.runOnce();
    await w.central.server.tracking.worker.round();
    expect(w.sink.to('awa.ndiaye@example.sn')).toEqual([]);

    // The link is back: the branch catches up, the page shows the current position, the visitor is told.
    w.proxy?.heal();
    await see(page, '#pos', '2', 'position 2 after the outage');
    expect(await page.locator('#stale').isHidden()).toBe(true);
    await waitFor('"your turn is near" e-mail', () => w.sink.to('awa.ndiaye@example.sn').length === 1);
    expect(w.sink.to('awa.ndiaye@example.sn')[0]?.subject).toBe('Votre tour approche – ticket A-004');
    await waitFor('"your turn is near" pushed', () => w.push.for(pushSub.id).length === 1);
    expect(JSON.parse(w.push.for(pushSub.id)[0]?.payload ?? '{}')).toMatchObject({ title: 'Votre tour approche', kind: 'turn_near', url: `${PUBLIC_URL}/t/${mine}` });

    expect(await w.serveNext('awa', counter)).toBe(ahead[2]);
    await see(page, '#pos', '1', 'position 1');
    await see(page, '#status', fr.next, 'next');
    expect(await w.callNext('awa', counter)).toBe(mine);
    await see(page, '#status', fr.called.replace('{{counter}}', '2'), 'called at counter 2');
    expect(await page.locator('#nums').isHidden()).toBe(true);
    await page.screenshot({ path: artifactPath('tracking', 'phone-3-called.png') });
    await waitFor('"it\'s your turn" e-mail', () => w.sink.to('awa.ndiaye@example.sn').length === 2);
    const mails = w.sink.to('awa.ndiaye@example.sn');
    expect(mails[1]?.subject).toMatch(/A-004/);
    expect(mails[1]?.text).toContain('guichet 2');
    expect(mails[1]?.text).toContain(`${PUBLIC_URL}/t/${mine}`);

    await waitFor('"it\'s your turn" pushed', () => w.push.for(pushSub.id).length === 2);
    expect(JSON.parse(w.push.for(pushSub.id)[1]?.payload ?? '{}')).toMatchObject({ title: "C'est à vous !", body: 'Ticket A-004 : présentez-vous au guichet 2.', kind: 'called' });
    const seen = await page.evaluate<string[]>('window.seenPositions');
    expect(seen).toEqual(['4', '3', '2', '1']);
    expect(pageErrors).toEqual([]);
  });
});
