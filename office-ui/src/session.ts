// The signed-in head-office user: the session token lives in sessionStorage (gone when the tab closes).
import { apiFetch, ApiError, type ApiOptions } from '../../ui-shared/api.js';
import type { OfficeUserView } from '../../server/src/shared/contracts/office.js';

const KEY = 'sq-office-session';

export interface Session { token: string; user: OfficeUserView }

export function storedSession(): Session | null {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
  } catch {
    return null;
  }
}
export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/** A request as the signed-in user; a 401 (session ended) signs out. */
export function officeApi(session: Session, onExpired: () => void) {
  return async <T,>(path: string, opts: Omit<ApiOptions, 'token'> = {}): Promise<T> => {
    try {
      return await apiFetch<T>(path, { ...opts, token: session.token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onExpired();
      throw err;
    }
  };
}
export type OfficeApi = ReturnType<typeof officeApi>;
