// The central database as the tracking module sees it: central's tables plus its own and the delivery log.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Kysely, Transaction } from 'kysely';
import type { CentralDatabase } from '../db/schema.js';
import type { NotificationTables } from '../notifications/store.js';
import type { TrackingTables } from './tracking.migration.js';

export type TrackDatabase = CentralDatabase & TrackingTables & NotificationTables;
export type TrackDb = Kysely<TrackDatabase>;
export type TrackTrx = Transaction<TrackDatabase>;
export type TrackQuery = TrackDb | TrackTrx;

export function trackDb(db: Kysely<any>): TrackDb {
  return db as unknown as TrackDb;
}
