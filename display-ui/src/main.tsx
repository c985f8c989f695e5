import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createI18n } from '../../ui-shared/i18n.js';
import { App } from './App.js';
import { displayLanguages } from './config.js';
import en from './locales/en.json';
import fr from './locales/fr.json';
import wo from './locales/wo.json';
import './styles.css';

const languages = displayLanguages();
const i18n = createI18n({ fr, wo, en }, languages[0]);
document.documentElement.lang = languages[0] ?? 'fr';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App languages={languages} i18n={i18n} />
  </StrictMode>,
);
