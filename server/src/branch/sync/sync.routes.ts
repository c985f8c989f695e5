// Branch routes of the sync worker, for the supervisor view: its state in detail, and "sync now".
import type { Router } from 'express';
import { SyncDetails, SyncRunResult } from '../../shared/contracts/api.js';
import type { BranchApi } from '../http/access.js';
import type { SyncWorker } from './worker.js';

export function registerSyncRoutes(router: Router, api: BranchApi, worker: SyncWorker): void {
  api.add(router, { method: 'get', path: '/api/sync/status', tag: 'supervisor', access: 'supervisor', summary: 'Sync with central: acknowledged seq, backlog, failures, records central refused', response: SyncDetails },
    () => worker.details());
  api.add(router, { method: 'post', path: '/api/sync/run', tag: 'supervisor', access: 'supervisor', summary: 'Push and pull now (waits for the cycle to end)', response: SyncRunResult },
    async () => worker.syncNow());
}
