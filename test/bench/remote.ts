// Join to number (issue 18): how long a visitor who joins a line from afar (POST /api/remote/joins at central)
// waits for the ticket number the branch issued, with the branch online. Central and the branch run in their own
// processes (the built servers) on loopback; central's database is SQLite. Two ways for the branch to learn of a
// join: its live link (central says "remote" at once, the branch takes the join and answers) and polling alone
// (the live link off: the branch asks at every periodic cycle, as a branch did before the link existed).
// Joins are sent one after another with a random pause, as visitors do; each is a new phone. A web join needs the
// phone confirmed by a one-time code (issue 18): each visitor gets its code by SMS (the Orange SMS simulator, in this
// process) and its token before the timing starts, so what is timed is the join alone.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EnrolResponse } from '../../server/src/shared/contracts/sync.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import type { VisitorCodeSent, VisitorToken } from '../../server/src/shared/contracts/visitor.js';
import { BENCH_ADMIN_PASSWORD, getServerMode, HttpClient, login, startBenchServer, startNodeChild, tempDataDir, type BenchServer } from './harness.js';
import { nowMs, sleep, summarize, type LatencySummary } from './stats.js';

export interface RemoteBenchOptions {
  /** Joins through the live link. */
  linkJoins: number;
  /** Joins through polling alone (each waits for a cycle: fewer). */
  pollingJoins: number;
  /** The branch's periodic cycle when it polls (the issue measured 5–10 s before the live link). */
  pollingMs: number;
}

export interface RemoteModeResult {
  mode: 'live link' | 'polling';
  /** The branch's sync timing in this run. */
  periodicMs: number;
  joins: number;
  /** Joins answered 200 with a ticket number. */
  issued: number;
  /** Other answers, by error code. */
  refused: Record<string, number>;
  /** From the join's request to central's answer with the number, ms. */
  latency: LatencySummary;
}

export interface RemoteBenchResult { link: RemoteModeResult; polling: RemoteModeResult }

const ADMIN = 'bench-central-admin-token-remote';

interface JoinAnswer { number?: string; error?: { code: string } }

/** The real code flow: ask central for a code for `phone`, read it in the simulated SMS, send it back. */
async function visitorToken(api: HttpClient, sms: OrangeSmsSimulator, phone: string): Promise<string> {
  const before = sms.messages.length;
  const sent = await api.post<VisitorCodeSent>('/api/public/visitor-codes', { phone });
  if (sent.status !== 201) throw new Error(`code request: ${sent.status} ${JSON.stringify(sent.body)}`);
  const until = Date.now() + 15_000;
  let code: string | undefined;
  while (!code && Date.now() < until) {
    code = sms.messages.slice(before).find((m) => m.to === phone)?.message.match(/\b(\d{6})\b/)?.[1];
    if (!code) await sleep(20);
  }
  if (!code) throw new Error(`no code reached ${phone} within 15 s`);
  const verified = await api.post<VisitorToken>(`/api/public/visitor-codes/${sent.body.codeId}/verify`, { code });
  if (verified.status !== 200) throw new Error(`code check: ${verified.status} ${JSON.stringify(verified.body)}`);
  return verified.body.token;
}

