// Kill -9 the branch in the middle of a push, restart it on the same data: central still holds exactly the
// branch's records. The branch runs as a child process; the fault proxy holds a push at the moment to kill it:
// after central committed but before the branch saved the acknowledgement, and before central saw it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Health } from '../../server/src/shared/contracts/api.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import { ApiClient, startBranch } from '../support/branch.js';
import { FAST_SYNC, startCentral, waitFor, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { branchOutbox, centralHoldings } from '../support/sync-check.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dialects = await centralDialects();

interface Child { proc: ChildProcess; api: ApiClient; url: string }

async function spawnBranch(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/synced-branch-process.ts')], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`branch process did not start: ${stderr}`)), 60_000);
    const lines = readline.createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line.slice(6)) as { url: string }).url);
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`branch process exited (${code}): ${stderr}`)); });
  });
  return { proc, url, api: new ApiClient(url) };
}

function kill9(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGKILL');
  });
}

describe.each(dialects)('a branch killed in the middle of a push (%s central)', (dialect) => {
  let central: TestCentral | null = null;
  let proxy: FaultProxy | null = null;
  let child: Child | null = null;

  afterAll(async () => {
    if (child && child.proc.exitCode === null) await kill9(child);
    await proxy?.close();
    await central?.destroy();
  });

  it('restarts from its stored acknowledgement and central stays exact', async () => {
    central = await startCentral(dialect);
    proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/push'] });
    // Install the branch, enrol it, then run it as its own process.
    const first = await startBranch();
    const branchId = first.server.branchId;
    const credential = await central.enrol(branchId);
    const awaPassword = first.passwords.awa as string;
    await first.close();
    const env = {
      SQ_DATA_DIR: first.dataDir, SQ_CENTRAL_URL: proxy.url, SQ_CENTRAL_CREDENTIAL: credential, SQ_SYNC: JSON.stringify(FAST_SYNC),
    };

    let issued = 0;
    const work = async (c: Child, tickets: number) => {
      const kiosk = (await c.api.post<{ deviceToken: string }>('/api/devices/pair-local', { role: 'kiosk' })).body.deviceToken;
      const agent = (await c.api.post<{ token: string }>('/api/auth/login', { login: 'awa', password: awaPassword })).body.token;
      const services = (await c.api.get<Array<{ id: string; prefix: string }>>('/api/services')).body;
      const counter = (await c.api.get<Array<{ id: string; number: number }>>('/api/counters')).body.find((x) => x.number === 1);
      const svc = services.find((s) => s.prefix === 'A');
      for (let i = 0; i < tickets; i++) {
        expect((await c.api.issue(kiosk, { serviceId: svc?.id })).status).toBe(201);
        issued += 1;
        if (i % 2 === 0) {
          const call = await c.api.post<{ ticket: { id: string } | null }>(`/api/counters/${counter?.id}/call-next`, {}, agent);
          const t = call.body.ticket;
          if (t) {
            await c.api.post(`/api/tickets/${t.id}/start`, {}, agent);
            await c.api.post(`/api/tickets/${t.id}/complete`, {}, agent);
          }
        }
      }
    };
    const drained = (c: Child) => waitFor('the outbox to drain', async () => {
      const h = (await c.api.get<Health>('/api/health')).body.sync;
      return h.backlog === 0 && h.lastError === null;
    }, 60_000);

    child = await spawnBranch(env);
    await work(child, 20);
    await drained(child);

    for (const where of ['after', 'before'] as const) {
      // Hold the next push: 'after' = central committed it, the branch has not heard back; 'before' = central
      // never saw it. Heartbeats (empty batches) pass. Kill -9 the branch while it waits.
      proxy.hold(where, (body) => !body.includes('"events":[]'));
      await work(child, 15);
      await waitFor(`a push held ${where} central`, () => (proxy as FaultProxy).held > 0);
      const ackedBefore = branchOutbox(first.dataDir).ackedSeq;
      const centralSeq = (await centralHoldings(central, branchId)).lastSeq;
      if (where === 'after') expect(centralSeq).toBeGreaterThan(ackedBefore);
      else expect(centralSeq).toBe(ackedBefore);
      await kill9(child);
      proxy.release();
      expect(branchOutbox(first.dataDir).ackedSeq).toBe(ackedBefore);
      child = await spawnBranch(env);
      await work(child, 5);
      await drained(child);
    }

    const local = branchOutbox(first.dataDir);
    const remote = await centralHoldings(central, branchId);
    expect(local.tickets).toHaveLength(issued);
    expect(remote.events).toEqual(local.events);
    expect(local.events.map((e) => e.seq)).toEqual(local.events.map((_, i) => i + 1));
    expect(remote.tickets).toEqual(local.tickets);
    expect(remote.lastSeq).toBe(local.events.length);
    const stop = child;
    await new Promise<void>((resolve) => { stop.proc.once('exit', () => resolve()); stop.proc.kill('SIGTERM'); });
    child = null;
  });
});
