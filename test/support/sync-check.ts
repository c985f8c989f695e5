// What a branch holds and what central holds for it, read from the real databases, and a realistic counter workload.
import Database from 'better-sqlite3';
import path from 'node:path';
import type { TestBranch } from './branch.js';
import type { TestCentral } from './central.js';

export interface Held { seq: number; eventId: string }

/** The branch's outbox in seq order, read from its SQLite file (a second, read-only connection). */
export function branchOutbox(dataDir: string): { events: Held[]; tickets: Array<{ id: string; status: string }>; ackedSeq: number } {
  const db = new Database(path.join(dataDir, 'branch.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const events = db.prepare('SELECT seq, event_id AS eventId FROM outbox ORDER BY seq').all() as Held[];
    const tickets = db.prepare('SELECT id, status FROM tickets ORDER BY id').all() as Array<{ id: string; status: string }>;
    const state = db.prepare('SELECT acked_seq AS ackedSeq FROM sync_state WHERE id = 1').get() as { ackedSeq: number } | undefined;
    return { events, tickets, ackedSeq: state?.ackedSeq ?? 0 };
  } finally {
    db.close();
  }
}

/** Every record central holds for a branch, in seq order (applied, parked and quarantined). */
export async function centralHoldings(central: TestCentral, branchId: string): Promise<{ events: Held[]; tickets: Array<{ id: string; status: string }>; quarantined: number; lastSeq: number }> {
  const db = central.server.db;
  const events = (await db.selectFrom('sync_events').select(['seq', 'event_id']).where('branch_id', '=', branchId).orderBy('seq').execute())
    .map((e) => ({ seq: Number(e.seq), eventId: e.event_id }));
  const tickets = await db.selectFrom('tickets').select(['id', 'status']).where('branch_id', '=', branchId).orderBy('id').execute();
  const quarantined = (await db.selectFrom('sync_quarantine').select('seq').where('branch_id', '=', branchId).execute()).length;
  const sync = await db.selectFrom('branch_sync').select('last_seq').where('branch_id', '=', branchId).executeTakeFirstOrThrow();
  return { events, tickets, quarantined, lastSeq: Number(sync.last_seq) };
}

/**
 * A morning at the branch: the kiosk issues tickets for A and C; the agent at counter 1 calls, starts and serves
 * (every seventh a no-show); a supervisor cancels now and then. Returns how many tickets were issued.
 */
export async function counterWorkload(branch: TestBranch, opts: { tickets: number; agent?: string; counter?: number; onStep?: (i: number) => Promise<void> | void }): Promise<number> {
  const kiosk = await branch.kioskToken();
  const agent = await branch.login(opts.agent ?? 'awa');
  const supervisor = await branch.login('aminata');
  const counter = await branch.counter(opts.counter ?? 1);
  const services = [await branch.service('A'), await branch.service('C')];
  let issued = 0;
  for (let i = 0; i < opts.tickets; i++) {
    const res = await branch.api.issue(kiosk, { serviceId: services[i % 2]?.id });
    if (res.status !== 201) throw new Error(`issue failed: ${res.status} ${JSON.stringify(res.body)}`);
    issued += 1;
    if (i % 11 === 5) {
      const c = await branch.api.post(`/api/tickets/${res.body.id}/cancel`, { reason: 'parti' }, supervisor);
      if (c.status !== 200) throw new Error(`cancel failed: ${c.status} ${JSON.stringify(c.body)}`);
    }
    if (i % 2 === 1) {
      const call = await branch.api.post<{ ticket: { id: string } | null }>(`/api/counters/${counter.id}/call-next`, {}, agent);
      if (call.status !== 200) throw new Error(`call-next failed: ${call.status} ${JSON.stringify(call.body)}`);
      const t = call.body.ticket;
      if (t) {
        if (i % 7 === 0) {
          await branch.api.post(`/api/tickets/${t.id}/no-show`, {}, agent);
        } else {
          await branch.api.post(`/api/tickets/${t.id}/start`, {}, agent);
          await branch.api.post(`/api/tickets/${t.id}/complete`, { outcome: 'ok' }, agent);
        }
      }
    }
    await opts.onStep?.(i);
  }
  return issued;
}
