// Outbox records shaped exactly like the branch writes them (TicketService.record), for tests and the benchmark
// that talk to central without a branch server.
import { v7 } from 'uuid';
import type { SyncEvent } from '../../server/src/shared/contracts/sync.js';

export interface TicketPlan {
  serviceId: string;
  prefix: string;
  agentId?: string | null;
  counterId?: string | null;
  issuedAt: Date;
  /** Seconds after issue of the first call (absent: never called). */
  waitSeconds?: number;
  /** Seconds from start to served (absent: not served). */
  serviceSeconds?: number;
  /** How it ends when not served. */
  end?: 'no_show' | 'cancelled' | 'expired';
}

/** The records of one ticket's life: issued, then called / started / served or its other end. */
export function ticketRecords(branchId: string, firstSeq: number, plan: TicketPlan, number: number): SyncEvent[] {
  const id = v7();
  const iso = (d: Date) => d.toISOString();
  const issued = iso(plan.issuedAt);
  const day = issued.slice(0, 10);
  let ticket: Record<string, unknown> = {
    id, branch_id: branchId, service_id: plan.serviceId, service_day: day, seq: number,
    number: `${plan.prefix}${String(number).padStart(3, '0')}`, status: 'waiting', queue_type: 'normal', priority_reason: null,
    channel: 'kiosk', language: 'fr', phone: null, email: null, issued_at: issued, due_at: null, called_at: null, started_at: null,
    finished_at: null, counter_id: null, target_counter_id: null, parked_at: null, recall_count: 0, agent_id: null, device_id: null,
    booking_id: null, outcome: null, note: null, updated_at: issued,
  };
  const out: SyncEvent[] = [];
  const push = (type: string, from: string | null, to: string, at: Date, patch: Record<string, unknown>) => {
    ticket = { ...ticket, ...patch, status: to, updated_at: iso(at) };
    const eventId = v7();
    out.push({
      seq: firstSeq + out.length, eventId, aggregateType: 'ticket', aggregateId: id, eventType: `ticket.${type}`, eventVersion: 1,
      occurredAt: iso(at),
      payload: {
        ticket: { ...ticket },
        event: { id: eventId, type, from, to, at: iso(at), counterId: type === 'issued' ? null : plan.counterId ?? null, userId: type === 'issued' ? null : plan.agentId ?? null, deviceId: null, data: {} },
      },
    });
  };
  push('issued', null, 'waiting', plan.issuedAt, {});
  if (plan.waitSeconds !== undefined) {
    const called = new Date(plan.issuedAt.getTime() + plan.waitSeconds * 1000);
    push('called', 'waiting', 'called', called, { called_at: iso(called), counter_id: plan.counterId ?? null, agent_id: plan.agentId ?? null });
    if (plan.serviceSeconds !== undefined) {
      const started = new Date(called.getTime() + 30_000);
      const served = new Date(started.getTime() + plan.serviceSeconds * 1000);
      push('started', 'called', 'serving', started, { started_at: iso(started) });
      push('served', 'serving', 'served', served, { finished_at: iso(served) });
      return out;
    }
  }
  if (plan.end) {
    const from = plan.waitSeconds !== undefined ? 'called' : 'waiting';
    const at = new Date(plan.issuedAt.getTime() + ((plan.waitSeconds ?? 60) + 60) * 1000);
    push(plan.end, from, plan.end, at, { finished_at: iso(at) });
  }
  return out;
}

/** n served tickets' records for a branch, from seq firstSeq on (4 records per ticket). */
export function servedTickets(branchId: string, n: number, firstSeq = 1, start = new Date('2025-03-03T09:00:00Z')): SyncEvent[] {
  const out: SyncEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push(...ticketRecords(branchId, firstSeq + out.length, {
      serviceId: 'svc-a', prefix: 'A', agentId: 'agent-1', counterId: 'counter-1',
      issuedAt: new Date(start.getTime() + i * 60_000), waitSeconds: 300, serviceSeconds: 240,
    }, i + 1));
  }
  return out;
}

/** The record of a counter calling, now, the waiting ticket an issue record created (as the branch writes it). */
export function callRecord(issued: SyncEvent, seq: number, counter: { id: string; number: number } = { id: 'counter-1', number: 1 }): SyncEvent {
  const payload = issued.payload as { ticket: Record<string, unknown>; event: Record<string, unknown> };
  const at = new Date().toISOString();
  const eventId = v7();
  return {
    ...issued, seq, eventId, eventType: 'ticket.called', occurredAt: at,
    payload: {
      ticket: { ...payload.ticket, status: 'called', called_at: at, counter_id: counter.id, updated_at: at },
      event: { ...payload.event, id: eventId, type: 'called', from: 'waiting', to: 'called', at, counterId: counter.id, data: { counterNumber: counter.number } },
    },
  };
}
