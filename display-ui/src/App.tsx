// The call board's start: get a device token (stored, or paired on the loopback in demo mode, or with an admin's
// 6-digit code), then show the board. A revoked token goes back to pairing; an unreachable server is retried.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../ui-shared/api.js';
import { ensureDeviceToken, forgetDeviceToken, pairWithCode } from '../../ui-shared/device.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import { Board } from './Board.js';

type Phase = { kind: 'starting' } | { kind: 'pairing' } | { kind: 'ready'; token: string };

export function App({ languages, i18n }: { languages: ScreenLanguage[]; i18n: I18n }) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });

  useEffect(() => {
    if (phase.kind !== 'starting') return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = async () => {
      try {
        const token = await ensureDeviceToken('display');
        if (!cancelled) setPhase(token ? { kind: 'ready', token } : { kind: 'pairing' });
      } catch {
        if (!cancelled) timer = setTimeout(() => void attempt(), 3000); // server not reachable yet
      }
    };
    void attempt();
    return () => { cancelled = true; if (timer) clearTimeout(timer); };
  }, [phase.kind]);

  const onUnauthorized = useCallback(() => {
    forgetDeviceToken('display');
    setPhase({ kind: 'starting' });
  }, []);

  if (phase.kind === 'ready') return <Board token={phase.token} languages={languages} i18n={i18n} onUnauthorized={onUnauthorized} />;
  if (phase.kind === 'pairing') return <Pairing onPaired={(token) => setPhase({ kind: 'ready', token })} />;
  return <div className="splash">{t('connecting')}</div>;
}

function Pairing({ onPaired }: { onPaired: (token: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onPaired(await pairWithCode('display', code));
    } catch (err) {
      setError(err instanceof ApiError && err.status > 0 && err.status < 500 ? t('pairing.error') : t('pairing.network'));
    }
  };
  return (
    <form className="pairing" onSubmit={(e) => void submit(e)}>
      <h1>{t('pairing.title')}</h1>
      <p>{t('pairing.help')}</p>
      <input aria-label={t('pairing.code')} placeholder={t('pairing.code')} inputMode="numeric" pattern="\d{6}" maxLength={6} autoFocus
        value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} />
      <button type="submit" disabled={code.length !== 6}>{t('pairing.submit')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
