// What the counter PC remembers: the signed-in session (until it expires), the chosen counter and the language.
import type { LoginResponse } from '../../server/src/shared/contracts/api.js';
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';

const SESSION_KEY = 'smartqueue.agent.session';
const COUNTER_KEY = 'smartqueue.agent.counterId';
const LANG_KEY = 'smartqueue.agent.language';

export type Session = LoginResponse;

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(SESSION_KEY);
}

export function storedCounterId(): string | null {
  return localStorage.getItem(COUNTER_KEY);
}

export function storeCounterId(id: string | null): void {
  if (id) localStorage.setItem(COUNTER_KEY, id);
  else localStorage.removeItem(COUNTER_KEY);
}

export function storedLanguage(): ScreenLanguage {
  const value = localStorage.getItem(LANG_KEY);
  return (SCREEN_LANGUAGES as readonly string[]).includes(value ?? '') ? (value as ScreenLanguage) : 'fr';
}

export function storeLanguage(lang: ScreenLanguage): void {
  localStorage.setItem(LANG_KEY, lang);
}
