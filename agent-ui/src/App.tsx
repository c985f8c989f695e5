// The counter app: sign in, then the agent's desk at a counter (remembered on this PC) and, for supervisors and
// admins, the supervision view. A session that expires or is revoked goes back to sign-in with a message.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../../ui-shared/api.js';
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';
import { useBranchLive } from '../../ui-shared/live.js';
import { useCommands } from './commands.js';
import { CounterPicker } from './CounterPicker.js';
import { Desk } from './Desk.js';
import { Login } from './Login.js';
import { clearSession, loadSession, saveSession, storeCounterId, storedCounterId, storeLanguage, type Session } from './session.js';
import { Supervisor } from './Supervisor.js';

// Administration is for a few people a day: its code loads when it is opened, so a counter's first load stays light.
const Admin = lazy(() => import('./admin/Admin.js').then((m) => ({ default: m.Admin })));

export function App({ i18n }: { i18n: I18n }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  const logout = useCallback((reason: 'expired' | 'user') => {
    const s = loadSession();
    if (reason === 'user' && s) void apiFetch('/api/auth/logout', { method: 'POST', token: s.token }).catch(() => undefined);
    clearSession();
    setSession(null);
    setNotice(reason === 'expired' ? t('login.expired') : null);
  }, [t]);

  // The session's end is known in advance: go back to sign-in at that moment, not at the next failed click.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => logout('expired'), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, logout]);

  const changeLanguage = (lang: ScreenLanguage) => {
    storeLanguage(lang);
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  };

  if (!session) {
    return <Login notice={notice} onSignedIn={(s) => { saveSession(s); setNotice(null); setSession(s); }} language={i18n.language as ScreenLanguage} onLanguage={changeLanguage} />;
  }
  return <Workspace key={session.token} session={session} onLogout={logout} language={i18n.language as ScreenLanguage} onLanguage={changeLanguage} />;
}

interface WorkspaceProps { session: Session; onLogout: (reason: 'expired' | 'user') => void; language: ScreenLanguage; onLanguage: (l: ScreenLanguage) => void }

function Workspace({ session, onLogout, language, onLanguage }: WorkspaceProps) {
  const { t } = useTranslation();
  const live = useBranchLive(session.token);
  const expired = useCallback(() => onLogout('expired'), [onLogout]);
  const commands = useCommands(session.token, expired);
  const isSupervisor = session.user.role === 'supervisor' || session.user.role === 'admin';
  // /admin/ on the branch opens the Administration section directly (the server sends it to /agent/#admin).
  const [tab, setTab] = useState<'desk' | 'supervisor' | 'admin'>(isSupervisor ? (location.hash === '#admin' ? 'admin' : 'supervisor') : 'desk');
  const openTab = (next: 'desk' | 'supervisor' | 'admin') => {
    setTab(next);
    history.replaceState(null, '', next === 'admin' ? '#admin' : location.pathname);
  };
  const [counterId, setCounterId] = useState<string | null>(() => storedCounterId());

  useEffect(() => { if (live.status === 'unauthorized') expired(); }, [live.status, expired]);

  const snapshot = live.snapshot;
  const counter = snapshot?.counters.find((c) => c.id === counterId) ?? null;
  const online = live.status === 'online';
  const chooseCounter = (id: string | null) => { storeCounterId(id); setCounterId(id); };

  return (
    <div className={`app${online ? '' : ' is-offline'}`}>
      <header className="topbar">
        <div className="topbar-title">
          <strong>{snapshot?.branch.name ?? 'SmartQueue'}</strong>
          {counter && <span className="topbar-counter">{counter.name}</span>}
          <span className="topbar-user">{session.user.displayName}</span>
        </div>
        {isSupervisor && (
          <nav className="tabs">
            <button type="button" className={tab === 'desk' ? 'active' : ''} onClick={() => openTab('desk')}>{t('tabs.desk')}</button>
            <button type="button" className={tab === 'supervisor' ? 'active' : ''} onClick={() => openTab('supervisor')}>{t('tabs.supervisor')}</button>
            <button type="button" className={tab === 'admin' ? 'active' : ''} onClick={() => openTab('admin')} data-testid="tab-admin">{t('tabs.admin')}</button>
          </nav>
        )}
        <div className="topbar-tools">
          <span className={`conn conn-${live.status}`} data-testid="connection" data-status={live.status}>{t(`connection.${live.status}`)}</span>
          <select aria-label={t('common.language')} value={language} onChange={(e) => onLanguage(e.target.value as ScreenLanguage)}>
            {SCREEN_LANGUAGES.map((l) => <option key={l} value={l}>{l.toUpperCase()}</option>)}
          </select>
          <button type="button" onClick={() => onLogout('user')}>{t('common.logout')}</button>
        </div>
      </header>
      {!online && (
        <div className="offline-banner" role="status" data-testid="reconnecting">{t('banner.reconnecting')}</div>
      )}
      {commands.error && (
        <div className={`command-error${commands.error.retryable ? ' retryable' : ''}`} role="alert" data-testid="command-error" data-code={commands.error.code}>
          <span>{commands.error.retryable ? t('error.network') : t(`errors.${commands.error.code}`, { defaultValue: commands.error.message })}</span>
          {commands.error.retryable && <button type="button" onClick={() => void commands.retry()}>{t('error.retry')}</button>}
          <button type="button" className="link" onClick={commands.dismiss}>×</button>
        </div>
      )}
      <main className={online ? 'content' : 'content stale'}>
        {!snapshot ? <div className="loading">{t('connection.connecting')}</div>
          : tab === 'admin' && isSupervisor ? (
            <Suspense fallback={<div className="loading">{t('common.loading')}</div>}>
              <Admin session={session} boardMessage={snapshot.message} />
            </Suspense>
          )
          : tab === 'supervisor' && isSupervisor ? <Supervisor session={session} live={live} commands={commands} />
            : counter ? <Desk session={session} live={live} counter={counter} commands={commands} onChangeCounter={() => chooseCounter(null)} />
              : <CounterPicker session={session} snapshot={snapshot} commands={commands} online={online} onPicked={chooseCounter} />}
      </main>
    </div>
  );
}
