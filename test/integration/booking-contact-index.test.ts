// "My bookings" looks a visitor's bookings up by their confirmed phone or e-mail: the lookup must use an index of
// its own on both of central's databases, not read every booking of the country.
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactBookingsQuery } from '../../server/src/central/booking/booking.service.js';
import type { CentralDb } from '../../server/src/central/db/database.js';
import { openTestCentralDb } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';

const dialects = await centralDialects();

describe.each(dialects)('the contact lookup of bookings on %s', (dialect) => {
  let cdb: CentralDb;
  let close: () => Promise<void>;
  beforeAll(async () => { ({ cdb, close } = await openTestCentralDb(dialect)); });
  afterAll(async () => { await close(); });

  const plan = async (contact: { phone: string } | { email: string }): Promise<string> => {
    const q = contactBookingsQuery(cdb, contact, '2026-12-01T00:00:00.000Z', 20).compile();
    return cdb.db.transaction().execute(async (trx) => {
      // An empty table is cheapest to scan: forbid the scan so the plan shows whether an index can serve the query.
      if (dialect === 'postgres') await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const prefix = dialect === 'postgres' ? 'EXPLAIN ' : 'EXPLAIN QUERY PLAN ';
      const rows = (await trx.executeQuery(CompiledQuery.raw(prefix + q.sql, [...q.parameters]))).rows as Array<Record<string, unknown>>;
      return rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
    });
  };

  it('finds the bookings of a phone number through bookings_phone', async () => {
    expect(await plan({ phone: '+221771234567' })).toMatch(/bookings_phone/);
  });

  it('finds the bookings of an e-mail address through bookings_email', async () => {
    expect(await plan({ email: 'awa@example.sn' })).toMatch(/bookings_email/);
  });
});
