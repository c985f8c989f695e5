// A branch at peak: kiosks issue tickets on a fixed schedule (each one visitor at a time), agents call, start and
// complete over REST like the counter app, and call boards, kiosks and agent screens keep their Socket.IO
// connections (on a worker thread, test/bench/screens-worker.mjs). We time ticket issuance, call-next, and
// call-to-display (from the agent's request until every call board has the call in a `changes` batch), and sample the
// server process's CPU, memory and scheduling.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { CommandResult, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import {
  commandId, HttpClient, pairDevice, prepareAgents, services, startBenchServer, tempDataDir, serverCounters, type BenchAgent, type BenchServer, type EventLoopDelay,
} from './harness.js';
import { ProcSampler, type ProcUsage } from './proc.js';
import { nowMs, sleep, summarize, type LatencySummary } from './stats.js';

export interface BranchPeakOptions {
  kiosks: number;
  agents: number;
  displays: number;
  /** Target ticket issuance, tickets per second, across all kiosks. */
  rate: number;
  /** Measured seconds (after the warm-up). */
  seconds: number;
  warmupSeconds: number;
  /**
   * Each agent calls, starts and completes at most one ticket per interval (the visitor is served for half of it).
   * Default 1000 ms: 40 agents serve 40 visitors a second, a pace no counter reaches; at 200 tickets/s the line
   * grows by ~160 tickets a second, as when a crowd arrives at opening time. Matching the kiosks (rate / agents,
   * 200 ms) would make every ticket cost four commands instead of one and a half.
   */
  agentIntervalMs?: number;
  /** Agent screens keep a socket open (they receive every staff event). Default true. */
  agentSockets?: boolean;
  /** Kiosks keep a socket open (queue updates). Default true. */
  kioskSockets?: boolean;
  /** Run the server under --cpu-prof, writing the profile here. */
  cpuProfDir?: string;
}

export interface Throughput { count: number; perSecond: number; errors: number; latency: LatencySummary }

export interface BranchPeakResult {
  config: Required<Omit<BranchPeakOptions, 'cpuProfDir'>> & { cpuProfDir: string | null };
  measuredSeconds: number;
  issuance: Throughput;
  callNext: Throughput & { empty: number };
  /** start and complete commands (REST) */
  agentCommands: Throughput;
  callToDisplay: { count: number; incomplete: number; latency: LatencySummary };
  socketMessagesPerSecond: number;
  /** Tickets waiting at the end of the measurement (from the last queue summary a display received). */
  waitingAtEnd: number | null;
  server: ProcUsage;
  /** Server CPU (user + system) per HTTP command of the measurement (issue, call-next, start, complete): the cost of one. */
  serverCpuMsPerCommand: number;
  /** How long work waited for the server's thread during the measurement (ms). */
  serverEventLoopDelay: EventLoopDelay;
  /**
   * SQLite commits (one fsync each) per command answered in the measurement: below 1 when the group commit shares
   * one among the commands of a turn (server/src/branch/db/unit-of-work.ts); the periodic jobs' commits count too.
   */
  commitsPerCommand: number | null;
  /** The bench's own process during the measurement: if it is saturated, the latencies include its delay. */
  /**
   * The bench's own process (both threads) and its main thread, which times the requests: when that thread waits for
   * a CPU or is busy, the latencies measured include it.
   */
  loadGenerator: { cpuPercent: number; eventLoopDelayP99Ms: number; mainThread: ProcUsage['mainThread'] };
}

/**
 * Pairs each call's request time (on this thread) with the time the last call board showed it (on the screens'
 * thread); both are Unix milliseconds from performance.timeOrigin + performance.now().
 */
class CallToDisplay {
  private readonly requests = new Map<string, { t0: number; measured: boolean }>();
  private readonly shown = new Map<string, number>();
  readonly samples: number[] = [];

  requested(ticketId: string, t0: number, measured: boolean): void {
    const at = this.shown.get(ticketId);
    if (at === undefined) {
      this.requests.set(ticketId, { t0, measured });
      return;
    }
    this.shown.delete(ticketId);
    if (measured) this.samples.push(at - t0);
  }

