// Supervision: every counter live, every line with its waiting tickets (past their target highlighted), service
// and counter controls, alerts, the call boards' message and the sync state.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterView, Health, ServiceView } from '../../server/src/shared/contracts/api.js';
import type { Alert } from '../../server/src/shared/contracts/events.js';
import { apiFetch } from '../../ui-shared/api.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import type { LiveState } from '../../ui-shared/live.js';
import type { CommandRunner } from './commands.js';
import { minutesSince, useServerNow } from './format.js';
import { isOverTarget, overTargetCount } from '../../server/src/shared/domain/wait-estimate.js';
import { isWaitingStatus } from '../../server/src/shared/domain/ticket-state.js';
import { displayTicketNumber } from '../../server/src/shared/domain/numbering.js';
import type { Session } from './session.js';

interface Props { session: Session; live: LiveState; commands: CommandRunner }

const SERVICE_STATUSES = ['active', 'paused', 'closed'] as const;
const COUNTER_STATUSES = ['open', 'paused', 'closed'] as const;

export function Supervisor({ session, live, commands }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  const snapshot = live.snapshot;
  const online = live.status === 'online';
  const now = useServerNow(snapshot?.serverTime);
  const [health, setHealth] = useState<Health | null>(null);
  const [fetchedAlerts, setFetchedAlerts] = useState<Alert[]>([]);
  const [message, setMessage] = useState('');
  const ready = online && commands.busy === null;

  const refresh = useCallback(async () => {
    const [h, a] = await Promise.allSettled([
      apiFetch<Health>('/api/health'),
      apiFetch<Alert[]>('/api/alerts', { token: session.token }),
    ]);
    if (h.status === 'fulfilled') setHealth(h.value);
    if (a.status === 'fulfilled') setFetchedAlerts(a.value);
  }, [session.token]);
  useEffect(() => {
    if (!online) return;
    void refresh();
    const timer = setInterval(() => void refresh(), 15_000);
    return () => clearInterval(timer);
  }, [online, refresh]);
  useEffect(() => { setMessage(snapshot?.message ?? ''); }, [snapshot?.message]);

  if (!snapshot) return null;
  const alerts = [...new Map([...live.alerts, ...fetchedAlerts].map((a) => [a.id, a])).values()].sort((a, b) => b.at.localeCompare(a.at));
  const serviceName = (s: ServiceView) => `${s.prefix} · ${s.name[lang]}`;

  const setCounterStatus = (c: CounterView, status: (typeof COUNTER_STATUSES)[number]) =>
    void commands.run(`status:${c.id}:${status}`, `/api/counters/${c.id}/status`, { status });
  const toggleService = (c: CounterView, serviceId: string) => {
    const serviceIds = c.serviceIds.includes(serviceId) ? c.serviceIds.filter((id) => id !== serviceId) : [...c.serviceIds, serviceId];
    void commands.run(`services:${c.id}`, `/api/counters/${c.id}/services`, { serviceIds }, { method: 'PUT', commandId: false });
  };
  const setServiceStatus = (s: ServiceView, status: (typeof SERVICE_STATUSES)[number]) =>
    void commands.run(`service:${s.id}:${status}`, `/api/services/${s.id}/status`, { status }, { commandId: false });
  const saveMessage = (text: string) =>
    void commands.run('display-message', '/api/display/message', { text }, { method: 'PUT', commandId: false });

  return (
    <div className="supervisor" data-testid="supervisor">
      <h1 className="visually-hidden">{t('tabs.supervisor')}</h1>
      <section className="panel wide">
        <h2>{t('sup.counters')}</h2>
        <table className="grid">
          <thead>
            <tr><th>{t('sup.counter')}</th><th>{t('sup.status')}</th><th>{t('sup.agent')}</th><th>{t('sup.ticket')}</th><th>{t('sup.servicesServed')}</th><th><span className="visually-hidden">{t('sup.actions')}</span></th></tr>
          </thead>
          <tbody>
            {snapshot.counters.map((c) => {
              const ticket = c.currentTicketId ? snapshot.activeTickets.find((x) => x.id === c.currentTicketId) : undefined;
              return (
                <tr key={c.id} data-testid={`sup-counter-${c.number}`} data-status={c.status}>
                  <td><strong>{c.name}</strong></td>
                  <td><span className={`counter-status status-${c.status}`}>{t(`counterStatus.${c.status}`)}</span></td>
                  <td>{c.agentName ?? '—'}</td>
                  <td data-testid={`sup-counter-${c.number}-ticket`}>
                    {c.currentTicketNumber ? <><strong>{displayTicketNumber(c.currentTicketNumber)}</strong> {ticket && <span className="muted">{t(`ticketStatus.${ticket.status}`)}</span>}</> : '—'}
                  </td>
                  <td>
                    <div className="chips">
                      {snapshot.services.map((s) => (
                        <button key={s.id} type="button" className={`chip${c.serviceIds.includes(s.id) ? ' on' : ''}`} title={serviceName(s)} disabled={!ready}
                          aria-pressed={c.serviceIds.includes(s.id)} data-testid={`sup-counter-${c.number}-service-${s.prefix}`} onClick={() => toggleService(c, s.id)}>{s.prefix}</button>
                      ))}
                    </div>
                  </td>
                  <td className="row-actions">
                    {COUNTER_STATUSES.filter((st) => st !== c.status).map((st) => (
                      <button key={st} type="button" disabled={!ready} data-testid={`sup-counter-${c.number}-set-${st}`} onClick={() => setCounterStatus(c, st)}>{t(`counterAction.${st}`)}</button>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="panel wide">
        <h2>{t('sup.services')}</h2>
        <div className="service-cards">
          {snapshot.services.map((s) => {
            const q = snapshot.queue.services.find((x) => x.serviceId === s.id);
            const waiting = snapshot.activeTickets
              .filter((x) => x.serviceId === s.id && isWaitingStatus(x.status) && !x.parkedAt)
              .sort((a, b) => (a.position ?? 999) - (b.position ?? 999) || a.issuedAt.localeCompare(b.issuedAt));
            // The screen holds the head of a long line only (docs/realtime.md): its counts are the queue summary's.
            // A line held whole is counted here, as the minutes pass; a longer one by the server.
            const whole = q === undefined || waiting.length >= q.waitingCount;
            const overCount = whole ? overTargetCount(waiting.map((x) => x.issuedAt), s.targetWaitMinutes, now) : q.overTargetCount;
            return (
              <div key={s.id} className={`service-card status-${s.status}${overCount ? ' has-over' : ''}`} data-testid={`sup-service-${s.prefix}`} data-status={s.status} data-waiting={q?.waitingCount ?? waiting.length}>
                <div className="service-head">
                  <strong>{serviceName(s)}</strong>
                  <span className={`service-status status-${s.status}`}>{t(`serviceStatus.${s.status}`)}</span>
                </div>
                <div className="service-figures">
                  <span>{t('desk.waiting')}: <strong>{q?.waitingCount ?? waiting.length}</strong></span>
                  <span>{t('desk.longest')}: <strong>{q && q.waitingCount ? t('common.minutes', { count: q.longestWaitMinutes }) : '—'}</strong></span>
                  <span>{t('sup.target', { minutes: s.targetWaitMinutes })}</span>
                  {overCount > 0 && <span className="over-count">{t('sup.overTarget', { count: overCount })}</span>}
                </div>
                <ul className="waiting-tickets">
                  {waiting.map((x) => {
                    const waited = minutesSince(x.issuedAt, now);
                    const over = isOverTarget(x.issuedAt, s.targetWaitMinutes, now);
                    return (
                      <li key={x.id} className={over ? 'over' : undefined} data-testid="sup-waiting-ticket" data-ticket={x.number} data-over={over}>
                        <span className="num">{displayTicketNumber(x.number)}</span>
                        <span>{t('common.minutes', { count: waited })}</span>
                        {x.queueType !== 'normal' && <span className="tag">{t(`queueType.${x.queueType}`)}</span>}
                      </li>
                    );
                  })}
                </ul>
                <div className="row-actions">
                  {SERVICE_STATUSES.filter((st) => st !== s.status).map((st) => (
                    <button key={st} type="button" disabled={!ready} data-testid={`sup-service-${s.prefix}-set-${st}`} onClick={() => setServiceStatus(s, st)}>{t(`serviceAction.${st}`)}</button>
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      </section>

      <section className="panel">
        <h2>{t('sup.alerts')}</h2>
        {alerts.length === 0 ? <p className="muted">{t('sup.noAlerts')}</p> : (
          <ul className="alerts" data-testid="alerts">
            {alerts.map((a) => (
              <li key={a.id} className={`alert severity-${a.severity}`} data-kind={a.kind}>
                <time>{new Date(a.at).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'fr-SN', { hour: '2-digit', minute: '2-digit', timeZone: snapshot.branch.timeZone })}</time>
                <span>{alertText(a, t)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel">
        <h2>{t('sup.message')}</h2>
        <form className="message-form" onSubmit={(e) => { e.preventDefault(); saveMessage(message); }}>
          <textarea value={message} maxLength={280} rows={3} placeholder={t('sup.messagePlaceholder')} data-testid="display-message" onChange={(e) => setMessage(e.target.value)} />
          <div className="row-actions">
            <button type="submit" className="primary" disabled={!ready}>{t('common.save')}</button>
            <button type="button" disabled={!ready} onClick={() => { setMessage(''); saveMessage(''); }}>{t('common.clear')}</button>
          </div>
        </form>
      </section>

      <section className="panel" data-testid="sync">
        <h2>{t('sup.sync')}</h2>
        {!health ? <p className="muted">—</p> : !health.sync.configured ? <p>{t('sup.syncStandalone')}</p> : (
          <dl>
            <dt>{t('sup.status')}</dt><dd className={health.sync.online ? 'ok' : 'bad'}>{t(health.sync.online ? 'sup.syncOnline' : 'sup.syncOffline')}</dd>
            <dt>{t('sup.backlog')}</dt><dd>{health.sync.backlog}</dd>
            <dt>{t('sup.lastSuccess')}</dt><dd>{health.sync.lastSuccessAt ? new Date(health.sync.lastSuccessAt).toLocaleString(lang === 'en' ? 'en-GB' : 'fr-SN', { timeZone: snapshot.branch.timeZone }) : '—'}</dd>
            {health.sync.lagSeconds !== null && <><dt>{t('sup.lag')}</dt><dd>{t('common.seconds', { count: health.sync.lagSeconds })}</dd></>}
            {health.sync.lastError && <><dt>{t('sup.lastError')}</dt><dd className="bad">{health.sync.lastError}</dd></>}
          </dl>
        )}
        {health && <p className="muted">{t('sup.version', { version: health.version })}</p>}
      </section>
    </div>
  );
}

function alertText(a: Alert, t: (key: string, opts?: Record<string, unknown>) => string): string {
  if (a.kind === 'long_wait' && a.data) {
    return t('alert.longWait', { prefix: a.data.prefix, minutes: a.data.longestWaitMinutes, target: a.data.targetWaitMinutes, count: a.data.waitingCount });
  }
  if (a.kind === 'printer') return t('alert.printer', { message: a.message });
  const d = a.data ?? {};
  if (a.kind === 'security' && d.reason === 'login_locked') return t('alert.loginLocked', { key: d.key, failures: d.failures, seconds: d.retryAfterSeconds });
  if (a.kind === 'security' && d.reason === 'address_locked') return t('alert.addressLocked', { key: d.key, failures: d.failures });
  if (a.kind === 'security' && d.reason === 'pairing_paused') return t('alert.pairingPaused', { minutes: d.pausedMinutes, count: d.wrongCodes });
  if (a.kind === 'storage') return t(d.reason === 'storage_recovered' ? 'alert.storageRecovered' : 'alert.storageFull');
  return a.message;
}
