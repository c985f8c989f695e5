// A power cut during heavy issuance: kill -9 the branch server while kiosks issue tickets; every ticket that was
// answered 201 must be there after restart, with its history row and its outbox row.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import { ApiClient } from '../support/branch.js';
import { killHard, startChild } from '../support/child.js';

interface ChildInfo { url: string; port: number; credentials: Array<{ login: string; password: string }> }

describe('crash safety', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-crash-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('loses no ticket answered 201 when the server is killed -9 during issuance', async () => {
    const env = { SMARTQUEUE_DATA_DIR: dataDir, SMARTQUEUE_ADMIN_PASSWORD: 'crash-test-admin' };
    const first = await startChild<ChildInfo>('test/fixtures/branch-process.ts', env);
    const api = new ApiClient(first.info.url);
    const pair = await api.post<{ deviceToken: string }>('/api/devices/pair-local', { role: 'kiosk' });
    const kiosk = pair.body.deviceToken;
    const services = (await api.get<ServiceView[]>('/api/services')).body.filter((s) => s.openNow);
    const acknowledged: TicketView[] = [];
    let stop = false;
    // Eight kiosks issuing as fast as they can.
    const kiosks = Array.from({ length: 8 }, async (_, k) => {
      for (let i = 0; !stop && i < 5_000; i++) {
        try {
          const res = await api.issue(kiosk, { serviceId: services[(k + i) % services.length]?.id });
          if (res.status === 201) acknowledged.push(res.body);
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    });
    // Pull the plug once a good number of tickets were answered.
    for (let i = 0; i < 600 && acknowledged.length < 300; i++) await new Promise((r) => setTimeout(r, 50));
    await killHard(first.process);
    stop = true;
    await Promise.all(kiosks);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const second = await startChild<ChildInfo>('test/fixtures/branch-process.ts', env);
    try {
      const api2 = new ApiClient(second.info.url);
      for (const t of acknowledged) {
        const res = await api2.get<TicketView>(`/api/tickets/${t.id}`);
        expect(res.status, `ticket ${t.number} answered 201 before the crash`).toBe(200);
        expect(res.body.number).toBe(t.number);
      }
      const db = new Database(path.join(dataDir, 'branch.sqlite'), { readonly: true });
      const ids = acknowledged.map((t) => t.id);
      const placeholders = ids.map(() => '?').join(',');
      const events = db.prepare(`SELECT count(*) AS n FROM ticket_events WHERE type = 'issued' AND ticket_id IN (${placeholders})`).get(...ids) as { n: number };
      const outbox = db.prepare(`SELECT count(*) AS n FROM outbox WHERE event_type = 'ticket.issued' AND aggregate_id IN (${placeholders})`).get(...ids) as { n: number };
      const numbers = db.prepare('SELECT count(*) AS n, count(DISTINCT service_day || number) AS d FROM tickets').get() as { n: number; d: number };
      db.close();
      expect(events.n).toBe(ids.length);
      expect(outbox.n).toBe(ids.length);
      expect(numbers.d).toBe(numbers.n); // no number given twice, even across the crash
      // and it keeps issuing, continuing the day's numbering
      const again = await api2.issue(kiosk, { serviceId: services[0]?.id });
      expect(again.status).toBe(201);
    } finally {
      second.process.kill('SIGTERM');
      await killHard(second.process);
    }
  });
});