  displayed(ticketId: string, at: number): void {
    const r = this.requests.get(ticketId);
    if (!r) {
      this.shown.set(ticketId, at); // the boards were faster than the agent's answer
      return;
    }
    this.requests.delete(ticketId);
    if (r.measured) this.samples.push(at - r.t0);
  }

  /** Measured calls that some call board never showed. */
  incomplete(): number {
    let n = 0;
    for (const r of this.requests.values()) if (r.measured) n += 1;
    return n;
  }
}

const absoluteMs = () => performance.timeOrigin + performance.now();

/** Messages and bytes received per kind of screen ('display', 'kiosk', 'staff'). */
export type ScreenTraffic = Record<string, { messages: number; bytes: number }>;
interface ScreensMessage {
  type: 'ready' | 'error' | 'displayed' | 'stats' | 'mark'; maxPerSocket?: Record<string, number>; message?: string; ticketId?: string; at?: number; messages?: number; waiting?: number | null; byKind?: ScreenTraffic;
}

/** The screens' sockets on their own thread (test/bench/screens-worker.mjs). */
export async function startScreens(url: string, displayTokens: string[], otherTokens: string[], onDisplayed: (ticketId: string, at: number) => void, otherKinds?: string[]) {
  const worker = new Worker(path.resolve('test/bench/screens-worker.mjs'), { workerData: { url, displayTokens, otherTokens, otherKinds } });
  let statsWaiter: ((m: ScreensMessage) => void) | null = null;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: ScreensMessage) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'error') reject(new Error(`screens: ${m.message}`));
      else if (m.type === 'displayed' && m.ticketId && m.at !== undefined) onDisplayed(m.ticketId, m.at);
      else if (m.type === 'stats' || m.type === 'mark') statsWaiter?.(m);
    });
    worker.once('error', reject);
  });
  return {
    stats: () => new Promise<{ messages: number; waiting: number | null; byKind: ScreenTraffic }>((resolve) => {
      statsWaiter = (m) => { statsWaiter = null; resolve({ messages: m.messages ?? 0, waiting: m.waiting ?? null, byKind: m.byKind ?? {} }); };
      worker.postMessage({ type: 'stats' });
    }),
    /** Per kind of screen, the most messages one socket got since the previous mark. */
    mark: () => new Promise<Record<string, number>>((resolve) => {
      statsWaiter = (m) => { statsWaiter = null; resolve(m.maxPerSocket ?? {}); };
      worker.postMessage({ type: 'mark' });
    }),
    stop: async () => {
      worker.postMessage({ type: 'stop' });
      await Promise.race([new Promise((resolve) => worker.once('exit', resolve)), sleep(5_000)]);
      await worker.terminate();
    },
  };
}

