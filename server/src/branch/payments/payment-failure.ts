// A payment that could not go ahead for a reason outside the domain rules (head office unreachable, the provider
// declined or is down). Routes answer it as { error: { code, message, details } } with its own HTTP status.
export class PaymentFailure extends Error {
  override readonly name = 'PaymentFailure';
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    /** Trying again later with the same command id may work. */
    readonly retryable: boolean,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
