// The central database as Kysely sees it. Column types are the portable subset of SQLite and PostgreSQL:
// text (ids, ISO-8601 UTC timestamps that sort as text, JSON documents) and integer. migrations.ts is the source.
export interface CentralOrganizationsTable { id: string; name: string; type: string; created_at: string }
export interface CentralBranchesTable {
  id: string; organization_id: string; name: string; code: string | null; region: string; time_zone: string;
  status: string; created_at: string; updated_at: string;
}
export interface BranchCredentialsTable { id: string; branch_id: string; token_hash: string; created_at: string; revoked_at: string | null }
/** One row per branch: the push position (last_seq), the feed head and what the branch last reported. */
export interface BranchSyncTable {
  branch_id: string; last_seq: number; head_seq: number; oldest_pending_at: string | null; last_push_at: string | null;
  last_pull_at: string | null; pull_cursor: number | null; rejected_count: number; feed_version: number; feed_floor: number;
}
/** Every record a branch pushed and central accepted (applied, or parked when central has no materialiser for it). */
export interface SyncEventsTable {
  event_id: string; branch_id: string; seq: number; aggregate_type: string; aggregate_id: string; event_type: string;
  event_version: number; payload: string; occurred_at: string; received_at: string; status: string;
}
/** Malformed records, set aside: they still advance last_seq so one bad record never blocks a branch. */
export interface SyncQuarantineTable { branch_id: string; seq: number; event_id: string | null; reason: string; record: string; received_at: string }
export interface CentralTicketsTable {
  id: string; branch_id: string; service_id: string; service_day: string; number: string; status: string; queue_type: string;
  priority_reason: string | null; channel: string; language: string; issued_at: string; due_at: string | null;
  called_at: string | null; started_at: string | null; finished_at: string | null; counter_id: string | null;
  agent_id: string | null; booking_id: string | null; outcome: string | null; recall_count: number; updated_at: string;
  /** Branch seq of the record this row was last written from: a row is replaced only by a newer one. */
  source_seq: number;
  /** The first call (a transferred ticket is called again; the visitor waited until the first). */
  first_called_at: string | null;
}
export interface CentralTicketEventsTable {
  id: string; ticket_id: string; branch_id: string; service_id: string; type: string; from_status: string | null;
  to_status: string; at: string; counter_id: string | null; user_id: string | null; device_id: string | null; data: string | null;
}
export interface BranchFeedTable {
  branch_id: string; version: number; entity_type: string; entity_id: string; op: string; payload: string | null; created_at: string;
}
export interface CentralSettingsTable { key: string; value: string }
/** Head-office accounts (central/accounts). role: platform_admin | org_admin | analyst; organization_id null only for platform admins. */
export interface OfficeUsersTable {
  id: string; login: string; display_name: string; password_hash: string; role: string; organization_id: string | null;
  active: number; created_at: string; updated_at: string;
}
export interface OfficeSessionsTable { token_hash: string; user_id: string; created_at: string; expires_at: string; revoked_at: string | null }
export interface OfficeAuditTable {
  id: string; at: string; actor_id: string | null; actor_login: string; organization_id: string | null; action: string;
  target: string | null; details: string | null;
}

/** Rollups maintained by ingestion (central/analytics/rollups.ts). day and hour are local to the branch. */
export interface RollupServiceHourTable {
  branch_id: string; service_id: string; day: string; hour: number; weekday: number; issued: number; served: number;
  no_show: number; cancelled: number; expired: number; waited: number; wait_seconds: number; service_count: number; service_seconds: number;
}
/** Tickets per whole minute of wait (kind 'wait') or of service (kind 'service'). */
export interface RollupMinutesTable { branch_id: string; service_id: string; day: string; kind: string; minute: number; count: number }
export interface RollupAgentDayTable { branch_id: string; agent_id: string; day: string; served: number; service_seconds: number }
/** Coarse rollups (the sums of the rows above they group): per branch, service and day; per branch, day and hour; histograms per month ('YYYY-MM'). */
export interface RollupServiceDayTable { branch_id: string; service_id: string; day: string; issued: number; served: number; no_show: number; cancelled: number; expired: number }
export interface RollupBranchHourTable { branch_id: string; day: string; hour: number; weekday: number; issued: number; served: number }
export interface RollupMinutesMonthTable { branch_id: string; service_id: string; month: string; kind: string; minute: number; count: number }

/** An organization's configuration pushed to its branches (central/config). document: OrgConfigBody as JSON. */
export interface OrgConfigsTable { organization_id: string; revision: number; document: string; updated_at: string; updated_by: string | null }
/** Where a branch stands with its organization's configuration: what was pushed, what it answered. */
export interface OrgConfigBranchesTable {
  branch_id: string; organization_id: string; pushed_revision: number; pushed_at: string;
  applied_revision: number | null; applied_at: string | null; outcome: string | null; reason: string | null;
}

/** Each branch's directory and printers as it last sent them (central/analytics/directory.ts). */
export interface BranchServicesTable {
  branch_id: string; service_id: string; prefix: string; name_fr: string; name_wo: string; name_en: string; target_wait_minutes: number; removed: number; source_seq: number;
  /** The branch's "your turn is near" position for the service; null: head office's (0014_branch_notify_at). */
  notify_at_position: number | null;
  /** The hours the line takes tickets (OpeningHours JSON); null: the branch did not say (0017_branch_service_hours). */
  opening_hours: string | null;
}
export interface BranchStaffTable { branch_id: string; user_id: string; display_name: string; role: string; source_seq: number }
/** Each service's pace as its branch last sent it: the estimate of the tracking page (analytics/directory.ts). */
export interface BranchServicePaceTable { branch_id: string; service_id: string; average_minutes: number; open_counters: number; at: string; source_seq: number }
export interface BranchPrintersTable { branch_id: string; printer: string; device_id: string | null; place: string; state: string; code: string | null; at: string; source_seq: number }

export interface CentralDatabase {
  organizations: CentralOrganizationsTable;
  branches: CentralBranchesTable;
  branch_credentials: BranchCredentialsTable;
  branch_sync: BranchSyncTable;
  sync_events: SyncEventsTable;
  sync_quarantine: SyncQuarantineTable;
  tickets: CentralTicketsTable;
  ticket_events: CentralTicketEventsTable;
  branch_feed: BranchFeedTable;
  central_settings: CentralSettingsTable;
  office_users: OfficeUsersTable;
  office_sessions: OfficeSessionsTable;
  office_audit: OfficeAuditTable;
  rollup_service_hour: RollupServiceHourTable;
  rollup_minutes: RollupMinutesTable;
  rollup_agent_day: RollupAgentDayTable;
  rollup_service_day: RollupServiceDayTable;
  rollup_branch_hour: RollupBranchHourTable;
  rollup_minutes_month: RollupMinutesMonthTable;
  org_configs: OrgConfigsTable;
  org_config_branches: OrgConfigBranchesTable;
  branch_services: BranchServicesTable;
  branch_staff: BranchStaffTable;
  branch_printers: BranchPrintersTable;
  branch_service_pace: BranchServicePaceTable;
}