export async function runBranchPeak(options: BranchPeakOptions, log: (line: string) => void = () => {}): Promise<BranchPeakResult> {
  const opts = {
    ...options,
    agentSockets: options.agentSockets ?? true,
    kioskSockets: options.kioskSockets ?? true,
    agentIntervalMs: options.agentIntervalMs ?? 1000,
  };
  const dataDir = tempDataDir('peak');
  let server: BenchServer | null = null;
  let screens: Awaited<ReturnType<typeof startScreens>> | null = null;
  const client = { http: null as HttpClient | null };
  try {
    server = await startBenchServer({ dataDir, cpuProfDir: opts.cpuProfDir });
    const http = new HttpClient(server.url);
    client.http = http;
    log(`  server pid ${server.pid} started in ${Math.round(server.startupMs)} ms; preparing ${opts.agents} agents, ${opts.kiosks} kiosks, ${opts.displays} displays`);
    const agents: BenchAgent[] = await prepareAgents(http, server, opts.agents);
    const kioskTokens = await Promise.all(Array.from({ length: opts.kiosks }, (_, i) => pairDevice(http, 'kiosk', `Borne ${i + 1}`)));
    const displayTokens = await Promise.all(Array.from({ length: opts.displays }, (_, i) => pairDevice(http, 'display', `Écran ${i + 1}`)));
    const open: ServiceView[] = (await services(http)).filter((s) => s.openNow);
    if (open.length === 0) throw new Error('no service is open for issuing');

    // ---- screens (their own thread) ----
    const tracker = new CallToDisplay();
    const others = [...(opts.kioskSockets ? kioskTokens : []), ...(opts.agentSockets ? agents.map((a) => a.token) : [])];
    screens = await startScreens(server.url, displayTokens, others, (ticketId, at) => tracker.displayed(ticketId, at));

    // ---- phases: warm-up, then the measured window ----
    let measuring = false;
    let stopIssuing = false;
    let stopAgents = false;
    const issueSamples: number[] = [];
    const callSamples: number[] = [];
    const commandSamples: number[] = [];
    const errors = { issue: 0, call: 0, command: 0 };
    let emptyCalls = 0;
    const errorLog = new Map<string, number>();
    const noteError = (what: string, status: number, body: unknown) => {
      const code = (body as { error?: { code?: string } } | null)?.error?.code ?? '';
      const key = `${what} ${status} ${code}`;
      errorLog.set(key, (errorLog.get(key) ?? 0) + 1);
    };

    // Each kiosk serves one visitor at a time: it sends its next ticket when it is due (kiosk k of K issues tickets
    // k, k+K, k+2K… of a schedule at `rate` per second) and never before its previous answer. An overloaded server
    // therefore shows as a lower achieved rate and longer latencies, not as an unbounded pile of open requests.
    const issueOne = async (kiosk: number, n: number) => {
      const token = kioskTokens[kiosk] as string;
      const service = open[n % open.length] as ServiceView;
      // One visitor in ten asks for priority at the kiosk (elderly, pregnant, disabled).
      const body = n % 10 === 0 ? { serviceId: service.id, priority: 'elderly' } : { serviceId: service.id };
      const measured = measuring;
      const t0 = nowMs();
      try {
        const res = await http.post<TicketView>('/api/tickets', body, token);
        if (res.status !== 201) {
          if (measured) errors.issue += 1;
          noteError('issue', res.status, res.body);
        } else if (measured) issueSamples.push(nowMs() - t0);
      } catch {
        if (measured) errors.issue += 1;
      }
    };
    const issueStart = nowMs();
    const kioskLoop = async (kiosk: number) => {
      for (let round = 0; !stopIssuing; round++) {
        const n = round * opts.kiosks + kiosk;
        const due = issueStart + (n / opts.rate) * 1000;
        const wait = due - nowMs();
        if (wait > 0) await sleep(wait);
        if (stopIssuing) break;
        await issueOne(kiosk, n);
      }
    };
    const issuing = Promise.all(kioskTokens.map((_, k) => kioskLoop(k)));

    const agentLoop = async (a: BenchAgent, offsetMs: number) => {
      await sleep(offsetMs);
      let slot = nowMs();
      while (!stopAgents) {
        const measured = measuring;
        const t0 = nowMs();
        const t0Absolute = absoluteMs();
        let res;
        try {
          res = await http.post<CommandResult>(`/api/counters/${a.counterId}/call-next`, { commandId: commandId() }, a.token);
        } catch {
          if (measured) errors.call += 1;
          await sleep(50);
          continue;
        }
        if (res.status !== 200) {
          if (measured) errors.call += 1;
          noteError('call-next', res.status, res.body);
          await sleep(50);
          continue;
        }
        const ticket = res.body.ticket;
        // Only calls that called someone count: "nobody waits" answers are cheaper and would flatter the figure.
        if (measured && ticket) callSamples.push(nowMs() - t0);
        if (!ticket) {
          // Nobody waits for this counter: the agent tries again at its next turn (not in a tight loop).
          if (measured) emptyCalls += 1;
          slot = Math.max(slot + opts.agentIntervalMs, nowMs());
          await sleep(slot - nowMs());
          continue;
        }
        tracker.requested(ticket.id, t0Absolute, measured);
        for (const step of ['start', 'complete'] as const) {
          const c0 = nowMs();
          const r = await http.post(`/api/tickets/${ticket.id}/${step}`, { commandId: commandId() }, a.token).catch(() => null);
          if (!r || r.status !== 200) {
            if (measured) errors.command += 1;
            if (r) noteError(step, r.status, r.body);
          } else if (measured) commandSamples.push(nowMs() - c0);
          // The visitor is served between start and complete: half the agent's interval.
          if (step === 'start') await sleep(opts.agentIntervalMs / 2);
        }
        slot = Math.max(slot + opts.agentIntervalMs, nowMs());
        await sleep(slot - nowMs());
      }
    };
    const agentLoops = agents.map((a) => agentLoop(a, Math.random() * opts.agentIntervalMs));

    await sleep(opts.warmupSeconds * 1000);
    const sampler = new ProcSampler(server.pid);
    const messagesBefore = (await screens.stats()).messages;
    const LOOP_RESOLUTION_MS = 10;
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    const ownCpu = process.cpuUsage();
    const ownSampler = new ProcSampler(process.pid, 1000);
    ownSampler.start();
    await server.eventLoopDelay(); // resets the server's histogram
    const commitsBefore = (await serverCounters(server))?.commits ?? null;
    sampler.start();
    measuring = true;
    const t0 = nowMs();
    await sleep(opts.seconds * 1000);
    measuring = false;
    const measuredSeconds = (nowMs() - t0) / 1000;
    const usage = sampler.stop();
    const serverEventLoopDelay = await server.eventLoopDelay();
    const commitsAfter = (await serverCounters(server))?.commits ?? null;
    loopDelay.disable();
    const ownUsed = process.cpuUsage(ownCpu);
    const loadGenerator = {
      mainThread: ownSampler.stop().mainThread,
      cpuPercent: Math.round(((ownUsed.user + ownUsed.system) / 1e6 / measuredSeconds) * 1000) / 10,
      // The sampled interval less its period: how late the timer ran (as the server's, branch-server.mjs).
      eventLoopDelayP99Ms: Math.max(0, Math.round(loopDelay.percentile(99) / 1e5 - LOOP_RESOLUTION_MS * 10) / 10),
    };
    const after = await screens.stats();
    const messagesDuring = after.messages - messagesBefore;
    const waitingAtEnd = after.waiting;

    stopIssuing = true;
    stopAgents = true;
    await Promise.race([issuing, sleep(15_000)]);
    await Promise.race([Promise.all(agentLoops), sleep(15_000)]);
    await sleep(300); // last display events
    if (errorLog.size) log(`  errors: ${[...errorLog].map(([k, n]) => `${k} ×${n}`).join(', ')}`);

    const per = (n: number) => Math.round((n / measuredSeconds) * 10) / 10;
    const commands = Math.max(1, issueSamples.length + callSamples.length + commandSamples.length + emptyCalls);
    return {
      config: { ...opts, cpuProfDir: opts.cpuProfDir ?? null },
      measuredSeconds: Math.round(measuredSeconds * 10) / 10,
      issuance: { count: issueSamples.length, perSecond: per(issueSamples.length), errors: errors.issue, latency: summarize(issueSamples) },
      callNext: { count: callSamples.length, perSecond: per(callSamples.length), errors: errors.call, empty: emptyCalls, latency: summarize(callSamples) },
      agentCommands: { count: commandSamples.length, perSecond: per(commandSamples.length), errors: errors.command, latency: summarize(commandSamples) },
      callToDisplay: { count: tracker.samples.length, incomplete: tracker.incomplete(), latency: summarize(tracker.samples) },
      socketMessagesPerSecond: per(messagesDuring),
      waitingAtEnd,
      server: usage,
      serverCpuMsPerCommand: Math.round((usage.cpuSeconds * 1000 / commands) * 100) / 100,
      serverEventLoopDelay,
      commitsPerCommand: commitsBefore === null || commitsAfter === null ? null
        : Math.round(((commitsAfter - commitsBefore) / commands) * 100) / 100,
      loadGenerator,
    };
  } finally {
    await screens?.stop();
    client.http?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
