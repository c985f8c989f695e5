import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NowReport } from '../../server/src/shared/contracts/office-now.js';
import { RegionMap, type RegionState } from './RegionMap.js';
import type { OfficeApi } from './session.js';

const POLL_MS = 5000;

export function Now({ api }: { api: OfficeApi }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<NowReport | null>(null);
  const [error, setError] = useState('');
  const [region, setRegion] = useState('');
  const [type, setType] = useState('');
  useEffect(() => {
    let stop = false;
    const load = () => api<NowReport>('/api/office/now').then((r) => { if (!stop) { setReport(r); setError(''); } }, (e: Error) => { if (!stop) setError(e.message); });
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => { stop = true; clearInterval(timer); };
  }, [api]);
  const types = useMemo(() => [...new Set(report?.branches.map((b) => b.organization.type) ?? [])].sort(), [report]);
  const shown = (report?.branches ?? []).filter((b) => (!region || b.region === region) && (!type || b.organization.type === type));
  const states = useMemo(() => {
    const m = new Map<string, RegionState>();
    for (const b of report?.branches ?? []) {
      if (type && b.organization.type !== type) continue;
      const s = m.get(b.region) ?? { branches: 0, offline: 0, stale: 0, waiting: 0 };
      s.branches += 1;
      if (b.link === 'offline') s.offline += 1;
      if (b.link === 'stale') s.stale += 1;
      s.waiting += b.waiting;
      m.set(b.region, s);
    }
    return m;
  }, [report, type]);
  const age = (s: number | null) => (s === null ? t('now.never') : s < 120 ? t('now.ageSeconds', { n: s }) : t('now.ageMinutes', { n: Math.round(s / 60) }));
  return (
    <section aria-labelledby="now-title">
      <h1 id="now-title">{t('screens.now')}</h1>
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      <div className="filters">
        <label>{t('now.region')} <select value={region} onChange={(e) => setRegion(e.target.value)}><option value="">{t('all')}</option>{[...states.keys()].sort().map((r) => <option key={r}>{r}</option>)}</select></label>
        <label>{t('now.type')} <select value={type} onChange={(e) => setType(e.target.value)}><option value="">{t('all')}</option>{types.map((x) => <option key={x} value={x}>{t(`orgTypes.${x}`, { defaultValue: x })}</option>)}</select></label>
        {report && <span className="muted" role="status">{t('now.updated', { time: new Date(report.generatedAt).toLocaleTimeString() })}</span>}
      </div>
      <div className="now-grid">
        <RegionMap states={states} selected={region} onSelect={setRegion} />
        <div className="branch-cards">
          {shown.map((b) => (
            <article key={b.id} className={`card branch ${b.link}`} data-branch={b.id} aria-labelledby={`b-${b.id}`}>
              <h2 id={`b-${b.id}`}>{b.name} <span className={`badge ${b.link}`}>{t(`now.link.${b.link}`)}</span></h2>
              <p className="muted">{b.region} · {t('now.lastNews')} {age(b.ageSeconds)}{b.link !== 'online' && <strong> · {t('now.old')}</strong>}</p>
              <p>{t('now.waiting')} <strong data-testid="waiting">{b.waiting}</strong> · {t('now.counters')} {b.openCounters} · {t('now.backlog')} {b.backlog}{b.lagSeconds ? ` (${age(b.lagSeconds)})` : ''}</p>
              {b.services.length > 0 && (
                <table>
                  <thead><tr><th scope="col">{t('service')}</th><th scope="col">{t('now.waiting')}</th><th scope="col">{t('now.longest')}</th></tr></thead>
                  <tbody>{b.services.map((s) => <tr key={s.serviceId}><td>{s.name}</td><td>{s.waiting}</td><td>{s.longestWaitMinutes === null ? '—' : t('minutes', { n: s.longestWaitMinutes })}</td></tr>)}</tbody>
                </table>
              )}
              {b.alerts.length > 0 && <ul className="alerts">{b.alerts.map((a, i) => <li key={i}>{t(`now.alert.${a.kind}`, { message: a.message })}</li>)}</ul>}
            </article>
          ))}
          {report && shown.length === 0 && <p>{t('now.none')}</p>}
        </div>
      </div>
    </section>
  );
}
