import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch, type ApiError } from '../../ui-shared/api.js';
import type { OfficeUserView } from '../../server/src/shared/contracts/office.js';
import type { Session } from './session.js';

export function Login({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await apiFetch<{ token: string; user: OfficeUserView }>('/api/office/login', { body: { login, password } });
      onSignedIn({ token: r.token, user: r.user });
    } catch (err) {
      const e2 = err as ApiError;
      setError(e2.code === 'RATE_LIMITED' ? t('login.limited', { s: (e2.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? '' }) : e2.status === 401 ? t('login.wrong') : t('error', { message: e2.message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card login" onSubmit={(e) => void submit(e)}>
      <h1>{t('login.title')}</h1>
      <label htmlFor="login">{t('login.login')}</label>
      <input id="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
      <label htmlFor="password">{t('login.password')}</label>
      <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      <button type="submit" className="primary" disabled={busy}>{t('login.submit')}</button>
      <p role="alert" className="error">{error}</p>
    </form>
  );
}
