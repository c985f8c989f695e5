// Configuration pushed by head office (issue 17): the organization's catalog and call-board message saved once,
// applied to chosen branches through their feed; a branch applies a revision in one transaction with its history
// row and answers; its services say which fields head office manages and its admin routes refuse a local change
// of those (409 MANAGED_BY_CENTRAL); a branch whose link is cut gets the change when it comes back; a revision a
// branch cannot apply (a letter held by its own service) changes nothing there and the console sees why; letters
// move between catalog services (a swap) in one revision.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgConfigBody, OrgConfigView } from '../../server/src/shared/contracts/org-config.js';
import type { ServiceView } from '../../server/src/shared/contracts/api.js';
import type { ServiceAppointmentsView } from '../../server/src/shared/contracts/appointments.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

const BANK = { id: 'org-bank', name: 'Banque Teranga', type: 'bank' };
const OTHER = { id: 'org-other', name: 'Autre banque', type: 'bank' };
const appointments = { enabled: true, slotMinutes: 20, capacity: 2, horizonWorkingDays: 10, minLeadMinutes: 30, earlyMinutes: 20, lateMinutes: 10 };
const catalog: OrgConfigBody = {
  displayMessage: 'Bienvenue à la Banque Teranga',
  services: [
    { key: 'cash', prefix: 'A', name: { fr: 'Caisse', wo: 'Kees', en: 'Cash desk' }, targetWaitMinutes: 12, defaultServiceMinutes: 4, feeXof: null, appointments: null },
    { key: 'loans', prefix: 'L', name: { fr: 'Crédits', wo: 'Lebal', en: 'Loans' }, targetWaitMinutes: 40, defaultServiceMinutes: 20, feeXof: 1000, appointments },
  ],
};

