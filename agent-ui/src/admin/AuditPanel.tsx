// The audit log: every admin change, newest first, filterable by kind (who, when, what, before → after).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_KINDS, type AuditEntryView } from '../../../server/src/shared/contracts/admin.js';
import { useAdminList } from './api.js';
import { Field } from './forms.js';

const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

export function AuditPanel({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState('');
  const audit = useAdminList<AuditEntryView[]>(`/api/admin/audit${kind ? `?kind=${kind}` : ''}`, token);
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'fr-SN', { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <div className="admin-stack">
      <Field label={t('admin.audit.filter')}>
        {(id) => (
          <select id={id} name="auditKind" value={kind} onChange={(e) => setKind(e.target.value)} data-testid="audit-filter">
            <option value="">{t('admin.audit.all')}</option>
            {AUDIT_KINDS.map((k) => <option key={k} value={k}>{t(`admin.audit.kinds.${k}`)}</option>)}
          </select>
        )}
      </Field>
      <table className="admin-table audit" data-testid="audit-table">
        <caption className="visually-hidden">{t('admin.sections.audit')}</caption>
        <thead><tr><th scope="col">{t('admin.audit.when')}</th><th scope="col">{t('admin.audit.who')}</th><th scope="col">{t('admin.audit.kind')}</th><th scope="col">{t('admin.audit.action')}</th><th scope="col">{t('admin.audit.before')}</th><th scope="col">{t('admin.audit.after')}</th></tr></thead>
        <tbody>
          {(audit.data ?? []).map((e) => (
            <tr key={e.id} data-kind={e.kind} data-action={e.action}>
              <td>{when(e.at)}</td>
              <td>{e.actor.name}</td>
              <td>{t(`admin.audit.kinds.${e.kind}`)}</td>
              <td>{t(`admin.audit.actions.${e.action}`, { defaultValue: e.action })}</td>
              <td><code>{show(e.before)}</code></td>
              <td><code>{show(e.after)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
