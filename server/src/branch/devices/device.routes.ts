import type { Router } from 'express';
import { DeviceStatusView } from '../../shared/contracts/admin.js';
import type { TicketPrintService } from '../print/print.service.js';
import { DeviceCreateBody, DeviceCreated, DeviceUpdateBody, DeviceView, PairBody, PairLocalBody, PairResponse } from '../../shared/contracts/api.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import { isLoopback } from '../../shared/http/bearer.js';
import type { Clock } from '../../shared/clock.js';
import { rateLimited, WindowLimit } from '../../shared/rate-limit.js';

export function registerDeviceRoutes(
  router: Router, api: BranchApi, s: Pick<BranchParts, 'devices' | 'audit'> & { printing: TicketPrintService; demo: boolean; clock: Clock },
): void {
  const audit = s.audit;
  const statusView = (d: DeviceView): DeviceStatusView => ({ ...d, online: s.devices.isOnline(d.id), paper: s.printing.paperOf(d) });
  // Pairing codes are 6 digits: attempts are limited per address here, and wrong codes per code and branch-wide
  // whatever the address (DeviceService.pair).
  const perAddress = new WindowLimit(10, 60_000);
  const limitAttempts = (ip: string) => {
    const now = s.clock.now().getTime();
    const wait = perAddress.waitMs(ip, now);
    if (wait > 0) throw rateLimited('too many pairing attempts: wait a minute', wait);
    perAddress.add(ip, now);
  };

  api.add(router, { method: 'post', path: '/api/devices/pair', tag: 'devices', access: 'public', summary: 'Trade a pairing code for a device token', body: PairBody, response: PairResponse,
    // 401: a wrong or expired code; 429: too many wrong codes (this address, or pairing paused branch-wide).
    errors: [401, 429] },
    ({ body, req }) => { limitAttempts(req.socket.remoteAddress ?? 'unknown'); return s.devices.pair(body.code); });

  api.add(router, { method: 'post', path: '/api/devices/pair-local', tag: 'devices', access: 'public', summary: 'Demo mode: a kiosk or display on the server machine pairs itself', body: PairLocalBody, response: PairResponse,
    description: 'Only when the server runs in demo mode and the request comes from the loopback interface (otherwise 403).', errors: [403] },
  ({ body, req }) => {
    if (!s.demo) throw new DomainError('FORBIDDEN', 'automatic pairing is only available in demo mode: ask an admin for a pairing code');
    if (!isLoopback(req.socket.remoteAddress)) throw new DomainError('FORBIDDEN', 'automatic pairing is only available on the server machine itself');
    // No printer of its own: the kiosk follows the server's default (SMARTQUEUE_PRINTER), even when that changes.
    return s.devices.pairLocal(body.role, body.name, null);
  });

  api.add(router, { method: 'get', path: '/api/devices/me', tag: 'devices', access: 'reader', summary: 'The device this token belongs to', response: DeviceView },
    ({ actor }) => { if (actor?.kind !== 'device') throw new DomainError('FORBIDDEN', 'this is not a device token'); return s.devices.get(actor.deviceId); });

  api.add(router, {
    method: 'get', path: '/api/admin/devices', tag: 'admin', access: 'admin', summary: 'Kiosks and displays, whether each is connected now, and the paper of kiosks\' printers', response: DeviceStatusView.array(),
  }, () => s.devices.list().map(statusView));
  // Pairing codes never go into the audit log: only the device.
  api.add(router, { method: 'post', path: '/api/admin/devices', tag: 'admin', access: 'admin', status: 201, summary: 'Provision a kiosk or display: returns a 6-digit pairing code valid 10 minutes', body: DeviceCreateBody, response: DeviceCreated },
    ({ body, actor }) => audit.change(actor, (r) => ({ kind: 'device', action: 'create', entityId: r.device.id }), { apply: () => s.devices.create(body), after: (r) => r.device }));
  api.add(router, { method: 'post', path: '/api/admin/devices/:id/pairing-code', tag: 'admin', access: 'admin', summary: 'A new pairing code (the old token stops working)', response: DeviceCreated },
    ({ params, actor }) => audit.change(actor, { kind: 'device', action: 'pairing-code', entityId: params.id as string }, {
      before: () => s.devices.get(params.id as string), apply: () => s.devices.repair(params.id as string), after: (r) => r.device,
    }));
  api.add(router, { method: 'patch', path: '/api/admin/devices/:id', tag: 'admin', access: 'admin', summary: 'Rename a device or set its printer', body: DeviceUpdateBody, response: DeviceView },
    ({ params, body, actor }) => audit.change(actor, { kind: 'device', action: 'update', entityId: params.id as string }, {
      before: () => s.devices.get(params.id as string), apply: () => s.devices.update(params.id as string, body), patch: body,
    }));
  api.add(router, { method: 'post', path: '/api/admin/devices/:id/revoke', tag: 'admin', access: 'admin', summary: 'Revoke a device token (its open connections close at once)', response: DeviceView },
    ({ params, actor }) => audit.change(actor, { kind: 'device', action: 'revoke', entityId: params.id as string }, {
      before: () => s.devices.get(params.id as string), apply: () => s.devices.revoke(params.id as string),
    }));
}
