// One bounded HTTP call to a provider, with its failures turned into ProviderError codes.
import { ProviderError, type ProviderErrorCode } from './errors.js';
import type { ProviderName } from './types.js';

export interface ProviderRequest {
  provider: ProviderName;
  baseUrl: string;
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON body (serialized here) or a ready string (form bodies). */
  json?: unknown;
  body?: string;
  timeoutMs: number;
}

export interface ProviderResponse {
  status: number;
  /** Parsed JSON body; undefined when the body was empty. */
  data: unknown;
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * Sends the request with AbortSignal.timeout(timeoutMs) covering connection, headers and body,
 * and resolves only on 2xx. Everything else rejects with a ProviderError.
 */
export async function callProvider(req: ProviderRequest): Promise<ProviderResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined = req.body;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  }
  const url = joinUrl(req.baseUrl, req.path);
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(req.timeoutMs), redirect: 'error' });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (isTimeout(error)) {
      throw new ProviderError(req.provider, 'TIMEOUT', `${req.method} ${req.path}: no answer within ${req.timeoutMs} ms`, { cause: error });
    }
    throw new ProviderError(req.provider, 'UNAVAILABLE', `${req.method} ${req.path}: ${describe(error)}`, { cause: error });
  }

  let data: unknown;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      if (status >= 200 && status < 300) {
        throw new ProviderError(req.provider, 'PROTOCOL', `${req.method} ${req.path}: answer is not JSON`, { httpStatus: status, cause: error });
      }
      data = text;
    }
  }
  if (status >= 200 && status < 300) return { status, data };

  const { code: providerCode, message } = errorDetails(data);
  throw new ProviderError(req.provider, codeForStatus(status), `${req.method} ${req.path} answered ${status}${message ? `: ${message}` : ''}`, {
    httpStatus: status,
    providerCode,
  });
}

export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 402) return 'DECLINED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 408 || status === 429 || status >= 500) return 'UNAVAILABLE';
  if (status >= 400) return 'INVALID_REQUEST';
  return 'PROTOCOL';
}

/** Pulls a code and message out of the usual error body shapes ({code,message}, {error:{code,message}}, {error,error_description}). */
function errorDetails(data: unknown): { code: string | null; message: string | null } {
  if (typeof data === 'string') return { code: null, message: data.slice(0, 200) };
  if (!isRecord(data)) return { code: null, message: null };
  const nested = isRecord(data.error) ? data.error : data;
  const code = stringOrNull(nested.code) ?? stringOrNull(data.error);
  const message = stringOrNull(nested.message) ?? stringOrNull(data.error_description) ?? stringOrNull(data.message);
  return { code, message };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
