// The call board's start (ui-shared/device-startup.ts, shared with the kiosk): a device token, then the board. A
// revoked token goes back to pairing; while an unreachable server is retried the board says it is connecting.
import { useState, type FormEvent } from 'react';
import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../ui-shared/api.js';
import { pairWithCode } from '../../ui-shared/device.js';
import { useDeviceStartup } from '../../ui-shared/device-startup.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import { Board } from './Board.js';

export function App({ languages, i18n }: { languages: ScreenLanguage[]; i18n: I18n }) {
  const { t } = useTranslation();
  const { phase, onPaired, onUnauthorized } = useDeviceStartup('display');

  if (phase.kind === 'ready') return <Board token={phase.token} languages={languages} i18n={i18n} onUnauthorized={onUnauthorized} />;
  if (phase.kind === 'pairing') return <Pairing onPaired={onPaired} />;
  return <div className="splash">{t('connecting')}</div>; // starting, or the server not reachable yet (retried)
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
