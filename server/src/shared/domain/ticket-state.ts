// The ticket state machine: the one place that decides which transition is legal.
import type { TicketStatus } from '../contracts/domain.js';
import { DomainError } from './errors.js';

export type TicketAction = 'call' | 'recall' | 'start' | 'complete' | 'no_show' | 'transfer' | 'cancel' | 'expire' | 'park' | 'unpark' | 'absent';

/** Event type written to ticket_events for each action (issued is written at creation). */
export const EVENT_OF_ACTION = {
  call: 'called',
  recall: 'recalled',
  start: 'started',
  complete: 'served',
  no_show: 'no_show',
  transfer: 'transferred',
  cancel: 'cancelled',
  expire: 'expired',
  park: 'parked',
  unpark: 'unparked',
  // A remote visitor passed over under the skip rule who did not check in within the grace time (the sweep).
  absent: 'no_show',
} as const satisfies Record<TicketAction, string>;

/**
 * from-status → action → to-status. Anything absent is illegal.
 * `transferred` is a waiting state in another line (another service, or a given counter): it keeps its number and
 * its original issue time. `park` sets a called/serving ticket aside at the counter (it waits as `transferred` to that
 * counter, hidden from call-next) until the agent brings it back (`unpark` = call it again).
 */
const TRANSITIONS: Readonly<Record<TicketStatus, Partial<Record<TicketAction, TicketStatus>>>> = {
  waiting: { call: 'called', transfer: 'transferred', cancel: 'cancelled', expire: 'expired', absent: 'no_show' },
  transferred: { call: 'called', unpark: 'called', transfer: 'transferred', cancel: 'cancelled', expire: 'expired', absent: 'no_show' },
  called: { recall: 'called', start: 'serving', no_show: 'no_show', transfer: 'transferred', cancel: 'cancelled', park: 'transferred', expire: 'no_show' },
  serving: { complete: 'served', transfer: 'transferred', park: 'transferred' },
  served: {},
  cancelled: {},
  expired: {},
  no_show: {},
};

/** Called or being served: the ticket is at its counter, and only that counter's agent (or a supervisor) acts on it. */
export const AT_COUNTER_STATUSES: readonly TicketStatus[] = ['called', 'serving'];
export const WAITING_STATUSES: readonly TicketStatus[] = ['waiting', 'transferred'];
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['waiting', 'transferred', 'called', 'serving'];
export const FINAL_STATUSES: readonly TicketStatus[] = ['served', 'cancelled', 'expired', 'no_show'];

export function nextStatus(from: TicketStatus, action: TicketAction): TicketStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

/** The status after `action`, or a 409-class DomainError that changes nothing. */
export function transition(from: TicketStatus, action: TicketAction): TicketStatus {
  const to = nextStatus(from, action);
  if (!to) {
    throw new DomainError('INVALID_TRANSITION', `cannot ${action.replace('_', '-')} a ticket that is ${from.replace('_', '-')}`, { from, action });
  }
  return to;
}

/** Waiting in a line (a ticket that has a position), as opposed to at a counter or finished. */
export function isWaitingStatus(status: TicketStatus): boolean {
  return WAITING_STATUSES.includes(status);
}

export function isFinal(status: TicketStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
