// The analytics rollups that ingestion maintains equal a full recomputation from the ticket rows, exactly, after
// replayed batches, duplicate pushes, batches that overlap what central holds and tickets whose life spans many
// batches (called in one push, transferred and served in later ones), on SQLite and PostgreSQL.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeRollups, rollupSnapshot } from '../../server/src/central/analytics/rollups.js';
import { splitPeriod } from '../../server/src/central/analytics/analytics.js';
import { enrolBranch } from '../../server/src/central/branches/branches.js';
import type { CentralDb } from '../../server/src/central/db/database.js';
import { applyPush } from '../../server/src/central/ingest/ingest.js';
import { EnrolBranchBody, type SyncEvent } from '../../server/src/shared/contracts/sync.js';
import { openTestCentralDb } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { ticketRecords, type TicketPlan } from '../support/sync-records.js';

const dialects = await centralDialects();
const NOW = '2025-03-03T12:00:00.000Z';

describe.each(dialects)('rollups (%s)', (dialect) => {
  let cdb: CentralDb;
  let close: () => Promise<void> = async () => undefined;
  let n = 0;

  beforeAll(async () => {
    ({ cdb, close } = await openTestCentralDb(dialect));
  });
  afterAll(() => close());

  const plan = fc.record({
    service: fc.constantFrom('s-a', 's-b', 's-c'),
    agent: fc.constantFrom('ag-1', 'ag-2', null),
    minutesAfter: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    wait: fc.option(fc.integer({ min: 0, max: 6 * 3600 }), { nil: undefined }),
    service_: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
    end: fc.constantFrom(undefined, 'no_show', 'cancelled', 'expired'),
  });

  it('equal a full recomputation after replays, duplicates and overlapping batches', async () => {
    await fc.assert(fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 1000 }), async (plans, cuts, seed) => {
      n += 1;
      const branchId = `br-roll-${dialect}-${n}`;
      await enrolBranch(cdb, EnrolBranchBody.parse({ id: branchId, name: `Agence ${n}`, region: 'Dakar', organization: { id: 'org', name: 'Org' } }), NOW);
      // Tickets' records interleaved as a branch writes them over the days, in seq order.
      const start = Date.parse('2025-03-01T07:30:00Z');
      const records: SyncEvent[] = [];
      const all = plans.flatMap((p, i) => ticketRecords(branchId, 1, {
        serviceId: p.service, prefix: p.service.slice(2).toUpperCase(), agentId: p.agent, counterId: p.agent ? 'c1' : null,
        issuedAt: new Date(start + p.minutesAfter * 60_000), waitSeconds: p.wait, serviceSeconds: p.wait !== undefined ? p.service_ : undefined,
        end: p.end as TicketPlan['end'],
      } as TicketPlan, i + 1));
      all.sort((a, b) => Date.parse(a.occurredAt as string) - Date.parse(b.occurredAt as string) || ((seed + a.eventId.length) % 2));
      all.forEach((r, i) => records.push({ ...r, seq: i + 1 }));
      // Push in batches of varying size; every batch is sent twice, and every other one again after the next.
      let acked = 0;
      let cut = 0;
      let previous: SyncEvent[] = [];
      while (acked < records.length) {
        const size = cuts[cut++ % cuts.length] as number;
        const batch = records.slice(acked, acked + size);
        await applyPush(cdb, branchId, { events: batch }, NOW);
        await applyPush(cdb, branchId, { events: batch }, NOW);
        if (previous.length && cut % 2 === 0) await applyPush(cdb, branchId, { events: [...previous, ...batch] }, NOW);
        previous = batch;
        acked += batch.length;
      }
      const incremental = await rollupSnapshot(cdb.db, branchId);
      await cdb.db.transaction().execute((trx) => recomputeRollups(trx, branchId));
      expect(incremental).toEqual(await rollupSnapshot(cdb.db, branchId));
      expectCoarseEqualFine(incremental as Snapshot);
    }), { numRuns: dialect === 'postgres' ? 8 : 15, seed: 17 });
  }, 120_000);
});

type Row = Record<string, string | number>;
interface Snapshot { hours: Row[]; minutes: Row[]; days: Row[]; branchHours: Row[]; months: Row[] }

/** The coarse rollups are the sums of the fine rows they group (computed here from the fine rows alone). */
function expectCoarseEqualFine(s: Snapshot): void {
  const group = (rows: Row[], key: (r: Row) => Row, cols: string[]) => {
    const out = new Map<string, Row>();
    for (const r of rows) {
      const k = key(r);
      const id = JSON.stringify(k);
      const acc = out.get(id) ?? { ...k, ...Object.fromEntries(cols.map((c) => [c, 0])) };
      for (const c of cols) acc[c] = Number(acc[c]) + Number(r[c]);
      out.set(id, acc);
    }
    return [...out.values()].filter((r) => cols.some((c) => r[c] !== 0));
  };
  const sort = (rows: Row[]) => rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();
  const dayCols = ['issued', 'served', 'no_show', 'cancelled', 'expired'];
  expect(sort(s.days.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => ['branch_id', 'service_id', 'day', ...dayCols].includes(k))))))
    .toEqual(sort(group(s.hours, (r) => ({ branch_id: r.branch_id as string, service_id: r.service_id as string, day: r.day as string }), dayCols).filter((r) => r.issued !== 0)));
  expect(sort(s.branchHours)).toEqual(sort(group(s.hours, (r) => ({ branch_id: r.branch_id as string, day: r.day as string, hour: r.hour as number, weekday: r.weekday as number }), ['issued', 'served']).filter((r) => r.issued !== 0)));
  expect(sort(s.months)).toEqual(sort(group(s.minutes, (r) => ({ branch_id: r.branch_id as string, service_id: r.service_id as string, month: String(r.day).slice(0, 7), kind: r.kind as string, minute: r.minute as number }), ['count'])));
}

describe('analytics periods', () => {
  it('read whole months from the monthly histograms and the days left at either end day by day', () => {
    expect(splitPeriod('2025-06-01', '2025-06-30')).toEqual({ months: ['2025-06'], days: [] });
    expect(splitPeriod('2025-01-01', '2025-12-31').months).toHaveLength(12);
    expect(splitPeriod('2025-05-20', '2025-08-03')).toEqual({ months: ['2025-06', '2025-07'], days: [['2025-05-20', '2025-05-31'], ['2025-08-01', '2025-08-03']] });
    expect(splitPeriod('2024-02-10', '2024-02-29')).toEqual({ months: [], days: [['2024-02-10', '2024-02-29']] });
    expect(splitPeriod('2024-12-31', '2025-01-01')).toEqual({ months: [], days: [['2024-12-31', '2024-12-31'], ['2025-01-01', '2025-01-01']] });
  });
});