for (const dialect of await centralDialects()) {
  describe(`configuration pushed to branches (${dialect} central)`, () => {
    let central: TestCentral;
    let proxy: FaultProxy;
    let online: SyncedBranch;
    let cut: SyncedBranch;
    let other: SyncedBranch;

    beforeAll(async () => {
      central = await startCentral(dialect);
      proxy = await FaultProxy.start({ target: central.url });
      online = await startSyncedBranch(central, { name: 'Agence Plateau', organization: BANK });
      cut = await startSyncedBranch(central, { name: 'Agence Thiès', organization: BANK, centralUrl: proxy.url });
      other = await startSyncedBranch(central, { name: 'Agence ailleurs', organization: OTHER });
    }, 120_000);
    afterAll(async () => {
      for (const b of [online, cut, other]) await b?.destroy();
      await proxy?.close();
      await central?.destroy();
    });

    const config = async () => (await central.admin<OrgConfigView>('GET', `/api/office/config?organizationId=${BANK.id}`)).body;

    it('applies a revision at every chosen branch, one offline until it reconnects, and shows who applied it', async () => {
      const saved = await central.admin<OrgConfigView>('PUT', `/api/office/config?organizationId=${BANK.id}`, catalog);
      expect(saved.status).toBe(200);
      expect(saved.body.revision).toBe(1);
      proxy.setDown(true);
      const applied = await central.admin<OrgConfigView>('POST', '/api/office/config/apply', { organizationId: BANK.id, branchIds: [online.server.branchId, cut.server.branchId] });
      expect(applied.status).toBe(200);
      expect(applied.body.branches.map((b) => b.pushedRevision)).toEqual([1, 1]);
      // Another organization's branch is refused as unknown, and nothing is pushed.
      const foreign = await central.admin('POST', '/api/office/config/apply', { organizationId: BANK.id, branchIds: [other.server.branchId] });
      expect(foreign.status).toBe(404);

      await waitFor('the online branch applied revision 1', async () => (await config()).branches.find((b) => b.branchId === online.server.branchId)?.appliedRevision === 1);
      const services = await online.services();
      const cash = services.find((s) => s.prefix === 'A') as ServiceView;
      // The demo's service A is adopted (same letter), renamed, and keeps its counters; L is new.
      expect(cash).toMatchObject({ name: { fr: 'Caisse', wo: 'Kees', en: 'Cash desk' }, targetWaitMinutes: 12, managedBy: 'central' });
      expect(cash.managedFields).toEqual(['prefix', 'name', 'targetWaitMinutes', 'defaultServiceMinutes', 'feeXof']);
      const loans = services.find((s) => s.prefix === 'L') as ServiceView;
      expect(loans).toMatchObject({ name: { fr: 'Crédits', wo: 'Lebal', en: 'Loans' }, feeXof: 1000, managedBy: 'central' });
      expect(loans.managedFields).toContain('appointments');
      expect(services.find((s) => s.prefix === 'B')).toMatchObject({ managedBy: null, managedFields: [] });
      const admin = await online.login('admin');
      const settings = await online.api.request<ServiceAppointmentsView[]>('GET', '/api/admin/appointments/services', { token: admin });
      expect(settings.body.find((s) => s.serviceId === loans.id)).toMatchObject({ ...appointments, managedBy: 'central' });
      // The call-board message and the history row, in the branch's database.
      const db = new Database(path.join(online.dataDir, 'branch.sqlite'), { readonly: true });
      try {
        expect(db.prepare("select value from settings where key = 'display_message'").get()).toEqual({ value: catalog.displayMessage });
        expect(db.prepare('select organization_id, revision, outcome from config_history').all()).toEqual([{ organization_id: BANK.id, revision: 1, outcome: 'applied' }]);
      } finally {
        db.close();
      }

      // The cut branch has nothing yet; the console says it has not applied it.
      expect((await cut.services()).some((s) => s.prefix === 'L')).toBe(false);
      expect((await config()).branches.find((b) => b.branchId === cut.server.branchId)).toMatchObject({ pushedRevision: 1, appliedRevision: null });
      proxy.setDown(false);
      await waitFor('the reconnected branch applied revision 1', async () => (await config()).branches.find((b) => b.branchId === cut.server.branchId)?.appliedRevision === 1);
      expect((await cut.services()).find((s) => s.prefix === 'L')).toMatchObject({ name: { fr: 'Crédits', wo: 'Lebal', en: 'Loans' }, managedBy: 'central' });
      expect((await config()).branches.every((b) => b.outcome === 'applied')).toBe(true);
    }, 90_000);

    it("refuses a local change of a managed field (409) and keeps the branch's own fields local", async () => {
      const admin = await online.login('admin');
      const cash = (await online.services()).find((s) => s.prefix === 'A') as ServiceView;
      const rename = await online.api.request<{ error: { code: string; message: string } }>('PATCH', `/api/admin/services/${cash.id}`, { token: admin, body: { name: { fr: 'Guichet', wo: 'Guichet', en: 'Desk' } } });
      expect(rename.status).toBe(409);
      expect(rename.body.error.code).toBe('MANAGED_BY_CENTRAL');
      expect(rename.body.error.message).toMatch(/head office/);
      // The fields at fault, for the form to mark them.
      expect((rename.body.error as { details?: unknown }).details).toEqual({ fields: ['name'] });
      expect((await online.api.request('PATCH', `/api/admin/services/${cash.id}`, { token: admin, body: { targetWaitMinutes: 99 } })).status).toBe(409);
      expect((await online.api.request('DELETE', `/api/admin/services/${cash.id}`, { token: admin })).status).toBe(409);
      // The same value, or a local field, is fine.
      const local = await online.api.request<ServiceView>('PATCH', `/api/admin/services/${cash.id}`, { token: admin, body: { targetWaitMinutes: 12, icon: 'cash', sortOrder: 7 } });
      expect(local.status).toBe(200);
      expect(local.body).toMatchObject({ icon: 'cash', sortOrder: 7, name: { fr: 'Caisse' } });
      const loans = (await online.services()).find((s) => s.prefix === 'L') as ServiceView;
      const put = await online.api.request('PUT', `/api/admin/appointments/services/${loans.id}`, { token: admin, body: { ...appointments, capacity: 5 } });
      expect(put.status).toBe(409);
      expect((await online.services()).find((s) => s.id === cash.id)?.name.fr).toBe('Caisse');
    }, 60_000);

    it('a revision a branch cannot apply changes nothing there, and the console shows why', async () => {
      // The catalog gives the letter B to its cash service, but B is the branch's own service (account opening).
      const b = (await online.services()).find((s) => s.prefix === 'B') as ServiceView;
      const refused: OrgConfigBody = { ...catalog, displayMessage: 'Autre message', services: catalog.services.map((s) => (s.key === 'cash' ? { ...s, prefix: 'B' } : s)) };
      const saved = await central.admin<OrgConfigView>('PUT', `/api/office/config?organizationId=${BANK.id}`, refused);
      expect(saved.body.revision).toBe(2);
      await central.admin('POST', '/api/office/config/apply', { organizationId: BANK.id, branchIds: [online.server.branchId] });
      const view = await waitFor('the branch answered revision 2', async () => {
        const v = (await config()).branches.find((x) => x.branchId === online.server.branchId);
        return v?.appliedRevision === 2 ? v : undefined;
      });
      expect(view.outcome).toBe('refused');
      expect(view.reason).toMatch(/letter B/);
      // Nothing changed at the branch: A is still Caisse, B still the branch's own.
      const after = await online.services();
      expect(after.find((s) => s.prefix === 'A')?.name.fr).toBe('Caisse');
      expect(after.find((s) => s.id === b.id)).toMatchObject({ prefix: 'B', managedBy: null });
      const db = new Database(path.join(online.dataDir, 'branch.sqlite'), { readonly: true });
      try {
        expect(db.prepare("select value from settings where key = 'display_message'").get()).toEqual({ value: catalog.displayMessage });
        expect(db.prepare('select revision, outcome from config_history order by revision').all()).toEqual([{ revision: 1, outcome: 'applied' }, { revision: 2, outcome: 'refused' }]);
      } finally {
        db.close();
      }
    }, 60_000);

    it('moves letters between catalog services in one revision: a swap and a move to the freed letter apply together', async () => {
      const before = await online.services();
      const cash = before.find((s) => s.prefix === 'A') as ServiceView;
      const loans = before.find((s) => s.prefix === 'L') as ServiceView;
      expect([cash.managedBy, loans.managedBy]).toEqual(['central', 'central']);
      // Cash desk and loans swap letters, and a new catalog service takes none of theirs: one revision.
      const swapped: OrgConfigBody = {
        ...catalog,
        services: [
          ...catalog.services.map((s) => ({ ...s, prefix: s.key === 'cash' ? 'L' : 'A' })),
          { key: 'fx', prefix: 'X', name: { fr: 'Change', wo: 'Weccit xaalis', en: 'Currency exchange' }, targetWaitMinutes: 15, defaultServiceMinutes: 5, feeXof: null, appointments: null },
        ],
      };
      const saved = await central.admin<OrgConfigView>('PUT', `/api/office/config?organizationId=${BANK.id}`, swapped);
      expect(saved.body.revision).toBe(3);
      await central.admin('POST', '/api/office/config/apply', { organizationId: BANK.id, branchIds: [online.server.branchId] });
      const view = await waitFor('the branch answered revision 3', async () => {
        const v = (await config()).branches.find((x) => x.branchId === online.server.branchId);
        return v?.appliedRevision === 3 ? v : undefined;
      });
      expect(view).toMatchObject({ outcome: 'applied', reason: null });
      // The same services (their tickets and history stay theirs), with each other's letter.
      const after = await online.services();
      expect(after.find((s) => s.id === cash.id)).toMatchObject({ prefix: 'L', name: { fr: 'Caisse' }, managedBy: 'central' });
      expect(after.find((s) => s.id === loans.id)).toMatchObject({ prefix: 'A', name: { fr: 'Crédits' }, managedBy: 'central' });
      expect(after.find((s) => s.prefix === 'X')).toMatchObject({ name: { fr: 'Change' }, managedBy: 'central' });
      expect(after.filter((s) => ['A', 'L', 'X'].includes(s.prefix))).toHaveLength(3);
      // A ticket of the cash desk now carries its new letter.
      const ticket = await online.api.issue(await online.kioskToken(), { serviceId: cash.id });
      expect(ticket.status).toBe(201);
      expect(ticket.body.number).toMatch(/^L\d{3}$/);
      const db = new Database(path.join(online.dataDir, 'branch.sqlite'), { readonly: true });
      try {
        expect(db.prepare('select revision, outcome from config_history order by revision').all())
          .toEqual([{ revision: 1, outcome: 'applied' }, { revision: 2, outcome: 'refused' }, { revision: 3, outcome: 'applied' }]);
        // No placeholder letter was left behind.
        expect(db.prepare("select count(*) as n from services where prefix like '~%'").get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    }, 60_000);
  });
}
