// The admin screens' calls to the branch server: one load-and-reload hook per list, and server errors turned into
// messages beside the fields they concern, in the user's language.
import { useCallback, useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { ApiError, apiFetch } from '../../../ui-shared/api.js';

export function useAdminList<T>(path: string, token: string): { data: T | null; error: ApiError | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await apiFetch<T>(path, { token }));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
    }
  }, [path, token]);
  useEffect(() => { void reload(); }, [reload]);
  return { data, error, reload };
}

export type FieldErrors = Record<string, string>;

type Issue = Partial<Record<string, unknown>>;

/**
 * Which field each server error is about. Validation errors name their fields (zod issues); a conflict is about
 * the field the form says (the letter of a service, a login, a counter's number). Anything else goes under ''.
 */
export function fieldErrorsOf(err: unknown, t: TFunction, conflictField?: string): FieldErrors {
  if (!(err instanceof ApiError)) return { '': t('admin.errors.unknown') };
  if (err.code === 'VALIDATION_ERROR' && Array.isArray(err.details)) {
    const out: FieldErrors = {};
    for (const raw of err.details as Issue[]) {
      const path = Array.isArray(raw.path) ? raw.path.join('.') : typeof raw.path === 'string' ? raw.path : '';
      // A refinement's own code (ValidOpeningHours: params.issue 'range_order'…) says more than zod's 'custom'.
      const own = (raw.params as { issue?: unknown } | undefined)?.issue;
      const code = typeof own === 'string' ? own : typeof raw.code === 'string' ? raw.code : 'custom';
      // The issue's own values (minimum, the range and the service's hours…) fill in the message; a weekday is named.
      const day = typeof raw.weekday === 'number' ? t(`admin.weekdays.${raw.weekday}`) : undefined;
      out[path] ??= t(`admin.issues.${code}`, { minimum: raw.minimum, maximum: raw.maximum, range: raw.range, serviceHours: raw.serviceHours, day,
        // A range on a day the service is closed: the `_closed` wording.
        ...(raw.serviceHours === '' && { context: 'closed' }), defaultValue: t('admin.issues.custom') });
    }
    return out;
  }
  if (err.code === 'CONFLICT' && conflictField) return { [conflictField]: t('admin.errors.taken') };
  const managed = (err.details as { fields?: unknown } | undefined)?.fields;
  if (err.code === 'MANAGED_BY_CENTRAL' && Array.isArray(managed)) {
    return Object.fromEntries(managed.map((f) => [String(f), t('errors.MANAGED_BY_CENTRAL')]));
  }
  if (err.code === 'NETWORK') return { '': t('error.network') };
  return { '': t(`errors.${err.code}`, { defaultValue: t('admin.errors.unknown') }) };
}

export function useSaving(): { busy: boolean; errors: FieldErrors; run: (fn: () => Promise<void>, onError: (err: unknown) => FieldErrors) => Promise<boolean>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const run = useCallback(async (fn: () => Promise<void>, onError: (err: unknown) => FieldErrors) => {
    setBusy(true);
    try {
      await fn();
      setErrors({});
      return true;
    } catch (err) {
      // The form keeps what was typed: only the errors change.
      setErrors(onError(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, errors, run, clear: () => setErrors({}) };
}
