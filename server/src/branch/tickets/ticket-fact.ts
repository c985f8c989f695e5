// A ticket event as it leaves the branch: the outbox record typed by the replicated schema (shared/contracts/
// replicated.ts). Every column is named here, so renaming one at the branch fails the typecheck instead of
// silently changing what central receives.
import type { Channel, Language, QueueType, TicketStatus } from '../../shared/contracts/domain.js';
import type { TicketEventType, TicketPayloadV1, TicketSnapshotV1 } from '../../shared/contracts/replicated.js';
import type { OutboxFact } from '../db/outbox.js';
import type { TicketEventInput, TicketRow } from './ticket.repository.js';

export function ticketSnapshot(t: TicketRow): TicketSnapshotV1 {
  return {
    id: t.id, branch_id: t.branch_id, service_id: t.service_id, service_day: t.service_day, seq: t.seq, number: t.number,
    status: t.status as TicketStatus, queue_type: t.queue_type as QueueType, priority_reason: t.priority_reason,
    channel: t.channel as Channel, language: t.language as Language, phone: t.phone, email: t.email,
    issued_at: t.issued_at, due_at: t.due_at, called_at: t.called_at, started_at: t.started_at, finished_at: t.finished_at,
    counter_id: t.counter_id, target_counter_id: t.target_counter_id, parked_at: t.parked_at, recall_count: t.recall_count,
    agent_id: t.agent_id, device_id: t.device_id, booking_id: t.booking_id, outcome: t.outcome, note: t.note, updated_at: t.updated_at,
  };
}

export function ticketFact(e: TicketEventInput & { type: TicketEventType }): OutboxFact {
  const payload: TicketPayloadV1 = {
    ticket: ticketSnapshot(e.ticket),
    event: { id: e.id, type: e.type, from: e.from, to: e.to, at: e.at, counterId: e.counterId, userId: e.userId, deviceId: e.deviceId, data: e.data ?? {} },
  };
  return { eventId: e.id, aggregateType: 'ticket', aggregateId: e.ticket.id, eventType: `ticket.${e.type}`, occurredAt: e.at, payload };
}
