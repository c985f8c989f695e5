// Names, not ids, at head office (issue 17): a branch sends its services (letters, names, targets) and its staff's
// display names, so central's figures name them; the per-service stats give a service its own letter even when its
// first ticket was transferred in from another service (it was reported with the other letter); a kiosk printer out
// of paper at the branch shows as an alert on the console's Now screen, and goes when the printer prints again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsReport } from '../../server/src/shared/contracts/analytics.js';
import type { NowReport } from '../../server/src/shared/contracts/office-now.js';
import type { BranchDayStats } from '../../server/src/shared/contracts/sync.js';
import { FakePrinter } from '../fixtures/fake-printer.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

for (const dialect of await centralDialects()) {
  describe(`branch directory and printer states at central (${dialect})`, () => {
    let central: TestCentral;
    let branch: SyncedBranch;
    let printer: FakePrinter;

    beforeAll(async () => {
      printer = new FakePrinter({ paper: 'out' });
      await printer.start();
      central = await startCentral(dialect);
      branch = await startSyncedBranch(central, { name: 'Agence Médina', printer: printer.spec });
    }, 120_000);
    afterAll(async () => {
      await branch?.destroy();
      await central?.destroy();
      await printer?.close();
    });

    const now = async () => (await central.admin<NowReport>('GET', '/api/office/now')).body.branches.find((b) => b.id === branch.server.branchId);

    it('shows a kiosk printer out of paper on Now until it prints again', async () => {
      const kiosk = await branch.kioskToken();
      const a = await branch.service('A');
      // The kiosk prints the ticket it issued (as kiosk-ui does): the printer is out of paper.
      const first = (await branch.api.issue(kiosk, { serviceId: a.id })).body as { id: string };
      expect((await branch.api.post(`/api/tickets/${first.id}/print`, {}, kiosk)).status).toBe(503);
      const alert = await waitFor('the paper alert at central', async () => (await now())?.alerts.find((x) => x.kind === 'printer_paper'));
      expect(alert.message).toMatch(/borne/);
      printer.paper = 'ok';
      const second = (await branch.api.issue(kiosk, { serviceId: a.id })).body as { id: string };
      expect((await branch.api.post(`/api/tickets/${second.id}/print`, {}, kiosk)).status).toBe(200);
      await waitFor('the alert goes once the printer prints', async () => {
        const b = await now();
        return b !== undefined && !b.alerts.some((x) => x.kind === 'printer_paper' || x.kind === 'printer');
      });
    }, 60_000);

    it("names services and agents as the branch does, and gives a transferred-in service its own letter", async () => {
      const kiosk = await branch.kioskToken();
      const supervisor = await branch.login('aminata');
      const awa = await branch.login('awa');
      const a = await branch.service('A');
      const d = await branch.service('D');
      const counter3 = await branch.counter(3);
      const t = (await branch.api.issue(kiosk, { serviceId: a.id })).body as { id: string; number: string };
      expect((await branch.api.post(`/api/tickets/${t.id}/transfer`, { serviceId: d.id }, supervisor)).status).toBe(200);
      expect((await branch.api.post(`/api/counters/${counter3.id}/status`, { status: 'open' }, awa)).status).toBe(200);
      const call = await branch.api.post<{ ticket: { id: string } | null }>(`/api/counters/${counter3.id}/call-next`, {}, awa);
      expect(call.body.ticket?.id).toBe(t.id);
      await branch.api.post(`/api/tickets/${t.id}/start`, {}, awa);
      expect((await branch.api.post(`/api/tickets/${t.id}/complete`, { outcome: 'ok' }, awa)).status).toBe(200);

      const day = new Date().toISOString().slice(0, 10);
      const stats = await waitFor('central holds the served ticket', async () => {
        const s = (await central.admin<BranchDayStats>('GET', `/api/central/branches/${branch.server.branchId}/stats?day=${day}`)).body;
        return s.byService.find((x) => x.serviceId === d.id && x.served === 1) ? s : undefined;
      });
      // Its only ticket is A-numbered (transferred from A): the service is still D.
      expect(t.number).toMatch(/^A/);
      expect(stats.byService.find((x) => x.serviceId === d.id)?.prefix).toBe('D');
      expect(stats.byService.find((x) => x.serviceId === a.id)?.prefix).toBe('A');

      const report = (await central.admin<AnalyticsReport>('GET', `/api/office/analytics?from=${day}&to=${day}`)).body;
      const adviser = report.services.find((s) => s.serviceId === d.id);
      expect(adviser).toMatchObject({ serviceName: d.name.fr, targetMinutes: d.targetWaitMinutes, branchName: 'Agence Médina' });
      expect(report.services.find((s) => s.serviceId === a.id)?.serviceName).toBe(a.name.fr);
      expect(report.agents).toEqual([expect.objectContaining({ name: 'Awa Ndiaye', branchName: 'Agence Médina', served: 1 })]);

      // A renamed agent is named anew.
      const admin = await branch.login('admin');
      const users = (await branch.api.request<Array<{ id: string; login: string }>>('GET', '/api/admin/users', { token: admin })).body;
      const awaId = users.find((u) => u.login === 'awa')?.id as string;
      expect((await branch.api.request('PATCH', `/api/admin/users/${awaId}`, { token: admin, body: { displayName: 'Awa Ndiaye Sarr' } })).status).toBe(200);
      await waitFor('the new name at central', async () => (await central.admin<AnalyticsReport>('GET', `/api/office/analytics?from=${day}&to=${day}`)).body.agents[0]?.name === 'Awa Ndiaye Sarr');
    }, 60_000);
  });
}
