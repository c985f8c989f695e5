// Agent commands go over REST, each with a command id. After a network error the id is kept for that command and
// reused when the agent presses the same button again, so a command the server did apply (only its answer was lost)
// is not applied twice. Any other command that succeeds ends that retry window, and so do two minutes.
import { useCallback, useRef, useState } from 'react';
import { apiFetch, ApiError, newCommandId } from '../../ui-shared/api.js';

const RETRY_WINDOW_MS = 120_000;

export interface CommandError { key: string; code: string; message: string; retryable: boolean }

export interface CommandRunner {
  /** The key of the command in flight, if any: one command at a time (a double click sends nothing more). */
  busy: string | null;
  error: CommandError | null;
  run<T>(key: string, path: string, body?: Record<string, unknown>, opts?: RunOptions): Promise<T | null>;
  /** Re-run the command that failed on the network, with its id. */
  retry(): Promise<void>;
  dismiss(): void;
}

/** Supervisor settings (service status, display message…) are plain PUT/POSTs without a command id. */
export interface RunOptions { method?: 'POST' | 'PUT'; commandId?: boolean }

interface Pending { key: string; commandId: string; since: number; path: string; body: Record<string, unknown>; opts: RunOptions }

export function useCommands(token: string, onUnauthorized: () => void): CommandRunner {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const inFlight = useRef(false);
  const pending = useRef<Pending | null>(null);

  const run = useCallback(async <T,>(key: string, path: string, body: Record<string, unknown> = {}, opts: RunOptions = {}): Promise<T | null> => {
    if (inFlight.current) return null;
    const previous = pending.current;
    const reuse = previous && previous.key === key && Date.now() - previous.since < RETRY_WINDOW_MS;
    const commandId = reuse ? previous.commandId : newCommandId();
    pending.current = { key, commandId, since: reuse ? previous.since : Date.now(), path, body, opts };
    inFlight.current = true;
    setBusy(key);
    setError(null);
    try {
      const result = await apiFetch<T>(path, { method: opts.method ?? 'POST', token, body: opts.commandId === false ? body : { ...body, commandId } });
      pending.current = null;
      return result;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
      const retryable = e.status === 0 || e.status >= 500;
      if (!retryable) pending.current = null;
      if (e.status === 401) onUnauthorized();
      else setError({ key, code: e.code, message: e.message, retryable });
      return null;
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  }, [token, onUnauthorized]);

  const retry = useCallback(async () => {
    const p = pending.current;
    if (p) await run(p.key, p.path, p.body, p.opts);
  }, [run]);

  const dismiss = useCallback(() => setError(null), []);
  return { busy, error, run, retry, dismiss };
}
