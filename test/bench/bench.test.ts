// A smoke run of `npm run bench` with tiny sizes: the harness still drives today's server and central (routes,
// contracts, logins, sync) and writes its results. Benchmarks are not tests: nothing here looks at a duration.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable } from './report.js';
import { parseOptions, runBench } from './run.js';

describe('bench harness (smoke, tiny sizes)', () => {
  // Seven parts, each starting its own servers: longer than one test's default minute on a loaded 2-core machine.
  it('runs the floor, the peak, history growth and central, and reports their figures and the targets', { timeout: 240_000 }, async () => {
    const opts = parseOptions([
      '--quick', '--seconds=1', '--warmup=0.5', '--kiosks=2', '--agents=3', '--displays=2', '--rate=20', '--agent-interval-ms=200',
      '--floor-iterations=50', '--costs-commands=5', '--long-line=60', '--history=500', '--history-iterations=10', '--skip=memory',
      '--branches=2', '--records-per-branch=100', '--catchup-records=600', '--dialects=sqlite', '--remote-joins=5', '--remote-polling-ms=500', '--national-branches=2', '--national-records=100', '--tracking-sockets=20',
    ]);
    // Measure the built server as it is (`npm test` builds it first); without a build, the sources through tsx.
    opts.build = false;
    if (!fs.existsSync(path.resolve('server/dist/index.js'))) opts.server = 'src';
    const lines: string[] = [];
    const { results, centralText } = await runBench(opts, (l) => lines.push(l));
    expect(results.errors, lines.join('\n')).toEqual([]);

    expect(results.floor?.sqliteTransaction.count).toBe(50);
    expect(results.floor?.socketIoRoundTrip.count).toBe(50);
    const b = results.branch;
    expect(b?.issuance.count).toBeGreaterThan(0);
    expect(b?.callNext.count).toBeGreaterThan(0);
    expect(b?.callToDisplay.count).toBeGreaterThan(0);
    expect([b?.issuance.errors, b?.callNext.errors, b?.agentCommands.errors, b?.callToDisplay.incomplete]).toEqual([0, 0, 0, 0]);
    expect(results.ratios?.issuance.floor).toBe('sqliteTransaction');
    expect(results.history?.map((h) => [h.historicalTickets, h.seed.tickets, h.seed.events, h.issuance.count, h.callNext.count]))
      .toEqual([[500, 500, 2000, 10, 10]]);
    expect(results.memory).toBeNull(); // skipped: the same logins, pairing and commands as the parts above
    expect(results.central?.ingest.map((f) => [f.dialect, f.records])).toEqual([['sqlite', 200]]);
    expect(results.central?.catchUp.map((f) => [f.dialect, f.records, f.batches])).toEqual([['sqlite', 600, 2]]);
    expect(results.costs?.lines.map((l) => [l.waiting >= 50, l.issue.commands, l.callCycle.commands, l.issue.socketMessages > 0, l.callCycle.sqlStatements !== null && l.callCycle.sqlStatements > 0]))
      .toEqual([[true, 5, 5, true, true], [true, 5, 5, true, true]]);
    expect(Object.keys(results.costs?.lines[1]?.timersMs ?? {})).toContain('staff snapshot');
    expect(Object.keys(results.costs?.perSocket ?? {}).sort()).toEqual(['call', 'complete', 'issue', 'start']);
    // PostgreSQL only: where it runs, every record held once after the replay and every page updated.
    if (results.national && !results.national.skipped) {
      expect([results.national.ingest.records, results.national.ingest.heldAfterReplay, results.national.fanout?.sockets, results.national.fanout?.updated]).toEqual([200, 1, 20, 20]);
    }
    expect([results.remote?.link.issued, results.remote?.link.joins, results.remote?.polling.issued, results.remote?.polling.joins]).toEqual([5, 5, 5, 5]);
    expect(results.targets.map((t) => t.id)).toEqual([
      'issuance-vs-floor', 'issuance-20ms', 'call-to-display-50ms', 'history-flat', 'event-loop-10ms', 'cpu-per-issue', 'cpu-per-call-cycle', 'one-message-per-socket', 'long-line-flat', 'timers-10ms', 'join-to-number-2s',
      ...(results.national?.skipped ? [] : ['central-ingest-20k', 'tracking-fanout-1s']), 'rss-100-clients',
    ]);
    expect(results.steps.map((s) => s.part)).toEqual(['floor', 'branch', 'costs', 'remote', 'history', 'central', 'national', 'analytics']);

    const table = formatTable(results, centralText);
    for (const heading of ['Floor', 'Branch at peak', 'Cost of one command', 'Join to number', 'History growth', 'Central ingest', 'Catch-up', 'Targets']) expect(table).toContain(heading);
    expect(JSON.parse(JSON.stringify(results))).toMatchObject({ version: 1, machine: { cores: expect.any(Number) } });
  });
});
