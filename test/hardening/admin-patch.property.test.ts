// Issue 14, point 11: a PATCH changes only what it names, on every admin PATCH route of the branch. For each route a
// random subset of its fields gets random valid values; every field left out must keep its value (renaming a counter
// used to wipe its services). The list of routes comes from the server's own API document, so a new admin PATCH
// route fails this test until it is covered here. fast-check with a fixed seed (SQ_PROPERTY_SEED to explore more).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBranch, type TestBranch } from '../support/branch.js';
import { SERVICE_ICONS } from '../../server/src/shared/domain/service-icons.js';

const SEED = Number(process.env.SQ_PROPERTY_SEED ?? 1414);
const RUNS = Number(process.env.SQ_PROPERTY_RUNS ?? 25);

type View = Record<string, unknown>;
interface PatchCase {
  /** Makes the entity to change (once); its id for the path. */
  create(): Promise<string | null>;
  read(id: string | null): Promise<View>;
  /** Field name (dots reach into a nested object) → arbitrary of a valid value. */
  fields: Record<string, fc.Arbitrary<unknown>>;
  /** Fields the view does not show (a password): sent, never compared. */
  hidden?: string[];
}

const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
// A day's ranges as an admin may set them: closing after opening, not overlapping (ValidOpeningHours), in any order.
const [morning, afternoon, allDay] = [{ open: '08:00', close: '12:00' }, { open: '14:00', close: '17:30' }, { open: '00:00', close: '24:00' }];
const hours = fc.constantFrom([], [morning], [afternoon], [allDay], [morning, afternoon], [afternoon, morning]);
const week = fc.record({ 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: hours, 7: hours });

function get(view: View, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v as View | undefined)?.[k], view);
}
function bodyOf(values: Record<string, unknown>): View {
  const body: View = {};
  for (const [field, value] of Object.entries(values)) {
    const keys = field.split('.');
    let at = body;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as View;
    at[keys.at(-1) as string] = value;
  }
  return body;
}