async function runMode(mode: RemoteModeResult['mode'], joins: number, periodicMs: number, log: (line: string) => void): Promise<RemoteModeResult> {
  const centralDir = tempDataDir('remote-central');
  const branchDir = tempDataDir('remote-branch');
  // Polling needs a deadline longer than a cycle, or every join would be refused as "branch offline".
  const takeWithinMs = mode === 'polling' ? periodicMs * 3 : 3_000;
  const sms = await new OrangeSmsSimulator().start();
  const central = await startNodeChild<{ url: string }>('test/bench/central-server.mjs', {
    BENCH_SERVER_MODULE: path.resolve(getServerMode() === 'dist' ? 'server/dist/index.js' : 'server/src/index.ts'),
    BENCH_ADMIN_TOKEN: ADMIN, BENCH_CENTRAL_DATA_DIR: centralDir,
    BENCH_REMOTE: JSON.stringify({ takeWithinMs, answerWithinMs: 10_000, perPhonePerDay: 1_000, perAddressPerHour: 1_000_000 }),
    BENCH_VISITOR_CODES: JSON.stringify({ perAddressPerHour: 1_000_000 }),
    BENCH_TRACKING: JSON.stringify({
      delivery: { pollMs: 100, backoff: { minMs: 100, maxMs: 1000 } },
      channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000', senderName: 'SmartQueue' } },
    }),
  }, [], { tsx: getServerMode() === 'src' });
  const centralApi = new HttpClient(central.info.url);
  let branch: BenchServer | null = null;
  try {
    // First start: the branch's id, to enrol it; then the branch connected to central.
    const first = await startBenchServer({ dataDir: branchDir });
    const credentials = first.credentials;
    await first.stop();
    const enrolled = await centralApi.post<EnrolResponse>('/api/central/branches', {
      id: first.branchId, name: 'Agence bench', region: 'Dakar', organization: { id: 'org-bench', name: 'Banque bench', type: 'bank' },
    }, ADMIN);
    if (enrolled.status !== 201) throw new Error(`enrolment failed: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
    branch = await startBenchServer({
      dataDir: branchDir, credentials,
      env: {
        BENCH_CENTRAL_URL: central.info.url, BENCH_CENTRAL_CREDENTIAL: enrolled.body.credential,
        BENCH_SYNC: JSON.stringify({ liveLink: mode === 'live link', periodicMs, debounceMs: 200 }),
      },
    });
    const branchApi = new HttpClient(branch.url);
    const admin = await login(branchApi, 'admin', BENCH_ADMIN_PASSWORD);
    // Every join may be remote here (the share rule is the branch's own business, not what is measured).
    await branchApi.request('PATCH', '/api/admin/remote', { sharePercent: 100, minPerHour: 1_000 }, admin);
    const services = (await branchApi.get<Array<{ id: string }>>('/api/services')).body;

    let phones = 0;
    const visitor = async () => {
      const phone = `+22177${String(1_000_000 + phones++).slice(-7)}`;
      return { phone, token: await visitorToken(centralApi, sms, phone) };
    };
    const join = (serviceId: string, v: { phone: string; token: string }) => centralApi.post<JoinAnswer>('/api/remote/joins', {
      branchId: first.branchId, serviceId, name: 'Visiteur bench', phone: v.phone, channel: 'web', idempotencyKey: randomUUID(), visitorToken: v.token,
    });
    // A line taking tickets now, once central has heard from the branch (its first push and the link).
    let serviceId: string | null = null;
    const until = Date.now() + 60_000 + takeWithinMs;
    while (!serviceId && Date.now() < until) {
      for (const s of services) {
        if ((await join(s.id, await visitor())).status === 200) { serviceId = s.id; break; }
      }
      if (!serviceId) await sleep(500);
    }
    if (!serviceId) throw new Error('no line took a remote join within a minute');

    // Every visitor confirms its phone before the timing starts.
    const ready = [];
    for (let i = 0; i < joins; i++) ready.push(await visitor());
    const samples: number[] = [];
    const refused: Record<string, number> = {};
    for (const v of ready) {
      await sleep(50 + Math.random() * (mode === 'polling' ? 1_000 : 200));
      const t0 = nowMs();
      const res = await join(serviceId, v);
      const ms = nowMs() - t0;
      if (res.status === 200 && res.body.number) samples.push(ms);
      else refused[res.body.error?.code ?? String(res.status)] = (refused[res.body.error?.code ?? String(res.status)] ?? 0) + 1;
    }
    const latency = summarize(samples);
    log(`${mode}: ${samples.length}/${joins} joins got their number, p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms`);
    return { mode, periodicMs, joins, issued: samples.length, refused, latency };
  } finally {
    await branch?.stop();
    centralApi.close();
    await new Promise<void>((resolve) => {
      const p = central.process;
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
    await sms.close();
    for (const dir of [centralDir, branchDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRemoteBench(opts: RemoteBenchOptions, log: (line: string) => void): Promise<RemoteBenchResult> {
  const link = await runMode('live link', opts.linkJoins, 30_000, log);
  const polling = await runMode('polling', opts.pollingJoins, opts.pollingMs, log);
  return { link, polling };
}
