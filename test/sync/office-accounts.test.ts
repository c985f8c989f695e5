// Head-office accounts on central (SQLite and PostgreSQL): the first platform admin from the admin token, sign-in
// with limits per login and per address (429 + Retry-After), roles scoped by organization, sessions that end when
// the password changes, and the audit of every console action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralBranchView, EnrolResponse } from '../../server/src/shared/contracts/sync.js';
import type { OfficeUserView } from '../../server/src/shared/contracts/office.js';
import { startCentral, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

const dialects = await centralDialects();
type Err = { error: { code: string; message: string } };

describe.each(dialects)('head-office accounts (%s)', (dialect) => {
  let central: TestCentral;
  const as = <T = unknown>(token: string, method: string, path: string, body?: unknown) =>
    central.api.request<T>(method, path, { token, ...(body !== undefined && { body }) });
  const login = async (l: string, password: string) => {
    const r = await central.api.request<{ token: string } & Err>('POST', '/api/office/login', { body: { login: l, password } });
    return r;
  };
  const enrol = (token: string, id: string, org: { id: string; name: string }) => as<EnrolResponse & Err>(token, 'POST', '/api/central/branches', {
    id, name: `Agence ${id}`, region: 'Dakar', organization: { ...org, type: 'bank' },
  });

  beforeAll(async () => {
    central = await startCentral(dialect);
  });
  afterAll(async () => {
    await central?.destroy();
  });

  it('bootstraps one platform admin with the admin token, then works by named users scoped to their organization', async () => {
    const first = await central.admin<OfficeUserView>('POST', '/api/office/bootstrap', { login: 'fatou', displayName: 'Fatou Ndiaye', password: 'correct horse battery' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ login: 'fatou', role: 'platform_admin', organizationId: null });
    expect((await central.admin<Err>('POST', '/api/office/bootstrap', { login: 'other', displayName: 'X', password: 'correct horse battery' })).body.error.code).toBe('ALREADY_BOOTSTRAPPED');

    const platform = (await login('Fatou', 'correct horse battery')).body.token;
    expect(platform).toMatch(/^sqo_/);
    expect((await as<OfficeUserView>(platform, 'GET', '/api/office/me')).body.login).toBe('fatou');

    expect((await enrol(platform, 'br-bank-1', { id: 'org-bank', name: 'Banque Teranga' })).status).toBe(201);
    expect((await enrol(platform, 'br-hosp-1', { id: 'org-hosp', name: 'Hôpital Fann' })).status).toBe(201);
    const orgAdmin = await as<OfficeUserView>(platform, 'POST', '/api/office/users', { login: 'moussa', displayName: 'Moussa Sarr', password: 'another good secret', role: 'org_admin', organizationId: 'org-bank' });
    expect(orgAdmin.status).toBe(201);
    const moussa = (await login('moussa', 'another good secret')).body.token;
    // The organization admin creates an analyst of its own organization, and no one elsewhere.
    expect((await as(moussa, 'POST', '/api/office/users', { login: 'awa', displayName: 'Awa Diop', password: 'analyst secret 1', role: 'analyst' })).status).toBe(201);
    expect((await as<Err>(moussa, 'POST', '/api/office/users', { login: 'xx1', displayName: 'X', password: 'analyst secret 1', role: 'analyst', organizationId: 'org-hosp' })).status).toBe(403);
    expect((await as<Err>(moussa, 'POST', '/api/office/users', { login: 'xx2', displayName: 'X', password: 'analyst secret 1', role: 'platform_admin' })).status).toBe(403);
    expect((await enrol(moussa, 'br-bank-2', { id: 'org-hosp', name: 'Hôpital Fann' })).status).toBe(403);
    expect((await enrol(moussa, 'br-bank-2', { id: 'org-bank', name: 'Banque Teranga' })).status).toBe(201);

    const awa = (await login('awa', 'analyst secret 1')).body.token;
    const seen = await as<CentralBranchView[]>(awa, 'GET', '/api/central/branches');
    expect(seen.body.map((b) => b.id).sort()).toEqual(['br-bank-1', 'br-bank-2']);
    expect((await as(awa, 'GET', '/api/central/branches/br-hosp-1')).status).toBe(404);
    expect((await as(awa, 'GET', '/api/central/branches/br-hosp-1/stats')).status).toBe(404);
    // An analyst reads; it changes nothing.
    expect((await as<Err>(awa, 'POST', '/api/central/branches/br-bank-1/credentials', {})).status).toBe(403);
    expect((await as<Err>(awa, 'GET', '/api/office/users')).status).toBe(403);
    expect((await as(platform, 'GET', '/api/central/branches')).body).toHaveLength(3);

    // A new password ends the user's open sessions at once.
    expect((await as(moussa, 'PATCH', `/api/office/users/${(await as<OfficeUserView>(awa, 'GET', '/api/office/me')).body.id}`, { password: 'a brand new secret' })).status).toBe(200);
    expect((await as<Err>(awa, 'GET', '/api/central/branches')).status).toBe(401);

    // Every console action is in the audit, by name.
    const audit = await as<Array<{ actorLogin: string; action: string; target: string | null }>>(moussa, 'GET', '/api/office/audit');
    expect(audit.body.map((a) => `${a.actorLogin} ${a.action}`)).toEqual(expect.arrayContaining([
      'moussa office.user_created', 'moussa branch.enrolled', 'moussa office.user_updated', 'awa office.login',
    ]));
    expect(audit.body.every((a) => a.target !== 'branch:br-hosp-1')).toBe(true);
    const all = await as<Array<{ actorLogin: string; action: string }>>(platform, 'GET', '/api/office/audit');
    expect(all.body.map((a) => `${a.actorLogin} ${a.action}`)).toEqual(expect.arrayContaining(['admin-token office.bootstrap', 'fatou branch.enrolled']));
  });

  it('limits failed sign-ins per login with a growing delay: 429 and Retry-After, even with the right password', async () => {
    await central.admin('POST', '/api/office/users', { login: 'ibou', displayName: 'Ibrahima Fall', password: 'ibou the analyst', role: 'analyst', organizationId: 'org-bank' });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await login('ibou', `wrong ${i}`)).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401]);
    const limited = await central.api.request<Err>('POST', '/api/office/login', { body: { login: 'ibou', password: 'ibou the analyst' } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const raw = await fetch(`${central.url}/api/office/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'ibou', password: 'x' }) });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another login from the same address still signs in (the per-address limit is higher).
    expect((await login('fatou', 'correct horse battery')).status).toBe(200);
  });
});
