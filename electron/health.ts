// How a screen finds out that the branch server answers: GET <origin>/api/health (the Health
// contract of server/src/shared/contracts/api.ts). Screens wait on it before loading their page and after
// a failed load, so visitors see a calm "connecting" page rather than a browser error.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { backoffDelay, type BackoffPolicy } from './backoff.js';

export const HEALTH_PATH = '/api/health';

// Only the fields the shell relies on; the full schema is the server's Health contract.
const HealthReply = z.object({ status: z.literal('ok'), branchId: z.string() });

export type ProbeResult = { ok: true; branchId: string } | { ok: false; reason: string };

export async function probeServer(origin: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 3_000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await fetch(new URL(HEALTH_PATH, origin), { signal, headers: { accept: 'application/json' } });
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const body = HealthReply.safeParse(await response.json());
    return body.success ? { ok: true, branchId: body.data.branchId } : { ok: false, reason: 'not a SmartQueue branch server' };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: cause ?? (error as Error).name ?? 'unreachable' };
  }
}

export const RECONNECT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 10_000, factor: 2 };

/** Probes until the server answers; rejects with the abort reason if `signal` aborts first. */
export async function waitForServer(
  origin: string,
  options: { signal?: AbortSignal; backoff?: BackoffPolicy; onAttempt?: (result: ProbeResult, attempt: number) => void } = {},
): Promise<{ branchId: string }> {
  for (let attempt = 0; ; attempt += 1) {
    options.signal?.throwIfAborted();
    const result = await probeServer(origin, options.signal ? { signal: options.signal } : {});
    options.onAttempt?.(result, attempt);
    if (result.ok) return { branchId: result.branchId };
    try {
      await sleep(backoffDelay(Math.min(attempt, 30), options.backoff ?? RECONNECT_BACKOFF), undefined, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      options.signal?.throwIfAborted(); // the caller's reason rather than a generic AbortError
      throw error;
    }
  }
}
