// The tracking hub on a real Socket.IO server and a real central database (SQLite and PostgreSQL): a push this
// instance projected is refreshed once, not again at the next poll, and a push through another instance (seen only
// by the poll) still reaches the page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolBranch } from '../../server/src/central/branches/branches.js';
import type { CentralDb } from '../../server/src/central/db/database.js';
import { applyPush } from '../../server/src/central/ingest/ingest.js';
import { migrateNotifications } from '../../server/src/central/notifications/store.js';
import { trackDb } from '../../server/src/central/tracking/db.js';
import { TrackingHub } from '../../server/src/central/tracking/hub.js';
import { migrateTracking } from '../../server/src/central/tracking/tracking.migration.js';
import { EnrolBranchBody, type SyncEvent } from '../../server/src/shared/contracts/sync.js';
import { TRACK_NAMESPACE, type TrackClientToServer, type TrackServerToClient, type TrackView } from '../../server/src/shared/contracts/tracking.js';
import { centralDialects } from '../support/postgres.js';
import { callRecord, ticketRecords } from '../support/sync-records.js';
import { openTestCentralDb, waitFor } from '../support/central.js';

const dialects = await centralDialects();

/** Counts the statements that read the tickets table: what building views costs. */
class TicketReads implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from ?? {}).includes('"tickets"')) this.count += 1;
    return node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe.each(dialects)('tracking hub (%s)', (dialect) => {
  let cdb: CentralDb;
  let closeDb: (() => Promise<void>) | undefined;
  let server: http.Server;
  let io: Server;
  let hub: TrackingHub;
  const ticketReads = new TicketReads();
  const branchId = `hub-${dialect}`;
  let seq = 0;
  const sockets: Socket[] = [];

  /** Three tickets waiting since a minute ago, pushed: their issue records. */
  const pushLine = async (): Promise<SyncEvent[]> => {
    const at = Date.now() - 60_000;
    const issued = [0, 1, 2].map((i) => ticketRecords(branchId, seq + 1 + i, { serviceId: 'svc-a', prefix: 'A', issuedAt: new Date(at + i * 1000) }, i + 1)[0] as SyncEvent);
    seq += issued.length;
    await applyPush(cdb, branchId, { events: issued }, new Date().toISOString());
    return issued;
  };
  /** A counter calls the ticket an issue record created. */
  const pushCall = async (issued: SyncEvent) => {
    seq += 1;
    await applyPush(cdb, branchId, { events: [callRecord(issued, seq)] }, new Date().toISOString());
  };

  beforeAll(async () => {
    ({ cdb, close: closeDb } = await openTestCentralDb(dialect));
    await migrateNotifications(cdb.db);
    await migrateTracking(cdb.db);
    await enrolBranch(cdb, EnrolBranchBody.parse({ id: branchId, name: 'Agence Médina', region: 'Dakar', organization: { id: 'org', name: 'Org' } }), new Date().toISOString());
    server = http.createServer();
    io = new Server(server);
    hub = new TrackingHub(io, {
      db: trackDb(cdb.db.withPlugin(ticketReads)), logger: pino({ level: 'silent' }),
      viewContext: () => ({ now: new Date(), staleAfterSeconds: 600, defaultNotifyAt: 3, channels: { sms: false, email: false, push: false }, vapidPublicKey: null }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await closeDb?.();
  });

  it('refreshes a push it projected once, and a push it did not project at the next poll', async () => {
    const line = await pushLine();
    const last = line[2]?.aggregateId as string;
    const socket: Socket<TrackServerToClient, TrackClientToServer> = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}${TRACK_NAMESPACE}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    const positions: Array<number | null> = [];
    socket.on('track:update', (v) => positions.push(v.position));
    const joined = await new Promise<TrackView>((resolve, reject) => socket.emit('track:join', { ticketId: last, branchId }, (res) => (res.ok ? resolve(res.data) : reject(new Error(res.error.message)))));
    expect(joined.position).toBe(3);
    await hub.poll(); // the branch's mark as the page joined

    // This instance projects a push (the first ticket called): the refresh after it updates the page...
    await pushCall(line[0] as SyncEvent);
    await hub.refresh(branchId, []);
    await waitFor('the update after the refresh', () => positions.length >= 1, 5_000);
    expect(positions).toEqual([2]);
    // ...and the next poll does not build the same views again.
    const reads = ticketReads.count;
    await hub.poll();
    expect(ticketReads.count).toBe(reads);

    // A push through another instance (the second ticket called): only the poll sees it, and the page hears of it.
    await pushCall(line[1] as SyncEvent);
    await hub.poll();
    await waitFor('the update after the poll', () => positions.length >= 2, 5_000);
    expect(positions).toEqual([2, 1]);
    expect(ticketReads.count).toBeGreaterThan(reads);
  });
});
