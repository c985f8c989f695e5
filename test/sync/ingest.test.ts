// Batch application at central (SYNC.md "Push"), straight on the database layer, for SQLite and PostgreSQL:
// duplicates, a gap, a bad record in the middle, an empty batch, and the ownership rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolBranch } from '../../server/src/central/branches/branches.js';
import type { CentralDb } from '../../server/src/central/db/database.js';
import { CentralError } from '../../server/src/central/http/errors.js';
import { applyPush } from '../../server/src/central/ingest/ingest.js';
import { EnrolBranchBody, type SyncEvent } from '../../server/src/shared/contracts/sync.js';
import { openTestCentralDb } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { servedTickets, ticketRecords } from '../support/sync-records.js';

const dialects = await centralDialects();
const NOW = '2025-03-03T12:00:00.000Z';

describe.each(dialects)('central batch application (%s)', (dialect) => {
  let cdb: CentralDb;
  let closeDb: (() => Promise<void>) | undefined;
  let n = 0;

  beforeAll(async () => {
    ({ cdb, close: closeDb } = await openTestCentralDb(dialect));
  });
  afterAll(async () => {
    await closeDb?.();
  });

  async function newBranch(): Promise<string> {
    n += 1;
    const id = `branch-${dialect}-${n}`;
    await enrolBranch(cdb, EnrolBranchBody.parse({ id, name: `Agence ${n}`, region: 'Thiès', organization: { id: 'org', name: 'Org' } }), NOW);
    return id;
  }

  /** Everything central holds for a branch, to compare before and after a refused batch. */
  async function holdings(branchId: string) {
    const events = await cdb.db.selectFrom('sync_events').select(['seq', 'event_id', 'status']).where('branch_id', '=', branchId).orderBy('seq').execute();
    const quarantine = await cdb.db.selectFrom('sync_quarantine').select(['seq', 'event_id', 'reason']).where('branch_id', '=', branchId).orderBy('seq').execute();
    const tickets = await cdb.db.selectFrom('tickets').select(['id', 'status', 'source_seq']).where('branch_id', '=', branchId).orderBy('id').execute();
    const ticketEvents = await cdb.db.selectFrom('ticket_events').select(['id', 'type']).where('branch_id', '=', branchId).orderBy('id').execute();
    const sync = await cdb.db.selectFrom('branch_sync').select(['last_seq', 'rejected_count']).where('branch_id', '=', branchId).executeTakeFirstOrThrow();
    return { events, quarantine, tickets, ticketEvents, sync };
  }

  const push = (branchId: string, events: unknown[], extra: { headSeq?: number } = {}) =>
    applyPush(cdb, branchId, { events: events as SyncEvent[], ...extra }, NOW);

  async function refusal(p: Promise<unknown>): Promise<CentralError> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CentralError);
    return err as CentralError;
  }

  it('applies an empty batch as a heartbeat: nothing written, position unchanged', async () => {
    const b = await newBranch();
    const res = await push(b, [], { headSeq: 0 });
    expect(res).toEqual({ ackedSeq: 0, rejected: [], applied: 0, duplicates: 0 });
    const h = await holdings(b);
    expect(h.events).toEqual([]);
    expect(h.sync.last_seq).toBe(0);
    const sync = await cdb.db.selectFrom('branch_sync').select('last_push_at').where('branch_id', '=', b).executeTakeFirstOrThrow();
    expect(sync.last_push_at).toBe(NOW);
  });

  it('applies a batch once: records, tickets and their history; a replay changes nothing', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 5);
    const first = await push(b, records);
    expect(first).toMatchObject({ ackedSeq: 20, rejected: [], applied: 20, duplicates: 0 });
    const after = await holdings(b);
    expect(after.events.map((e) => e.event_id)).toEqual(records.map((r) => r.eventId));
    expect(after.tickets).toHaveLength(5);
    expect(after.tickets.every((t) => t.status === 'served')).toBe(true);
    expect(after.ticketEvents).toHaveLength(20);

    const replay = await push(b, records);
    expect(replay).toMatchObject({ ackedSeq: 20, applied: 0, duplicates: 20 });
    expect(await holdings(b)).toEqual(after);
  });

  it('skips the duplicates at the head of a batch that overlaps what central holds', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 3);
    await push(b, records.slice(0, 5));
    const res = await push(b, records.slice(2, 12));
    expect(res).toMatchObject({ ackedSeq: 12, applied: 7, duplicates: 3 });
    const h = await holdings(b);
    expect(h.events.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(h.events.map((e) => e.event_id)).size).toBe(12);
  });

  it('refuses a gap with 409 and the expected seq, writing nothing', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 2);
    await push(b, records.slice(0, 2));
    const before = await holdings(b);
    const err = await refusal(push(b, records.slice(3, 6)));
    expect(err.status).toBe(409);
    expect(err.code).toBe('SEQUENCE_GAP');
    expect(err.details).toEqual({ expectedSeq: 3, lastSeq: 2 });
    expect(await holdings(b)).toEqual(before);
  });

  it('refuses a batch whose records are not consecutive, writing nothing', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 2);
    const err = await refusal(push(b, [records[0], records[2], records[1]]));
    expect(err.status).toBe(400);
    expect(err.code).toBe('SEQUENCE_NOT_CONSECUTIVE');
    expect((await holdings(b)).events).toEqual([]);
  });

  it('quarantines a bad record in the middle, applies the others, and still advances last_seq', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 2).map((r) => ({ ...r })) as Array<Record<string, unknown>>;
    records[3] = { ...records[3], payload: { ticket: { id: 'nope' }, event: {} } };
    records[5] = { ...records[5], occurredAt: 'yesterday' };
    const res = await push(b, records);
    expect(res.ackedSeq).toBe(8);
    expect(res.rejected.map((r) => r.seq)).toEqual([4, 6]);
    expect(res.rejected[0]?.reason).toMatch(/malformed ticket payload/);
    expect(res.rejected[1]?.reason).toMatch(/occurredAt/);
    const h = await holdings(b);
    expect(h.events.map((e) => e.seq)).toEqual([1, 2, 3, 5, 7, 8]);
    expect(h.quarantine.map((q) => q.seq)).toEqual([4, 6]);
    expect(h.sync).toEqual({ last_seq: 8, rejected_count: 2 });
    // Replaying the batch: the quarantined records are duplicates too, nothing moves.
    const replay = await push(b, records);
    expect(replay).toMatchObject({ ackedSeq: 8, rejected: [], applied: 0, duplicates: 8 });
    expect(await holdings(b)).toEqual(h);
  });

  it('refuses another record at a seq central already holds (409 SEQUENCE_CONFLICT)', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 1);
    await push(b, records);
    const before = await holdings(b);
    const other = servedTickets(b, 1);
    const err = await refusal(push(b, other));
    expect(err.status).toBe(409);
    expect(err.code).toBe('SEQUENCE_CONFLICT');
    expect(await holdings(b)).toEqual(before);
  });

  it('never lets a branch write another branch\'s records', async () => {
    const a = await newBranch();
    const b = await newBranch();
    const ofA = servedTickets(a, 1);
    await push(a, ofA);
    const aBefore = await holdings(a);
    // b sends a record with an event id of a's, a ticket claiming to be a's, and a's ticket id under b's name.
    const claimsA = ticketRecords(a, 2, { serviceId: 's', prefix: 'B', issuedAt: new Date('2025-03-03T10:00:00Z') }, 1);
    const reuseTicket = structuredClone(servedTickets(b, 1)[0]) as SyncEvent & { payload: { ticket: { id: string } } };
    reuseTicket.seq = 3;
    reuseTicket.aggregateId = ofA[0]?.aggregateId as string;
    reuseTicket.payload.ticket.id = ofA[0]?.aggregateId as string;
    const reuseEventId = structuredClone(servedTickets(b, 1)[0]) as SyncEvent & { payload: { event: { id: string } } };
    reuseEventId.eventId = ofA[0]?.eventId as string;
    reuseEventId.payload.event.id = ofA[0]?.eventId as string;
    const res = await push(b, [reuseEventId, ...claimsA, reuseTicket]);
    expect(res.ackedSeq).toBe(3);
    // Only the record claiming to be a's is refused: the reused ids are b's own records, keyed by b (issue 14, point 17).
    expect(res.rejected.map((r) => r.seq)).toEqual([2]);
    expect(res.rejected[0]?.reason).toMatch(/belongs to branch/);
    expect(await holdings(a)).toEqual(aBefore);
    expect((await holdings(b)).tickets.map((t) => t.id)).toContain(ofA[0]?.aggregateId);
  });

  it('parks records it cannot materialise yet (unknown aggregate, newer event version) and acknowledges them', async () => {
    const b = await newBranch();
    const [issued] = servedTickets(b, 1);
    const booking = { seq: 2, eventId: 'bk-1', aggregateType: 'booking', aggregateId: 'bk', eventType: 'booking.created', eventVersion: 1, payload: { any: 'thing' }, occurredAt: NOW };
    const future = { ...issued, seq: 3, eventId: 'tk-v2', eventVersion: 2, payload: { shape: 'of tomorrow' } };
    const res = await push(b, [issued, booking, future]);
    expect(res).toMatchObject({ ackedSeq: 3, rejected: [], applied: 3 });
    const h = await holdings(b);
    expect(h.events.map((e) => [e.seq, e.status])).toEqual([[1, 'applied'], [2, 'parked'], [3, 'parked']]);
  });

  it('applies a record whose text holds a NUL or a lone surrogate instead of failing the push at every retry', async () => {
    const b = await newBranch();
    const [issued] = servedTickets(b, 1);
    // A literal backslash before "u0000" is ordinary text and must come back unchanged.
    const odd = { seq: 2, eventId: 'bk-odd', aggregateType: 'booking', aggregateId: 'a\u0000b\ud800c', eventType: 'booking.created', eventVersion: 1, payload: { note: 'x\\u0000y' }, occurredAt: NOW };
    const res = await push(b, [issued, odd]);
    expect(res).toMatchObject({ ackedSeq: 2, rejected: [], applied: 2 });
    const row = await cdb.db.selectFrom('sync_events').select(['aggregate_id', 'payload']).where('branch_id', '=', b).where('seq', '=', 2).executeTakeFirstOrThrow();
    // PostgreSQL text can hold neither: both become U+FFFD. (SQLite keeps the NUL; its driver writes the surrogate as UTF-8 bytes it reads back as three U+FFFD.)
    if (dialect === 'postgres') expect(row.aggregate_id).toBe('a\ufffdb\ufffdc');
    else expect(row.aggregate_id.startsWith('a\u0000b')).toBe(true);
    expect(JSON.parse(row.payload)).toEqual({ note: 'x\\u0000y' });
  });

  it('keeps the newest state of a ticket when one batch carries several of its records', async () => {
    const b = await newBranch();
    const records = ticketRecords(b, 1, { serviceId: 's', prefix: 'A', issuedAt: new Date('2025-03-03T10:00:00Z'), waitSeconds: 60, serviceSeconds: 100 }, 1);
    await push(b, records);
    const [t] = (await holdings(b)).tickets;
    expect(t).toMatchObject({ status: 'served', source_seq: 4 });
  });

  it('applies the same batch exactly once when it arrives many times at once', async () => {
    const b = await newBranch();
    const records = servedTickets(b, 25);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => push(b, records)));
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(ok).toHaveLength(6);
    expect(ok.filter((r) => r.applied === 100)).toHaveLength(1);
    expect(ok.filter((r) => r.duplicates === 100)).toHaveLength(5);
    const h = await holdings(b);
    expect(h.events).toHaveLength(100);
    expect(h.ticketEvents).toHaveLength(100);
    expect(h.sync.last_seq).toBe(100);
  });

  it('refuses a batch of more than 500 records with 413', async () => {
    const b = await newBranch();
    const err = await refusal(push(b, servedTickets(b, 126)));
    expect(err.status).toBe(413);
    expect(err.code).toBe('BATCH_TOO_LARGE');
    expect((await holdings(b)).events).toEqual([]);
  });
});
