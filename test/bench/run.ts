// `npm run bench`: the floor, a branch at peak, growth with history and with clients, and central ingest and
// catch-up. Prints a table and writes bench-results/<timestamp>.json and bench-results/latest.json. See
// docs/benchmarks.md for what each figure means.
//
//   npm run bench                     the full run (~4 min on 2 cores; 1,000,000 tickets are seeded)
//   npm run bench -- --quick          a short run (5 s peak, 100,000 tickets of history, small central sizes)
//   npm run bench -- --only=branch --rate=50,100,200      the peak scenario at several issuance rates
//
// Options (defaults in brackets): --kiosks [8] --agents [40] --displays [20] --rate [200, or a list]
//   --seconds [20] --warmup [3] --agent-interval-ms [1000] --history [1000,1000000] --history-iterations [300]
//   --clients [10,100,500] --floor-iterations [2000] --branches [20] --records-per-branch [2000]
//   --catchup-records [30000] --dialects [sqlite,postgres] --costs-commands [1000] --long-line [5000]
//   --remote-joins [200] --remote-polling-ms [5000] --national-branches [50] --national-records [2000] --tracking-sockets [10000]
//   --only/--skip [floor,branch,costs,remote,history,memory,central,national,analytics]
//   --server [dist|src] --out [bench-results] --profile (the peak server under --cpu-prof, and the costs
//   part's commands and periodic jobs at the long line under the inspector's profiler; hottest functions printed)
//   --sqlite-synchronous [off|normal] (diagnosis only: the branch's SQLite without FULL commits)
// PostgreSQL: SMARTQUEUE_TEST_PG_URL [postgres://postgres@127.0.0.1:5432/test]; the bench creates and drops its own
// databases there, and skips PostgreSQL with a message when it is unreachable.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBranchPeak, type BranchPeakOptions } from './branch.js';
import { runCosts, type CostsOptions } from './costs.js';
import { runRemoteBench, type RemoteBenchOptions } from './remote.js';
import { runNationalBench, type NationalOptions } from './national.js';
import { measureFloor } from './floor.js';
import { formatCentralBench, runCentralBench, type CentralBenchOptions } from './central.js';
import { formatAnalyticsBench, runAnalyticsBench } from './analytics.js';
import { runHistoryGrowth, runMemoryGrowth } from './growth.js';
import { ensureServerBuild, setServerMode, setSqliteSynchronous, type ServerMode } from './harness.js';
import { formatProfile, latestProfile, summarizeProfile } from './profile.js';
import { computeRatios, evaluateTargets, formatTable, type BenchResults, type MachineInfo } from './report.js';

const PARTS = ['floor', 'branch', 'costs', 'remote', 'history', 'memory', 'central', 'national', 'analytics'] as const;
type Part = (typeof PARTS)[number];

export interface BenchOptions {
  quick: boolean;
  parts: Part[];
  branch: Omit<BranchPeakOptions, 'rate'>;
  costs: CostsOptions;
  remote: RemoteBenchOptions;
  national: NationalOptions;
  /** Issuance rates of the peak scenario, tickets/s: one run each (the targets read the 200 one). */
  rates: number[];
  history: number[];
  historyIterations: number;
  clients: number[];
  floorIterations: number;
  profile: boolean;
  outDir: string;
  server: ServerMode;
  central: CentralBenchOptions;
  /** Build server/dist first when it is older than server/src (default true; the smoke test measures what is there). */
  build?: boolean;
  /** Diagnosis: the branch server's SQLite `synchronous` instead of FULL. */
  sqliteSynchronous: string | null;
}

