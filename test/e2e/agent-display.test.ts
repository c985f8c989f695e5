// The counter app and the call board in Debian's Chromium against a real branch server: separate browser contexts
// for agents, a supervisor and the call board; tickets issued over the REST API with a kiosk's device token.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CommandResult, QueueSummary, TicketView } from '../../server/src/shared/contracts/api.js';
import type { Response } from '../../server/src/shared/contracts/events.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser.js';
import { buildScreens } from '../support/ui-build.js';

const haveChromium = chromiumAvailable();
if (!haveChromium && !process.env.CI) console.warn(`\n[agent-display] SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)\n`);

interface Announcement { number: string; counter: number; lang: string; recall: boolean; segments: string[]; mode: 'audio' | 'speech' }

describe.runIf(!haveChromium && process.env.CI)('agent and display browser tests (CI)', () => {
  it('needs Chromium in CI', () => { expect(chromiumAvailable(), `Chromium missing at ${CHROMIUM_PATH}`).toBe(true); });
});

describe.skipIf(!haveChromium)('agent app and call board', () => {
  let b: TestBranch;
  let screens: { uiRoot: string; remove(): void };
  let browser: Browser;
  let kiosk: string;
  let supervisorToken: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let awa: Page;
  let moussa: Page;
  let supervisor: Page;
  let display: Page;
  const ids: Record<string, string> = {};

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }

  async function openAgent(login: string, counterNumber: number | null): Promise<Page> {
    const page = await newPage({ width: 1366, height: 860 });
    await page.goto(`${b.url}/agent/`);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', b.passwords[login] as string);
    await page.click('button[type=submit]');
    if (counterNumber !== null) {
      await page.click(`[data-testid=pick-counter-${counterNumber}]`);
      await page.locator('[data-testid=counter-status][data-status=open]').waitFor();
    }
    return page;
  }

  const issue = async (prefix: string): Promise<TicketView> => {
    const res = await b.api.issue(kiosk, { serviceId: ids[prefix] });
    expect(res.status).toBe(201);
    return res.body;
  };
  /** Waits for a selector; on timeout keeps a screenshot of the page next to the other artifacts. */
  async function see(page: Page, selector: string, timeout = 5_000): Promise<void> {
    try {
      await page.locator(selector).first().waitFor({ timeout });
    } catch (err) {
      await page.screenshot({ path: artifactPath('agent', `failure-${Date.now()}.png`) }).catch(() => undefined);
      throw err;
    }
  }
  /** A key at the counter, once the previous command has answered (a key pressed meanwhile is ignored, by design). */
  async function press(page: Page, key: string): Promise<void> {
    await see(page, '[data-testid=desk][data-busy=""]');
    await page.keyboard.press(key);
  }
  const currentTicket = (page: Page, number: string, status?: string) =>
    see(page, `[data-testid=current-ticket][data-ticket="${number}"]${status ? `[data-status=${status}]` : ''}`);
  const noCurrentTicket = (page: Page) => see(page, '[data-testid=current-ticket][data-ticket=""]');
  // Page functions run in the browser; the test's tsconfig has no DOM types, hence the globalThis casts.
  const announcements = (page: Page) => page.evaluate(() => (globalThis as unknown as { __smartqueueAnnouncements?: Announcement[] }).__smartqueueAnnouncements ?? []);
  const storageItem = (page: Page, key: string) =>
    page.evaluate((k) => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(k), key);
  async function waitForAnnouncements(page: Page, predicate: (list: Announcement[]) => boolean, timeoutMs = 8_000): Promise<Announcement[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const list = await announcements(page);
      if (predicate(list)) return list;
      if (Date.now() > until) throw new Error(`announcements not as expected: ${JSON.stringify(list)}`);
      await page.waitForTimeout(100);
    }
  }
  const activeTickets = async () => (await b.api.get<TicketView[]>('/api/tickets', supervisorToken)).body;

  beforeAll(async () => {
    screens = await buildScreens(['agent', 'display']);
    b = await startBranch({ uiRoot: screens.uiRoot });
    kiosk = await b.kioskToken();
    supervisorToken = await b.login('aminata');
    for (const s of await b.services()) ids[s.prefix] = s.id;
    browser = await launchBrowser();
    display = await newPage({ width: 1920, height: 1080 });
    await display.goto(`${b.url}/display/?lang=fr,wo`);
    await display.getByTestId('branch-name').waitFor();
    awa = await openAgent('awa', 1); // counter 1 serves A then C
    moussa = await openAgent('moussa', 2); // counter 2 serves A
    supervisor = await openAgent('aminata', null);
    await supervisor.getByTestId('supervisor').waitFor();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await b?.destroy();
    screens?.remove();
  });

  it('runs a visit: call, board and announcement, recall, park and bring back, transfer, complete', async () => {
    const ticket = await issue('A');
    expect(ticket.number).toBe('A001');

    await press(awa, 'n'); // call next
    await currentTicket(awa, 'A001', 'called');
    expect(await awa.getByTestId('current-number').textContent()).toBe('A-001'); // as the board and the paper write it
    // The board shows the number and counter promptly (a bounded wait: a functional check, not a benchmark).
    await display.locator('[data-testid=now-calling][data-ticket=A001][data-counter="1"]').waitFor({ timeout: 1_000 });
    expect(await display.getByTestId('now-number').textContent()).toBe('A-001');
    expect(await display.locator('[data-testid=now-calling].flash').count()).toBe(1); // a new call flashes
    expect(await display.getByTestId('now-counter').textContent()).toContain('1');
    const first = await waitForAnnouncements(display, (l) => l.length >= 2);
    expect(first[0]).toMatchObject({ number: 'A001', counter: 1, lang: 'fr', recall: false, mode: 'audio', segments: ['ticket', 'letter-A', 'number-1', 'counter', 'number-1'] });
    // Wolof has no recorded segments yet: the same words go to speech synthesis.
    expect(first[1]).toMatchObject({ number: 'A001', lang: 'wo', mode: 'speech', segments: ['ticket', 'letter-A', 'number-1', 'counter', 'number-1'] });

    await press(awa, 'r'); // recall
    await waitForAnnouncements(display, (l) => l.some((a) => a.recall && a.number === 'A001' && a.lang === 'fr'));

    await press(awa, 'p'); // park: the visitor fetches a document
    await noCurrentTicket(awa);
    await awa.getByTestId('parked-ticket').waitFor();
    await press(awa, 'u'); // bring it back
    await currentTicket(awa, 'A001', 'called');

    await press(awa, 's'); // start
    await currentTicket(awa, 'A001', 'serving');
    await awa.getByTestId('timer').waitFor();
    await awa.screenshot({ path: artifactPath('agent', 'desk-serving.png') });

    await press(awa, 't'); // transfer to service C
    await awa.getByTestId('transfer-service-C').click();
    await noCurrentTicket(awa);
    await supervisor.locator('[data-testid=sup-service-C] [data-testid=sup-waiting-ticket][data-ticket=A001]').waitFor();
    await display.locator('[data-testid=waiting-C][data-count="1"]').waitFor();
    const moved = (await activeTickets()).find((x) => x.number === 'A001');
    expect(moved).toMatchObject({ serviceId: ids.C, status: 'transferred', issuedAt: ticket.issuedAt });

    await press(awa, ' '); // Space also calls next: counter 1 serves C too
    await currentTicket(awa, 'A001', 'called');
    await press(awa, 's');
    await currentTicket(awa, 'A001', 'serving');
    await awa.getByTestId('outcome').selectOption('done');
    await awa.getByTestId('note').fill('RIB remis');
    await press(awa, 'c'); // typed in the note field: a shortcut must not fire there
    expect(await awa.getByTestId('current-ticket').getAttribute('data-ticket')).toBe('A001');
    await awa.getByTestId('note').blur();
    await press(awa, 'c'); // complete
    await noCurrentTicket(awa);
    await awa.locator('[data-testid=served-today]', { hasText: '1' }).waitFor();
    const served = await b.api.get<TicketView>(`/api/tickets/${ticket.id}`, supervisorToken);
    expect(served.body).toMatchObject({ status: 'served', serviceId: ids.C, issuedAt: ticket.issuedAt });
  });

  it('gives two agents calling at the same instant two different tickets', async () => {
    const t1 = await issue('A');
    const t2 = await issue('A');
    await Promise.all([see(awa, '[data-testid=desk][data-busy=""]'), see(moussa, '[data-testid=desk][data-busy=""]')]);
    await Promise.all([awa.keyboard.press('n'), moussa.keyboard.press('n')]);
    await awa.locator('[data-testid=current-ticket][data-status=called]').waitFor();
    await moussa.locator('[data-testid=current-ticket][data-status=called]').waitFor();
    const a = await awa.getByTestId('current-ticket').getAttribute('data-ticket');
    const m = await moussa.getByTestId('current-ticket').getAttribute('data-ticket');
    expect(new Set([a, m])).toEqual(new Set([t1.number, t2.number]));
    for (const page of [awa, moussa]) {
      await press(page, 'x'); // no-show
      await noCurrentTicket(page);
    }
    await press(moussa, 'b'); // a break …
    await see(moussa, '[data-testid=counter-status][data-status=paused]');
    await see(supervisor, '[data-testid=sup-counter-2][data-status=paused]');
    await see(moussa, '[data-testid=action-call-next]:disabled'); // … during which the counter calls nobody
    await press(moussa, 'b'); // and back
    await see(moussa, '[data-testid=counter-status][data-status=open]');
  });

  it('applies a call retried with the same command id once', async () => {
    const t1 = await issue('A');
    const t2 = await issue('A');
    const commandIds: string[] = [];
    let lost = false;
    await moussa.route('**/api/counters/*/call-next', async (route) => {
      commandIds.push((route.request().postDataJSON() as { commandId: string }).commandId);
      if (lost) return route.continue();
      lost = true;
      await route.fetch(); // the server applies the call …
      await route.abort('failed'); // … and the answer is lost on the way back
    });
    await press(moussa, 'n');
    await moussa.locator('[data-testid=command-error][data-code=NETWORK]').waitFor();
    await moussa.getByRole('button', { name: 'Réessayer' }).click();
    await moussa.locator('[data-testid=command-error]').waitFor({ state: 'detached' });
    await moussa.unroute('**/api/counters/*/call-next');

    expect(commandIds).toHaveLength(2);
    expect(commandIds[1]).toBe(commandIds[0]);
    const active = await activeTickets();
    expect(active.filter((x) => x.status === 'called')).toHaveLength(1);
    expect(active.find((x) => x.id === t1.id)?.status).toBe('called'); // FIFO: the first one
    expect(active.find((x) => x.id === t2.id)?.status).toBe('waiting');
    await currentTicket(moussa, t1.number, 'called');
    await press(moussa, 'x');
    await noCurrentTicket(moussa);
    await press(awa, 'n');
    await currentTicket(awa, t2.number, 'called');
    await press(awa, 'x');
    await noCurrentTicket(awa);
  });

  it('transfers a ticket to another counter from the dialog: called there first, with its original issue time', async () => {
    const counter2 = (await b.counter(2)).id;
    const sent = await issue('C'); // counter 1 serves A and C, counter 2 serves A only
    await press(awa, 'n');
    await currentTicket(awa, sent.number, 'called');
    await press(awa, 't');
    const dialog = awa.getByRole('dialog');
    await dialog.waitFor();
    expect(await awa.getByTestId('transfer-counter-3').textContent()).toContain('Fermé'); // nobody at counter 3: it says so
    await awa.getByTestId('transfer-counter-2').click();
    await dialog.waitFor({ state: 'detached' });
    await noCurrentTicket(awa);
    await see(supervisor, `[data-testid=sup-counter-1][data-status=open] [data-testid=sup-counter-1-ticket]:text-is("—")`);
    await see(supervisor, `[data-testid=sup-service-C] [data-testid=sup-waiting-ticket][data-ticket=${sent.number}]`);
    // The agent at counter 2 sees it coming, though counter 2 does not serve its line.
    await see(moussa, `[data-testid=next-up-ticket][data-ticket=${sent.number}][data-sent-here=true]`);
    const moved = (await activeTickets()).find((x) => x.id === sent.id);
    expect(moved).toMatchObject({ status: 'transferred', serviceId: ids.C, targetCounterId: counter2, issuedAt: sent.issuedAt, number: sent.number });

    const own = await issue('A'); // counter 2's own line has someone too: the transferred ticket goes first
    await see(moussa, `[data-testid=next-up-ticket][data-ticket=${own.number}][data-sent-here=false]`);
    await press(moussa, 'n');
    await currentTicket(moussa, sent.number, 'called');
    await display.locator(`[data-testid=now-calling][data-ticket=${sent.number}][data-counter="2"]`).waitFor();
    const called = (await b.api.get<TicketView>(`/api/tickets/${sent.id}`, supervisorToken)).body;
    expect(called).toMatchObject({ status: 'called', counterId: counter2, serviceId: ids.C, issuedAt: sent.issuedAt });
    await press(awa, 'n'); // counter 1 gets the A ticket, not the one it sent away
    await currentTicket(awa, own.number, 'called');
    for (const page of [awa, moussa]) {
      await press(page, 'x');
      await noCurrentTicket(page);
    }
  });

  it('refuses agent actions from a display or kiosk socket and token', async () => {
    const displayToken = await storageItem(display, 'smartqueue.deviceToken.display');
    expect(displayToken).toMatch(/^sqd_/);
    const counter1 = (await b.counter(1)).id;
    const waiting = await issue('A');
    for (const token of [displayToken as string, kiosk]) {
      const socket = await b.socket(token);
      const res = await new Promise<Response<{ ticket: TicketView | null }>>((resolve) => socket.emit('counter:call-next', { counterId: counter1 }, resolve));
      expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const recall = await new Promise<Response<{ ticket: TicketView }>>((resolve) => socket.emit('ticket:recall', { ticketId: waiting.id }, resolve));
      expect(recall.ok).toBe(false);
      socket.disconnect();
      expect((await b.api.post<CommandResult>(`/api/counters/${counter1}/call-next`, {}, token)).status).toBe(403);
    }
    expect((await activeTickets()).find((x) => x.id === waiting.id)?.status).toBe('waiting');
    await b.api.post(`/api/tickets/${waiting.id}/cancel`, {}, supervisorToken);
  });

  it('lets the supervisor set the board message and a counter\'s services', async () => {
    await supervisor.getByTestId('display-message').fill('Fermeture exceptionnelle à 13 h');
    await supervisor.getByRole('button', { name: 'Enregistrer' }).click();
    await display.locator('[data-testid=message]', { hasText: 'Fermeture exceptionnelle à 13 h' }).waitFor();

    await supervisor.getByTestId('sup-counter-2-service-C').click(); // counter 2 now serves A and C
    await supervisor.locator('[data-testid=sup-counter-2-service-C][aria-pressed=true]').waitFor();
    await moussa.getByTestId('line-C').waitFor();

    // A printer problem reported by a kiosk reaches the supervisor live.
    b.server.services.state.raiseAlert({ kind: 'printer', severity: 'critical', message: 'Borne 1 : plus de papier' });
    await supervisor.locator('[data-testid=alerts] [data-kind=printer]', { hasText: 'plus de papier' }).waitFor();
  });

  it('lets the supervisor pause, close and reopen a service line, and every screen follows', async () => {
    const waiting = await issue('C'); // counter 2 serves A and C since the previous test
    const refused = async () => {
      const res = await b.api.issue(kiosk, { serviceId: ids.C });
      expect(res.status).toBe(409);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBe('SERVICE_CLOSED');
    };
    const setC = async (status: 'active' | 'paused' | 'closed') => {
      await supervisor.getByTestId(`sup-service-C-set-${status}`).click();
      await see(supervisor, `[data-testid=sup-service-C][data-status=${status}]`);
      expect((await b.services()).find((x) => x.prefix === 'C')?.status).toBe(status);
    };

    await setC('paused'); // a break: no new tickets, the board says so
    await see(moussa, '[data-testid=line-C][data-status=paused]');
    await see(display, '[data-testid=waiting-C][data-status=paused]');
    expect(await display.getByTestId('waiting-C').textContent()).toContain('En pause');
    await refused();

    await setC('closed'); // closed: off the board, and its waiting tickets are not called
    await see(moussa, '[data-testid=line-C][data-status=closed]');
    await display.getByTestId('waiting-C').waitFor({ state: 'detached' });
    await refused();
    await press(moussa, 'n');
    await see(moussa, '[data-testid=desk-info]');
    await noCurrentTicket(moussa);
    expect((await activeTickets()).find((x) => x.id === waiting.id)?.status).toBe('waiting');
    await supervisor.screenshot({ path: artifactPath('agent', 'supervisor-service-closed.png'), fullPage: true });

    await setC('active'); // open again: issued, shown and called
    await see(moussa, '[data-testid=line-C][data-status=active][data-waiting="1"]');
    await see(display, '[data-testid=waiting-C][data-status=active][data-count="1"]');
    const fresh = await b.api.issue(kiosk, { serviceId: ids.C });
    expect(fresh.status).toBe(201);
    await press(moussa, 'n');
    await currentTicket(moussa, waiting.number, 'called');
    await press(moussa, 'x');
    await noCurrentTicket(moussa);
    expect((await b.api.post(`/api/tickets/${fresh.body.id}/cancel`, {}, supervisorToken)).status).toBe(200);
  });

  it('comes back by itself after a Wi-Fi drop, with what changed meanwhile', async () => {
    await awa.context().setOffline(true);
    await display.context().setOffline(true);
    await see(awa, '[data-testid=reconnecting]');
    await see(display, '[data-testid=connection-mark]');

    const queued = await issue('A');
    expect((await b.api.request('PUT', '/api/display/message', { token: supervisorToken, body: { text: 'Le réseau est revenu' } })).status).toBe(200);
    const queue = (await b.api.get<QueueSummary>('/api/queue')).body;
    const waitingA = queue.services.find((x) => x.serviceId === ids.A)?.waitingCount;
    expect(waitingA).toBeGreaterThan(0);

    await awa.context().setOffline(false);
    await display.context().setOffline(false);
    await see(awa, '[data-testid=connection][data-status=online]', 15_000);
    await display.getByTestId('connection-mark').waitFor({ state: 'detached', timeout: 15_000 });
    await see(awa, `[data-testid=line-A][data-waiting="${waitingA}"]`);
    await see(display, `[data-testid=waiting-A][data-count="${waitingA}"]`);
    await display.locator('[data-testid=message]', { hasText: 'Le réseau est revenu' }).waitFor();
    expect((await b.api.post(`/api/tickets/${queued.id}/cancel`, {}, supervisorToken)).status).toBe(200);
  });

  it('recovers after a server restart and shows the truth, not what it had', async () => {
    const called = await issue('A');
    await press(awa, 'n');
    await currentTicket(awa, called.number, 'called');
    await display.locator(`[data-testid=now-calling][data-ticket=${called.number}]`).waitFor();

    const { dataDir, server } = b;
    const port = server.port;
    await b.close();
    await awa.getByTestId('reconnecting').waitFor();
    await display.getByTestId('connection-mark').waitFor();
    expect(await awa.locator('main.content.stale').count()).toBe(1); // stale state is dimmed, never shown as current

    // While they are away the truth changes (another process on the same database): the ticket is served
    // elsewhere and two people arrive.
    const away = await startBranch({ dataDir, uiRoot: screens.uiRoot });
    const sup = (await away.api.post<{ token: string }>('/api/auth/login', { login: 'aminata', password: b.passwords.aminata })).body.token;
    expect((await away.api.post(`/api/tickets/${called.id}/start`, {}, sup)).status).toBe(200);
    expect((await away.api.post(`/api/tickets/${called.id}/complete`, {}, sup)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await away.api.issue(kiosk, { serviceId: ids.A })).status).toBe(201);
    const waitingA = (await away.api.get<QueueSummary>('/api/queue')).body;
    await away.close();

    const passwords = b.passwords;
    b = await startBranch({ dataDir, port, uiRoot: screens.uiRoot });
    Object.assign(b.passwords, passwords); // demo logins are only printed on first start
    expect(b.server.port).toBe(port);
    await awa.locator('[data-testid=connection][data-status=online]').waitFor({ timeout: 15_000 });
    await display.getByTestId('connection-mark').waitFor({ state: 'detached', timeout: 15_000 });
    await noCurrentTicket(awa);
    const expectedA = waitingA.services.find((x) => x.serviceId === ids.A)?.waitingCount;
    expect(expectedA).toBe(2);
    await awa.locator(`[data-testid=line-A][data-waiting="${expectedA}"]`).waitFor();
    await display.locator(`[data-testid=waiting-A][data-count="${expectedA}"]`).waitFor();

    // And it works again: the agent calls the next one and the board announces it.
    const before = (await announcements(display)).length;
    await press(awa, 'n');
    await awa.locator('[data-testid=current-ticket][data-status=called]').waitFor();
    const number = await awa.getByTestId('current-ticket').getAttribute('data-ticket');
    await display.locator(`[data-testid=now-calling][data-ticket="${number}"]`).waitFor();
    await waitForAnnouncements(display, (l) => l.length > before);
    await press(awa, 's');
    await currentTicket(awa, number as string, 'serving');
    await awa.screenshot({ path: artifactPath('agent', 'desk.png') });
    await supervisor.locator('[data-testid=connection][data-status=online]').waitFor({ timeout: 15_000 });
    await supervisor.locator(`[data-testid=sup-counter-1-ticket]`, { hasText: (number as string).replace(/^([A-Z]+)(\d+)$/, '$1-$2') }).waitFor();
    await supervisor.screenshot({ path: artifactPath('agent', 'supervisor.png'), fullPage: true });
    await display.waitForTimeout(2_200); // let the new-call flash finish for a calm screenshot
    await display.screenshot({ path: artifactPath('display', 'call-board.png') });
  });

  it('sends an agent whose session ended back to sign-in with a message', async () => {
    const fatou = await openAgent('fatou', 3);
    const session = JSON.parse((await storageItem(fatou, 'smartqueue.agent.session')) ?? '{}') as { token: string };
    expect((await b.api.post('/api/auth/logout', {}, session.token)).status).toBe(204);
    await issue('B').catch(() => undefined); // B may be outside its hours; the 401 comes first anyway
    await press(fatou, 'n');
    await fatou.getByTestId('login-notice').waitFor();
    expect(await fatou.getByTestId('login-notice').textContent()).toContain('expiré');
  });

  it('pairs a call board with an admin\'s code when it cannot pair itself', async () => {
    const other = await startBranch({ demo: false, uiRoot: screens.uiRoot });
    try {
      const admin = await other.login('admin');
      const created = await other.api.post<{ pairingCode: string }>('/api/admin/devices', { name: 'Écran salle 1', role: 'display' }, admin);
      expect(created.status).toBe(201);
      const page = await newPage({ width: 1920, height: 1080 });
      await page.goto(`${other.url}/display/?lang=en`);
      await page.getByRole('button', { name: 'Pair' }).waitFor();
      await page.getByLabel('6-digit code').fill(created.body.pairingCode);
      await page.getByRole('button', { name: 'Pair' }).click();
      await page.getByTestId('branch-name').waitFor();
      expect(await page.locator('.now-title').textContent()).toBe('Now calling');
    } finally {
      await other.destroy();
    }
  });

  it('raised no script error in any page', () => {
    expect(pageErrors).toEqual([]);
    expect(fs.existsSync(artifactPath('display', 'call-board.png'))).toBe(true);
  });
});
