// Configuration pushed to branches: head office edits its organization's service catalog (letters, names fr/wo/en,
// targets, fees, appointment settings) and the call-board message once, saves a revision, applies it to chosen
// branches through their feed, and sees which branches applied (or refused) which revision.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogService, OrgConfigView } from '../../server/src/shared/contracts/org-config.js';
import type { CentralBranchView } from '../../server/src/shared/contracts/sync.js';
import type { OfficeUserView } from '../../server/src/shared/contracts/office.js';
import type { OfficeApi } from './session.js';

const APPOINTMENTS = { enabled: true, slotMinutes: 15, capacity: 1, horizonWorkingDays: 15, minLeadMinutes: 60, earlyMinutes: 30, lateMinutes: 15 };
const newEntry = (taken: string[]): CatalogService => ({
  key: `svc-${Math.random().toString(36).slice(2, 10)}`,
  prefix: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((l) => !taken.includes(l)) ?? 'Z',
  name: { fr: '', wo: '', en: '' }, targetWaitMinutes: 15, defaultServiceMinutes: 5, feeXof: null, appointments: null,
});

export function Configuration({ api, user }: { api: OfficeApi; user: OfficeUserView }) {
  const { t } = useTranslation();
  const [orgs, setOrgs] = useState<{ id: string; name: string }[]>([]);
  const [org, setOrg] = useState(user.organizationId ?? '');
  const [view, setView] = useState<OrgConfigView | null>(null);
  const [services, setServices] = useState<CatalogService[]>([]);
  const [message, setMessage] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const canManage = user.role !== 'analyst';

  useEffect(() => {
    if (user.organizationId) return;
    // A platform admin picks the organization among the enrolled branches' ones.
    api<CentralBranchView[]>('/api/central/branches').then((bs) => {
      const list = [...new Map(bs.map((b) => [b.organization.id, { id: b.organization.id, name: b.organization.name }])).values()];
      setOrgs(list);
      setOrg((o) => o || list[0]?.id || '');
    }, (e: Error) => setError(e.message));
  }, [api, user.organizationId]);
  const query = user.organizationId ? '' : `?organizationId=${encodeURIComponent(org)}`;
  // An answer for the organization picked before the current one is dropped: its services must never land in the
  // editor of another organization (saving would push them there).
  const shownOrg = useRef(org);
  shownOrg.current = org;
  const show = useCallback((v: OrgConfigView) => {
    if (v.organizationId !== shownOrg.current) return;
    setView(v); setServices(v.services); setMessage(v.displayMessage);
  }, []);
  const load = useCallback(() => {
    if (!org) return;
    api<OrgConfigView>(`/api/office/config${query}`).then(show, (e: Error) => setError(e.message));
  }, [api, org, query, show]);
  useEffect(() => { load(); }, [load]);
  // The branches' answers arrive with their next sync: keep the table fresh while the screen is open.
  useEffect(() => {
    const timer = setInterval(() => { if (org) api<OrgConfigView>(`/api/office/config${query}`).then((v) => { if (v.organizationId === shownOrg.current) setView(v); }, () => undefined); }, 5000);
    return () => clearInterval(timer);
  }, [api, org, query]);

  const act = async (fn: () => Promise<void>) => {
    setError('');
    setStatus('');
    try { await fn(); } catch (e) { setError((e as Error).message); }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const v = await api<OrgConfigView>(`/api/office/config${query}`, { method: 'PUT', body: { services, displayMessage: message } });
      show(v);
      setStatus(t('config.saved', { revision: v.revision }));
    });
  };
  const apply = () => void act(async () => {
    const v = await api<OrgConfigView>('/api/office/config/apply', { body: { ...(user.organizationId ? {} : { organizationId: org }), branchIds: chosen } });
    setView(v);
    setStatus(t('config.pushed', { revision: v.revision, n: chosen.length }));
  });
  const edit = (i: number, patch: Partial<CatalogService>) => setServices((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const num = (v: string) => (v === '' ? 0 : Number(v));
  const dirty = view !== null && (JSON.stringify(view.services) !== JSON.stringify(services) || view.displayMessage !== message);

  return (
    <section aria-labelledby="config-title">
      <h1 id="config-title">{t('screens.config')}</h1>
      <p className="muted">{t('config.help')}</p>
      {!user.organizationId && (
        <div className="filters"><label>{t('branches.org')}
          <select value={org} onChange={(e) => { setView(null); setServices([]); setMessage(''); setOrg(e.target.value); }}>{orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}</select></label></div>
      )}
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      <p role="status" data-testid="config-status">{status}</p>
      {view && (
        <form onSubmit={save} aria-labelledby="catalog-title">
          <h2 id="catalog-title">{t('config.catalog', { revision: view.revision })}</h2>
          <fieldset disabled={!canManage} className="plain">
            <table className="wide" data-testid="catalog">
              <thead><tr>
                <th scope="col">{t('config.letter')}</th><th scope="col">{t('config.nameFr')}</th><th scope="col">{t('config.nameWo')}</th><th scope="col">{t('config.nameEn')}</th>
                <th scope="col">{t('analytics.target')}</th><th scope="col">{t('config.serviceMinutes')}</th><th scope="col">{t('config.fee')}</th>
                <th scope="col">{t('config.appointments')}</th><th scope="col">{t('config.slot')}</th><th scope="col">{t('config.capacity')}</th><th scope="col"><span className="sr-only">{t('branches.actions')}</span></th>
              </tr></thead>
              <tbody>{services.map((s, i) => {
                const row = t('config.row', { n: i + 1 });
                return (
                  <tr key={s.key} data-key={s.key}>
                    <td><input aria-label={`${row} · ${t('config.letter')}`} value={s.prefix} maxLength={1} size={2} onChange={(e) => edit(i, { prefix: e.target.value.toUpperCase() })} /></td>
                    {(['fr', 'wo', 'en'] as const).map((l) => (
                      <td key={l}><input aria-label={`${row} · ${t(`config.name${l === 'fr' ? 'Fr' : l === 'wo' ? 'Wo' : 'En'}`)}`} value={s.name[l]} onChange={(e) => edit(i, { name: { ...s.name, [l]: e.target.value } })} /></td>
                    ))}
                    <td><input aria-label={`${row} · ${t('analytics.target')}`} type="number" min={1} max={600} size={4} value={s.targetWaitMinutes} onChange={(e) => edit(i, { targetWaitMinutes: num(e.target.value) })} /></td>
                    <td><input aria-label={`${row} · ${t('config.serviceMinutes')}`} type="number" min={0.5} max={240} step={0.5} size={4} value={s.defaultServiceMinutes} onChange={(e) => edit(i, { defaultServiceMinutes: num(e.target.value) })} /></td>
                    <td><input aria-label={`${row} · ${t('config.fee')}`} type="number" min={0} size={6} value={s.feeXof ?? ''} onChange={(e) => edit(i, { feeXof: e.target.value === '' || e.target.value === '0' ? null : Number(e.target.value) })} /></td>
                    <td><input aria-label={`${row} · ${t('config.appointments')}`} type="checkbox" checked={s.appointments?.enabled ?? false}
                      onChange={(e) => edit(i, { appointments: e.target.checked ? { ...APPOINTMENTS, ...s.appointments, enabled: true } : null })} /></td>
                    <td><input aria-label={`${row} · ${t('config.slot')}`} type="number" min={5} max={480} size={4} disabled={!s.appointments} value={s.appointments?.slotMinutes ?? ''}
                      onChange={(e) => s.appointments && edit(i, { appointments: { ...s.appointments, slotMinutes: num(e.target.value) } })} /></td>
                    <td><input aria-label={`${row} · ${t('config.capacity')}`} type="number" min={1} max={100} size={3} disabled={!s.appointments} value={s.appointments?.capacity ?? ''}
                      onChange={(e) => s.appointments && edit(i, { appointments: { ...s.appointments, capacity: num(e.target.value) } })} /></td>
                    <td><button type="button" className="danger" onClick={() => setServices((list) => list.filter((_, j) => j !== i))}>{t('config.remove', { row })}</button></td>
                  </tr>
                );
              })}</tbody>
            </table>
            <p><button type="button" onClick={() => setServices((list) => [...list, newEntry(list.map((s) => s.prefix))])}>{t('config.add')}</button></p>
            <label className="block">{t('config.message')}
              <textarea value={message} maxLength={280} rows={2} cols={70} onChange={(e) => setMessage(e.target.value)} /></label>
            <p><button type="submit" className="primary">{t('config.save')}</button></p>
          </fieldset>
        </form>
      )}
      {view && (
        <div className="card">
          <h2 id="apply-title">{t('config.branches')}</h2>
          {dirty && <p className="muted">{t('config.unsaved')}</p>}
          <table className="wide" data-testid="config-branches" aria-labelledby="apply-title">
            <thead><tr><th scope="col">{t('config.choose')}</th><th scope="col">{t('analytics.branch')}</th><th scope="col">{t('now.region')}</th><th scope="col">{t('config.pushedRevision')}</th><th scope="col">{t('config.appliedRevision')}</th><th scope="col">{t('branches.status')}</th></tr></thead>
            <tbody>{view.branches.map((b) => (
              <tr key={b.branchId} data-branch={b.branchId}>
                <td><input type="checkbox" aria-label={t('config.chooseBranch', { name: b.name })} disabled={!canManage} checked={chosen.includes(b.branchId)}
                  onChange={(e) => setChosen((c) => (e.target.checked ? [...c, b.branchId] : c.filter((x) => x !== b.branchId)))} /></td>
                <td>{b.name}</td><td>{b.region}</td>
                <td>{b.pushedRevision ?? '—'}</td>
                <td data-testid="applied-revision">{b.appliedRevision ?? '—'}</td>
                <td data-testid="config-outcome">{b.outcome === 'refused' ? t('config.refused', { reason: b.reason ?? '' })
                  : b.outcome === 'applied' ? t('config.applied', { time: new Date(b.appliedAt ?? '').toLocaleString() })
                  : b.pushedRevision !== null ? t('config.waiting') : t('config.never')}</td>
              </tr>
            ))}</tbody>
          </table>
          {canManage && <button type="button" className="primary" disabled={!chosen.length || view.revision === 0 || dirty} onClick={apply}>{t('config.apply', { revision: view.revision })}</button>}
        </div>
      )}
    </section>
  );
}
