// Central's copy of each branch's directory (services with their letters, names and targets; staff display names)
// and of its printers' states and its services' pace, applied by the push ingest in the push's transaction (a newer
// seq replaces what is held). The console names services and agents from it, Now shows a printer out of paper, and
// the tracking page works the visitor's estimated wait out from the branch's own pace.
import type { Kysely, Migration } from 'kysely';
import { BranchDirectoryV1, DIRECTORY_PUBLISHED, PRINTER_STATUS, PrinterStatusV1, SERVICE_PACE, ServicePaceV1 } from '../../shared/contracts/branch-directory.js';
import type { CentralTrx } from '../db/database.js';
import type { SyncEventsTable } from '../db/schema.js';

export const branchDirectoryMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.createTable('branch_services')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull()).addColumn('name_fr', 'text', (c) => c.notNull())
      .addColumn('name_wo', 'text', (c) => c.notNull()).addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('target_wait_minutes', 'integer', (c) => c.notNull()).addColumn('removed', 'integer', (c) => c.notNull())
      .addColumn('source_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('branch_services_pk', ['branch_id', 'service_id'])
      .execute();
    await db.schema.createTable('branch_staff')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull()).addColumn('role', 'text', (c) => c.notNull())
      .addColumn('source_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('branch_staff_pk', ['branch_id', 'user_id'])
      .execute();
    await db.schema.createTable('branch_printers')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('printer', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text').addColumn('place', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()).addColumn('code', 'text')
      .addColumn('at', 'text', (c) => c.notNull()).addColumn('source_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('branch_printers_pk', ['branch_id', 'printer'])
      .execute();
  },
};

export const servicePaceMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    // double precision (8-byte in both dialects): the branch's average as it computed it, so the estimate is its own.
    await db.schema.createTable('branch_service_pace')
      .addColumn('branch_id', 'text', (c) => c.notNull()).addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('average_minutes', 'double precision', (c) => c.notNull()).addColumn('open_counters', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull()).addColumn('source_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('branch_service_pace_pk', ['branch_id', 'service_id'])
      .execute();
  },
};

export const branchServiceHoursMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    // The hours the line takes tickets (OpeningHours JSON, the branch's time zone); null: the branch did not say.
    await db.schema.alterTable('branch_services').addColumn('opening_hours', 'text').execute();
  },
};

export const branchNotifyAtMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    // The branch's own "your turn is near" position per service (its directory); null: head office's setting.
    await db.schema.alterTable('branch_services').addColumn('notify_at_position', 'integer').execute();
  },
};

/** Apply the directory, printer and pace facts among a push's accepted records; marks them applied. */
export async function applyDirectoryFacts(trx: CentralTrx, branchId: string, records: readonly SyncEventsTable[]): Promise<number> {
  const applied: string[] = [];
  for (const r of records) {
    if (r.status !== 'parked' || r.event_version !== 1) continue;
    if (r.event_type === DIRECTORY_PUBLISHED) {
      const dir = BranchDirectoryV1.safeParse(JSON.parse(r.payload));
      if (!dir.success || r.aggregate_id !== branchId) continue;
      const held = await trx.selectFrom('branch_services').select((eb) => eb.fn.max('source_seq').as('seq')).where('branch_id', '=', branchId).executeTakeFirst();
      const heldStaff = await trx.selectFrom('branch_staff').select((eb) => eb.fn.max('source_seq').as('seq')).where('branch_id', '=', branchId).executeTakeFirst();
      if (Math.max(Number(held?.seq ?? 0), Number(heldStaff?.seq ?? 0)) < r.seq) {
        await trx.deleteFrom('branch_services').where('branch_id', '=', branchId).execute();
        await trx.deleteFrom('branch_staff').where('branch_id', '=', branchId).execute();
        const services = dir.data.services.map((s) => ({
          branch_id: branchId, service_id: s.id, prefix: s.prefix, name_fr: s.name.fr, name_wo: s.name.wo, name_en: s.name.en,
          target_wait_minutes: s.targetWaitMinutes, removed: s.removed ? 1 : 0, source_seq: r.seq, notify_at_position: s.notifyAtPosition ?? null,
          opening_hours: s.openingHours ? JSON.stringify(s.openingHours) : null,
        }));
        if (services.length) await trx.insertInto('branch_services').values(services).execute();
        const staff = dir.data.staff.map((u) => ({ branch_id: branchId, user_id: u.id, display_name: u.displayName, role: u.role, source_seq: r.seq }));
        for (let i = 0; i < staff.length; i += 500) await trx.insertInto('branch_staff').values(staff.slice(i, i + 500)).execute();
      }
      applied.push(r.event_id);
    } else if (r.event_type === PRINTER_STATUS) {
      const p = PrinterStatusV1.safeParse(JSON.parse(r.payload));
      if (!p.success) continue;
      const row = { device_id: p.data.deviceId, place: p.data.where, state: p.data.state, code: p.data.code, at: new Date(p.data.at).toISOString(), source_seq: r.seq };
      await trx.insertInto('branch_printers').values({ branch_id: branchId, printer: p.data.printer, ...row })
        .onConflict((oc) => oc.columns(['branch_id', 'printer']).doUpdateSet(row).where('branch_printers.source_seq', '<', r.seq)).execute();
      applied.push(r.event_id);
    } else if (r.event_type === SERVICE_PACE) {
      const p = ServicePaceV1.safeParse(JSON.parse(r.payload));
      if (!p.success || r.aggregate_id !== p.data.serviceId) continue;
      const row = { average_minutes: p.data.averageMinutes, open_counters: p.data.openCounters, at: new Date(p.data.at).toISOString(), source_seq: r.seq };
      await trx.insertInto('branch_service_pace').values({ branch_id: branchId, service_id: p.data.serviceId, ...row })
        .onConflict((oc) => oc.columns(['branch_id', 'service_id']).doUpdateSet(row).where('branch_service_pace.source_seq', '<', r.seq)).execute();
      applied.push(r.event_id);
    }
  }
  if (applied.length) await trx.updateTable('sync_events').set({ status: 'applied' }).where('branch_id', '=', branchId).where('event_id', 'in', applied).execute();
  return applied.length;
}
