import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginResponse } from '../../server/src/shared/contracts/api.js';
import { apiFetch, ApiError } from '../../ui-shared/api.js';
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';

interface LoginProps { notice: string | null; onSignedIn: (s: LoginResponse) => void; language: ScreenLanguage; onLanguage: (l: ScreenLanguage) => void }

export function Login({ notice, onSignedIn, language, onLanguage }: LoginProps) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await apiFetch<LoginResponse>('/api/auth/login', { body: { login, password } }));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.error') : t('login.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login" onSubmit={(e) => void submit(e)}>
        <h1>{t('login.title')}</h1>
        {notice && <p className="notice" role="status" data-testid="login-notice">{notice}</p>}
        <label>{t('login.login')}<input name="login" autoComplete="username" autoFocus value={login} onChange={(e) => setLogin(e.target.value)} /></label>
        <label>{t('login.password')}<input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        <button type="submit" className="primary" disabled={busy || !login || !password}>{t('login.submit')}</button>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="login-lang">
          {SCREEN_LANGUAGES.map((l) => (
            <button key={l} type="button" className={l === language ? 'active' : ''} onClick={() => onLanguage(l)}>{l.toUpperCase()}</button>
          ))}
        </div>
      </form>
    </div>
  );
}
