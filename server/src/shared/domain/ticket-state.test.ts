import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TicketStatus } from '../contracts/domain.js';
import { DomainError } from './errors.js';
import { nextStatus, transition, type TicketAction } from './ticket-state.js';

const ACTIONS: TicketAction[] = ['call', 'recall', 'start', 'complete', 'no_show', 'transfer', 'cancel', 'expire', 'park', 'unpark', 'absent'];

// The whole table, written out: a change to the state machine must change this test on purpose.
const LEGAL: Record<string, TicketStatus> = {
  'waiting:call': 'called', 'waiting:transfer': 'transferred', 'waiting:cancel': 'cancelled', 'waiting:expire': 'expired', 'waiting:absent': 'no_show',
  'transferred:call': 'called', 'transferred:unpark': 'called', 'transferred:transfer': 'transferred', 'transferred:cancel': 'cancelled', 'transferred:expire': 'expired', 'transferred:absent': 'no_show',
  'called:recall': 'called', 'called:start': 'serving', 'called:no_show': 'no_show', 'called:transfer': 'transferred', 'called:cancel': 'cancelled', 'called:park': 'transferred', 'called:expire': 'no_show',
  'serving:complete': 'served', 'serving:transfer': 'transferred', 'serving:park': 'transferred',
};

describe('ticket state machine', () => {
  for (const from of TICKET_STATUSES) {
    for (const action of ACTIONS) {
      const key = `${from}:${action}`;
      const expected = LEGAL[key];
      if (expected) {
        it(`${from} --${action}--> ${expected}`, () => {
          expect(transition(from, action)).toBe(expected);
        });
      } else {
        it(`${from} --${action}--> refused`, () => {
          expect(nextStatus(from, action)).toBeNull();
          let error: unknown;
          try { transition(from, action); } catch (err) { error = err; }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('INVALID_TRANSITION');
        });
      }
    }
  }

  it('final statuses have no way out', () => {
    for (const from of ['served', 'cancelled', 'expired', 'no_show'] as const) {
      for (const action of ACTIONS) expect(nextStatus(from, action)).toBeNull();
    }
  });
});
