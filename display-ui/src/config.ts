// Which languages a call board speaks: ?lang=fr,wo in its address (remembered on that TV), else the last one set,
// else French. The first language is also the screen's.
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';

const KEY = 'smartqueue.display.languages';

function parse(value: string | null): ScreenLanguage[] {
  if (!value) return [];
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter((s): s is ScreenLanguage => (SCREEN_LANGUAGES as readonly string[]).includes(s));
  return [...new Set(list)];
}

export function displayLanguages(): ScreenLanguage[] {
  const fromUrl = parse(new URLSearchParams(window.location.search).get('lang'));
  if (fromUrl.length) {
    localStorage.setItem(KEY, fromUrl.join(','));
    return fromUrl;
  }
  const stored = parse(localStorage.getItem(KEY));
  return stored.length ? stored : ['fr'];
}
