import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from '../../ui-shared/i18n.js';
import { App } from './App.js';
import en from './locales/en.json';
import fr from './locales/fr.json';
import wo from './locales/wo.json';
import './styles.css';

const i18n = createI18n({ fr, wo, en }, 'fr');
document.documentElement.lang = 'fr';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
