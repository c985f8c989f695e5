// Remote visitors at the counter, in Debian's Chromium against a real branch server: the agent app shows a remote
// ticket's channel and "pas encore arrivé"; an admin switches the branch to the skip rule in Administration and
// the agent's "next" list follows live (the absent visitor last); call-next passes over them; the agent checks
// them in ("Client arrivé") and the next call takes them at the place they kept. At the kiosk, the QR code of a
// remote ticket (its tracking page's address, as the visitor's phone shows it) read by the scanner checks it in and
// prints the ticket; a second scan says so; a ticket of another branch gets a clear message. axe-core on the screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TicketView } from '../../server/src/shared/contracts/api.js';
import type { RemoteSettings } from '../../server/src/shared/contracts/remote.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser.js';
import { buildScreens } from '../support/ui-build.js';
import { expectNoAxeViolations } from '../support/axe.js';
import { kioskText, openKiosk, PORTRAIT, shownTicket } from '../support/kiosk.js';

const haveChromium = chromiumAvailable();

describe.runIf(!haveChromium && process.env.CI)('remote arrival browser tests (CI)', () => {
  it('needs Chromium in CI', () => { expect(chromiumAvailable(), `Chromium missing at ${CHROMIUM_PATH}`).toBe(true); });
});

describe.skipIf(!haveChromium)('remote visitors at the counter', () => {
  let b: TestBranch;
  let screens: { uiRoot: string; remove(): void };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let agent: Page;
  let admin: Page;
  let kiosk: string;
  let supervisor: string;
  let serviceA: string;

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }
  const nextUp = (page: Page) => page.locator('[data-testid=next-up-ticket]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket')));
  async function expectNextUp(page: Page, numbers: string[]): Promise<void> {
    await expect.poll(() => nextUp(page), { timeout: 8_000 }).toEqual(numbers);
  }

  beforeAll(async () => {
    screens = await buildScreens(['agent', 'kiosk']);
    b = await startBranch({ uiRoot: screens.uiRoot });
    kiosk = await b.kioskToken();
    supervisor = await b.login('aminata');
    serviceA = (await b.service('A')).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await b?.destroy();
    screens?.remove();
  });

  it('shows the channel and "pas encore arrivé", follows the skip rule live, and calls the visitor once checked in', async () => {
    // A visitor joined from the web (through central in production; here staff issue it with the web channel).
    const remote = await b.api.issue(supervisor, { serviceId: serviceA, channel: 'web', phone: '+221771234567' });
    expect(remote.status).toBe(201);
    expect(remote.body.arrivedAt).toBeNull();
    const walkIn1 = (await b.api.issue(kiosk, { serviceId: serviceA })).body;
    const walkIn2 = (await b.api.issue(kiosk, { serviceId: serviceA })).body;

    agent = await newPage({ width: 1366, height: 768 });
    await agent.goto(`${b.url}/agent/`);
    await agent.fill('input[name=login]', 'awa');
    await agent.fill('input[name=password]', b.passwords.awa as string);
    await agent.click('button[type=submit]');
    await agent.click('[data-testid=pick-counter-1]');
    await agent.locator('[data-testid=desk]').waitFor();

    // The default rule (call): the remote ticket is first, tagged with its channel and "pas encore arrivé".
    await expectNextUp(agent, [remote.body.number, walkIn1.number, walkIn2.number]);
    const remoteRow = agent.locator(`[data-testid=next-up-ticket][data-ticket="${remote.body.number}"]`);
    await expect.poll(() => remoteRow.getByTestId('ticket-channel').getAttribute('data-channel')).toBe('web');
    expect(await remoteRow.getByTestId('not-arrived').textContent()).toBe('Pas encore arrivé');
    await expectNoAxeViolations(agent, 'agent desk with a remote ticket');
    await agent.screenshot({ path: artifactPath('remote', 'agent-next-up.png') });
    // Every action of the desk is on screen at the counter's 1366×768 and nothing covers it (the admin's form
    // styles once turned the action grid into one row running under the side panel).
    // Page functions run in the browser; the test's tsconfig has no DOM types, hence the globalThis cast.
    const hidden = await agent.locator('[data-testid^=action-]').evaluateAll((buttons) => buttons.flatMap((b) => {
      const w = globalThis as unknown as { innerWidth: number; innerHeight: number; document: { elementFromPoint(x: number, y: number): unknown } };
      const r = b.getBoundingClientRect();
      const top = w.document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const inside = r.left >= 0 && r.top >= 0 && r.right <= w.innerWidth && r.bottom <= w.innerHeight;
      return inside && top !== null && b.contains(top as typeof b) ? [] : [b.getAttribute('data-testid')];
    }));
    expect(hidden).toEqual([]);

    // The admin chooses the skip rule on screen.
    admin = await newPage({ width: 1440, height: 1000 });
    await admin.goto(`${b.url}/admin/`);
    await admin.fill('input[name=login]', 'admin');
    await admin.fill('input[name=password]', b.passwords.admin as string);
    await admin.click('button[type=submit]');
    const form = admin.getByTestId('remote-form');
    await form.waitFor();
    await expect.poll(() => form.locator('input[name=graceMinutes]').isDisabled()).toBe(true);
    await form.getByLabel('Passer au suivant en lui gardant sa place pendant le délai de grâce').check();
    await form.locator('input[name=graceMinutes]').fill('20');
    await form.getByTestId('remote-save').click();
    await form.getByRole('status').waitFor();
    await expectNoAxeViolations(admin, 'admin branch with remote tickets');
    await form.screenshot({ path: artifactPath('remote', 'admin-remote-rules.png') });
    expect((await b.api.get<RemoteSettings>('/api/admin/remote', supervisor)).body).toMatchObject({ absent: 'skip', graceMinutes: 20, sharePercent: 50 });

    // Live, without a reload: the absent visitor goes last, since the next call will not take them.
    await expectNextUp(agent, [walkIn1.number, walkIn2.number, remote.body.number]);
    await agent.getByTestId('action-call-next').click();
    await agent.locator(`[data-testid=current-ticket][data-ticket="${walkIn1.number}"]`).waitFor();
    const passed = (await b.api.get<TicketView>(`/api/tickets/${remote.body.id}`, supervisor)).body;
    expect(passed.passedOverAt).not.toBeNull();
    expect(passed.status).toBe('waiting');

    // The visitor tells the agent they are here: checked in, and back at the place they kept.
    await agent.locator(`[data-testid=next-up-ticket][data-ticket="${remote.body.number}"] [data-testid=check-in]`).click();
    await expectNextUp(agent, [remote.body.number, walkIn2.number]);
    await expect.poll(() => agent.locator(`[data-testid=next-up-ticket][data-ticket="${remote.body.number}"] [data-testid=not-arrived]`).count()).toBe(0);
    await agent.getByTestId('action-start').click();
    await agent.locator('[data-testid=current-ticket][data-status=serving]').waitFor();
    await agent.getByTestId('action-complete').click();
    await agent.locator('[data-testid=current-ticket][data-ticket=""]').waitFor();
    await agent.getByTestId('action-call-next').click();
    await agent.locator(`[data-testid=current-ticket][data-ticket="${remote.body.number}"]`).waitFor();

    // Administration's audit log lists the change of rule.
    const audit = (await b.api.get<Array<{ kind: string; after: unknown }>>('/api/admin/audit?kind=remote', await b.login('admin'))).body;
    expect(audit[0]).toMatchObject({ kind: 'remote', after: { absent: 'skip', graceMinutes: 20 } });
  });

  it('checks a remote visitor in when the kiosk reads the QR code of their ticket', async () => {
    const remote = (await b.api.issue(supervisor, { serviceId: serviceA, channel: 'sms', phone: '+221770000001' })).body;
    expect(remote.arrivedAt).toBeNull();
    const kioskPage = (await openKiosk(browser, b.url, PORTRAIT)).page;
    contexts.push(kioskPage.context());

    // The scanner types what the QR code holds (the tracking page's address at central) and Enter.
    await kioskPage.keyboard.type(`https://suivi.example.sn/t/${remote.id}`);
    await kioskPage.keyboard.press('Enter');
    const shown = await shownTicket(kioskPage);
    expect(shown.id).toBe(remote.id);
    expect(await kioskPage.getByTestId('remote-arrived').textContent()).toBe(kioskText('fr', 'ticket', 'remoteArrived'));
    const arrived = (await b.api.get<TicketView>(`/api/tickets/${remote.id}`, supervisor)).body;
    expect(arrived.arrivedAt).not.toBeNull();
    expect(arrived.status).toBe('waiting');
    await expectNoAxeViolations(kioskPage, 'kiosk ticket after a remote arrival');
    await kioskPage.screenshot({ path: artifactPath('remote', 'kiosk-remote-arrival.png') });
    await kioskPage.getByTestId('ticket-done').tap();
    await kioskPage.getByTestId('screen-start').waitFor();

    // Scanned again: the ticket as it is, "already checked in", and the arrival time unchanged.
    await kioskPage.keyboard.type(`https://suivi.example.sn/t/${remote.id}`);
    await kioskPage.keyboard.press('Enter');
    await shownTicket(kioskPage);
    expect(await kioskPage.textContent('body')).toContain(kioskText('fr', 'ticket', 'alreadyCheckedIn'));
    expect((await b.api.get<TicketView>(`/api/tickets/${remote.id}`, supervisor)).body.arrivedAt).toBe(arrived.arrivedAt);
    await kioskPage.getByTestId('ticket-done').tap();
    await kioskPage.getByTestId('screen-start').waitFor();

    // Another branch's ticket: a clear message, nothing checked in.
    await kioskPage.keyboard.type('https://suivi.example.sn/t/00000000-0000-4000-8000-000000000000');
    await kioskPage.keyboard.press('Enter');
    await kioskPage.getByTestId('checkin-message').waitFor();
    expect(await kioskPage.getByTestId('checkin-message').textContent()).toBe(kioskText('fr', 'checkin', 'ticketNotFound'));
  });
});
