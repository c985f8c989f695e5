import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createI18n, SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';
import { App } from './App.js';
import en from './locales/en.json';
import fr from './locales/fr.json';
import wo from './locales/wo.json';
import './styles.css';

const stored = localStorage.getItem('sq-office-lang');
const lang: ScreenLanguage = (SCREEN_LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as ScreenLanguage) : 'fr';
const i18n = createI18n({ fr, wo, en }, lang);
document.documentElement.lang = i18n.language;

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App i18n={i18n} />
  </StrictMode>,
);
