// Errors of the central API: an HTTP status, a stable code clients switch on, and details when useful.
import type { ErrorRequestHandler } from 'express';
import { retryAfterOf, toErrorBody } from '../../shared/http/errors.js';

export class CentralError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CentralError';
  }
}

export const centralErrorHandler = (log: (err: unknown) => void): ErrorRequestHandler => (err, _req, res, _next) => {
  if (err instanceof CentralError) {
    res.status(err.status).type('application/json').json({ error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) } });
    return;
  }
  const { status, body } = toErrorBody(err);
  const retryAfter = retryAfterOf(err);
  if (retryAfter !== null) res.setHeader('Retry-After', String(retryAfter));
  if (status >= 500) log(err);
  res.status(status).type('application/json').json(body);
};
