// The kiosk's start: a device token (stored, paired on the loopback in demo mode, or with an admin's 6-digit code),
// then the visitor screens. A revoked token goes back to pairing; an unreachable server shows "out of service"
// and is retried until it answers.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ensureDeviceToken, forgetDeviceToken } from '../../ui-shared/device.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import { Header } from './components.js';
import { Kiosk } from './Kiosk.js';
import { OutOfService, PairingScreen, Splash } from './screens.js';

type Phase = { kind: 'starting' } | { kind: 'offline' } | { kind: 'pairing' } | { kind: 'ready'; token: string };

const RETRY_MS = 3000;

export function App() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (phase.kind !== 'starting' && phase.kind !== 'offline') return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    ensureDeviceToken('kiosk').then(
      (token) => { if (!cancelled) setPhase(token ? { kind: 'ready', token } : { kind: 'pairing' }); },
      () => {
        if (cancelled) return;
        setPhase({ kind: 'offline' });
        timer = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
      },
    );
    return () => { cancelled = true; clearTimeout(timer); };
  }, [phase.kind, attempt]);

  const onUnauthorized = useCallback(() => {
    forgetDeviceToken('kiosk');
    setPhase({ kind: 'starting' });
  }, []);

  const setLanguage = (lang: ScreenLanguage) => {
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  };

  if (phase.kind === 'ready') return <Kiosk key={phase.token} token={phase.token} onUnauthorized={onUnauthorized} />;
  let body: ReactNode;
  if (phase.kind === 'pairing') body = <PairingScreen onPaired={(token) => setPhase({ kind: 'ready', token })} />;
  else if (phase.kind === 'offline') body = <OutOfService />;
  else body = <Splash text={t('connecting')} />;
  return (
    <div className="kiosk" data-step={phase.kind}>
      <Header branchName="SmartQueue" timeZone="Africa/Dakar" onLanguage={setLanguage} />
      <main className="content">{body}</main>
    </div>
  );
}
