// The branch's remote-ticket routes: its rules (admin), read by the supervisor too.
import type { Router } from 'express';
import { RemoteSettings, RemoteSettingsPatch } from '../../shared/contracts/remote.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { DomainError } from '../../shared/domain/errors.js';
import { readRemoteSettings, saveRemoteSettings } from './remote-joins.js';

export function registerRemoteRoutes(router: Router, api: BranchApi, parts: Pick<BranchParts, 'ctx'>): void {
  const { store, clock } = parts.ctx;
  api.add(router, {
    method: 'get', path: '/api/admin/remote', tag: 'remote', access: 'supervisor', summary: 'The branch’s rules for remote tickets', response: RemoteSettings,
  }, () => readRemoteSettings(store));
  api.add(router, {
    method: 'patch', path: '/api/admin/remote', tag: 'remote', access: 'admin', summary: 'Change the share of remote tickets per hour and what call-next does with absent ones',
    body: RemoteSettingsPatch, response: RemoteSettings,
  }, ({ body }) => {
    if (Object.keys(body).length === 0) throw new DomainError('VALIDATION_ERROR', 'name at least one setting to change');
    return saveRemoteSettings(store, body, clock.now().toISOString());
  });
}
