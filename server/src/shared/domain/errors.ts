/**
 * A rule of the domain was broken. The code is stable (clients switch on it); adapters map it to a
 * transport status (HTTP 4xx) in exactly one place: http/errors.ts.
 */
export type DomainErrorCode =
  | 'VALIDATION_ERROR'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'SERVICE_CLOSED'
  | 'COUNTER_CLOSED'
  | 'COUNTER_NOT_SERVING'
  | 'COUNTER_BUSY'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  /** A local change of a field head office manages (configuration pushed to branches). */
  | 'MANAGED_BY_CENTRAL'
  // Appointment check-in (see appointments/): the kiosk switches on these to tell the visitor what to do.
  | 'BOOKING_NOT_FOUND'
  | 'WRONG_BRANCH'
  | 'BOOKING_CANCELLED'
  | 'ALREADY_CHECKED_IN'
  | 'CHECK_IN_TOO_EARLY'
  | 'CHECK_IN_MISSED'
  // Remote tickets (remote/): the branch's share of remote tickets this hour is taken.
  | 'REMOTE_SHARE_FULL';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
