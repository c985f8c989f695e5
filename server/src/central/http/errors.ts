// Errors of the central API: an HTTP status, a stable code clients switch on, and details when useful. They go
// through the shared error handler (server/src/shared/http/errors.ts) with the domain's errors.
import { HttpError } from '../../shared/http/errors.js';

export class CentralError extends HttpError {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(status, code, message, details);
    this.name = 'CentralError';
  }
}
