// What one command costs the branch server, with the peak scenario's screens connected (8 kiosks, 40 agents and 20
// call boards by default): server CPU (user + system, /proc) per issued ticket and per call-next cycle (call-next,
// start, complete), and the counts that do not depend on the machine: Socket.IO messages and bytes sent per command
// (per kind of screen), write system calls and SQLite statements per command. Commands are sent one at a time, so
// each one's broadcasts are counted with it and no queueing is measured. The same is measured with a short line
// (about 50 waiting in one service) and a long one (5,000), and each periodic job (sweeps, monitor, snapshots) is
// timed at both lengths: none may block the thread for long.
import fs from 'node:fs';
import type { CommandResult, QueueSummary, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import { startScreens, type ScreenTraffic } from './branch.js';
import { commandId, counters, HttpClient, pairDevice, prepareAgents, services, startBenchServer, tempDataDir, inBatches, serverCounters, type BenchServer } from './harness.js';
import { cpuSeconds, writeSyscalls } from './proc.js';
import { sleep } from './stats.js';
import { SCREEN_QUEUE_MS } from '../../server/src/branch/realtime/fanout.js';

export interface CostsOptions {
  kiosks: number;
  agents: number;
  displays: number;
  /** Commands measured per kind and line length. */
  commands: number;
  /** Waiting tickets in the measured service: the short and the long line. */
  lines: [number, number];
  /**
   * --profile: the commands with no screen connected, then (after the long line is measured) the same commands and
   * the periodic jobs run once more under the inspector's CPU profiler (not in the figures), written to this folder
   * as costs-commands-bare.cpuprofile, costs-commands-<waiting>.cpuprofile and costs-timers-<waiting>.cpuprofile.
   */
  profileDir?: string;
}

/** Per command: server CPU in ms, messages and bytes the screens received (all, and per kind), writes, statements. */
export interface CommandCost {
  commands: number;
  cpuMs: number;
  socketMessages: number;
  socketBytes: number;
  byKind: Record<string, { messages: number; bytes: number }>;
  writeSyscalls: number | null;
  sqlStatements: number | null;
}

export interface LineCosts {
  waiting: number;
  issue: CommandCost;
  /** One call-next, start and complete of the ticket it called. */
  callCycle: CommandCost;
  /** The slowest of three runs of each periodic job and snapshot, ms. */
  timersMs: Record<string, number>;
}

/** Per command (issue, call, start, complete) and kind of screen: the most messages one socket got for it. */
export type PerSocketMax = Record<string, Record<string, number>>;

export interface CostsResult {
  config: CostsOptions;
  lines: LineCosts[];
  /** The same commands before any screen connected (line from empty): the command without its broadcasts. */
  bare: { issue: CommandCost; callCycle: CommandCost };
  /**
   * With the short line, each command alone, the screens' messages counted until the slowest coalescing is over
   * (SCREEN_QUEUE_MS): the most one socket of each kind got for one command. The target is 1, and 0 for a screen
   * the command does not concern.
   */
  perSocket: PerSocketMax;
  /** Long line over short line, CPU per command (1 = flat). */
  growth: { issue: number; callCycle: number };
  /** The .cpuprofile files written with --profile (commands, then periodic jobs, at the long line). */
  profiles?: string[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Counters { cpu: number; writes: number | null; statements: number | null; traffic: ScreenTraffic }

export async function runCosts(options: CostsOptions, log: (line: string) => void = () => {}): Promise<CostsResult> {
  const dataDir = tempDataDir('costs');
  let server: BenchServer | null = null;
  let screens: Awaited<ReturnType<typeof startScreens>> | null = null;
  const http = { client: null as HttpClient | null };
  try {
    server = await startBenchServer({ dataDir });
    const srv = server;
    const client = new HttpClient(srv.url);
    http.client = client;
    log(`  server pid ${srv.pid}; preparing ${options.agents} agents, ${options.kiosks} kiosks, ${options.displays} call boards`);
    const agents = await prepareAgents(client, srv, options.agents);
    const kiosks = await Promise.all(Array.from({ length: options.kiosks }, (_, i) => pairDevice(client, 'kiosk', `Borne ${i + 1}`)));
    const displays = await Promise.all(Array.from({ length: options.displays }, (_, i) => pairDevice(client, 'display', `Écran ${i + 1}`)));
    const service = (await services(client)).find((s: ServiceView) => s.prefix === 'A' && s.openNow);
    if (!service) throw new Error('service A is not open: the costs part needs the demo branch open');
    // The agents whose counter serves A call from its line (the demo pattern: 3 counters of 4).
    const counterServes = new Map((await counters(client)).map((c) => [c.id, c.serviceIds]));
    const callers = agents.filter((a) => counterServes.get(a.counterId)?.includes(service.id));

    const read = async (): Promise<Counters> => ({
      cpu: cpuSeconds(srv.pid), writes: writeSyscalls(srv.pid), statements: (await serverCounters(srv))?.statements ?? null, traffic: screens ? (await screens.stats()).byKind : {},
    });
    // Broadcasts may be coalesced for a few tens of ms after the last answer: wait them out before reading.
    const settle = () => sleep(300);
    const cost = (a: Counters, b: Counters, n: number): CommandCost => {
      const byKind: CommandCost['byKind'] = {};
      let messages = 0;
      let bytes = 0;
      for (const [kind, after] of Object.entries(b.traffic)) {
        const before = a.traffic[kind] ?? { messages: 0, bytes: 0 };
        byKind[kind] = { messages: round((after.messages - before.messages) / n), bytes: Math.round((after.bytes - before.bytes) / n) };
        messages += after.messages - before.messages;
        bytes += after.bytes - before.bytes;
      }
      return {
        commands: n,
        cpuMs: round(((b.cpu - a.cpu) * 1000) / n, 3),
        socketMessages: round(messages / n),
        socketBytes: Math.round(bytes / n),
        byKind,
        writeSyscalls: a.writes === null || b.writes === null ? null : round((b.writes - a.writes) / n),
        sqlStatements: a.statements === null || b.statements === null ? null : round((b.statements - a.statements) / n),
      };
    };

    let issued = 0;
    const issue = async () => {
      const kiosk = kiosks[issued++ % kiosks.length] as string;
      const res = await client.post<TicketView>('/api/tickets', { serviceId: service.id }, kiosk);
      if (res.status !== 201) throw new Error(`issue: ${res.status} ${JSON.stringify(res.body)}`);
    };
    let turn = 0;
    /** One call-next, start and complete; `each` wraps each command (the per-socket pass counts around it). */
    const callCycle = async (each: (command: string, send: () => Promise<void>) => Promise<void> = (_, send) => send()) => {
      for (let tries = 0; tries < callers.length; tries++) {
        const agent = callers[turn++ % callers.length];
        if (!agent) break;
        const got: { ticket: CommandResult['ticket'] } = { ticket: null };
        await each('call', async () => {
          const res = await client.post<CommandResult>(`/api/counters/${agent.counterId}/call-next`, { commandId: commandId() }, agent.token);
          if (res.status !== 200) throw new Error(`call-next: ${res.status} ${JSON.stringify(res.body)}`);
          got.ticket = res.body.ticket;
        });
        const called = got.ticket;
        if (!called) continue; // this counter's other service came first and is empty: the next agent
        for (const step of ['start', 'complete'] as const) {
          await each(step, async () => {
            const r = await client.post(`/api/tickets/${called.id}/${step}`, { commandId: commandId() }, agent.token);
            if (r.status !== 200) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
          });
        }
        return;
      }
      throw new Error('no counter called a ticket of the measured line');
    };
    /** `options.commands` issuances, then as many call-next cycles, one at a time. */
    const commandRound = async () => {
      for (let i = 0; i < options.commands; i++) await issue();
      for (let i = 0; i < options.commands; i++) await callCycle();
    };
    const perSocket: PerSocketMax = {};
    /** A command alone, then the screens' messages for it: nothing else is sent until the slowest coalescing is over. */
    const counted = async (command: string, send: () => Promise<void>) => {
      const scr = screens;
      if (!scr) throw new Error('the screens are not connected');
      await scr.mark();
      await send();
      await sleep(SCREEN_QUEUE_MS + 300);
      const got = await scr.mark();
      const mine = (perSocket[command] ??= {});
      for (const kind of ['display', 'kiosk', 'staff']) mine[kind] = Math.max(mine[kind] ?? 0, got[kind] ?? 0);
    };
    const waitingNow = async () => (await client.get<QueueSummary>('/api/queue')).body.services
      .find((s) => s.serviceId === service.id)?.waitingCount ?? 0;

    const profiles: string[] = [];
    const profileDir = options.profileDir;
    // Profiled apart from the measurement: the profiler's own cost is in no figure.
    const profiled = async (name: string, fn: () => Promise<unknown>) => {
      if (!profileDir || !srv.control) return;
      fs.mkdirSync(profileDir, { recursive: true });
      await fetch(`${srv.control}/profile/start`, { method: 'POST' });
      await fn();
      const to = `${profileDir}/costs-${name}.cpuprofile`;
      await fetch(`${srv.control}/profile/stop?to=${encodeURIComponent(to)}`, { method: 'POST' });
      profiles.push(to);
    };
    // The same commands with no screen connected: what the command itself costs, its broadcasts aside. Warmed up
    // first (the code paths compiled), as the measured lines below are by the filling of the line.
    log(`  no screen connected: ${options.commands} issuances and ${options.commands} call-next cycles (after as many to warm up)`);
    await commandRound();
    let before = await read();
    for (let i = 0; i < options.commands; i++) await issue();
    let after = await read();
    const bareIssue = cost(before, after, options.commands);
    before = await read();
    for (let i = 0; i < options.commands; i++) await callCycle();
    after = await read();
    const bare = { issue: bareIssue, callCycle: cost(before, after, options.commands) };
    // What the commands themselves spend their time on, no screen connected.
    await profiled('commands-bare', commandRound);

    screens = await startScreens(srv.url, displays, [...kiosks, ...agents.map((a) => a.token)], () => {}, [...kiosks.map(() => 'kiosk'), ...agents.map(() => 'staff')]);
    // The broadcasting code warmed up as the commands were: the long line is filled by thousands of issuances with
    // the screens connected, the short one by a few, and the two must differ by their line, not by how warm the code
    // was (without this the 50-waiting issuance cost more than the one with no screen and than the 5,000-waiting one).
    log(`  screens connected: ${options.commands} issuances and ${options.commands} call-next cycles to warm up`);
    await commandRound();
    await settle();
    const lines: LineCosts[] = [];
    for (const target of options.lines) {
      // Fill the line to its length (kiosks in parallel: this part is not measured), then measure.
      const missing = Math.max(0, target - (await waitingNow()));
      await inBatches(Array.from({ length: missing }, (_, i) => i), options.kiosks, () => issue());
      await settle();
      const waiting = await waitingNow();
      log(`  line of ${waiting}: measuring ${options.commands} issuances and ${options.commands} call-next cycles`);
      before = await read();
      for (let i = 0; i < options.commands; i++) await issue();
      await settle();
      after = await read();
      const issueCost = cost(before, after, options.commands);
      before = await read();
      for (let i = 0; i < options.commands; i++) await callCycle();
      await settle();
      after = await read();
      const callCost = cost(before, after, options.commands);
      const timersMs = srv.control ? (await (await fetch(`${srv.control}/timers`, { method: 'POST' })).json()) as Record<string, number> : {};
      lines.push({ waiting, issue: issueCost, callCycle: callCost, timersMs });
      if (lines.length === 1) {
        // Each command waits out the coalescing (over a second): a few rounds, more in a full run.
        const rounds = Math.min(5, Math.ceil(options.commands / 50));
        log(`  counting the messages one socket gets for one command (${rounds} of each, one at a time)`);
        await sleep(SCREEN_QUEUE_MS + 300);
        for (let i = 0; i < rounds; i++) {
          await counted('issue', issue);
          await callCycle(counted);
        }
      }
    }
    if (profileDir && srv.control) {
      log(`  profiling ${options.commands} issuances and call-next cycles, then the periodic jobs, at the long line`);
      const waiting = lines[lines.length - 1]?.waiting ?? 0;
      await profiled(`commands-${waiting}`, async () => {
        await commandRound();
        await settle();
      });
      await profiled(`timers-${waiting}`, () => fetch(`${srv.control}/timers`, { method: 'POST' }));
    }
    const [short, long] = lines;
    return {
      config: options,
      lines,
      bare,
      perSocket,
      ...(profiles.length && { profiles }),
      growth: {
        issue: short && long ? round(long.issue.cpuMs / short.issue.cpuMs) : Number.NaN,
        callCycle: short && long ? round(long.callCycle.cpuMs / short.callCycle.cpuMs) : Number.NaN,
      },
    };
  } finally {
    await screens?.stop();
    http.client?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
