// Preview: the printed ticket (the server's own preview of the slip) and the kiosk's start screen, in each language.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceView } from '../../../server/src/shared/contracts/api.js';
import { LANGUAGES, type Language } from '../../../server/src/shared/contracts/domain.js';
import { Icon } from '../../../ui-shared/icons.js';
import { useAdminList } from './api.js';

export function PreviewPanel({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useState<Language>(i18n.language as Language);
  const [slip, setSlip] = useState('');
  const services = useAdminList<ServiceView[]>('/api/services', token);
  useEffect(() => {
    // The preview needs the admin's token: fetched here and shown in a sandboxed frame.
    let cancelled = false;
    void fetch(`/api/admin/printers/sample.html?lang=${lang}`, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => r.text()).then((html) => { if (!cancelled) setSlip(html); }, () => undefined);
    return () => { cancelled = true; };
  }, [lang, token]);
  const fixed = i18n.getFixedT(lang);
  return (
    <div className="admin-stack">
      <div className="chips" role="group" aria-label={t('common.language')}>
        {LANGUAGES.map((l) => <button type="button" key={l} className={l === lang ? 'active' : ''} aria-pressed={l === lang} onClick={() => setLang(l)}>{t(`admin.languages.${l}`)}</button>)}
      </div>
      <div className="previews">
        <section className="admin-card">
          <h3>{t('admin.preview.ticket')}</h3>
          <iframe className="slip" title={t('admin.preview.ticket')} sandbox="" srcDoc={slip} data-testid="slip-preview" />
        </section>
        <section className="admin-card" lang={lang}>
          <h3>{t('admin.preview.kiosk')}</h3>
          <div className="kiosk-preview" data-testid="kiosk-preview">
            <p className="kiosk-preview-title">{fixed('admin.preview.kioskPrompt')}</p>
            <ul>
              {(services.data ?? []).filter((s) => s.status === 'active').map((s) => (
                <li key={s.id}><Icon name={s.icon} size={40} /><span>{s.name[lang]}</span>{s.feeXof !== null && <span className="fee">{s.feeXof.toLocaleString('fr-SN')} F CFA</span>}</li>
              ))}
            </ul>
          </div>
        </section>
      </div>
    </div>
  );
}
