// i18next set up the same way for every screen: French by default, Wolof and English complete.
import i18next, { type i18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const SCREEN_LANGUAGES = ['fr', 'wo', 'en'] as const;
export type ScreenLanguage = (typeof SCREEN_LANGUAGES)[number];

export function createI18n(resources: Record<ScreenLanguage, Record<string, unknown>>, lng: ScreenLanguage = 'fr'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, { translation: v }])) as Resource,
    lng,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
    initImmediate: false,
    showSupportNotice: false, // no advertisement in the console of a counter PC or a TV
  });
  return instance;
}
