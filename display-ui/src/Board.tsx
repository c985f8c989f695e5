// The call board: now calling (very large, flashes on each new call), the last calls, waiting per service, the
// branch's clock and the supervisor's message. While offline it dims everything and says so: never stale as current.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CallEvent } from '../../server/src/shared/contracts/events.js';
import { displayTicketNumber } from '../../server/src/shared/domain/numbering.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import { useBranchLive } from '../../ui-shared/live.js';
import { Announcer } from './audio/announcer.js';
import { useNow, wallClock } from './clock.js';

const RECENT_SHOWN = 5;

interface BoardProps { token: string; languages: ScreenLanguage[]; i18n: I18n; onUnauthorized: () => void }

export function Board({ token, languages, i18n, onUnauthorized }: BoardProps) {
  const { t } = useTranslation();
  const lang = languages[0] ?? 'fr';
  const announcer = useMemo(() => new Announcer({
    languages,
    voicesUrl: `${import.meta.env.BASE_URL}voices/`,
    fallbackText: (l, call) => i18n.getFixedT(l)('announce.speech', { ticket: call.number.replace(/^([A-Z]+)0*(\d)/, '$1 $2'), counter: call.counterNumber }),
  }), [languages, i18n]);
  const [flashKey, setFlashKey] = useState<string | null>(null);
  const [needsGesture, setNeedsGesture] = useState(false);

  const onCall = useCallback((call: CallEvent) => {
    setFlashKey(`${call.ticketId}@${call.at}`);
    announcer.announce(call);
    setNeedsGesture(announcer.needsGesture);
  }, [announcer]);
  const live = useBranchLive(token, { onCall });
  const { snapshot, status } = live;

  useEffect(() => { if (status === 'unauthorized') onUnauthorized(); }, [status, onUnauthorized]);

  const [offsetMs, setOffsetMs] = useState(0);
  useEffect(() => {
    if (snapshot?.serverTime) setOffsetMs(Date.parse(snapshot.serverTime) - Date.now());
  }, [snapshot?.serverTime]);
  const now = useNow(offsetMs);

  if (!snapshot) return <div className="splash">{t('connecting')}</div>;

  const stale = status !== 'online';
  const current = snapshot.recentCalls[0] ?? null;
  const seen = new Set(current ? [current.ticketId] : []);
  const recent = snapshot.recentCalls.slice(1).filter((c) => (seen.has(c.ticketId) ? false : (seen.add(c.ticketId), true))).slice(0, RECENT_SHOWN);
  const clock = wallClock(now, snapshot.branch.timeZone);
  const weekdays = t('date.weekdays', { returnObjects: true }) as string[];
  const months = t('date.months', { returnObjects: true }) as string[];
  const services = snapshot.services.filter((s) => s.status !== 'closed');
  const waitingOf = (id: string) => snapshot.queue.services.find((q) => q.serviceId === id)?.waitingCount ?? 0;
  const currentKey = current ? `${current.ticketId}@${current.at}` : null;

  return (
    <div className={`board${stale ? ' stale' : ''}`} onClick={() => { void announcer.unlock().then(() => setNeedsGesture(announcer.needsGesture)); }}>
      <header className="board-header">
        <div className="brand">
          {snapshot.branch.logoUrl ? <img className="logo" src={snapshot.branch.logoUrl} alt="" /> : <DefaultLogo />}
          <div>
            <div className="branch-name" data-testid="branch-name">{snapshot.branch.name}</div>
            <div className="org-name">{snapshot.branch.organization.name}</div>
          </div>
        </div>
        <div className="clock">
          <div className="time" data-testid="clock">{clock.hours}:{clock.minutes}</div>
          <div className="date" data-testid="date">
            {t('date.format', { weekday: weekdays[clock.weekday], day: clock.day, month: months[clock.month], year: clock.year })}
          </div>
        </div>
      </header>

      {stale && <div className="connection-mark" data-testid="connection-mark" role="status">⟳ {t('reconnecting')} · {t('stale')}</div>}
      {needsGesture && !stale && <div className="sound-hint">🔇 {t('enableSound')}</div>}

      {snapshot.closure ? (
        // A day an admin closed the branch: the reason instead of the calls, large enough to read across the hall,
        // in each of the board's languages.
        <main className="board-closure" data-testid="closure" aria-live="polite">
          <h1 className="closure-title">{languages.map((l) => i18n.getFixedT(l)('closedToday')).filter((s, i, all) => all.indexOf(s) === i).join(' · ')}</h1>
          {[...new Set(languages.map((l) => snapshot.closure?.reason[l] ?? ''))].filter(Boolean).map((reason) => (
            <p key={reason} className="closure-reason" data-testid="closure-reason">{reason}</p>
          ))}
        </main>
      ) : (
      <main className="board-main">
        <section className="now" aria-live="polite">
          <h1 className="now-title">{t('nowCalling')}</h1>
          {current ? (
            <div key={currentKey} data-testid="now-calling" data-ticket={current.number} data-counter={current.counterNumber}
              className={`now-call${currentKey === flashKey ? ' flash' : ''}${current.queueType === 'appointment' ? ' appointment' : ''}`}>
              <div className="now-label">{t('ticket')}</div>
              <div className="now-number" data-testid="now-number">{displayTicketNumber(current.number)}</div>
              <div className="now-arrow">➜</div>
              <div className="now-counter" data-testid="now-counter">{t('counter')} <strong>{current.counterNumber}</strong></div>
              {current.queueType === 'appointment' && <div className="badge appointment-badge">{t('appointment')}</div>}
              {current.recall && <div className="badge recall-badge">{t('recall')}</div>}
            </div>
          ) : <div className="now-empty">{t('noCallYet')}</div>}
        </section>
        <section className="recent">
          <h2>{t('recentCalls')}</h2>
          <ol>
            {recent.map((c) => (
              <li key={`${c.ticketId}@${c.at}`} data-testid="recent-call" className={c.queueType === 'appointment' ? 'appointment' : undefined}>
                <span className="recent-number">{displayTicketNumber(c.number)}</span>
                <span className="recent-counter">{t('counter')} {c.counterNumber}</span>
              </li>
            ))}
          </ol>
        </section>
      </main>
      )}

      <footer className="board-footer">
        <div className="waiting">
          <span className="waiting-title">{t('waiting')}</span>
          {services.map((s) => (
            <span key={s.id} className="waiting-service" data-testid={`waiting-${s.prefix}`} data-status={s.status} data-count={waitingOf(s.id)}>
              <span className="prefix">{s.prefix}</span>
              <span className="service-name">{s.name[lang]}</span>
              <span className="count">{s.status === 'paused' ? t('servicePaused') : waitingOf(s.id)}</span>
            </span>
          ))}
        </div>
        {snapshot.message && (
          <div className="message" data-testid="message">
            <span key={snapshot.message} style={{ animationDuration: `${Math.max(12, snapshot.message.length / 6)}s` }}>{snapshot.message}</span>
          </div>
        )}
      </footer>
    </div>
  );
}

function DefaultLogo() {
  return (
    <svg className="logo" viewBox="0 0 64 64" role="img" aria-label="SmartQueue">
      <rect width="64" height="64" rx="14" fill="#0b7a53" />
      <circle cx="20" cy="24" r="7" fill="#fff" />
      <circle cx="34" cy="24" r="7" fill="#fde047" />
      <circle cx="48" cy="24" r="7" fill="#fff" opacity="0.6" />
      <rect x="12" y="38" width="40" height="8" rx="4" fill="#fff" />
    </svg>
  );
}
