// The one place where domain error codes become HTTP statuses, and every error becomes
// { "error": { "code", "message" } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type z } from 'zod';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import type { ErrorBody } from '../contracts/api.js';

export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  SERVICE_CLOSED: 409,
  COUNTER_CLOSED: 409,
  COUNTER_BUSY: 409,
  COUNTER_NOT_SERVING: 409,
  CONFLICT: 409,
  MANAGED_BY_CENTRAL: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  // 422, not 404: a code that matches no booking is bad input to check-in, not a missing route.
  BOOKING_NOT_FOUND: 422,
  WRONG_BRANCH: 422,
  BOOKING_CANCELLED: 409,
  ALREADY_CHECKED_IN: 409,
  CHECK_IN_TOO_EARLY: 409,
  CHECK_IN_MISSED: 409,
  REMOTE_SHARE_FULL: 409,
};

/** Codes whose details are meant for the client (the fields at fault, when to come back, which branch), not only for the logs. */
const PUBLIC_DETAILS = new Set<DomainErrorCode>(['VALIDATION_ERROR', 'MANAGED_BY_CENTRAL', 'WRONG_BRANCH', 'CHECK_IN_TOO_EARLY', 'CHECK_IN_MISSED', 'RATE_LIMITED']);

/**
 * An error that is already an HTTP answer: a status, a stable code clients switch on, and details meant for the
 * client. Used by adapters whose errors are about the transport or the protocol (central's sync, webhooks), not
 * about a domain rule (those are DomainError).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function zodMessage(err: ZodError): string {
  return err.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** The database could not write because its disk is full (SQLite's SQLITE_FULL, PostgreSQL's disk_full 53100). */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}

/** Errors carry their details untyped; the contract (ErrorBody) says what they are, and the tests' answer check holds every answer to it. */
type ErrorDetails = NonNullable<ErrorBody['error']['details']>;

export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details as ErrorDetails }) } } };
  }
  if (err instanceof DomainError) {
    return { status: HTTP_STATUS[err.code], body: { error: { code: err.code, message: err.message } } };
  }
  if (err instanceof ZodError) {
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: zodMessage(err), details: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } } };
  }
  if (isStorageFull(err)) {
    return { status: 503, body: { error: { code: 'STORAGE_FULL', message: 'the server\'s disk is full: nothing could be recorded. Free some space on it; service resumes by itself' } } };
  }
  const e = err as { type?: string; status?: number; message?: string } | null;
  if (e?.type === 'entity.too.large') return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' } } };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'request body is not valid JSON' } } };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return { status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: e.message ?? 'unsupported encoding' } } };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, body: { error: { code: 'BAD_REQUEST', message: e.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error: the server logged the details' } } };
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new DomainError('VALIDATION_ERROR', zodMessage(result.error), result.error.issues);
  return result.data;
}

/** Seconds a RATE_LIMITED error asks to wait (its Retry-After header), when it says. */
export function retryAfterOf(err: unknown): number | null {
  const limited = (err instanceof DomainError && err.code === 'RATE_LIMITED') || (err instanceof HttpError && err.status === 429);
  if (!limited) return null;
  const s = ((err as DomainError | HttpError).details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof s === 'number' ? s : null;
}

/**
 * The answer to a failed request, whichever way it was served (express's error handler, the direct lane of
 * route.ts): its status, its body with the details meant for the client, and Retry-After when it says. A server
 * error (5xx) is logged here, once.
 */
export function errorAnswer(err: unknown, log: (err: unknown) => void): { status: number; body: ErrorBody; retryAfter: number | null } {
  const { status, body } = toErrorBody(err);
  if (status >= 500) log(err);
  if (err instanceof DomainError && err.details !== undefined && PUBLIC_DETAILS.has(err.code)) {
    body.error.details = err.details as ErrorDetails;
  }
  return { status, body, retryAfter: retryAfterOf(err) };
}

export const errorHandler = (log: (err: unknown) => void): ErrorRequestHandler => (err, _req, res, _next) => {
  const { status, body, retryAfter } = errorAnswer(err, log);
  if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
  // Always labelled JSON, even when a route had set another type before it failed.
  res.status(status).type('application/json').json(body);
};

export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
};