function numberList(text: string): number[] {
  return text.split(',').map((s) => Number(s.replace(/_/g, '').trim())).filter((n) => Number.isFinite(n) && n > 0);
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      kiosks: { type: 'string' }, agents: { type: 'string' }, displays: { type: 'string' }, rate: { type: 'string' },
      seconds: { type: 'string' }, warmup: { type: 'string' }, 'agent-interval-ms': { type: 'string' },
      history: { type: 'string' }, 'history-iterations': { type: 'string' }, clients: { type: 'string' },
      'floor-iterations': { type: 'string' }, only: { type: 'string' }, skip: { type: 'string' },
      profile: { type: 'boolean', default: false }, out: { type: 'string' }, server: { type: 'string' },
      help: { type: 'boolean', default: false }, 'sqlite-synchronous': { type: 'string' }, branches: { type: 'string' }, 'records-per-branch': { type: 'string' }, 'catchup-records': { type: 'string' }, dialects: { type: 'string' },
      'costs-commands': { type: 'string' }, 'long-line': { type: 'string' }, 'remote-joins': { type: 'string' }, 'remote-polling-ms': { type: 'string' },
      'national-branches': { type: 'string' }, 'national-records': { type: 'string' }, 'tracking-sockets': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    // The usage is this file's opening comment.
    const text = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8');
    console.log(text.slice(0, text.indexOf('\nimport ')).replace(/^\/\/ ?/gm, ''));
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const only = values.only ? (values.only.split(',') as Part[]) : [...PARTS];
  const skip = values.skip ? values.skip.split(',') : [];
  for (const p of [...only, ...skip]) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`unknown part "${p}" (parts: ${PARTS.join(', ')})`);
  const branch: Omit<BranchPeakOptions, 'rate'> = {
    kiosks: num(values.kiosks, 8),
    agents: num(values.agents, 40),
    displays: num(values.displays, 20),
    seconds: num(values.seconds, quick ? 5 : 20),
    warmupSeconds: num(values.warmup, quick ? 1 : 3),
    agentIntervalMs: num(values['agent-interval-ms'], 1000),
  };
  const server = values.server ?? 'dist';
  if (server !== 'dist' && server !== 'src') throw new Error(`--server must be dist or src, not "${server}"`);
  return {
    quick,
    parts: only.filter((p) => !skip.includes(p)),
    branch,
    costs: {
      kiosks: branch.kiosks, agents: branch.agents, displays: branch.displays,
      commands: num(values['costs-commands'], quick ? 50 : 1000),
      lines: [50, num(values['long-line'], quick ? 500 : 5_000)],
    },
    remote: {
      linkJoins: num(values['remote-joins'], quick ? 30 : 200),
      pollingJoins: Math.max(5, Math.round(num(values['remote-joins'], quick ? 30 : 200) / 10)),
      pollingMs: num(values['remote-polling-ms'], 5_000),
    },
    national: {
      branches: num(values['national-branches'], quick ? 10 : 50),
      recordsPerBranch: num(values['national-records'], quick ? 500 : 2_000),
      trackingSockets: num(values['tracking-sockets'], quick ? 500 : 10_000),
    },
    rates: values.rate ? numberList(values.rate) : [200],
    history: values.history ? numberList(values.history) : quick ? [1_000, 100_000] : [1_000, 1_000_000],
    historyIterations: num(values['history-iterations'], quick ? 100 : 300),
    clients: values.clients ? numberList(values.clients) : quick ? [10, 100] : [10, 100, 500],
    floorIterations: num(values['floor-iterations'], quick ? 500 : 2000),
    profile: values.profile ?? false,
    outDir: values.out ?? 'bench-results',
    server,
    sqliteSynchronous: values['sqlite-synchronous']?.toUpperCase() ?? null,
    central: {
      branches: num(values.branches, quick ? 5 : 20),
      recordsPerBranch: num(values['records-per-branch'], quick ? 500 : 2000),
      catchUpRecords: num(values['catchup-records'], quick ? 5_000 : 30_000),
      dialects: values.dialects ? (values.dialects.split(',') as CentralBenchOptions['dialects']) : undefined,
    },
  };
}

/** Some virtual machines report no speed through os.cpus(): /proc/cpuinfo still has it. */
function cpuMhzFromProc(): number {
  try {
    return Math.round(Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 0));
  } catch {
    return 0;
  }
}

export function machineInfo(): MachineInfo {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dirty) commit += '+changes';
  } catch {
    // not a git checkout
  }
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpuMhz: os.cpus()[0]?.speed || cpuMhzFromProc(),
    cores: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverageAtStart: os.loadavg(),
    commit,
  };
}

