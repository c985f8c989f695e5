import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createI18n } from '../../ui-shared/i18n.js';
import { App } from './App.js';
import en from './locales/en.json';
import fr from './locales/fr.json';
import wo from './locales/wo.json';
import { storedLanguage } from './session.js';
import './styles.css';

const i18n = createI18n({ fr, wo, en }, storedLanguage());
document.documentElement.lang = i18n.language;

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App i18n={i18n} />
  </StrictMode>,
);