describe('admin PATCH routes change only the fields they name (property)', () => {
  let b: TestBranch;
  let admin: string;
  let serviceIds: string[];
  const cases: Record<string, PatchCase> = {};

  beforeAll(async () => {
    b = await startBranch();
    admin = await b.login('admin');
    serviceIds = (await b.services()).map((s) => s.id);
    const list = async (path: string, id: string | null) => {
      const res = await b.api.get<View[]>(path, admin);
      return res.body.find((x) => x.id === id) as View;
    };
    cases['/api/admin/services/{id}'] = {
      async create() {
        const res = await b.api.post<View>('/api/admin/services', { prefix: 'Q', name: { fr: 'Essai', wo: 'Essai', en: 'Trial' } }, admin);
        return res.body.id as string;
      },
      read: (id) => list('/api/admin/services', id),
      fields: {
        prefix: fc.constantFrom('Q', 'R'),
        name: fc.record({ fr: text(40), wo: text(40), en: text(40) }),
        icon: fc.constantFrom(...SERVICE_ICONS),
        targetWaitMinutes: fc.integer({ min: 1, max: 600 }),
        defaultServiceMinutes: fc.integer({ min: 1, max: 240 }),
        express: fc.boolean(),
        status: fc.constantFrom('active', 'paused', 'closed'),
        openingHours: fc.option(week, { nil: null }),
        sortOrder: fc.integer({ min: 0, max: 1000 }),
        feeXof: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }),
      },
    };
    cases['/api/admin/counters/{id}'] = {
      async create() {
        const res = await b.api.post<View>('/api/admin/counters', { number: 90, name: 'Guichet essai', serviceIds: serviceIds.slice(0, 2) }, admin);
        return res.body.id as string;
      },
      read: (id) => list('/api/admin/counters', id),
      fields: {
        number: fc.integer({ min: 90, max: 99 }),
        name: text(60),
        serviceIds: fc.shuffledSubarray(serviceIds_(), { minLength: 0 }),
      },
    };
    cases['/api/admin/users/{id}'] = {
      async create() {
        const res = await b.api.post<View>('/api/admin/users', { login: 'essai', displayName: 'Essai', role: 'agent', password: 'essai-password-1' }, admin);
        return res.body.id as string;
      },
      read: (id) => list('/api/admin/users', id),
      fields: {
        displayName: text(80),
        role: fc.constantFrom('agent', 'supervisor', 'admin'),
        password: fc.constantFrom('another-password-1', 'another-password-2'),
        active: fc.boolean(),
      },
      hidden: ['password'],
    };
    cases['/api/admin/devices/{id}'] = {
      async create() {
        const res = await b.api.post<{ device: View }>('/api/admin/devices', { name: 'Borne essai', role: 'kiosk', printer: 'simulated' }, admin);
        return res.body.device.id as string;
      },
      read: (id) => list('/api/admin/devices', id),
      fields: { name: text(60), printer: fc.option(fc.constantFrom('simulated', 'tcp://127.0.0.1:9100'), { nil: null }) },
    };
    cases['/api/admin/branch'] = {
      async create() { return null; },
      read: async () => (await b.api.get<View>('/api/branch')).body,
      fields: {
        name: text(100),
        timeZone: fc.constantFrom('Africa/Dakar', 'Africa/Abidjan', 'UTC'),
        openingHours: week,
        logoUrl: fc.option(fc.constantFrom('https://example.sn/logo.png', '/logo.png'), { nil: null }),
        'organization.name': text(120),
        'organization.type': fc.constantFrom('bank', 'hospital', 'telecom'),
        'organization.region': fc.constantFrom('Dakar', 'Thiès', 'Louga'),
      },
    };
    cases['/api/admin/remote'] = {
      async create() { return null; },
      read: async () => (await b.api.get<View>('/api/admin/remote', admin)).body,
      fields: {
        sharePercent: fc.integer({ min: 0, max: 100 }),
        minPerHour: fc.integer({ min: 0, max: 1000 }),
        absent: fc.constantFrom('skip', 'call'),
        graceMinutes: fc.integer({ min: 0, max: 240 }),
      },
    };
  });
  afterAll(async () => { await b?.destroy(); });
  // The counter's arbitrary needs the demo's service ids, known once the server runs.
  function serviceIds_(): string[] { return serviceIds; }

  it('covers every admin PATCH route the server declares', async () => {
    const doc = (await b.api.get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')).body;
    const patchRoutes = Object.entries(doc.paths).filter(([p, ops]) => p.startsWith('/api/admin') && 'patch' in ops).map(([p]) => p).sort();
    expect(patchRoutes).toEqual(Object.keys(cases).sort());
  });

  it.each(['/api/admin/services/{id}', '/api/admin/counters/{id}', '/api/admin/users/{id}', '/api/admin/devices/{id}', '/api/admin/branch', '/api/admin/remote'])('%s', async (route) => {
    const c = cases[route] as PatchCase;
    const id = await c.create();
    const path = id ? route.replace('{id}', id) : route;
    const names = Object.keys(c.fields);
    const patch = fc.shuffledSubarray(names, { minLength: 1 }).chain((chosen) =>
      fc.record(Object.fromEntries(chosen.map((f) => [f, c.fields[f] as fc.Arbitrary<unknown>]))));
    await fc.assert(fc.asyncProperty(patch, async (values) => {
      const before = await c.read(id);
      const res = await b.api.request('PATCH', path, { token: admin, body: bodyOf(values) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const after = await c.read(id);
      for (const f of names) {
        if (c.hidden?.includes(f)) continue;
        if (f in values) expect(get(after, f), f).toEqual(values[f]);
        else expect(get(after, f), `${f} was left out of ${JSON.stringify(values)}`).toEqual(get(before, f));
      }
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  });
});
