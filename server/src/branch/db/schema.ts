// The branch database, as Kysely sees it. Timestamps are ISO-8601 UTC strings (sortable); booleans are 0/1;
// JSON columns are text. Migrations (migrations.ts) are the source of the actual schema.
import type { Generated } from 'kysely';

export interface OrganizationsTable { id: string; name: string; type: string; region: string; created_at: string }
export interface BranchesTable {
  id: string; organization_id: string; name: string; code: string; time_zone: string; opening_hours: string;
  logo_url: string | null; created_at: string;
}
export interface SettingsTable { key: string; value: string }
export interface ServicesTable {
  id: string; branch_id: string; prefix: string; name_fr: string; name_wo: string; name_en: string; icon: string;
  target_wait_minutes: number; default_service_minutes: number; express: number; status: string;
  opening_hours: string | null; sort_order: number; created_at: string; updated_at: string; deleted_at: string | null;
  /** Whole francs CFA a visit costs; null: free (migration 0004_payments). */
  fee_xof: number | null;
  /** Head office's catalog key and the JSON list of the fields it manages; null: a local service (0005_central_config). */
  central_key: string | null;
  managed_fields: string | null;
  /** "Your turn is near" at this position; null: head office's default (0009_notify_at). */
  notify_at_position: number | null;
}
/** Configuration revisions received from head office, applied or refused (0005_central_config). */
export interface ConfigHistoryTable {
  id: string; organization_id: string; revision: number; outcome: string; reason: string | null; detail: string; at: string;
}
export interface CountersTable {
  id: string; branch_id: string; number: number; name: string; status: string; agent_id: string | null;
  current_ticket_id: string | null; created_at: string; updated_at: string; deleted_at: string | null;
}
export interface CounterServicesTable { counter_id: string; service_id: string; position: number }
export interface CounterEventsTable {
  id: string; counter_id: string; type: string; from_status: string | null; to_status: string; user_id: string | null; at: string;
}
export interface UsersTable {
  id: string; login: string; display_name: string; role: string; password_hash: string; active: number;
  created_at: string; updated_at: string;
}
export interface SessionsTable { token_hash: string; user_id: string; created_at: string; expires_at: string; revoked_at: string | null }
export interface DevicesTable {
  id: string; name: string; role: string; token_hash: string | null; pairing_code_hash: string | null;
  pairing_expires_at: string | null; paired_at: string | null; revoked_at: string | null; last_seen_at: string | null;
  printer: string | null; created_at: string;
}
export interface TicketsTable {
  id: string; branch_id: string; service_id: string; service_day: string; seq: number; number: string; status: string;
  queue_type: string; priority_reason: string | null; channel: string; language: string; phone: string | null;
  email: string | null; issued_at: string; due_at: string | null; called_at: string | null; started_at: string | null;
  finished_at: string | null; counter_id: string | null; target_counter_id: string | null; parked_at: string | null;
  recall_count: number; agent_id: string | null; device_id: string | null; booking_id: string | null;
  outcome: string | null; note: string | null; updated_at: string;
  /** When the visitor was at the branch: the issue time, except for a remote ticket until its check-in (0007_remote). */
  arrived_at: string | null;
  /** When call-next first passed over it because its visitor had not checked in (the skip rule, 0008_absent). */
  passed_over_at: string | null;
}
export interface TicketEventsTable {
  id: string; ticket_id: string; branch_id: string; service_id: string; type: string; from_status: string | null;
  to_status: string; at: string; counter_id: string | null; user_id: string | null; device_id: string | null; data: string | null;
}
export interface TicketSequencesTable { service_id: string; service_day: string; last_number: number }
export interface CommandsTable { command_id: string; principal_id: string; kind: string; result: string; created_at: string }
export interface OutboxTable {
  seq: Generated<number>; event_id: string; aggregate_type: string; aggregate_id: string; event_type: string;
  event_version: number; payload: string; occurred_at: string;
}
/** Admin changes (migration 0006_admin_audit); before/after are JSON. */
export interface AdminAuditTable {
  id: string; at: string; kind: string; action: string; entity_id: string | null; actor_id: string | null; actor_name: string;
  before_json: string | null; after_json: string | null;
}

export interface BranchDatabase {
  organizations: OrganizationsTable;
  branches: BranchesTable;
  settings: SettingsTable;
  services: ServicesTable;
  config_history: ConfigHistoryTable;
  counters: CountersTable;
  counter_services: CounterServicesTable;
  counter_events: CounterEventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  devices: DevicesTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_sequences: TicketSequencesTable;
  commands: CommandsTable;
  outbox: OutboxTable;
  admin_audit: AdminAuditTable;
  remote_settings: RemoteSettingsTable;
}
export interface RemoteSettingsTable { id: number; share_percent: number; min_per_hour: number; absent: string; grace_minutes: number; updated_at: string }
