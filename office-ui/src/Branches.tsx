import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REGIONS, ORGANIZATION_TYPES } from '../../server/src/shared/contracts/domain.js';
import type { CentralBranchView, EnrolResponse } from '../../server/src/shared/contracts/sync.js';
import type { OfficeUserView } from '../../server/src/shared/contracts/office.js';
import type { OfficeApi } from './session.js';

interface SyncEventRow { seq: number; eventType: string; status: string; occurredAt: string; receivedAt: string }

/** The credential, once, with what the branch needs: environment variables or the desktop app's settings. */
function CredentialNotice({ branchId, credential, onDone }: { branchId: string; credential: string; onDone: () => void }) {
  const { t } = useTranslation();
  const central = location.origin;
  return (
    <div className="card notice" role="alert" aria-labelledby="cred-title">
      <h2 id="cred-title">{t('branches.credentialTitle', { id: branchId })}</h2>
      <p>{t('branches.credentialOnce')}</p>
      <p><code data-testid="credential">{credential}</code></p>
      <h3>{t('branches.command')}</h3>
      <pre>{`SMARTQUEUE_CENTRAL_URL=${central} SMARTQUEUE_CENTRAL_CREDENTIAL=${credential} npm start`}</pre>
      <h3>{t('branches.electron')}</h3>
      <pre>{JSON.stringify({ server: { centralUrl: central, centralCredential: credential } }, null, 2)}</pre>
      <button type="button" onClick={onDone}>{t('branches.noted')}</button>
    </div>
  );
}

export function Branches({ api, user }: { api: OfficeApi; user: OfficeUserView }) {
  const { t } = useTranslation();
  const [branches, setBranches] = useState<CentralBranchView[]>([]);
  const [error, setError] = useState('');
  const [shown, setShown] = useState<{ branchId: string; credential: string } | null>(null);
  const [history, setHistory] = useState<{ branchId: string; rows: SyncEventRow[] } | null>(null);
  const [form, setForm] = useState({ id: '', name: '', code: '', region: 'Dakar', orgId: user.organizationId ?? '', orgName: '', orgType: 'bank' });
  const canManage = user.role !== 'analyst';
  const load = useCallback(() => api<CentralBranchView[]>('/api/central/branches').then(setBranches, (e: Error) => setError(e.message)), [api]);
  useEffect(() => { void load(); }, [load]);
  const act = async (fn: () => Promise<void>) => {
    setError('');
    try { await fn(); await load(); } catch (e) { setError((e as Error).message); }
  };
  const enrol = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const r = await api<EnrolResponse>('/api/central/branches', { body: {
        id: form.id.trim(), name: form.name.trim(), ...(form.code.trim() && { code: form.code.trim() }), region: form.region,
        organization: { ...(form.orgId.trim() && { id: form.orgId.trim() }), name: form.orgName.trim() || form.orgId.trim(), type: form.orgType },
      } });
      setShown({ branchId: r.branch.id, credential: r.credential });
      setForm((f) => ({ ...f, id: '', name: '', code: '' }));
    });
  };
  const field = (k: keyof typeof form) => ({ value: form[k], onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value })) });
  return (
    <section aria-labelledby="branches-title">
      <h1 id="branches-title">{t('screens.branches')}</h1>
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      {shown && <CredentialNotice {...shown} onDone={() => setShown(null)} />}
      {canManage && (
        <form className="card enrol" onSubmit={enrol} aria-labelledby="enrol-title">
          <h2 id="enrol-title">{t('branches.enrol')}</h2>
          <p className="muted">{t('branches.enrolHelp')}</p>
          <label>{t('branches.id')} <input required {...field('id')} /></label>
          <label>{t('branches.name')} <input required {...field('name')} /></label>
          <label>{t('branches.code')} <input {...field('code')} /></label>
          <label>{t('now.region')} <select {...field('region')}>{REGIONS.map((r) => <option key={r}>{r}</option>)}</select></label>
          {user.role === 'platform_admin' && <>
            <label>{t('branches.orgId')} <input {...field('orgId')} /></label>
            <label>{t('branches.orgName')} <input required {...field('orgName')} /></label>
            <label>{t('now.type')} <select {...field('orgType')}>{ORGANIZATION_TYPES.map((x) => <option key={x} value={x}>{t(`orgTypes.${x}`, { defaultValue: x })}</option>)}</select></label>
          </>}
          <button type="submit" className="primary">{t('branches.enrolSubmit')}</button>
        </form>
      )}
      <table className="wide">
        <caption>{t('branches.list')}</caption>
        <thead><tr><th scope="col">{t('branches.name')}</th><th scope="col">{t('now.region')}</th><th scope="col">{t('branches.org')}</th><th scope="col">{t('branches.status')}</th><th scope="col">{t('branches.lastSync')}</th><th scope="col">{t('now.backlog')}</th><th scope="col">{t('branches.actions')}</th></tr></thead>
        <tbody>
          {branches.map((b) => (
            <tr key={b.id}>
              <td>{b.name}{b.code ? ` (${b.code})` : ''}</td><td>{b.region}</td><td>{b.organization.name}</td>
              <td>{t(`branches.state.${b.status}`)}</td>
              <td>{b.sync.lastSyncAt ? new Date(b.sync.lastSyncAt).toLocaleString() : t('now.never')}</td><td>{b.sync.backlog}</td>
              <td className="actions">
                <button type="button" onClick={() => void act(async () => { setHistory({ branchId: b.id, rows: await api<SyncEventRow[]>(`/api/central/branches/${encodeURIComponent(b.id)}/events?afterSeq=${Math.max(0, b.sync.lastSeq - 50)}`) }); })}>{t('branches.history')}</button>
                {canManage && <button type="button" onClick={() => void act(async () => {
                  const r = await api<{ credential: string }>(`/api/central/branches/${encodeURIComponent(b.id)}/credentials`, { body: { revokeOthers: true } });
                  setShown({ branchId: b.id, credential: r.credential });
                })}>{t('branches.rotate')}</button>}
                {canManage && b.status === 'active' && <button type="button" className="danger" onClick={() => { if (confirm(t('branches.revokeConfirm', { name: b.name }))) void act(async () => { await api(`/api/central/branches/${encodeURIComponent(b.id)}/revoke`, { method: 'POST' }); }); }}>{t('branches.revoke')}</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {history && (
        <table className="wide">
          <caption>{t('branches.historyOf', { name: branches.find((b) => b.id === history.branchId)?.name ?? history.branchId })}</caption>
          <thead><tr><th scope="col">seq</th><th scope="col">{t('branches.event')}</th><th scope="col">{t('branches.status')}</th><th scope="col">{t('branches.occurred')}</th><th scope="col">{t('branches.received')}</th></tr></thead>
          <tbody>{history.rows.map((r) => <tr key={r.seq}><td>{r.seq}</td><td>{r.eventType}</td><td>{r.status}</td><td>{new Date(r.occurredAt).toLocaleString()}</td><td>{new Date(r.receivedAt).toLocaleString()}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
