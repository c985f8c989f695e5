import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeApi } from './session.js';

interface Delivery { id: string; channel: string; kind: string; status: string; attempts: number; lastError: string | null; createdAt: string; sentAt: string | null }

export function Notifications({ api }: { api: OfficeApi }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Delivery[]>([]);
  const [channel, setChannel] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    api<Delivery[]>(`/api/central/notifications?limit=200${channel ? `&channel=${channel}` : ''}`).then(setRows, (e: Error) => setError(e.message));
  }, [api, channel]);
  return (
    <section aria-labelledby="notif-title">
      <h1 id="notif-title">{t('screens.notifications')}</h1>
      <div className="filters"><label>{t('notifications.channel')} <select value={channel} onChange={(e) => setChannel(e.target.value)}>
        <option value="">{t('all')}</option>{['sms', 'email', 'push'].map((c) => <option key={c} value={c}>{c}</option>)}</select></label></div>
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      <table className="wide"><caption>{t('notifications.log')}</caption>
        <thead><tr><th scope="col">{t('notifications.when')}</th><th scope="col">{t('notifications.channel')}</th><th scope="col">{t('notifications.kind')}</th><th scope="col">{t('branches.status')}</th><th scope="col">{t('notifications.attempts')}</th><th scope="col">{t('notifications.lastError')}</th></tr></thead>
        <tbody>{rows.map((d) => <tr key={d.id}><td>{new Date(d.createdAt).toLocaleString()}</td><td>{d.channel}</td><td>{d.kind}</td><td>{d.status}</td><td>{d.attempts}</td><td>{d.lastError ?? ''}</td></tr>)}</tbody>
      </table>
    </section>
  );
}
