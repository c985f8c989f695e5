import type { Health } from '../../shared/contracts/api.js';

/** The sync worker's state as /api/health and the supervisor view show it. */
export interface SyncStatusSource {
  status(): Health['sync'];
}

export const standaloneSync: SyncStatusSource = {
  status: () => ({ configured: false, online: false, lastSuccessAt: null, backlog: 0, lagSeconds: null, lastError: null }),
};
