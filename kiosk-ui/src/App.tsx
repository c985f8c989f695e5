// The kiosk's start (ui-shared/device-startup.ts, shared with the call board): a device token, then the visitor
// screens. A revoked token goes back to pairing; an unreachable server shows "out of service" while it is retried.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeviceStartup } from '../../ui-shared/device-startup.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import { Header } from './components.js';
import { Kiosk } from './Kiosk.js';
import { isPreview, KioskPreview } from './Preview.js';
import { OutOfService, PairingScreen, Splash } from './screens.js';

/** The admin's preview (?preview=1) needs no pairing and issues nothing: decided once, from the address. */
const PREVIEW = isPreview(window.location.search);

export function App() {
  return PREVIEW ? <KioskPreview /> : <PairedKiosk />;
}

function PairedKiosk() {
  const { t, i18n } = useTranslation();
  const { phase, onPaired, onUnauthorized } = useDeviceStartup('kiosk');

  const setLanguage = (lang: ScreenLanguage) => {
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  };

  if (phase.kind === 'ready') return <Kiosk key={phase.token} token={phase.token} onUnauthorized={onUnauthorized} />;
  let body: ReactNode;
  if (phase.kind === 'pairing') body = <PairingScreen onPaired={onPaired} />;
  else if (phase.kind === 'offline') body = <OutOfService />;
  else body = <Splash text={t('connecting')} />;
  return (
    <div className="kiosk" data-step={phase.kind}>
      <Header branchName="SmartQueue" timeZone="Africa/Dakar" onLanguage={setLanguage} />
      <main className="content">{body}</main>
    </div>
  );
}
