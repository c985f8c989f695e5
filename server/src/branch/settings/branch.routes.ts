import type { Router } from 'express';
import { z } from 'zod';
import { AlertView, BranchChangePreview, BranchUpdateBody, BranchView, DisplayMessageBody, Health, QueueSummary } from '../../shared/contracts/api.js';
import type { BranchParts } from '../build.js';
import type { BranchApi } from '../http/access.js';
import type { SyncStatusSource } from '../sync/status.js';
import type { StorageWatch } from '../supervision/storage-watch.js';

export function registerBranchRoutes(
  router: Router, api: BranchApi, s: Pick<BranchParts, 'ctx' | 'branch' | 'state' | 'tickets' | 'ticketViews' | 'audit'> & { storage: Pick<StorageWatch, 'status'> },
  sync: SyncStatusSource, version: string,
): void {
  api.add(router, { method: 'get', path: '/api/health', tag: 'branch', access: 'public', summary: 'Liveness, database and sync state', response: Health },
    () => {
      const journal = s.ctx.store.sqlite.pragma('journal_mode', { simple: true }) as string;
      return {
        status: 'ok' as const,
        version,
        branchId: s.ctx.branchId,
        serverTime: s.ctx.clock.now().toISOString(),
        timeZone: s.ctx.timeZone,
        database: { ...(({ ok, error }) => ({ ok, error }))(s.storage.status()), journalMode: journal },
        sync: sync.status(),
      };
    });
  api.add(router, { method: 'get', path: '/api/branch', tag: 'branch', access: 'public', summary: 'This branch: name, organization, region, time zone, hours', response: BranchView },
    () => s.branch.view());
  api.add(router, { method: 'patch', path: '/api/admin/branch', tag: 'admin', access: 'admin', summary: 'Rename the branch, set its time zone, opening hours or logo', body: BranchUpdateBody, response: BranchView },
    ({ body, actor }) => {
      s.audit.change(actor, { kind: 'branch', action: 'update', entityId: s.ctx.branchId }, {
        before: () => s.branch.view(),
        apply: () => s.branch.update(s.ctx.uow, body, (view) => {
          s.ctx.timeZone = view.timeZone;
          s.ctx.events.emit('catalog.changed');
        }, s.ctx.clock.now()),
        patch: body,
      });
      // The branch's description is refreshed once the change has committed.
      return s.branch.view();
    });
  api.add(router, {
    method: 'post', path: '/api/admin/branch/preview', tag: 'admin', access: 'admin', body: BranchUpdateBody, response: BranchChangePreview,
    summary: 'What a change of the branch would do to the visitors waiting now, before it is applied',
    description: 'The same body as PATCH /api/admin/branch; nothing is changed. A change of hours never ends a waiting ticket by itself: '
      + 'a ticket already waiting keeps, that day, at least the end it had before, and stays callable until a supervisor closes the day.',
  }, ({ body }) => {
    const view = s.branch.view();
    return s.ticketViews.closingPreview(body.openingHours ?? view.openingHours, body.timeZone ?? view.timeZone);
  });
  api.add(router, { method: 'get', path: '/api/queue', tag: 'branch', access: 'public', summary: 'Per service: waiting count and longest wait', response: QueueSummary },
    () => s.state.queueSummary());
  api.add(router, { method: 'put', path: '/api/display/message', tag: 'supervisor', access: 'supervisor', summary: 'The scrolling message of the call boards (empty text clears it)', body: DisplayMessageBody, response: z.object({ text: z.string().nullable() }) },
    ({ body, actor }) => {
      s.audit.change(actor, { kind: 'display', action: 'message' }, {
        before: () => ({ text: s.state.message() }), apply: () => s.state.setMessage(body.text), after: () => ({ text: body.text.trim() || null }),
      });
      return { text: s.state.message() };
    });
  api.add(router, { method: 'get', path: '/api/alerts', tag: 'supervisor', access: 'supervisor', summary: 'Recent alerts (printer problems, long waits, sync)', response: AlertView.array() },
    () => s.state.alerts());
  api.add(router, { method: 'post', path: '/api/branch/close-day', tag: 'supervisor', access: 'supervisor', summary: 'Close the day now: waiting tickets become expired', response: z.object({ expired: z.number().int() }) },
    () => ({ expired: s.tickets.expireNow() }));
}
