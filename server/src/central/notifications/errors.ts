// Errors of the notification layer. Recipient errors are the caller's fault (4xx, clear message); channel errors
// come from the outside world and say whether trying again later can help.

export type RecipientErrorCode = 'INVALID_EMAIL' | 'INVALID_PHONE' | 'INVALID_PUSH_SUBSCRIPTION' | 'CHANNEL_DISABLED';

export class RecipientError extends Error {
  readonly status = 400;
  constructor(readonly code: RecipientErrorCode, message: string) {
    super(message);
    this.name = 'RecipientError';
  }
}

/**
 * A send that failed. `permanent`: the same message to the same recipient will never go through (unknown mailbox,
 * expired push subscription, refused number); otherwise it is retried with backoff.
 */
export class ChannelError extends Error {
  constructor(
    readonly channel: string,
    message: string,
    readonly permanent: boolean,
    readonly httpStatus: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChannelError';
  }
}
