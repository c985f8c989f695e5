import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';
import { Login } from './Login.js';
import { Now } from './Now.js';
import { Branches } from './Branches.js';
import { Payments } from './Payments.js';
import { Notifications } from './Notifications.js';
import { Configuration } from './Configuration.js';
import { officeApi, saveSession, storedSession, type Session } from './session.js';

// The charts (and their library) load only when Analytics opens: the first load stays small.
const Analytics = lazy(() => import('./Analytics.js'));

const SCREENS = ['now', 'branches', 'analytics', 'payments', 'notifications', 'config'] as const;
type Screen = (typeof SCREENS)[number];

function Shell({ i18n }: { i18n: I18n }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | null>(storedSession);
  const [screen, setScreen] = useState<Screen>(() => (SCREENS as readonly string[]).includes(location.hash.slice(1)) ? (location.hash.slice(1) as Screen) : 'now');
  const signOut = useCallback(() => { saveSession(null); setSession(null); }, []);
  const api = useMemo(() => (session ? officeApi(session, signOut) : null), [session, signOut]);
  const setLang = (l: ScreenLanguage) => {
    void i18n.changeLanguage(l);
    document.documentElement.lang = l;
    localStorage.setItem('sq-office-lang', l);
  };
  const go = (s: Screen) => { setScreen(s); location.hash = s; };
  const langs = (
    <div className="langs" role="group" aria-label={t('language')}>
      {SCREEN_LANGUAGES.map((l) => <button key={l} type="button" aria-pressed={i18n.language === l} onClick={() => setLang(l)}>{l.toUpperCase()}</button>)}
    </div>
  );
  if (!session || !api) {
    return <><header className="top"><span className="brand">SmartQueue · {t('headOffice')}</span>{langs}</header>
      <main><Login onSignedIn={(s) => { saveSession(s); setSession(s); }} /></main></>;
  }
  return (
    <>
      <header className="top">
        <span className="brand">SmartQueue · {t('headOffice')}</span>
        <nav aria-label={t('menu')}>
          {SCREENS.map((s) => <button key={s} type="button" className="tab" aria-current={screen === s ? 'page' : undefined} onClick={() => go(s)}>{t(`screens.${s}`)}</button>)}
        </nav>
        {langs}
        <span className="who">{session.user.displayName} · {t(`roles.${session.user.role}`)}</span>
        <button type="button" onClick={() => { void api('/api/office/logout', { method: 'POST' }).catch(() => undefined); signOut(); }}>{t('signOut')}</button>
      </header>
      <main>
        {screen === 'now' && <Now api={api} />}
        {screen === 'branches' && <Branches api={api} user={session.user} />}
        {screen === 'analytics' && <Suspense fallback={<p role="status">{t('loading')}</p>}><Analytics api={api} /></Suspense>}
        {screen === 'payments' && <Payments api={api} user={session.user} />}
        {screen === 'notifications' && <Notifications api={api} />}
        {screen === 'config' && <Configuration api={api} user={session.user} />}
      </main>
    </>
  );
}

export function App({ i18n }: { i18n: I18n }) {
  return <I18nextProvider i18n={i18n}><Shell i18n={i18n} /></I18nextProvider>;
}