export async function runBench(opts: BenchOptions, log: (line: string) => void = (l) => console.error(l)): Promise<{ results: BenchResults; centralText: string | null }> {
  const started = Date.now();
  const results: BenchResults = {
    version: 1,
    startedAt: new Date(started).toISOString(),
    machine: machineInfo(),
    options: { ...opts },
    steps: [],
    floor: null, branch: null, branchSweep: null, ratios: null, costs: null, remote: null, national: null, history: null, memory: null, central: null, profile: null,
    targets: [],
    errors: [],
  };
  let centralText: string | null = null;
  setServerMode(opts.server);
  if (opts.sqliteSynchronous && !['OFF', 'NORMAL', 'FULL', 'EXTRA'].includes(opts.sqliteSynchronous)) throw new Error('--sqlite-synchronous must be off, normal, full or extra');
  setSqliteSynchronous(opts.sqliteSynchronous);
  if (opts.sqliteSynchronous) log(`DIAGNOSIS: the branch server runs with synchronous=${opts.sqliteSynchronous}, not its FULL: figures are not SmartQueue's`);
  if (opts.server === 'dist' && opts.build !== false && opts.parts.some((p) => p !== 'floor')) log(ensureServerBuild());
  const step = async (part: Part, label: string, fn: () => Promise<void>) => {
    if (!opts.parts.includes(part)) return;
    log(`${label}…`);
    const t0 = Date.now();
    // The machine may be shared: its load when each part started goes with the figures.
    const record = { part, startedAt: new Date(t0).toISOString(), loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100), seconds: 0 };
    results.steps.push(record);
    try {
      await fn();
      record.seconds = Math.round((Date.now() - t0) / 100) / 10;
    } catch (err) {
      const message = err instanceof Error ? err.stack ?? err.message : String(err);
      results.errors.push(`${part}: ${message.split('\n').slice(0, 3).join(' | ')}`);
      log(`  ${part} failed: ${message}`);
    }
  };
  await step('floor', 'floor: SQLite transaction, Socket.IO and HTTP round trips', async () => {
    results.floor = await measureFloor({ iterations: opts.floorIterations, fanoutSockets: opts.branch.displays });
  });
  await step('branch', `branch at peak (${opts.rates.join(', ')} tickets/s, ${opts.branch.seconds} s each)`, async () => {
    const profDir = opts.profile ? path.resolve(opts.outDir, 'profiles', results.startedAt.replace(/[:.]/g, '-')) : undefined;
    results.branchSweep = [];
    for (const rate of opts.rates) {
      log(`  ${rate} tickets/s (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
      results.branchSweep.push(await runBranchPeak({ ...opts.branch, rate, cpuProfDir: profDir }, log));
    }
    results.branch = results.branchSweep.find((b) => b.config.rate === 200) ?? results.branchSweep[results.branchSweep.length - 1] ?? null;
    if (profDir) {
      const file = latestProfile(profDir);
      if (file) results.profile = summarizeProfile(file, 20);
    }
  });
  results.ratios = computeRatios(results.floor, results.branch);
  await step('costs', `cost of one command (${opts.costs.commands} of each, lines of ${opts.costs.lines.join(' and ')} waiting)`, async () => {
    const profileDir = opts.profile ? path.resolve(opts.outDir, 'profiles', results.startedAt.replace(/[:.]/g, '-')) : undefined;
    results.costs = await runCosts({ ...opts.costs, ...(profileDir && { profileDir }) }, log);
  });
  await step('remote', `join to number (${opts.remote.linkJoins} joins through the live link, ${opts.remote.pollingJoins} through polling every ${opts.remote.pollingMs / 1000} s)`, async () => {
    results.remote = await runRemoteBench(opts.remote, (line) => log(`  ${line}`));
  });
  await step('history', `history growth (${opts.history.map((n) => n.toLocaleString('en')).join(' / ')} tickets)`, async () => {
    results.history = await runHistoryGrowth(opts.history, opts.historyIterations, log);
  });
  await step('memory', `memory with ${opts.clients.join(' / ')} clients`, async () => {
    results.memory = await runMemoryGrowth(opts.clients, log);
  });
  await step('central', 'central: ingest and catch-up', async () => {
    results.central = await runCentralBench(opts.central, (line) => log(`  ${line}`));
    centralText = formatCentralBench(results.central);
  });
  await step('national', `central at national scale (${opts.national.branches} branches through 2 instances, ${opts.national.trackingSockets.toLocaleString('en')} tracking pages)`, async () => {
    results.national = await runNationalBench(opts.national, (line) => log(`  ${line}`));
  });
  await step('analytics', 'analytics: a year of rollups for 100 branches, query p95, ingest with and without rollups', async () => {
    const figures = await runAnalyticsBench(opts.quick ? { branches: 5, days: 40, runs: 3, ingestRecords: 2000, dialects: opts.central.dialects } : { dialects: opts.central.dialects }, (line) => log(`  ${line}`));
    (results as BenchResults & { analytics?: unknown }).analytics = figures;
    centralText = [centralText, formatAnalyticsBench(figures)].filter(Boolean).join('\n\n');
  });
  results.machine.loadAverageAtEnd = os.loadavg();
  results.finishedAt = new Date().toISOString();
  results.durationSeconds = Math.round((Date.now() - started) / 100) / 10;
  results.targets = evaluateTargets(results);
  return { results, centralText };
}

export function writeResults(results: BenchResults, outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${results.startedAt.replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(outDir, 'latest.json'), text);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseOptions(process.argv.slice(2));
  const { results, centralText } = await runBench(opts);
  console.log(formatTable(results, centralText));
  if (results.profile) console.log(`\n${formatProfile(results.profile)}`);
  for (const file of results.costs?.profiles ?? []) console.log(`\n${formatProfile(summarizeProfile(file, 25))}`);
  const file = writeResults(results, opts.outDir);
  console.log(`\nresults: ${file} (and ${path.join(opts.outDir, 'latest.json')})`);
  // Child servers are stopped; sockets and timers of the clients may linger: leave now.
  process.exit(results.errors.length ? 1 : 0);
}
