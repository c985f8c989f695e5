import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalyticsReport } from '../../server/src/shared/contracts/analytics.js';
import type { CentralBranchView } from '../../server/src/shared/contracts/sync.js';
import { FigureChart } from './Chart.js';
import { download, toCsv } from './csv.js';
import type { OfficeApi } from './session.js';
import { useReport } from './use-report.js';

const day = (d: Date) => d.toISOString().slice(0, 10);
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10} %`);
const min = (v: number | null) => (v === null ? '—' : String(v));

export default function Analytics({ api }: { api: OfficeApi }) {
  const { t } = useTranslation();
  const today = new Date();
  const [from, setFrom] = useState(day(new Date(today.getFullYear(), today.getMonth(), 1)));
  const [to, setTo] = useState(day(today));
  const [branchId, setBranchId] = useState('');
  const [branches, setBranches] = useState<CentralBranchView[]>([]);
  useEffect(() => { void api<CentralBranchView[]>('/api/central/branches').then(setBranches, () => undefined); }, [api]);
  const q = new URLSearchParams({ from, to, ...(branchId && { branchId }) });
  const { data: report, busy, error } = useReport<AnalyticsReport>(api, `/api/office/analytics?${q}`);
  const days = useMemo(() => report?.byDay ?? [], [report]);
  const dayChart = useMemo(() => [
    { label: t('analytics.issued'), data: days.map((d) => d.issued), color: '#1d4ed8' },
    { label: t('analytics.served'), data: days.map((d) => d.served), color: '#047857', kind: 'line' as const },
  ], [days, t]);
  const hours = useMemo(() => report?.byHour ?? [], [report]);
  const hourChart = useMemo(() => [
    { label: t('analytics.issued'), data: hours.map((h) => h.issued), color: '#1d4ed8' },
    { label: t('analytics.served'), data: hours.map((h) => h.served), color: '#047857' },
  ], [hours, t]);
  const services = useMemo(() => report?.services ?? [], [report]);
  const waitChart = useMemo(() => [
    { label: t('analytics.waitP50'), data: services.map((s) => s.waitP50Minutes ?? 0), color: '#1d4ed8' },
    { label: t('analytics.waitP90'), data: services.map((s) => s.waitP90Minutes ?? 0), color: '#b54708' },
    { label: t('analytics.target'), data: services.map((s) => s.targetMinutes ?? 0), color: '#344054', kind: 'line' as const },
  ], [services, t]);
  const serviceHeader = [t('analytics.branch'), t('service'), t('analytics.issued'), t('analytics.served'), t('analytics.noShowRate'), t('analytics.cancelRate'), t('analytics.waitP50'), t('analytics.waitP90'), t('analytics.within'), t('analytics.serviceP50'), t('analytics.serviceP90')];
  const serviceRows = services.map((s) => [s.branchName, s.serviceName, s.issued, s.served, pct(s.noShowRate), pct(s.cancelRate), min(s.waitP50Minutes), min(s.waitP90Minutes), pct(s.withinTarget), min(s.serviceP50Minutes), min(s.serviceP90Minutes)]);
  const heat = new Map((report?.heatmap ?? []).map((h) => [`${h.weekday}-${h.hour}`, h.issued]));
  const heatMax = Math.max(1, ...(report?.heatmap ?? []).map((h) => h.issued));
  const heatHours = [...new Set((report?.heatmap ?? []).map((h) => h.hour))].sort((a, b) => a - b);
  const branchName = branches.find((b) => b.id === branchId)?.name;
  return (
    <section aria-labelledby="analytics-title" aria-busy={busy}>
      <h1 id="analytics-title">{t('screens.analytics')}{branchName ? ` · ${branchName}` : ''}</h1>
      <div className="filters no-print">
        <label>{t('analytics.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('analytics.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label>{t('analytics.branch')} <select data-testid="branch-filter" value={branchId} onChange={(e) => setBranchId(e.target.value)}><option value="">{t('all')}</option>{branches.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}</select></label>
        <button type="button" onClick={() => download(`smartqueue-${from}-${to}.csv`, toCsv(serviceHeader, serviceRows))}>{t('analytics.csv')}</button>
        <button type="button" disabled={!branchId} title={branchId ? '' : t('analytics.pickBranch')} onClick={() => window.print()}>{t('analytics.print')}</button>
        {busy && <span role="status">{t('loading')}</span>}
      </div>
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      {report && <>
        <div className="pair">
          <FigureChart id="per-day" title={t('analytics.perDay')} labels={days.map((d) => d.day)} series={dayChart} />
          <table><caption>{t('analytics.perDay')}</caption><thead><tr><th scope="col">{t('analytics.day')}</th><th scope="col">{t('analytics.issued')}</th><th scope="col">{t('analytics.served')}</th></tr></thead>
            <tbody>{days.map((d) => <tr key={d.day}><td>{d.day}</td><td>{d.issued}</td><td>{d.served}</td></tr>)}</tbody></table>
        </div>
        <div className="pair">
          <FigureChart id="per-hour" title={t('analytics.perHour')} labels={hours.map((h) => `${h.hour} h`)} series={hourChart} />
          <table><caption>{t('analytics.perHour')}</caption><thead><tr><th scope="col">{t('analytics.hour')}</th><th scope="col">{t('analytics.issued')}</th><th scope="col">{t('analytics.served')}</th></tr></thead>
            <tbody>{hours.map((h) => <tr key={h.hour}><td>{h.hour} h</td><td>{h.issued}</td><td>{h.served}</td></tr>)}</tbody></table>
        </div>
        <FigureChart id="waits" title={t('analytics.waits')} labels={services.map((s) => `${s.serviceName} (${s.branchName})`)} series={waitChart} />
        <table className="wide" data-testid="services">
          <caption>{t('analytics.services')}</caption>
          <thead><tr>{serviceHeader.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
          <tbody>{serviceRows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
        </table>
        <table className="heat">
          <caption>{t('analytics.heatmap')}</caption>
          <thead><tr><th scope="col">{t('analytics.weekday')}</th>{heatHours.map((h) => <th key={h} scope="col">{h} h</th>)}</tr></thead>
          <tbody>{[1, 2, 3, 4, 5, 6, 7].map((w) => (
            <tr key={w}><th scope="row">{t(`weekdays.${w}`)}</th>{heatHours.map((h) => {
              const n = heat.get(`${w}-${h}`) ?? 0;
              return <td key={h} style={{ background: `rgba(29,78,216,${(n / heatMax).toFixed(2)})`, color: n / heatMax > 0.5 ? '#fff' : '#101828' }}>{n}</td>;
            })}</tr>
          ))}</tbody>
        </table>
        <table className="wide" data-testid="agents">
          <caption>{t('analytics.agents')}</caption>
          <thead><tr><th scope="col">{t('analytics.branch')}</th><th scope="col">{t('analytics.agent')}</th><th scope="col">{t('analytics.served')}</th><th scope="col">{t('analytics.avgService')}</th></tr></thead>
          <tbody>{report.agents.map((a) => <tr key={`${a.branchId}-${a.agentId}`}><td>{a.branchName}</td><td>{a.name}</td><td>{a.served}</td><td>{a.averageServiceSeconds === null ? '—' : t('minutes', { n: Math.round(a.averageServiceSeconds / 60) })}</td></tr>)}</tbody>
        </table>
        <p>{t('analytics.appointments', { kept: report.appointments.kept, missed: report.appointments.missed })}</p>
      </>}
    </section>
  );
}
