// Screens outside the visitor's path: waiting, out of service, pairing.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../ui-shared/api.js';
import { pairWithCode } from '../../ui-shared/device.js';
import { DigitKeypad, ScreenTitle } from './components.js';
import { Icon } from '../../ui-shared/icons.js';

export function Splash({ text, testId = 'screen-connecting' }: { text: string; testId?: string }) {
  return (
    <section className="screen splash" data-testid={testId} role="status">
      <span className="spinner" aria-hidden="true" />
      <p>{text}</p>
    </section>
  );
}

/** Shown while the server cannot be reached; the socket (or a probe) brings the kiosk back by itself. */
export function OutOfService() {
  const { t } = useTranslation();
  return (
    <section className="screen out-of-service" data-testid="screen-offline" role="alert">
      <Icon name="offline" size={160} />
      <h1>{t('offline.title')}</h1>
      <p className="help">{t('offline.help')}</p>
      <p className="retrying"><span className="spinner small" aria-hidden="true" /> {t('offline.retrying')}</p>
    </section>
  );
}

/** An admin provisions the kiosk and gives a 6-digit code, typed here once. */
export function PairingScreen({ onPaired }: { onPaired: (token: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onPaired(await pairWithCode('kiosk', code));
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      setError(e?.code === 'WRONG_ROLE' ? t('pairing.wrongRole') : e?.status === 429 ? t('pairing.tooMany') : e && e.status > 0 && e.status < 500 ? t('pairing.error') : t('pairing.network'));
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="screen pairing" data-testid="screen-pairing">
      <ScreenTitle>{t('pairing.title')}</ScreenTitle>
      <p className="hint">{t('pairing.help')}</p>
      <div className="code-display" aria-label={t('pairing.code')} data-testid="pairing-code">{code.padEnd(6, '_').split('').join(' ')}</div>
      {error && <p className="field-error" role="alert" data-testid="pairing-error">{error}</p>}
      <DigitKeypad onKey={(d) => { setError(null); setCode((v) => (v.length >= 6 ? v : v + d)); }} onErase={() => setCode((v) => v.slice(0, -1))} onClear={() => setCode('')} />
      <div className="actions">
        <button type="button" className="action primary" data-testid="pairing-submit" disabled={busy || code.length !== 6} onClick={() => void submit()}>
          <Icon name="check" size={44} /><span>{t('pairing.submit')}</span>
        </button>
      </div>
    </section>
  );
}
