// Property: whatever the branch does locally, whatever the link does to each request, and wherever the branch
// stops (above all between central's commit and the branch saving ackedSeq), once the link is healthy again
// central holds every branch record exactly once, the outbox drains and last_seq has no gap.
// fast-check with a fixed seed (SQ_PROPERTY_SEED / SQ_PROPERTY_RUNS to explore more).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy, type Fault } from '../fixtures/fault-proxy.js';
import { startBranch, type TestBranch } from '../support/branch.js';
import { startCentral, waitFor, type TestCentral } from '../support/central.js';
import { branchOutbox, centralHoldings } from '../support/sync-check.js';

const SEED = Number(process.env.SQ_PROPERTY_SEED ?? 20250303);
const RUNS = Number(process.env.SQ_PROPERTY_RUNS ?? 8);
const HOUR = 3_600_000;
// The worker never acts on its own here: the test decides when a cycle runs (syncNow).
const MANUAL = { debounceMs: HOUR, periodicMs: HOUR, backoffMinMs: HOUR, backoffMaxMs: HOUR, requestTimeoutMs: 5_000, alertAfterFailures: 3 };
const LINK_FAULTS: Fault[] = ['drop-request', 'drop-reply', 'error-5xx', 'duplicate', 'replay-later', 'cut-reply', 'slow-reply', 'pass'];

type Command =
  | { kind: 'issue'; n: number }
  | { kind: 'serve' }
  | { kind: 'sync'; faults: Fault[] }
  | { kind: 'crash'; at: 'after-commit' | 'before-central' | 'anywhere' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('issue' as const), n: fc.integer({ min: 1, max: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('serve' as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), faults: fc.array(fc.constantFrom(...LINK_FAULTS), { maxLength: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('crash' as const), at: fc.constantFrom('after-commit' as const, 'before-central' as const, 'anywhere' as const) }), weight: 2 },
);

describe('replication under random actions, faults and crash points', () => {
  let central: TestCentral;
  beforeAll(async () => {
    central = await startCentral('sqlite');
  });
  afterAll(async () => {
    await central?.destroy();
  });

  it('ends with central holding every branch record exactly once', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
      const proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/'], delayMs: 30 });
      const first = await startBranch();
      const credential = await central.enrol(first.server.branchId);
      await first.close();
      const passwords = { ...first.passwords };
      const boot = async (): Promise<TestBranch> => {
        const b = await startBranch({ dataDir: first.dataDir, centralUrl: proxy.url, centralCredential: credential, sync: MANUAL, kioskRateLimitPerMinute: 100_000 });
        Object.assign(b.passwords, passwords);
        await b.server.sync?.syncNow();
        return b;
      };
      let branch = await boot();
      const worker = () => {
        const w = branch.server.sync;
        if (!w) throw new Error('no sync worker');
        return w;
      };
      try {
        for (const cmd of commands) {
          if (cmd.kind === 'issue') {
            const kiosk = await branch.kioskToken();
            const svc = await branch.service('A');
            for (let i = 0; i < cmd.n; i++) expect((await branch.api.issue(kiosk, { serviceId: svc.id })).status).toBe(201);
          } else if (cmd.kind === 'serve') {
            const agent = await branch.login('awa');
            const counter = await branch.counter(1);
            const call = await branch.api.post<{ ticket: { id: string } | null }>(`/api/counters/${counter.id}/call-next`, {}, agent);
            if (call.body.ticket) {
              await branch.api.post(`/api/tickets/${call.body.ticket.id}/start`, {}, agent);
              await branch.api.post(`/api/tickets/${call.body.ticket.id}/complete`, {}, agent);
            }
          } else if (cmd.kind === 'sync') {
            proxy.queue(...cmd.faults);
            await worker().syncNow();
          } else {
            // Something to push, then stop the branch at the chosen point of a push and start it again.
            const kiosk = await branch.kioskToken();
            expect((await branch.api.issue(kiosk, { serviceId: (await branch.service('A')).id })).status).toBe(201);
            if (cmd.at !== 'anywhere') proxy.hold(cmd.at === 'after-commit' ? 'after' : 'before', (body) => body.includes('"events":[{'));
            const inFlight = worker().syncNow();
            if (cmd.at !== 'anywhere') await waitFor('a push held at the proxy', () => proxy.held > 0, 10_000, 5);
            await branch.close();
            await inFlight;
            proxy.release();
            branch = await boot();
          }
        }
        // The link heals: a few cycles later everything is across.
        proxy.heal();
        await waitFor('a clean cycle', async () => (await worker().syncNow()).ok, 30_000, 10);
        const local = branchOutbox(branch.dataDir);
        const remote = await centralHoldings(central, branch.server.branchId);
        expect(remote.events).toEqual(local.events);
        expect(local.events.map((e) => e.seq)).toEqual(local.events.map((_, i) => i + 1));
        expect(local.ackedSeq).toBe(local.events.length);
        expect(remote.lastSeq).toBe(local.events.length);
        expect(remote.quarantined).toBe(0);
        expect(remote.tickets).toEqual(local.tickets);
        expect(worker().status().backlog).toBe(0);
      } finally {
        await branch.destroy();
        await proxy.close();
      }
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  });
});
