// A figure read for the filters on screen. Answers can arrive out of order when a filter changes
// while a read is in flight; a report is shown only for the path it answers, so the screen never
// draws the previous filter's figures under the new filter's title.
import { useEffect, useState } from 'react';
import type { OfficeApi } from './session.js';

export interface Report<T> {
  /** The answer for `path`, or null while it is being read (or when it failed). */
  data: T | null;
  busy: boolean;
  error: string;
}

/** Reads `path` whenever it (or `version`, bumped after a change) moves on. */
export function useReport<T>(api: OfficeApi, path: string, version = 0): Report<T> {
  const [answer, setAnswer] = useState<{ key: string; data: T | null; error: string } | null>(null);
  const key = `${version}|${path}`;
  useEffect(() => {
    let current = true;
    api<T>(path).then((data) => { if (current) setAnswer({ key, data, error: '' }); }, (e: Error) => { if (current) setAnswer({ key, data: null, error: e.message }); });
    return () => { current = false; };
  }, [api, path, key]);
  const answered = answer?.key === key;
  return { data: answered ? answer.data : null, busy: !answered, error: answered ? answer.error : '' };
}
