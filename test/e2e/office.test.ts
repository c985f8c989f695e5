// The head-office console in Chromium against a real central (PostgreSQL when available) with two organizations and
// three real branch servers replicating through it: an analyst sees only its organization's branches, their live
// waits follow the branches, a cut branch turns stale on Now, Analytics shows the figures the branches' own databases
// give, CSV export equals the table shown, enrolment from the console gives a credential a new branch syncs with,
// a catalog pushed from the console reaches a branch that was cut when it was pushed, an organization admin refunds
// a real Wave payment (through the Wave simulator) from the Payments screen while an analyst sees no refund button,
// and axe-core finds no serious or critical violation on any screen.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { expectNoAxeViolations } from '../support/axe.js';
import { artifactPath, chromiumAvailable, launchBrowser } from '../support/browser.js';
import { FAST_SYNC, startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { branchOutbox, counterWorkload } from '../support/sync-check.js';
import { centralDialects } from '../support/postgres.js';
import { buildScreens } from '../support/ui-build.js';
import type { CentralBranchView } from '../../server/src/shared/contracts/sync.js';
import type { ServiceView } from '../../server/src/shared/contracts/api.js';
import type { PaymentTotals, PaymentView } from '../../server/src/shared/contracts/payments.js';
import { startPaymentProviders, type PaymentProviders } from '../support/payment-providers.js';

const haveChromium = chromiumAvailable();
const dialect = (await centralDialects()).includes('postgres') ? 'postgres' : 'sqlite';
const BANK = { id: 'org-bank', name: 'Banque Teranga', type: 'bank' };
const HOSPITAL = { id: 'org-hosp', name: 'Hôpital Fann', type: 'hospital' };

const axe = expectNoAxeViolations;

/** Tickets issued today in a branch's own database (Africa/Dakar is UTC). */
function issuedToday(b: TestBranch): number {
  const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const day = new Date().toISOString().slice(0, 10);
    return (db.prepare('select count(*) as n from tickets where substr(issued_at, 1, 10) = ?').get(day) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.runIf(!haveChromium && process.env.CI)('office console browser tests (CI)', () => {
  it('needs Chromium', () => { expect(haveChromium, 'Chromium is required in CI').toBe(true); });
});

describe.skipIf(!haveChromium)(`head-office console (${dialect} central)`, () => {
  let ui: Awaited<ReturnType<typeof buildScreens>>;
  let central: TestCentral;
  let proxy: FaultProxy;
  let bank1: SyncedBranch;
  let bank2: SyncedBranch;
  let hosp: SyncedBranch;
  let browser: Browser;
  let sims: PaymentProviders;
  const extra: TestBranch[] = [];

  beforeAll(async () => {
    ui = await buildScreens(['office']);
    sims = await startPaymentProviders();
    central = await startCentral(dialect, { uiRoot: ui.uiRoot, tracking: { staleAfterSeconds: 3 }, payments: { providers: sims.providers, reconcileEveryMs: 0, pollIntervalMs: 0 } });
    sims.wave.setWebhookUrl(`${central.url}/api/payments/webhooks/wave`);
    proxy = await FaultProxy.start({ target: central.url });
    bank1 = await startSyncedBranch(central, { name: 'Agence Plateau', organization: BANK, region: 'Dakar', centralUrl: proxy.url });
    bank2 = await startSyncedBranch(central, { name: 'Agence Thiès', organization: BANK, region: 'Thiès' });
    hosp = await startSyncedBranch(central, { name: 'Hôpital de Fann', organization: HOSPITAL, region: 'Dakar' });
    expect((await central.admin('POST', '/api/office/bootstrap', { login: 'fatou', displayName: 'Fatou Ndiaye', password: 'platform secret 1' })).status).toBe(201);
    expect((await central.admin('POST', '/api/office/users', { login: 'awa', displayName: 'Awa Diop', password: 'analyst secret 1', role: 'analyst', organizationId: BANK.id })).status).toBe(201);
    expect((await central.admin('POST', '/api/office/users', { login: 'ibrahima', displayName: 'Ibrahima Fall', password: 'hospital admin 1', role: 'org_admin', organizationId: HOSPITAL.id })).status).toBe(201);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    for (const b of [bank1, bank2, hosp, ...extra]) await b?.close();
    await proxy?.close();
    await central?.destroy();
    await sims?.close();
    ui?.remove();
  });

  async function signIn(login: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: 'fr-SN' });
    const page = await context.newPage();
    await page.goto(`${central.url}/office/`);
    await page.getByLabel('Identifiant').fill(login);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Maintenant' }).waitFor();
    return page;
  }
  const card = (page: Page, b: TestBranch) => page.locator(`[data-branch="${b.server.branchId}"]`);

  it("shows an analyst only its organization's branches, live, and a cut branch as stale", async () => {
    const page = await signIn('awa', 'analyst secret 1');
    await card(page, bank1).waitFor();
    await card(page, bank2).waitFor();
    expect(await card(page, hosp).count()).toBe(0);
    await axe(page, 'Now');

    // Tickets issued at a branch show on Now (it refreshes by itself).
    const kiosk = await bank2.kioskToken();
    const service = (await bank2.service('A')).id;
    const before = Number(await card(page, bank2).getByTestId('waiting').textContent());
    for (let i = 0; i < 3; i++) expect((await bank2.api.issue(kiosk, { serviceId: service })).status).toBe(201);
    await expectText(page, card(page, bank2).getByTestId('waiting'), String(before + 3));

    // The link of a branch is cut: its card says its figures are old within the stale threshold (3 s) and a refresh.
    proxy.setDown(true);
    await card(page, bank1).locator('.badge.stale, .badge.offline').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: artifactPath('office-now-stale.png') });
    proxy.setDown(false);
    await card(page, bank1).locator('.badge.online').waitFor({ timeout: 20_000 });
    await page.context().close();
  }, 120_000);

  it("shows in Analytics the figures of the branches' own databases, and exports what it shows", async () => {
    const kiosk = await bank2.kioskToken();
    const serviceA = (await bank2.service('A')).id;
    for (let i = 0; i < 2; i++) expect((await bank2.api.issue(kiosk, { serviceId: serviceA })).status).toBe(201);
    const page = await signIn('awa', 'analyst secret 1');
    await page.getByRole('button', { name: 'Analyses' }).click();
    const day = new Date().toISOString().slice(0, 10);
    await page.getByLabel('Du', { exact: true }).fill(day);
    await page.getByLabel('Au', { exact: true }).fill(day);
    const branchFilter = page.getByTestId('branch-filter');
    await page.locator('[data-testid="branch-filter"] option', { hasText: 'Agence Thiès' }).waitFor({ state: 'attached' });
    await branchFilter.selectOption({ label: 'Agence Thiès' });
    await waitFor('central holds every ticket of the branch', async () => {
      const stats = await central.admin<{ totals: { issued: number } }>('GET', `/api/central/branches/${bank2.server.branchId}/stats?day=${day}`);
      return stats.body.totals.issued === issuedToday(bank2);
    });
    // Read again now that central holds them all.
    await branchFilter.selectOption({ label: 'Agence Plateau' });
    await branchFilter.selectOption({ label: 'Agence Thiès' });
    const table = page.getByTestId('services');
    await table.locator('tbody tr').first().waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const issuedShown = rows.reduce((s, r) => s + Number(r[2]), 0);
    expect(issuedShown).toBe(issuedToday(bank2));
    expect(rows.every((r) => r[0] === 'Agence Thiès')).toBe(true);
    // The chart draws the same figures as its table.
    const perDay = JSON.parse(await page.locator('[data-chart="per-day"]').getAttribute('data-values') ?? '[]') as number[][];
    expect(perDay[0]?.reduce((s, n) => s + n, 0)).toBe(issuedToday(bank2));
    await axe(page, 'Analytics');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
    const csv = fs.readFileSync(await download.path() as string, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    const header = await table.locator('thead th').allTextContents();
    expect(csv[0]).toBe(header.join(','));
    expect(csv.slice(1)).toEqual(rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')));
    await page.context().close();
  }, 120_000);

  it('enrols a branch from the console with a credential the branch syncs with; every screen passes axe', async () => {
    const page = await signIn('fatou', 'platform secret 1');
    for (const screen of ['Agences', 'Paiements', 'Notifications']) {
      await page.getByRole('button', { name: screen, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: screen }).waitFor();
      await axe(page, screen);
    }
    await page.getByRole('button', { name: 'Agences', exact: true }).click();
    const fresh = await startBranch();
    const freshId = fresh.server.branchId;
    await fresh.close();
    await page.getByLabel("Identifiant de l'agence").fill(freshId);
    await page.getByLabel('Nom', { exact: true }).fill('Agence Kaolack');
    await page.getByLabel('Région').selectOption('Kaolack');
    await page.getByLabel("Identifiant de l'organisation").fill(BANK.id);
    await page.getByLabel("Nom de l'organisation").fill(BANK.name);
    await page.getByRole('button', { name: "Inscrire et afficher l'identifiant" }).click();
    const credential = (await page.getByTestId('credential').textContent()) ?? '';
    expect(credential).toMatch(/^sqb_/);
    expect(await page.locator('pre').first().textContent()).toContain(`SMARTQUEUE_CENTRAL_CREDENTIAL=${credential}`);
    await axe(page, 'Branches with the credential shown');
    const synced = await startBranch({ dataDir: fresh.dataDir, passwords: fresh.passwords, centralUrl: central.url, centralCredential: credential, sync: FAST_SYNC });
    extra.push(synced);
    await waitFor('the new branch syncs', async () => {
      const b = await central.admin<CentralBranchView>('GET', `/api/central/branches/${freshId}`);
      return b.body.sync.lastSyncAt !== null;
    });
    await page.context().close();
  }, 120_000);

  it('pushes the catalog from the console to chosen branches, one of them cut until it reconnects', async () => {
    const page = await signIn('fatou', 'platform secret 1');
    await page.getByRole('button', { name: 'Configuration', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Configuration' }).waitFor();
    await page.getByLabel('Organisation').selectOption({ label: BANK.name });
    await page.getByRole('button', { name: 'Ajouter un service' }).click();
    const row = 'Service 1';
    await page.getByLabel(`${row} · Lettre`).fill('K');
    await page.getByLabel(`${row} · Nom (français)`).fill('Change de devises');
    await page.getByLabel(`${row} · Nom (wolof)`).fill('Weccit xaalis');
    await page.getByLabel(`${row} · Nom (anglais)`).fill('Currency exchange');
    await page.getByLabel(`${row} · Objectif (min)`).fill('20');
    await page.getByLabel(`${row} · Frais (F CFA)`).fill('500');
    await page.getByLabel("Message des écrans d'appel").fill('Bienvenue à la Banque Teranga');
    await page.getByRole('button', { name: 'Enregistrer une nouvelle révision' }).click();
    await page.getByTestId('config-status').getByText('Révision 1 enregistrée').waitFor();
    await axe(page, 'Configuration');

    // Agence Plateau's link is cut while head office applies the revision to both bank branches.
    proxy.setDown(true);
    await page.getByLabel('Choisir Agence Plateau').check();
    await page.getByLabel('Choisir Agence Thiès').check();
    await page.getByRole('button', { name: 'Appliquer la révision 1 aux agences choisies' }).click();
    const status = (b: TestBranch) => page.locator(`[data-testid="config-branches"] tr[data-branch="${b.server.branchId}"]`);
    await status(bank2).getByTestId('applied-revision').getByText('1').waitFor({ timeout: 20_000 });
    expect(await status(bank2).getByTestId('config-outcome').textContent()).toMatch(/^Appliquée le/);
    expect((await bank2.services()).find((s) => s.prefix === 'K')).toMatchObject({ name: { fr: 'Change de devises', wo: 'Weccit xaalis', en: 'Currency exchange' }, feeXof: 500, managedBy: 'central' });
    expect(await status(bank1).getByTestId('config-outcome').textContent()).toBe("En attente de l'agence (hors ligne ?)");
    expect((await bank1.services()).some((s) => s.prefix === 'K')).toBe(false);
    await page.screenshot({ path: artifactPath('office-config-pending.png') });

    proxy.setDown(false);
    await status(bank1).getByTestId('applied-revision').getByText('1').waitFor({ timeout: 30_000 });
    // What the kiosk offers at the reconnected branch: the catalog's service, named as head office named it.
    const kioskServices = await bank1.api.request<ServiceView[]>('GET', '/api/services', { token: await bank1.kioskToken() });
    expect(kioskServices.body.find((s) => s.prefix === 'K')).toMatchObject({ name: { fr: 'Change de devises', wo: 'Weccit xaalis', en: 'Currency exchange' }, targetWaitMinutes: 20, managedBy: 'central' });
    // The hospital's branch was not chosen (another organization): nothing reached it.
    expect((await hosp.services()).some((s) => s.prefix === 'K')).toBe(false);
    await axe(page, 'Configuration with branches applied');
    await page.context().close();
  }, 120_000);

  it("draws every analytics figure as the branch's own records give it, with names", async () => {
    const zig = await startSyncedBranch(central, { name: 'Agence Ziguinchor', organization: BANK, region: 'Ziguinchor' });
    extra.push(zig);
    await counterWorkload(zig, { tickets: 24 });
    const mine = independentFigures(zig);
    // Another branch of the same bank issues tickets the same day: the branch filter leaves them out.
    const otherKiosk = await bank2.kioskToken();
    const otherService = await bank2.service('A');
    for (let i = 0; i < 3; i++) expect((await bank2.api.issue(otherKiosk, { serviceId: otherService.id })).status).toBe(201);
    for (const b of [zig, bank2]) {
      await waitFor(`central holds every record of ${b.server.branchId}`, async () => {
        const view = await central.admin<CentralBranchView>('GET', `/api/central/branches/${b.server.branchId}`);
        return view.body.sync.lastSeq === branchOutbox(b.dataDir).events.length;
      });
    }
    const page = await signIn('awa', 'analyst secret 1');
    // Every answer for all branches is held back so it arrives after the branch's own, as on a slow link when the
    // filter changes mid-read: the screen must still draw only the branch's figures.
    const heldBack: Promise<void>[] = [];
    await page.route('**/api/office/analytics?*', (route) => {
      if (new URL(route.request().url()).searchParams.has('branchId')) return route.continue();
      const answered = new Promise<void>((resolve) => setTimeout(resolve, 1500)).then(() => route.continue());
      heldBack.push(answered);
      return answered;
    });
    const staleRead: Promise<unknown>[] = [];
    page.on('response', (r) => { if (r.url().includes('/api/office/analytics?') && !new URL(r.url()).searchParams.has('branchId')) staleRead.push(r.finished()); });
    await page.getByRole('button', { name: 'Analyses' }).click();
    await page.getByLabel('Du', { exact: true }).fill(mine.day);
    await page.getByLabel('Au', { exact: true }).fill(mine.day);
    await page.locator('[data-testid="branch-filter"] option', { hasText: 'Agence Ziguinchor' }).waitFor({ state: 'attached' });
    await page.getByTestId('branch-filter').selectOption({ label: 'Agence Ziguinchor' });
    await page.getByRole('heading', { name: 'Analyses · Agence Ziguinchor' }).waitFor();
    const chart = async (id: string) => JSON.parse(await page.locator(`[data-chart="${id}"]`).getAttribute('data-values') ?? '[]') as number[][];
    const cells = async (testId: string) => page.getByTestId(testId).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    await page.getByTestId('services').locator('tbody tr').first().waitFor();
    await Promise.all(heldBack);
    expect(heldBack.length).toBeGreaterThan(0);
    await waitFor('the held-back answers reach the page', () => staleRead.length === heldBack.length);
    await Promise.all(staleRead);
    // Two frames: React has committed whatever the late answers set.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');

    // Issued and served per day and per hour of the day.
    expect(await chart('per-day')).toEqual([[mine.issued], [mine.served]]);
    expect(await chart('per-hour')).toEqual([mine.hours.map((h) => h.issued), mine.hours.map((h) => h.served)]);
    // Per service, by name: counts, no-show and cancellation rates, wait p50/p90 against the target, service time p50/p90.
    expect(await cells('services')).toEqual(mine.services.map((sv) => ['Agence Ziguinchor', sv.name, String(sv.issued), String(sv.served), pct(sv.noShowRate), pct(sv.cancelRate),
      num(sv.waitP50), num(sv.waitP90), pct(sv.withinTarget), num(sv.serviceP50), num(sv.serviceP90)]));
    expect(await chart('waits')).toEqual([mine.services.map((sv) => sv.waitP50 ?? 0), mine.services.map((sv) => sv.waitP90 ?? 0), mine.services.map((sv) => sv.target)]);
    // Per agent, by display name; the heat map's cells; appointments kept / missed.
    expect(await cells('agents')).toEqual(mine.agents.map((a) => ['Agence Ziguinchor', a.name, String(a.served), `${Math.round(a.averageSeconds / 60)} min`]));
    const heatRow = await page.locator('table.heat tbody tr').nth(mine.weekday - 1).locator('td').allTextContents();
    expect(heatRow).toEqual(mine.hours.map((h) => String(h.issued)));
    expect(await page.getByText(/^Rendez-vous honorés/).textContent()).toBe(`Rendez-vous honorés : ${mine.kept} · manqués : ${mine.missed}`);
    await page.context().close();
  }, 120_000);

  it('shows payments per provider, branch, service and day by name; an organization admin refunds a Wave payment, an analyst cannot', async () => {
    const admin = await hosp.login('admin');
    const agent = await hosp.login('awa');
    const supervisor = await hosp.login('aminata');
    const a = await hosp.service('A');
    expect((await hosp.api.request('PATCH', `/api/admin/services/${a.id}`, { token: admin, body: { feeXof: 1500 } })).status).toBe(200);
    const kiosk = await hosp.kioskToken();
    const paid: string[] = [];
    for (let i = 0; i < 2; i++) {
      const t = (await hosp.api.issue(kiosk, { serviceId: a.id })).body as { id: string };
      const p = await hosp.api.post<{ id: string }>(`/api/tickets/${t.id}/payments`, { method: 'cash' }, agent);
      expect(p.status).toBe(201);
      paid.push(p.body.id);
    }
    expect((await hosp.api.post(`/api/payments/${paid[0] as string}/refund`, { reason: 'erreur de caisse' }, supervisor)).status).toBe(200);
    // A visitor pays a third ticket with Wave at the kiosk: the Wave simulator completes it and sends its signed webhook.
    const waveTicket = (await hosp.api.issue(kiosk, { serviceId: a.id })).body as { id: string };
    const checkout = await hosp.api.post<PaymentView>(`/api/tickets/${waveTicket.id}/checkout`, { provider: 'wave', commandId: randomUUID() }, kiosk);
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const waveRef = checkout.body.providerRef as string;
    expect((await sims.wave.complete(waveRef)).map((d) => d.status)).toEqual([200]);
    const day = new Date().toISOString().slice(0, 10);
    const totals = async () => (await central.admin<PaymentTotals>('GET', `/api/central/payments/totals?from=${day}&to=${day}&branchId=${hosp.server.branchId}`)).body;
    await waitFor('central counts the payments and the refund', async () => {
      const t = await totals();
      return t.total.count === 3 && t.total.refundedCount === 1;
    });
    const xof = (n: number) => `${n.toLocaleString('fr-SN')} F CFA`;

    // The hospital's organization admin: its branch's figures by name, and the Wave payment to refund.
    const page = await signIn('ibrahima', 'hospital admin 1');
    const openPayments = async () => {
      await page.getByRole('button', { name: 'Maintenant', exact: true }).click();
      await page.getByRole('button', { name: 'Paiements', exact: true }).click();
      await page.getByLabel('Du', { exact: true }).fill(day);
      await page.getByLabel('Au', { exact: true }).fill(day);
      await page.getByTestId('pay-branch').locator('tbody tr', { hasText: 'Hôpital de Fann' }).waitFor();
    };
    const row = (table: string, label: string) => page.getByTestId(table).locator('tbody tr', { hasText: label }).locator('td').allTextContents();
    await openPayments();
    expect(await row('pay-branch', 'Hôpital de Fann')).toEqual(['Hôpital de Fann', '3', xof(4500), '1', xof(1500), xof(3000)]);
    expect(await row('pay-service', 'Hôpital de Fann')).toEqual([`A · ${a.name.fr} (Hôpital de Fann)`, '3', xof(4500), '1', xof(1500), xof(3000)]);
    expect(await row('pay-provider', 'Espèces')).toEqual(['Espèces', '2', xof(3000), '1', xof(1500), xof(1500)]);
    expect(await row('pay-provider', 'Wave')).toEqual(['Wave', '1', xof(1500), '0', xof(0), xof(1500)]);
    expect(await row('pay-day', day)).toEqual([day, '3', xof(4500), '1', xof(1500), xof(3000)]);
    const wavePayment = page.getByTestId('pay-phone').locator(`tr[data-payment="${checkout.body.id}"]`);
    expect(await wavePayment.locator('td').allTextContents()).toEqual(expect.arrayContaining(['Wave', 'Hôpital de Fann', xof(1500), 'Payé']));
    await axe(page, 'Payments with figures and a refund button');

    // Refund it from the console: Wave gives the money back (its refund API), the screen shows it refunded.
    await wavePayment.getByRole('button', { name: /^Rembourser/ }).click();
    await page.getByTestId('pay-status').getByText(`Remboursé par Wave : ${xof(1500)} (Hôpital de Fann)`).waitFor();
    await wavePayment.getByTestId('pay-phone-status').getByText('Remboursé').waitFor();
    expect(await wavePayment.getByRole('button').count()).toBe(0);
    expect(sims.wave.payment(waveRef).status).toBe('refunded');
    await page.getByTestId('pay-refunds').locator('tbody tr', { hasText: 'Wave' }).waitFor();
    // The branch learns it through its feed and pushes its own record back; then the figures count it.
    await waitFor('the Wave refund in the totals', async () => (await totals()).total.refundedCount === 2);
    await openPayments();
    expect(await row('pay-provider', 'Wave')).toEqual(['Wave', '1', xof(1500), '1', xof(1500), xof(0)]);
    expect(await row('pay-branch', 'Hôpital de Fann')).toEqual(['Hôpital de Fann', '3', xof(4500), '2', xof(3000), xof(1500)]);
    const audit = await central.admin<Array<{ actorLogin: string; action: string; target: string | null }>>('GET', '/api/office/audit');
    expect(audit.body.find((r) => r.action === 'payment.refunded')).toMatchObject({ actorLogin: 'ibrahima', target: `payment:${checkout.body.id}` });
    await page.screenshot({ path: artifactPath('office-payments-refunded.png') });
    await page.context().close();

    // The bank's analyst: Payments and Notifications open, only the bank's branches, and no refund button.
    const analyst = await signIn('awa', 'analyst secret 1');
    await analyst.getByRole('button', { name: 'Paiements', exact: true }).click();
    await analyst.getByRole('heading', { level: 1, name: 'Paiements' }).waitFor();
    await analyst.getByTestId('pay-total').waitFor();
    expect(await analyst.getByTestId('pay-phone').locator('thead th').allTextContents()).not.toContain('Action');
    expect(await analyst.getByRole('button', { name: /^Rembourser/ }).count()).toBe(0);
    expect(await analyst.locator('main').getByText('Hôpital de Fann').count()).toBe(0);
    expect(await analyst.getByRole('alert').count()).toBe(0);
    await axe(analyst, 'Payments for an analyst');
    const [log] = await Promise.all([
      analyst.waitForResponse((r) => new URL(r.url()).pathname === '/api/central/notifications'),
      analyst.getByRole('button', { name: 'Notifications', exact: true }).click(),
    ]);
    expect(log.status()).toBe(200);
    expect((await log.json() as Array<{ branchId: string | null }>).every((d) => d.branchId !== hosp.server.branchId)).toBe(true);
    await analyst.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    expect(await analyst.getByRole('alert').count()).toBe(0);
    await analyst.context().close();
  }, 120_000);
});

/** Every analytics figure of today computed from a branch's own database (ticket rows and their events), as the console defines it. */
function independentFigures(b: TestBranch) {
  const db = new Database(path.join(b.dataDir, 'branch.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const day = new Date().toISOString().slice(0, 10); // Africa/Dakar is UTC
    const tickets = db.prepare(`select t.id, t.service_id, t.status, t.issued_at, t.started_at, t.finished_at, t.agent_id,
        (select min(e.at) from ticket_events e where e.ticket_id = t.id and e.type = 'called') as first_call
      from tickets t where substr(t.issued_at, 1, 10) = ?`).all(day) as Array<{ id: string; service_id: string; status: string; issued_at: string; started_at: string | null; finished_at: string | null; agent_id: string | null; first_call: string | null }>;
    const services = new Map((db.prepare('select id, name_fr, target_wait_minutes from services').all() as Array<{ id: string; name_fr: string; target_wait_minutes: number }>).map((s) => [s.id, s]));
    const users = new Map((db.prepare('select id, display_name from users').all() as Array<{ id: string; display_name: string }>).map((u) => [u.id, u.display_name]));
    const bookings = db.prepare("select status, count(*) as n from bookings where substr(starts_at, 1, 10) = ? group by status").all(day) as Array<{ status: string; n: number }>;
    const secs = (a: string, z: string) => Math.max(0, Math.round((Date.parse(z) - Date.parse(a)) / 1000));
    const minute = (s: number) => Math.min(240, Math.floor(s / 60));
    const rank = (values: number[], p: number) => {
      const sorted = [...values].sort((x, y) => x - y);
      return sorted.length ? (sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number) : null;
    };
    const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
    const served = tickets.filter((t) => t.status === 'served' && t.started_at && t.finished_at);
    const hourList = [...new Set(tickets.map((t) => new Date(t.issued_at).getUTCHours()))].sort((x, y) => x - y);
    const perService = [...new Set(tickets.map((t) => t.service_id))].map((id) => {
      const list = tickets.filter((t) => t.service_id === id);
      const waits = list.filter((t) => t.first_call).map((t) => minute(secs(t.issued_at, t.first_call as string)));
      const times = served.filter((t) => t.service_id === id).map((t) => minute(secs(t.started_at as string, t.finished_at as string)));
      const target = services.get(id)?.target_wait_minutes as number;
      return {
        name: services.get(id)?.name_fr as string, issued: list.length, served: list.filter((t) => t.status === 'served').length,
        noShowRate: rate(list.filter((t) => t.status === 'no_show').length, list.length), cancelRate: rate(list.filter((t) => t.status === 'cancelled').length, list.length),
        waitP50: rank(waits, 50), waitP90: rank(waits, 90), target, withinTarget: rate(waits.filter((m) => m < target).length, waits.length),
        serviceP50: rank(times, 50), serviceP90: rank(times, 90),
      };
    }).sort((x, y) => x.name.localeCompare(y.name));
    const agents = [...new Set(served.map((t) => t.agent_id).filter((a): a is string => a !== null))].map((id) => {
      const list = served.filter((t) => t.agent_id === id);
      return { name: users.get(id) as string, served: list.length, averageSeconds: list.reduce((s, t) => s + secs(t.started_at as string, t.finished_at as string), 0) / list.length };
    }).sort((x, y) => y.served - x.served);
    return {
      day, issued: tickets.length, served: tickets.filter((t) => t.status === 'served').length,
      hours: hourList.map((h) => ({ hour: h, issued: tickets.filter((t) => new Date(t.issued_at).getUTCHours() === h).length, served: tickets.filter((t) => t.status === 'served' && new Date(t.issued_at).getUTCHours() === h).length })),
      services: perService, agents, weekday: ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1,
      kept: bookings.find((x) => x.status === 'checked_in')?.n ?? 0, missed: bookings.find((x) => x.status === 'no_show')?.n ?? 0,
    };
  } finally {
    db.close();
  }
}
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10} %`);
const num = (v: number | null) => (v === null ? '—' : String(v));

async function expectText(page: Page, locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await page.waitForFunction(([el, want]) => (el as { textContent: string | null } | null)?.textContent === want, [await locator.elementHandle(), text] as const, { timeout: 20_000 });
}
