// Preview: the printed ticket (the server's own preview of the slip) and the kiosk's real start screen (the kiosk
// page in its preview mode, /kiosk/?preview=1&lang=…: no pairing, no ticket issued), in each language.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../server/src/shared/contracts/domain.js';

/** The kiosk's portrait screen (1080×1920), drawn at a third of its size. */
const KIOSK = { width: 1080, height: 1920, scale: 1 / 3 };

export function PreviewPanel({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useState<Language>(i18n.language as Language);
  const [slip, setSlip] = useState('');
  useEffect(() => {
    // The preview needs the admin's token: fetched here and shown in a sandboxed frame.
    let cancelled = false;
    void fetch(`/api/admin/printers/sample.html?lang=${lang}`, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => r.text()).then((html) => { if (!cancelled) setSlip(html); }, () => undefined);
    return () => { cancelled = true; };
  }, [lang, token]);
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
        <section className="admin-card kiosk-card" style={{ width: KIOSK.width * KIOSK.scale + 40 }}>
          <h3>{t('admin.preview.kiosk')}</h3>
          <p className="hint">{t('admin.preview.kioskHint')}</p>
          <div className="kiosk-frame" style={{ width: KIOSK.width * KIOSK.scale, height: KIOSK.height * KIOSK.scale }}>
            {/* A new page for each language: the kiosk opens in it, as a visitor's touch on its flag would show it. */}
            <iframe key={lang} src={`/kiosk/?preview=1&lang=${lang}`} title={`${t('admin.preview.kiosk')} (${t(`admin.languages.${lang}`)})`}
              width={KIOSK.width} height={KIOSK.height} style={{ transform: `scale(${KIOSK.scale})` }} data-testid="kiosk-preview" data-lang={lang} />
          </div>
        </section>
      </div>
    </div>
  );
}
