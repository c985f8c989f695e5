// Applying central's change feed at the branch: each change at most once (only when its version is newer than the
// one held), in the same SQLite transaction that saves the cursor. Entity types this branch does not know are
// parked, not fatal. Effects that reach screens run after the commit.
import { DISPLAY_MESSAGE_ENTITY, DisplayMessagePayload, type FeedChange, type FeedSnapshot, type PullResponse } from '../../shared/contracts/sync.js';
import { writeDisplayMessage } from '../supervision/display-message.js';
import type { BranchContext } from '../core/context.js';
import type { Tx } from '../db/unit-of-work.js';
import type { SyncDb } from './sync.repository.js';
import { BOOKING_ENTITY, bookingFeedHandler } from '../appointments/booking-feed.js';
import { PAYMENT_ENTITY, paymentFeedHandler } from '../payments/payment-feed.js';
import { ORG_CONFIG_ENTITY } from '../../shared/contracts/org-config.js';
import { CentralConfig } from '../services/central-config.js';
import { BranchInfo } from '../settings/branch-info.js';

interface FeedHandler {
  /** Apply one change inside the unit of work; returns an effect to run after the commit, if any. */
  apply(store: Tx, change: FeedChange): (() => void) | null;
  /** Forget every entity of this type (before a snapshot is applied). */
  clear(store: Tx): void;
}

/** Central → branch entity types this branch understands. Bookings (issue 6) add theirs here. */
export function feedHandlers(ctx: BranchContext): Record<string, FeedHandler> {
  const messageChanged = (text: string | null) => () => ctx.events.emit('message.changed', { text });
  return {
    [DISPLAY_MESSAGE_ENTITY]: {
      apply(store, change) {
        const text = change.op === 'delete' ? null : DisplayMessagePayload.parse(change.payload).text;
        return messageChanged(writeDisplayMessage(store, text));
      },
      clear(store) {
        writeDisplayMessage(store, null);
      },
    },
    [BOOKING_ENTITY]: bookingFeedHandler(),
    [PAYMENT_ENTITY]: paymentFeedHandler(ctx),
    [ORG_CONFIG_ENTITY]: new CentralConfig(ctx, new BranchInfo(ctx.store, ctx.branchId)).feedHandler(),
  };
}

function park(store: Tx, db: SyncDb, change: FeedChange, reason: string, now: string): void {
  store.run(db.insertInto('sync_parked').values({
    version: change.version, entity_type: change.entityType, entity_id: change.entityId, op: change.op,
    payload: change.payload === null ? null : JSON.stringify(change.payload), reason, received_at: now,
  }).onConflict((oc) => oc.column('version').doNothing()));
}

function applyOne(store: Tx, db: SyncDb, handlers: Record<string, FeedHandler>, change: FeedChange, now: string, force: boolean): (() => void) | null {
  const handler = handlers[change.entityType];
  if (!handler) {
    park(store, db, change, `entity type ${change.entityType} is not known to this branch version`, now);
    return null;
  }
  const held = store.first(db.selectFrom('sync_applied').select('version')
    .where('entity_type', '=', change.entityType).where('entity_id', '=', change.entityId));
  if (!force && held && held.version >= change.version) return null;
  let effect: (() => void) | null;
  try {
    effect = handler.apply(store, change);
  } catch (err) {
    // A change this branch cannot read is set aside like an unknown type: the feed goes on.
    park(store, db, change, `could not apply: ${err instanceof Error ? err.message : String(err)}`, now);
    return null;
  }
  store.run(db.insertInto('sync_applied').values({ entity_type: change.entityType, entity_id: change.entityId, version: change.version })
    .onConflict((oc) => oc.columns(['entity_type', 'entity_id']).doUpdateSet({ version: change.version })));
  return effect;
}

/** Apply a page of the feed and move the cursor, in one transaction. Returns how many changes were applied. */
export function applyFeedPage(ctx: BranchContext, db: SyncDb, page: PullResponse): number {
  const handlers = feedHandlers(ctx);
  const now = ctx.clock.now().toISOString();
  let applied = 0;
  ctx.uow.run((store) => {
    for (const change of page.changes) {
      const effect = applyOne(store, db, handlers, change, now, false);
      if (effect) {
        store.afterCommit(effect);
        applied += 1;
      }
    }
    store.run(db.updateTable('sync_state').set((eb) => ({ pull_cursor: eb.fn('max', [eb.ref('pull_cursor'), eb.val(page.cursor)]) })).where('id', '=', 1));
  });
  return applied;
}

/**
 * Start again from a snapshot (central compacted its feed past our cursor, or was restored from an older copy):
 * central's state replaces ours for every entity type we know, and the cursor jumps to the snapshot's version.
 */
export function applyFeedSnapshot(ctx: BranchContext, db: SyncDb, snapshot: FeedSnapshot): void {
  const handlers = feedHandlers(ctx);
  const now = ctx.clock.now().toISOString();
  ctx.uow.run((store) => {
    for (const [type, handler] of Object.entries(handlers)) {
      handler.clear(store);
      store.run(db.deleteFrom('sync_applied').where('entity_type', '=', type));
    }
    for (const change of snapshot.entities) {
      const effect = applyOne(store, db, handlers, change, now, true);
      if (effect) store.afterCommit(effect);
    }
    store.run(db.updateTable('sync_state').set({ pull_cursor: snapshot.version }).where('id', '=', 1));
    if (!snapshot.entities.some((e) => e.entityType === DISPLAY_MESSAGE_ENTITY)) store.afterCommit(() => ctx.events.emit('message.changed', { text: null }));
  });
}
