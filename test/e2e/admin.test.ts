// Issue 16: a branch set up and run from an EMPTY database (SMARTQUEUE_DEMO=0) with the screens alone, in Debian's
// Chromium: the first admin signs in at /admin/, sets the hours with a lunch break and a closure day, creates three
// services in three languages with icons and one fee, two counters serving them in a chosen order, two agents, and
// pairs a kiosk and a call board with their codes in two other browser contexts. Then an agent signs in, a visitor
// takes a ticket at the kiosk, the agent calls it and the board shows it. Also: the kiosk follows a reorder live,
// a revoked kiosk goes back to its pairing screen, a change of hours or a closing line says first how many tickets
// wait, validation errors show beside their field in French (a missing Wolof name, a taken letter, appointment hours
// outside the service's, by the range at fault; what was typed is kept), a service's "your turn is near" position is
// saved, the preview frames the real kiosk start screen (no pairing, nothing issued) in fr, wo and en, the audit log
// lists each change, and axe-core finds no serious or critical violation on any admin screen. A closure day on the
// kiosk and the call board: test/e2e/closure.test.ts.
// The screenshots of docs/admin.md come from this test: with SMARTQUEUE_DOCS_IMAGES=1 it writes docs/img/admin-*.png,
// otherwise test-artifacts/admin/ (so that a test run does not rewrite the committed images).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AuditEntryView } from '../../server/src/shared/contracts/admin.js';
import type { ServiceView } from '../../server/src/shared/contracts/api.js';
import { ADMIN_PASSWORD, startBranch, type TestBranch } from '../support/branch.js';
import { artifactPath, chromiumAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser.js';
import { buildScreens } from '../support/ui-build.js';
import { expectNoAxeViolations } from '../support/axe.js';

const haveChromium = chromiumAvailable();
const DOC_IMG = process.env.SMARTQUEUE_DOCS_IMAGES === '1' ? path.resolve('docs/img') : path.dirname(artifactPath('admin', 'docs', 'x.png'));
const axe = expectNoAxeViolations;

/** Opening hours with a lunch break every working day; today's day is wide enough that the kiosk issues now. */
function hoursForToday(): { today: number; morning: [string, string]; afternoon: [string, string] } {
  const now = new Date(); // Africa/Dakar is UTC all year
  const today = now.getUTCDay() === 0 ? 7 : now.getUTCDay();
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  // The break must not be now, or the kiosk could not issue the visitor's ticket during the test.
  const inLunch = minutes >= 12 * 60 && minutes < 14 * 60 + 30;
  return inLunch ? { today, morning: ['00:00', '03:00'], afternoon: ['04:00', '23:59'] } : { today, morning: ['00:00', '12:30'], afternoon: ['14:00', '23:59'] };
}

describe.runIf(!haveChromium && process.env.CI)('admin browser tests (CI)', () => {
  it('needs Chromium in CI', () => { expect(chromiumAvailable(), `Chromium missing at ${CHROMIUM_PATH}`).toBe(true); });
});

describe.skipIf(!haveChromium)('branch administration on screen, from an empty branch', () => {
  let b: TestBranch;
  let screens: { uiRoot: string; remove(): void };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let admin: Page;
  let kiosk: Page;
  let board: Page;

  async function newPage(viewport: { width: number; height: number }, touch = false): Promise<Page> {
    const context = await browser.newContext({ viewport, hasTouch: touch, locale: 'fr-SN' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(DOC_IMG, `admin-${name}.png`), fullPage: true });
  const section = async (name: string) => {
    await admin.getByTestId(`admin-nav-${name}`).click();
    await admin.getByTestId(`admin-${name}`).waitFor();
  };

  beforeAll(async () => {
    fs.mkdirSync(DOC_IMG, { recursive: true });
    screens = await buildScreens(['agent', 'kiosk', 'display']);
    b = await startBranch({ uiRoot: screens.uiRoot, demo: false });
    browser = await launchBrowser();
    admin = await newPage({ width: 1440, height: 1000 });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await b?.destroy();
    screens?.remove();
  });

  it('the first admin signs in at /admin/ on an empty branch and sets the hours, a closure and the message', async () => {
    expect(await b.services()).toEqual([]);
    await admin.goto(`${b.url}/admin/`);
    await admin.fill('input[name=login]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.getByTestId('admin-branch').waitFor();

    await admin.fill('input[name=name]', 'Agence Plateau');
    await admin.fill('input[name=organization]', 'Banque Teranga');
    await admin.selectOption('select[name=type]', 'bank');
    await admin.selectOption('select[name=region]', 'Dakar');
    const h = hoursForToday();
    for (const day of [1, 2, 3, 4, 5, 6, 7]) {
      const [m, a] = day === h.today ? [h.morning, h.afternoon] : day <= 5 ? [['08:00', '12:30'], ['14:00', '16:00']] : day === 6 ? [['09:00', '12:00'], ['', '']] : [['', ''], ['', '']];
      if (m[0]) await admin.fill(`input[name=h-${day}-0-open]`, m[0]);
      if (m[1]) await admin.fill(`input[name=h-${day}-0-close]`, m[1]);
      if (a[0]) await admin.fill(`input[name=h-${day}-1-open]`, a[0]);
      if (a[1]) await admin.fill(`input[name=h-${day}-1-close]`, a[1]);
    }
    // An afternoon that closes before it opens (13:00 for 14:00), on a day that is not today: refused beside that range.
    const other = h.today === 2 ? 3 : 2;
    await admin.fill(`input[name=h-${other}-1-close]`, '13:00');
    await admin.getByTestId('branch-save').click();
    await admin.getByTestId(`error-h-${other}-1`).waitFor();
    expect(await admin.getByTestId(`error-h-${other}-1`).textContent()).toBe(`${other === 2 ? 'Mardi' : 'Mercredi'} : la fin doit venir après le début.`);
    expect(await admin.getByTestId('hours-preview').count()).toBe(0);
    await admin.fill(`input[name=h-${other}-1-close]`, '16:00');
    // A change of hours says first what it does to the visitors waiting, then applies on confirmation.
    await admin.getByTestId('branch-save').click();
    await admin.getByTestId('hours-preview').waitFor();
    expect(await admin.getByTestId('hours-preview').locator('p').first().textContent()).toBe('Tickets en attente maintenant : 0. Aucun ne sera annulé : ils restent appelables jusqu\'à la clôture de la journée par un superviseur.');
    await shot(admin, 'branch');
    await axe(admin, 'Agence');
    await admin.getByTestId('branch-save').click();
    await expect.poll(async () => (await b.api.get<{ name: string }>('/api/branch')).body.name).toBe('Agence Plateau');
    const branch = (await b.api.get<{ openingHours: Record<string, Array<{ open: string; close: string }>> }>('/api/branch')).body;
    expect(branch.openingHours['1']?.length === 2 || branch.openingHours[String(h.today)]?.length === 2).toBe(true);
    expect(branch.openingHours[String(h.today === 2 ? 3 : 2)]).toEqual([{ open: '08:00', close: '12:30' }, { open: '14:00', close: '16:00' }]);

    // A closure day with its reason; it shows among the days the branch is closed.
    const next = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await admin.fill('input[name=closureDate]', next);
    await admin.fill('input[name=closureReason]', 'Inventaire annuel');
    await admin.getByTestId('closure-add').click();
    await admin.getByTestId('closures').getByText('Inventaire annuel').waitFor();
    await admin.getByTestId('holidays').getByText('Inventaire annuel').waitFor();
    expect(await admin.getByTestId('holidays').locator('li').count()).toBeGreaterThan(8); // Senegal's holidays of the year

    await admin.fill('textarea[name=message]', 'Bienvenue à l\'agence Plateau');
    await admin.getByRole('button', { name: 'Publier' }).click();
    await admin.getByText('Enregistré.').first().waitFor();
    await section('services');
    await section('branch');
    expect(await admin.inputValue('textarea[name=message]')).toBe('Bienvenue à l\'agence Plateau');
  });

  it('creates three services in three languages with icons and one fee; a missing name is refused beside its field', async () => {
    await section('services');
    await axe(admin, 'Services (empty)');
    const create = async (s: { prefix: string; fr: string; wo: string; en: string; icon: string; fee?: string; notifyAt?: string }, expectSaved = true) => {
      await admin.getByTestId('service-new').click();
      await admin.fill('input[name=prefix]', s.prefix);
      await admin.fill('input[name=name-fr]', s.fr);
      await admin.fill('input[name=name-wo]', s.wo);
      await admin.fill('input[name=name-en]', s.en);
      await admin.locator(`input[name=icon][value=${s.icon}]`).check();
      if (s.fee) await admin.fill('input[name=fee]', s.fee);
      if (s.notifyAt) await admin.fill('input[name=notifyAt]', s.notifyAt);
      await admin.getByTestId('service-save').click();
      if (expectSaved) await admin.getByTestId(`service-${s.prefix}`).waitFor();
    };
    // Without its Wolof name: shown as missing, refused by the server beside the Wolof field, and the form keeps the rest.
    await create({ prefix: 'A', fr: 'Dépôt / Retrait', wo: '', en: 'Deposit / Withdrawal', icon: 'cash' }, false);
    await admin.getByTestId('missing-wo').waitFor();
    await admin.getByTestId('error-name-wo').waitFor();
    expect(await admin.getByTestId('error-name-wo').textContent()).toBe('Trop court ou trop petit.');
    expect(await admin.inputValue('input[name=name-fr]')).toBe('Dépôt / Retrait');
    expect(await admin.locator('input[name=icon][value=cash]').isChecked()).toBe(true);
    await shot(admin, 'service-error');
    await axe(admin, 'Services (error)');
    await admin.fill('input[name=name-wo]', 'Denc / Génne xaalis');
    await admin.getByTestId('service-save').click();
    await admin.getByTestId('service-A').waitFor();

    await create({ prefix: 'B', fr: 'Ouverture de compte', wo: 'Ubbi kont', en: 'Account opening', icon: 'account', fee: '2000' });
    // Transfers are quick: visitors following their ticket are told when they are second ("your turn is near").
    await create({ prefix: 'C', fr: 'Transferts', wo: 'Yónnee xaalis', en: 'Transfers', icon: 'transfer', notifyAt: '2' });
    // The same letter twice: refused beside the letter.
    await admin.getByTestId('service-new').click();
    await admin.fill('input[name=prefix]', 'C');
    for (const l of ['fr', 'wo', 'en']) await admin.fill(`input[name=name-${l}]`, 'Doublon');
    await admin.getByTestId('service-save').click();
    expect(await admin.getByTestId('error-prefix').textContent()).toBe('Déjà utilisé : choisissez-en un autre.');
    await admin.getByRole('button', { name: 'Annuler' }).click();

    // Appointment settings of a service, saved on their own.
    await admin.getByTestId('edit-B').click();
    await admin.getByTestId('appointment-settings').waitFor();
    await admin.locator('input[name=appointmentsEnabled]').check();
    await admin.fill('input[name=slotMinutes]', '20');
    // The default slot hours (09:00–17:00) go past the afternoon's closing: refused, said in French beside the
    // choice of the slots' own hours (the server names the field: details[].path 'openingHours').
    await admin.getByTestId('appointments-save').click();
    await admin.getByTestId('error-slotHours').waitFor();
    expect(await admin.getByTestId('error-slotHours').textContent()).toMatch(/^(Lundi|Mardi), 09:00–17:00 : en dehors des heures du service \(\d\d:\d\d–\d\d:\d\d.*\)\.$/);
    expect(await admin.getByTestId('appointment-settings').locator('.form-error').count()).toBe(0);
    await admin.locator('input[name=slotHours]').check();
    for (const day of [1, 2, 3, 4, 5]) {
      await admin.fill(`input[name=slot-${day}-0-open]`, '09:00');
      await admin.fill(`input[name=slot-${day}-0-close]`, '12:00');
    }
    // A slot range in the lunch break of a day that is not today: refused beside that very range.
    const lunchDay = hoursForToday().today === 2 ? 3 : 2;
    await admin.fill(`input[name=slot-${lunchDay}-1-open]`, '13:00');
    await admin.fill(`input[name=slot-${lunchDay}-1-close]`, '15:00');
    await admin.getByTestId('appointments-save').click();
    await admin.getByTestId(`error-slot-${lunchDay}-1`).waitFor();
    expect(await admin.getByTestId(`error-slot-${lunchDay}-1`).textContent())
      .toBe(`${lunchDay === 2 ? 'Mardi' : 'Mercredi'}, 13:00–15:00 : en dehors des heures du service (08:00–12:30, 14:00–16:00).`);
    expect(await admin.getByTestId(`error-slot-${lunchDay}-0`).count()).toBe(0);
    await shot(admin, 'appointments-error');
    await admin.fill(`input[name=slot-${lunchDay}-1-open]`, '');
    await admin.fill(`input[name=slot-${lunchDay}-1-close]`, '');
    await admin.getByTestId('appointments-save').click();
    await admin.getByTestId('appointment-settings').getByText('Enregistré.').waitFor();
    await axe(admin, 'Services (rendez-vous)');
    await admin.getByRole('button', { name: 'Annuler' }).click();
    const settings = (await b.api.get<Array<{ prefix: string; enabled: boolean; slotMinutes: number }>>('/api/admin/appointments/services', await b.login('admin'))).body;
    expect(settings.find((x) => x.prefix === 'B')).toMatchObject({ enabled: true, slotMinutes: 20 });

    const services = await b.services();
    expect(services.map((s) => [s.prefix, s.icon, s.feeXof, s.name.wo, s.notifyAtPosition])).toEqual([
      ['A', 'cash', null, 'Denc / Génne xaalis', null], ['B', 'account', 2000, 'Ubbi kont', null], ['C', 'transfer', null, 'Yónnee xaalis', 2],
    ]);
    await shot(admin, 'services');
  });

  it('creates two counters serving the services in a chosen order, and two agents', async () => {
    await section('counters');
    const counter = async (name: string, prefixes: string[]) => {
      await admin.getByTestId('counter-new').click();
      await admin.fill('input[name=counterName]', name);
      for (const p of prefixes) await admin.getByTestId(`add-service-${p}`).click();
      await admin.getByTestId('counter-save').click();
      await admin.getByTestId('counter-form').waitFor({ state: 'detached' });
    };
    await counter('Guichet 1', ['C', 'A']);
    // Counter 2: B then A, chosen with the arrows (added A, B, then B moved up).
    await admin.getByTestId('counter-new').click();
    await admin.fill('input[name=counterName]', 'Guichet 2');
    await admin.getByTestId('add-service-A').click();
    await admin.getByTestId('add-service-B').click();
    await admin.getByTestId('counter-services').getByRole('button', { name: /^Monter B/ }).click();
    await shot(admin, 'counters');
    await axe(admin, 'Guichets');
    await admin.getByTestId('counter-save').click();
    await admin.getByTestId('counter-2').waitFor();
    const ids = Object.fromEntries((await b.services()).map((s) => [s.prefix, s.id]));
    expect((await b.counter(1)).serviceIds).toEqual([ids.C, ids.A]);
    expect((await b.counter(2)).serviceIds).toEqual([ids.B, ids.A]);

    await section('users');
    for (const [login, name] of [['awa', 'Awa Ndiaye'], ['moussa', 'Moussa Diop']] as const) {
      await admin.fill('input[name=newLogin]', login);
      await admin.fill('input[name=displayName]', name);
      await admin.selectOption('select[name=role]', 'agent');
      await admin.fill('input[name=newPassword]', `${login}-password-1`);
      await admin.getByTestId('user-save').click();
      await admin.getByTestId(`user-${login}`).waitFor();
    }
    // A supervisor (the branch manager) for what a manager may do.
    await admin.fill('input[name=newLogin]', 'aminata');
    await admin.fill('input[name=displayName]', 'Aminata Sow');
    await admin.selectOption('select[name=role]', 'supervisor');
    await admin.fill('input[name=newPassword]', 'aminata-password-1');
    await admin.getByTestId('user-save').click();
    await admin.getByTestId('user-aminata').waitFor();
    b.passwords.awa = 'awa-password-1';
    await shot(admin, 'users');
    await axe(admin, 'Utilisateurs');
  });

  it('pairs a kiosk and a call board with their codes; an agent calls the kiosk\'s ticket and the board shows it', async () => {
    await section('devices');
    const addDevice = async (name: string, role: 'kiosk' | 'display') => {
      await admin.fill('input[name=deviceName]', name);
      await admin.selectOption('select[name=deviceRole]', role);
      await admin.getByTestId('device-save').click();
      await admin.getByTestId('pairing').waitFor();
      const code = ((await admin.getByTestId('pairing-code').textContent()) ?? '').replace(/\D/g, '');
      expect(code).toMatch(/^\d{6}$/);
      expect(await admin.getByTestId('pairing-countdown').textContent()).toMatch(/Valable encore (09:5\d|10:00)/);
      expect(await admin.locator('[data-testid=pairing] .qr svg').count()).toBe(1);
      return code;
    };
    const kioskCode = await addDevice('Borne entrée', 'kiosk');
    await shot(admin, 'pairing');
    await axe(admin, 'Appareils (code)');
    kiosk = await newPage({ width: 1080, height: 1920 }, true);
    await kiosk.goto(`${b.url}/kiosk/`);
    await kiosk.getByTestId('screen-pairing').waitFor();
    for (const d of kioskCode) await kiosk.getByTestId(`key-${d}`).tap();
    await kiosk.getByTestId('pairing-submit').tap();
    await kiosk.getByTestId('screen-start').waitFor();
    await admin.getByRole('button', { name: 'Terminé' }).click();

    const boardCode = await addDevice('Écran salle', 'display');
    board = await newPage({ width: 1920, height: 1080 });
    await board.goto(`${b.url}/display/`);
    await board.getByLabel(/code/i).fill(boardCode);
    await board.keyboard.press('Enter');
    await board.getByTestId('branch-name').waitFor();
    expect(await board.getByTestId('branch-name').textContent()).toBe('Agence Plateau');
    await admin.getByRole('button', { name: 'Terminé' }).click();
    // A third screen pairs from the QR code's address (a tablet's camera opens it): no code to type.
    await addDevice('Écran accueil', 'display');
    const qrUrl = await admin.locator('[data-testid=pairing] .qr').getAttribute('data-url');
    expect(qrUrl).toMatch(/\/display\/\?pair=\d{6}$/);
    const tablet = await newPage({ width: 1280, height: 800 });
    await tablet.goto(qrUrl as string);
    await tablet.getByTestId('branch-name').waitFor();
    expect(new URL(tablet.url()).search).toBe('');
    await admin.getByRole('button', { name: 'Terminé' }).click();
    await admin.locator('[data-testid="device-Borne entrée"][data-online=yes]').waitFor({ timeout: 10_000 });
    await admin.locator('[data-testid="device-Écran salle"][data-online=yes]').waitFor({ timeout: 10_000 });

    // A test page on the kiosk's printer (the server's simulated printer): the printer's answer is shown.
    await admin.getByTestId('test-page-Borne entrée').click();
    await admin.locator('[data-testid="test-result-Borne entrée"][data-outcome=printed]').waitFor();
    await shot(admin, 'devices');
    await axe(admin, 'Appareils');

    // The kiosk lists the services in the admin's order, with their names.
    expect(await kiosk.locator('[data-testid^=service-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['service-A', 'service-B', 'service-C']);

    const agent = await newPage({ width: 1366, height: 860 });
    await agent.goto(`${b.url}/agent/`);
    await agent.fill('input[name=login]', 'awa');
    await agent.fill('input[name=password]', 'awa-password-1');
    await agent.click('button[type=submit]');
    await agent.click('[data-testid=pick-counter-1]');
    await agent.locator('[data-testid=counter-status][data-status=open]').waitFor();

    await kiosk.getByTestId('service-A').tap();
    // A standalone branch: no SMS can be sent, so no phone step.
    await kiosk.getByTestId('priority-none').tap();
    await kiosk.getByTestId('screen-ticket').waitFor();
    expect(await kiosk.getByTestId('screen-phone').count()).toBe(0);
    expect(await kiosk.getByTestId('ticket-number').textContent()).toContain('A-001');

    await agent.locator('[data-testid=desk][data-busy=""]').waitFor();
    await agent.keyboard.press('n');
    await agent.locator('[data-testid=current-ticket][data-ticket="A001"]').waitFor();
    await board.locator('[data-testid=now-calling][data-ticket=A001][data-counter="1"]').waitFor();
    expect(await board.getByTestId('now-number').textContent()).toBe('A-001');
    await kiosk.getByTestId('ticket-done').tap();
    await kiosk.getByTestId('screen-start').waitFor();
  });

  it('reorders the services and the kiosk follows live; a revoked kiosk goes back to its pairing screen', async () => {
    await section('services');
    await admin.getByTestId('service-C').getByRole('button', { name: /^Monter/ }).click();
    await expect.poll(async () => (await b.services()).map((s) => s.prefix)).toEqual(['A', 'C', 'B']);
    await admin.getByTestId('service-C').getByRole('button', { name: /^Monter/ }).click();
    await expect.poll(async () => (await b.services()).map((s) => s.prefix)).toEqual(['C', 'A', 'B']);
    await expect.poll(() => kiosk.locator('[data-testid^=service-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))), { timeout: 5_000 })
      .toEqual(['service-C', 'service-A', 'service-B']);

    // Closing a line with a ticket waiting says how many tickets and what happens, before it is applied.
    const kioskToken = await kiosk.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('smartqueue.deviceToken.kiosk'));
    const b1 = (await b.services()).find((s) => s.prefix === 'B') as ServiceView;
    expect((await b.api.issue(kioskToken as string, { serviceId: b1.id })).status).toBe(201);

    // A change of the branch's hours while a visitor waits says first how many tickets wait and what happens to
    // them; leaving without confirming changes nothing.
    await section('branch');
    const saturdayBefore = (await b.api.get<{ openingHours: Record<string, unknown> }>('/api/branch')).body.openingHours['6'];
    await admin.fill('input[name=h-6-0-close]', '11:00');
    await admin.getByTestId('branch-save').click();
    await admin.getByTestId('hours-preview').waitFor();
    expect(await admin.getByTestId('hours-preview').locator('p').first().textContent()).toBe('Tickets en attente maintenant : 1. Aucun ne sera annulé : ils restent appelables jusqu\'à la clôture de la journée par un superviseur.');
    expect((await b.api.get<{ openingHours: Record<string, unknown> }>('/api/branch')).body.openingHours['6']).toEqual(saturdayBefore);
    await section('services');
    await admin.getByTestId('close-B').click();
    await admin.getByTestId('status-preview').waitFor();
    expect(await admin.getByTestId('status-preview').textContent()).toContain('1 ticket(s) en attente : ils restent dans la file et seront tout de même appelés.');
    expect((await b.service('B')).status).toBe('active');
    await shot(admin, 'close-preview');
    await axe(admin, 'Services (fermeture)');
    await admin.getByTestId('status-confirm').click();
    await expect.poll(async () => (await b.service('B')).status).toBe('closed');

    // The supervisor's Administration holds what a branch manager may do: the services' lines.
    const manager = await newPage({ width: 1366, height: 860 });
    await manager.goto(`${b.url}/admin/`);
    await manager.fill('input[name=login]', 'aminata');
    await manager.fill('input[name=password]', 'aminata-password-1');
    await manager.click('button[type=submit]');
    await manager.getByTestId('admin-services').waitFor();
    expect(await manager.locator('[data-testid^=admin-nav-]').count()).toBe(1);
    expect(await manager.getByTestId('service-new').count()).toBe(0);
    await manager.getByTestId('service-B').getByRole('button', { name: 'Rouvrir' }).click();
    await manager.getByTestId('status-confirm').click();
    await expect.poll(async () => (await b.service('B')).status).toBe('active');
    await expectNoAxeViolations(manager, 'Services (superviseur)');

    await section('devices');
    await admin.getByTestId('revoke-Borne entrée').click();
    await kiosk.getByTestId('screen-pairing').waitFor({ timeout: 10_000 });
    await admin.locator('[data-testid="device-Borne entrée"][data-state=revoked]').waitFor();
  });

  it('previews the printed ticket and the real kiosk start screen in each language, without pairing or issuing', async () => {
    const ticketsBefore = (await b.api.get<{ services: Array<{ waitingCount: number }> }>('/api/queue')).body.services.reduce((n, s) => n + s.waitingCount, 0);
    await section('preview');
    await expect.poll(async () => (await admin.getByTestId('slip-preview').getAttribute('srcdoc'))?.length ?? 0).toBeGreaterThan(200);
    // The kiosk's own page (/kiosk/?preview=1&lang=fr) in a frame: its start screen, not its pairing screen, with
    // the services in the admin's order and their state, in French first.
    const frame = admin.frameLocator('[data-testid=kiosk-preview]');
    expect(await admin.getByTestId('kiosk-preview').getAttribute('src')).toBe('/kiosk/?preview=1&lang=fr');
    await frame.getByTestId('screen-start').waitFor();
    expect(await frame.getByTestId('screen-pairing').count()).toBe(0);
    expect(await frame.locator('[data-testid^=service-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['service-C', 'service-A', 'service-B']);
    await frame.getByText('Transferts', { exact: true }).waitFor();
    await frame.getByText('Touchez votre service pour prendre un ticket').waitFor();
    // Touching a service issues nothing: the preview says so, and the lines hold as many tickets as before.
    await frame.getByTestId('service-C').click();
    await frame.getByTestId('notice').getByText('Aperçu : ici, aucun ticket n\'est émis.').waitFor();
    expect(await frame.getByTestId('screen-priority').count()).toBe(0);
    // Each language: the switch opens the kiosk in it (its own flag shows it chosen).
    for (const [button, l, name] of [['Wolof', 'wo', 'Yónnee xaalis'], ['Anglais', 'en', 'Transfers'], ['Français', 'fr', 'Transferts']] as const) {
      await admin.getByRole('button', { name: button, exact: true }).click();
      await admin.locator(`[data-testid=kiosk-preview][data-lang=${l}]`).waitFor();
      await frame.getByTestId('screen-start').getByText(name, { exact: true }).waitFor();
      expect(await frame.getByTestId(`lang-${l}`).getAttribute('aria-pressed')).toBe('true');
      if (l === 'wo') await shot(admin, 'preview');
    }
    const ticketsAfter = (await b.api.get<{ services: Array<{ waitingCount: number }> }>('/api/queue')).body.services.reduce((n, s) => n + s.waitingCount, 0);
    expect(ticketsAfter).toBe(ticketsBefore);
    await axe(admin, 'Aperçu');
  });

  it('the audit log lists each change and filters by kind', async () => {
    await section('audit');
    const entries = (await b.api.get<AuditEntryView[]>('/api/admin/audit', await b.login('admin'))).body;
    const count = (kind: string, action: string) => entries.filter((e) => e.kind === kind && e.action === action).length;
    const summary = entries.map((e) => `${e.kind}:${e.action}`).sort();
    expect(summary.filter((k) => k === 'branch:update'), summary.join(' ')).toHaveLength(1);
    expect(count('branch', 'update')).toBe(1);
    expect(count('closure', 'create')).toBe(1);
    expect(count('display', 'message')).toBe(1);
    expect(count('service', 'create')).toBe(3);
    expect(count('service', 'reorder')).toBe(2);
    expect(count('service', 'status')).toBe(2);
    expect(count('appointments', 'update')).toBe(1);
    expect(entries.filter((e) => e.kind === 'service' && e.action === 'status').map((e) => e.actor.name).sort()).toEqual(['Administrateur', 'Aminata Sow']);
    expect(count('counter', 'create')).toBe(2);
    expect(count('user', 'create')).toBe(3);
    expect(count('device', 'create')).toBe(3);
    expect(count('device', 'revoke')).toBe(1);
    expect(entries.filter((e) => e.actor.name !== 'Administrateur').map((e) => `${e.kind}:${e.action}`)).toEqual(['service:status']);
    await expect.poll(() => admin.locator('[data-testid=audit-table] tbody tr').count()).toBe(entries.length);
    await admin.selectOption('[data-testid=audit-filter]', 'service');
    await expect.poll(() => admin.locator('[data-testid=audit-table] tbody tr').count()).toBe(entries.filter((e) => e.kind === 'service').length);
    expect(await admin.locator('[data-testid=audit-table] tbody tr[data-kind=service][data-action=reorder]').count()).toBe(2);
    await shot(admin, 'audit');
    await axe(admin, 'Journal');
    expect(pageErrors).toEqual([]);
    await admin.screenshot({ path: artifactPath('admin', 'last.png') });
  });
});
