// Users: create agents, supervisors and admins, reset a password (shown once), disable and re-enable, last sign-in.
// The server refuses to disable the last active admin (409): the message says so beside the account.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserAdminView, PasswordReset } from '../../../server/src/shared/contracts/admin.js';
import { ROLES, type Role } from '../../../server/src/shared/contracts/domain.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import { Field, FormError } from './forms.js';

export function UsersPanel({ token, selfId }: { token: string; selfId: string }) {
  const { t, i18n } = useTranslation();
  const users = useAdminList<UserAdminView[]>('/api/admin/users', token);
  const [reset, setReset] = useState<PasswordReset | null>(null);
  const [rowError, setRowError] = useState<{ id: string; text: string } | null>(null);
  const action = useSaving();
  const act = async (u: UserAdminView, fn: () => Promise<void>) => {
    setRowError(null);
    const ok = await action.run(fn, (e) => fieldErrorsOf(e, t));
    if (!ok) setRowError({ id: u.id, text: t('admin.users.refused') });
    await users.reload();
  };
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'fr-SN', { dateStyle: 'short', timeStyle: 'short' }) : t('admin.users.never'));
  return (
    <div className="admin-stack">
      {reset && (
        <div className="impact" role="status" data-testid="password-shown">
          <p>{t('admin.users.newPassword', { name: reset.user.displayName })}</p>
          <p className="big-code" data-testid="new-password">{reset.password}</p>
          <p>{t('admin.users.shownOnce')}</p>
          <button type="button" onClick={() => setReset(null)}>{t('admin.users.noted')}</button>
        </div>
      )}
      <table className="admin-table" data-testid="users-table">
        <caption className="visually-hidden">{t('admin.sections.users')}</caption>
        <thead><tr><th scope="col">{t('admin.users.login')}</th><th scope="col">{t('admin.users.displayName')}</th><th scope="col">{t('admin.users.role')}</th><th scope="col">{t('admin.users.lastSignIn')}</th><th scope="col">{t('admin.users.state')}</th><th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th></tr></thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id} data-testid={`user-${u.login}`}>
              <td>{u.login}</td>
              <td>{u.displayName}</td>
              <td>{t(`admin.roles.${u.role}`)}</td>
              <td>{when(u.lastSignInAt)}</td>
              <td>{u.active ? t('admin.users.active') : t('admin.users.disabled')}</td>
              <td className="row-actions">
                <button type="button" onClick={() => void act(u, async () => { setReset(await apiFetch<PasswordReset>(`/api/admin/users/${encodeURIComponent(u.id)}/reset-password`, { method: 'POST', body: {}, token })); })}>{t('admin.users.reset')}</button>
                {u.active
                  ? <button type="button" disabled={u.id === selfId} onClick={() => void act(u, async () => { await apiFetch(`/api/admin/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { active: false }, token }); })}>{t('admin.users.disable')}</button>
                  : <button type="button" onClick={() => void act(u, async () => { await apiFetch(`/api/admin/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { active: true }, token }); })}>{t('admin.users.enable')}</button>}
                {rowError?.id === u.id && <span className="field-error" role="alert">{rowError.text}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <NewUser token={token} onDone={() => users.reload()} />
    </div>
  );
}

function NewUser({ token, onDone }: { token: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const blank = { login: '', displayName: '', role: 'agent' as Role, password: '' };
  const [d, setD] = useState(blank);
  const save = useSaving();
  const submit = async () => {
    const ok = await save.run(async () => { await apiFetch('/api/admin/users', { method: 'POST', body: d, token }); }, (e) => fieldErrorsOf(e, t, 'login'));
    if (ok) { setD(blank); await onDone(); }
  };
  return (
    <form className="admin-form admin-card" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="user-form" aria-label={t('admin.users.new')}>
      <h3>{t('admin.users.new')}</h3>
      <FormError errors={save.errors} />
      <div className="grid2">
        <Field label={t('admin.users.login')} error={save.errors.login} name="login">
          {(id, desc) => <input id={id} aria-describedby={desc} name="newLogin" autoComplete="off" value={d.login} onChange={(e) => setD({ ...d, login: e.target.value })} />}
        </Field>
        <Field label={t('admin.users.displayName')} error={save.errors.displayName} name="displayName">
          {(id, desc) => <input id={id} aria-describedby={desc} name="displayName" value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} />}
        </Field>
        <Field label={t('admin.users.role')} error={save.errors.role}>
          {(id) => <select id={id} name="role" value={d.role} onChange={(e) => setD({ ...d, role: e.target.value as Role })}>{ROLES.map((r) => <option key={r} value={r}>{t(`admin.roles.${r}`)}</option>)}</select>}
        </Field>
        <Field label={t('admin.users.password')} error={save.errors.password} name="password" hint={t('admin.users.passwordHint')}>
          {(id, desc) => <input id={id} aria-describedby={desc} name="newPassword" type="password" autoComplete="new-password" value={d.password} onChange={(e) => setD({ ...d, password: e.target.value })} />}
        </Field>
      </div>
      <div className="actions"><button type="submit" className="primary" disabled={save.busy} data-testid="user-save">{t('admin.users.create')}</button></div>
    </form>
  );
}
