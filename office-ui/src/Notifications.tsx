// The notification delivery log: per channel, how many were sent, failed, are still being retried and how many
// retries it took; then each delivery with its outcome, attempts, next try and last error.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeApi } from './session.js';
import { useReport } from './use-report.js';

interface Delivery { id: string; channel: string; kind: string; status: string; attempts: number; nextAttemptAt: string | null; lastError: string | null; createdAt: string; sentAt: string | null }

const CHANNELS = ['sms', 'email', 'push'] as const;

export function Notifications({ api }: { api: OfficeApi }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState('');
  const { data, error } = useReport<Delivery[]>(api, `/api/central/notifications?limit=500${channel ? `&channel=${channel}` : ''}`);
  const rows = data ?? [];
  const statuses = [...new Set(rows.map((r) => r.status))].sort();
  const perChannel = CHANNELS.filter((c) => !channel || c === channel).map((c) => {
    const list = rows.filter((r) => r.channel === c);
    return { channel: c, total: list.length, byStatus: statuses.map((s) => list.filter((r) => r.status === s).length), retries: list.reduce((n, r) => n + Math.max(0, r.attempts - 1), 0) };
  });
  const status = (s: string) => t(`notifications.statuses.${s}`, { defaultValue: s });
  return (
    <section aria-labelledby="notif-title">
      <h1 id="notif-title">{t('screens.notifications')}</h1>
      <div className="filters"><label>{t('notifications.channel')} <select value={channel} onChange={(e) => setChannel(e.target.value)}>
        <option value="">{t('all')}</option>{CHANNELS.map((c) => <option key={c} value={c}>{t(`notifications.channels.${c}`)}</option>)}</select></label></div>
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      <table className="wide" data-testid="notif-channels"><caption>{t('notifications.perChannel')}</caption>
        <thead><tr><th scope="col">{t('notifications.channel')}</th><th scope="col">{t('notifications.total')}</th>{statuses.map((s) => <th key={s} scope="col">{status(s)}</th>)}<th scope="col">{t('notifications.retries')}</th></tr></thead>
        <tbody>{perChannel.map((c) => <tr key={c.channel}><td>{t(`notifications.channels.${c.channel}`)}</td><td>{c.total}</td>{c.byStatus.map((n, i) => <td key={i}>{n}</td>)}<td>{c.retries}</td></tr>)}</tbody>
      </table>
      <table className="wide" data-testid="notif-log"><caption>{t('notifications.log')}</caption>
        <thead><tr><th scope="col">{t('notifications.when')}</th><th scope="col">{t('notifications.channel')}</th><th scope="col">{t('notifications.kind')}</th><th scope="col">{t('notifications.outcome')}</th><th scope="col">{t('notifications.attempts')}</th><th scope="col">{t('notifications.next')}</th><th scope="col">{t('notifications.lastError')}</th></tr></thead>
        <tbody>{rows.map((d) => <tr key={d.id}><td>{new Date(d.createdAt).toLocaleString()}</td><td>{t(`notifications.channels.${d.channel}`, { defaultValue: d.channel })}</td><td>{d.kind}</td><td>{status(d.status)}{d.sentAt ? ` · ${new Date(d.sentAt).toLocaleTimeString()}` : ''}</td><td>{d.attempts}</td><td>{d.nextAttemptAt ? new Date(d.nextAttemptAt).toLocaleString() : '—'}</td><td>{d.lastError ?? ''}</td></tr>)}</tbody>
      </table>
    </section>
  );
}
