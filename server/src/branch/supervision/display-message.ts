// The call board's message: set by a supervisor here or by head office through the feed (sync/feed-apply.ts). One
// rule for both: trimmed, and an empty text clears it.
import { deleteSetting, setSetting } from '../settings/branch.repository.js';
import type { BranchStore } from '../db/store.js';

export const DISPLAY_MESSAGE_KEY = 'display_message';

/** Store the message (or clear it); returns what the boards now show. */
export function writeDisplayMessage(store: BranchStore, text: string | null): string | null {
  const shown = text?.trim() || null;
  if (shown) setSetting(store, DISPLAY_MESSAGE_KEY, shown);
  else deleteSetting(store, DISPLAY_MESSAGE_KEY);
  return shown;
}
