// GET /api/health: load balancers and branches check that central and its database answer.
import type { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import type { CentralDb } from '../db/database.js';
import type { CentralApi } from './access.js';

const CentralHealth = z.object({
  status: z.literal('ok'), role: z.literal('central'), version: z.string(), serverTime: z.string(),
  database: z.object({ ok: z.boolean(), dialect: z.enum(['sqlite', 'postgres']) }),
});

export function registerHealthRoutes(router: Router, api: CentralApi, deps: { cdb: CentralDb; clock: Clock; version: string }): void {
  const { cdb, clock } = deps;
  api.add(router, {
    method: 'get', path: '/api/health', tag: 'health', access: 'public', summary: 'Central and its database answer', response: CentralHealth,
  }, async () => {
    await cdb.db.selectFrom('central_settings').select('key').limit(1).execute();
    return { status: 'ok' as const, role: 'central' as const, version: deps.version, serverTime: clock.now().toISOString(), database: { ok: true, dialect: cdb.dialect } };
  });
}
