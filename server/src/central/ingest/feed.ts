// The per-branch change feed (central → branch, SYNC.md "Pull"). Every change meant for a branch gets the next
// version of that branch's feed in the same transaction as the change; the branch reads it with a cursor.
import { sql } from 'kysely';
import type { FeedChange, FeedOp, FeedSnapshot, PullResponse } from '../../shared/contracts/sync.js';
import { lockBranchSync, type CentralDb, type CentralTrx } from '../db/database.js';
import { CentralError } from '../http/errors.js';
import type { BranchFeedTable } from '../db/schema.js';
import { hintLink } from './link.js';

export interface FeedInput { entityType: string; entityId: string; op: FeedOp; payload: unknown }

/**
 * Append a change to a branch's feed inside the caller's transaction (bookings, cancellations, configuration…
 * call this next to their own writes). Returns the version given to the change.
 */
export async function appendFeed(trx: CentralTrx, dialect: CentralDb['dialect'], branchId: string, change: FeedInput, now: string): Promise<number> {
  const sync = await lockBranchSync(trx, dialect, branchId);
  if (!sync) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
  const version = sync.feed_version + 1;
  await trx.updateTable('branch_sync').set({ feed_version: version }).where('branch_id', '=', branchId).execute();
  await trx.insertInto('branch_feed').values({
    branch_id: branchId, version, entity_type: change.entityType, entity_id: change.entityId, op: change.op,
    payload: change.op === 'delete' ? null : JSON.stringify(change.payload ?? null), created_at: now,
  }).execute();
  // The branch's live link looks at the committed version (the hub reads it again until it sees it).
  hintLink({ kind: 'feed', branchId });
  return version;
}

function toChange(row: BranchFeedTable): FeedChange {
  return {
    version: row.version, entityType: row.entity_type, entityId: row.entity_id, op: row.op as FeedOp,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown), createdAt: row.created_at,
  };
}

export type PullOutcome = { kind: 'page'; page: PullResponse } | { kind: 'expired'; snapshot: FeedSnapshot };

/** A page of changes after the cursor, or a snapshot when the cursor can no longer be served. */
export async function readFeed(cdb: CentralDb, branchId: string, cursor: number, limit: number, now: string): Promise<PullOutcome> {
  const sync = await cdb.db.selectFrom('branch_sync').selectAll().where('branch_id', '=', branchId).executeTakeFirst();
  if (!sync) throw new CentralError(403, 'BRANCH_NOT_ENROLLED', `branch ${branchId} is not enrolled at central`);
  await cdb.db.updateTable('branch_sync').set({ last_pull_at: now, pull_cursor: cursor }).where('branch_id', '=', branchId).execute();
  // Compacted past the cursor, or a cursor from the future (central restored from an older backup).
  if (cursor < sync.feed_floor || cursor > sync.feed_version) return { kind: 'expired', snapshot: await feedSnapshot(cdb, branchId) };
  const rows = await cdb.db.selectFrom('branch_feed').selectAll()
    .where('branch_id', '=', branchId).where('version', '>', cursor)
    .orderBy('version').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { kind: 'page', page: { changes: page.map(toChange), cursor: last ? last.version : cursor, hasMore: rows.length > limit } };
}

/** The latest state of every live entity of a branch's feed, and the version it is complete up to. */
export async function feedSnapshot(cdb: CentralDb, branchId: string): Promise<FeedSnapshot> {
  const head = await cdb.db.selectFrom('branch_sync').select('feed_version').where('branch_id', '=', branchId).executeTakeFirstOrThrow();
  const rows = await cdb.db.selectFrom('branch_feed as f').selectAll('f')
    .where('f.branch_id', '=', branchId)
    .where('f.version', '<=', head.feed_version)
    .where('f.op', '=', 'upsert')
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('branch_feed as g').select(sql.lit(1).as('one'))
        .whereRef('g.branch_id', '=', 'f.branch_id').whereRef('g.entity_type', '=', 'f.entity_type')
        .whereRef('g.entity_id', '=', 'f.entity_id').whereRef('g.version', '>', 'f.version')
        .where('g.version', '<=', head.feed_version),
    )))
    .orderBy('f.version').execute();
  return { version: head.feed_version, entities: rows.map(toChange) };
}

/**
 * Compact a branch's feed up to a version: superseded changes go (a reader gets the newer one anyway) and so do
 * deletions, which raises the floor: a branch whose cursor is below it gets 410 and a snapshot.
 */
export async function compactFeed(cdb: CentralDb, branchId: string, upToVersion: number): Promise<{ deleted: number; floor: number }> {
  return cdb.db.transaction().execute(async (trx) => {
    const sync = await lockBranchSync(trx, cdb.dialect, branchId);
    if (!sync) throw new CentralError(404, 'NOT_FOUND', `branch ${branchId} is not enrolled`);
    const upTo = Math.min(upToVersion, sync.feed_version);
    const tombstone = await trx.selectFrom('branch_feed').select((eb) => eb.fn.max('version').as('v'))
      .where('branch_id', '=', branchId).where('op', '=', 'delete').where('version', '<=', upTo).executeTakeFirst();
    const result = await trx.deleteFrom('branch_feed as f')
      .where('f.branch_id', '=', branchId).where('f.version', '<=', upTo)
      .where(({ or, eb, exists, selectFrom }) => or([
        eb('f.op', '=', 'delete'),
        exists(selectFrom('branch_feed as g').select(sql.lit(1).as('one'))
          .whereRef('g.branch_id', '=', 'f.branch_id').whereRef('g.entity_type', '=', 'f.entity_type')
          .whereRef('g.entity_id', '=', 'f.entity_id').whereRef('g.version', '>', 'f.version')),
      ]))
      .executeTakeFirst();
    const floor = Math.max(sync.feed_floor, Number(tombstone?.v ?? 0));
    if (floor !== sync.feed_floor) await trx.updateTable('branch_sync').set({ feed_floor: floor }).where('branch_id', '=', branchId).execute();
    return { deleted: Number(result.numDeletedRows), floor };
  });
}
