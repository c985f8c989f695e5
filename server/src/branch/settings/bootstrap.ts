// First start of a branch database: the branch itself, the admin account and, in demo mode, a Dakar bank agency.
import type { OpeningHours } from '../../shared/contracts/domain.js';
import type { BranchStore } from '../db/store.js';
import { newId } from '../../shared/ids.js';
import { ALWAYS_OPEN, WEEKDAYS_8_TO_17 } from '../../shared/domain/opening-hours.js';
import { hashPassword, randomPassword } from '../../shared/auth/password.js';
import { getSetting, setSetting } from './branch.repository.js';

export interface FirstStartCredential { login: string; password: string; role: string }


export async function bootstrapBranch(store: BranchStore, opts: { demo: boolean; adminPassword?: string; now: Date }): Promise<{ branchId: string; credentials: FirstStartCredential[] }> {
  const existing = getSetting(store, 'branch_id');
  if (existing) return { branchId: existing, credentials: [] };

  const at = opts.now.toISOString();
  const credentials: FirstStartCredential[] = [];
  const adminPassword = opts.adminPassword ?? randomPassword();
  if (!opts.adminPassword) credentials.push({ login: 'admin', password: adminPassword, role: 'admin' });
  const adminHash = await hashPassword(adminPassword);

  const demoUsers = opts.demo
    ? [
        { login: 'awa', name: 'Awa Ndiaye', role: 'agent' },
        { login: 'moussa', name: 'Moussa Diop', role: 'agent' },
        { login: 'fatou', name: 'Fatou Sow', role: 'agent' },
        { login: 'aminata', name: 'Aminata Fall', role: 'supervisor' },
      ]
    : [];
  const demoHashes = await Promise.all(
    demoUsers.map(async (u) => {
      const password = randomPassword();
      credentials.push({ login: u.login, password, role: u.role });
      return { ...u, hash: await hashPassword(password) };
    }),
  );

  const orgId = newId();
  const branchId = newId();
  store.transaction(() => {
    store.run(store.db.insertInto('organizations').values({
      id: orgId, name: opts.demo ? 'Banque Teranga' : 'Mon organisation', type: opts.demo ? 'bank' : 'other', region: 'Dakar', created_at: at,
    }));
    const hours: OpeningHours = opts.demo ? ALWAYS_OPEN : WEEKDAYS_8_TO_17;
    store.run(store.db.insertInto('branches').values({
      id: branchId, organization_id: orgId, name: opts.demo ? 'Agence Plateau' : 'Agence', code: opts.demo ? 'DKR-PLATEAU' : 'BRANCH-1',
      time_zone: 'Africa/Dakar', opening_hours: JSON.stringify(hours), logo_url: null, created_at: at,
    }));
    store.run(store.db.insertInto('users').values({ id: newId(), login: 'admin', display_name: 'Administrateur', role: 'admin', password_hash: adminHash, active: 1, created_at: at, updated_at: at }));
    for (const u of demoHashes) {
      store.run(store.db.insertInto('users').values({ id: newId(), login: u.login, display_name: u.name, role: u.role, password_hash: u.hash, active: 1, created_at: at, updated_at: at }));
    }
    if (opts.demo) seedDemoAgency(store, branchId, at);
    setSetting(store, 'branch_id', branchId);
  });
  return { branchId, credentials };
}

/** Agence Plateau of a Dakar bank: four services, four counters. */
function seedDemoAgency(store: BranchStore, branchId: string, at: string): void {
  const accountHours: OpeningHours = {
    1: [{ open: '08:00', close: '15:00' }], 2: [{ open: '08:00', close: '15:00' }], 3: [{ open: '08:00', close: '15:00' }],
    4: [{ open: '08:00', close: '15:00' }], 5: [{ open: '08:00', close: '15:00' }], 6: [], 7: [],
  };
  const services = [
    { prefix: 'A', fr: 'Dépôt / Retrait', wo: 'Denc / Génne xaalis', en: 'Deposit / Withdrawal', icon: 'cash', target: 15, minutes: 4, hours: null },
    { prefix: 'B', fr: 'Ouverture de compte', wo: 'Ubbi kont', en: 'Account opening', icon: 'account', target: 30, minutes: 20, hours: accountHours },
    { prefix: 'C', fr: 'Transferts et Mobile Money', wo: 'Yónnee xaalis ak Mobile Money', en: 'Transfers and Mobile Money', icon: 'transfer', target: 15, minutes: 6, hours: null },
    { prefix: 'D', fr: 'Conseiller clientèle', wo: 'Waxtaan ak conseiller', en: 'Customer adviser', icon: 'adviser', target: 25, minutes: 12, hours: null },
  ].map((s, i) => ({ ...s, id: newId(), order: i }));
  for (const s of services) {
    store.run(store.db.insertInto('services').values({
      id: s.id, branch_id: branchId, prefix: s.prefix, name_fr: s.fr, name_wo: s.wo, name_en: s.en, icon: s.icon,
      target_wait_minutes: s.target, default_service_minutes: s.minutes, express: 0, status: 'active',
      opening_hours: s.hours ? JSON.stringify(s.hours) : null, sort_order: s.order, created_at: at, updated_at: at, deleted_at: null,
    }));
  }
  const byPrefix = (p: string) => services.find((s) => s.prefix === p)?.id as string;
  const counters = [
    { number: 1, services: ['A', 'C'] },
    { number: 2, services: ['A'] },
    { number: 3, services: ['B', 'D'] },
    { number: 4, services: ['C', 'A'] },
  ];
  for (const c of counters) {
    const id = newId();
    store.run(store.db.insertInto('counters').values({ id, branch_id: branchId, number: c.number, name: `Guichet ${c.number}`, status: 'closed', agent_id: null, current_ticket_id: null, created_at: at, updated_at: at, deleted_at: null }));
    c.services.forEach((p, position) => store.run(store.db.insertInto('counter_services').values({ counter_id: id, service_id: byPrefix(p), position })));
  }
}
