// The kiosk's start screen as visitors see it, for the admin's preview (Administration › Aperçu shows it in a frame:
// /kiosk/?preview=1&lang=wo). It needs no pairing and holds no device token, so it cannot issue a ticket: touching a
// service says so instead. It reads what any visitor's screen reads (the branch, its services, the lines, today's
// closure) from the public routes, again every few seconds, so that the admin sees a change at once.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchClosure, BranchView, QueueSummary, ServiceView } from '../../server/src/shared/contracts/api.js';
import type { HolidayView } from '../../server/src/shared/contracts/appointments.js';
import { apiFetch } from '../../ui-shared/api.js';
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';
import { Header } from './components.js';
import { hoursToday } from './format.js';
import { StartScreen } from './Kiosk.js';
import { Splash } from './screens.js';

const REFRESH_MS = 5_000;

interface Seen { branch: BranchView; services: ServiceView[]; queue: QueueSummary; closure: BranchClosure | null }

/** `?preview=1` (or `true`): the preview instead of the kiosk. */
export function isPreview(search: string): boolean {
  const v = new URLSearchParams(search).get('preview');
  return v === '1' || v === 'true';
}

/** `?lang=fr|wo|en`: the language the preview opens in. */
export function previewLanguage(search: string): ScreenLanguage {
  const l = new URLSearchParams(search).get('lang');
  return (SCREEN_LANGUAGES as readonly string[]).includes(l ?? '') ? (l as ScreenLanguage) : 'fr';
}

async function load(): Promise<Seen> {
  const [branch, services, queue] = await Promise.all([
    apiFetch<BranchView>('/api/branch'), apiFetch<ServiceView[]>('/api/services'), apiFetch<QueueSummary>('/api/queue'),
  ]);
  // Today in the branch's time zone (en-CA writes YYYY-MM-DD): a closure of today is on the kiosk's start screen.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: branch.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const days = await apiFetch<HolidayView[]>(`/api/appointments/holidays?from=${today}&to=${today}`);
  const closed = days.find((d) => d.key === 'closure');
  return { branch, services, queue, closure: closed ? { date: closed.date, reason: closed.name } : null };
}

export function KioskPreview() {
  const { t, i18n } = useTranslation();
  const [seen, setSeen] = useState<Seen | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lang = i18n.language as ScreenLanguage;

  const setLanguage = useCallback((l: ScreenLanguage) => {
    void i18n.changeLanguage(l);
    document.documentElement.lang = l;
  }, [i18n]);
  useEffect(() => { setLanguage(previewLanguage(window.location.search)); }, [setLanguage]);
  useEffect(() => {
    let cancelled = false;
    const refresh = () => { load().then((s) => { if (!cancelled) setSeen(s); }, () => {}); };
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => { cancelled = true; clearInterval(timer); };
  }, []);

  const services = [...(seen?.services ?? [])].sort((a, b) => a.sortOrder - b.sortOrder);
  return (
    <div className="kiosk" data-step="start" data-preview="yes">
      <Header branchName={seen?.branch.name ?? ''} timeZone={seen?.branch.timeZone ?? 'Africa/Dakar'} onLanguage={setLanguage} />
      <main className="content">
        {seen ? (
          <StartScreen services={services} queue={seen.queue.services} notice={notice} closure={seen.closure}
            onService={() => setNotice(t('preview.noTicket'))}
            onClosed={(s) => setNotice(t('start.closedNotice', { service: s.name[lang], hours: s.hoursToday.length ? t('start.hours', { hours: hoursToday(s) }) : t('start.closedToday') }))}
            onCheckIn={() => setNotice(t('preview.noTicket'))} />
        ) : <Splash text={t('connecting')} />}
      </main>
    </div>
  );
}
