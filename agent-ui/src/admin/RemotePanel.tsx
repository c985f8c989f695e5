// Remote tickets (web, SMS, USSD through central): the share of the hour's tickets they may take, so walk-ins are
// not crowded out, and what call-next does while their visitor has not checked in (README, "Remote tickets and
// arrival"). GET/PATCH /api/admin/remote; a supervisor sees the rules, an admin changes them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RemoteSettings } from '../../../server/src/shared/contracts/remote.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import { Field, FormError } from './forms.js';

export function RemotePanel({ token, canEdit }: { token: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const current = useAdminList<RemoteSettings>('/api/admin/remote', token);
  const [form, setForm] = useState<RemoteSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useSaving();
  useEffect(() => { if (current.data && !form) setForm(current.data); }, [current.data, form]);
  if (!form) return null;

  const submit = async () => {
    setSaved(false);
    const was = current.data;
    // A PATCH names only what changed.
    const body = Object.fromEntries(Object.entries(form).filter(([k, v]) => !was || was[k as keyof RemoteSettings] !== v));
    if (Object.keys(body).length === 0) { setSaved(true); return; }
    const ok = await save.run(async () => { await apiFetch('/api/admin/remote', { method: 'PATCH', body, token }); }, (e) => fieldErrorsOf(e, t));
    if (ok) { setSaved(true); await current.reload(); }
  };
  const number = (key: 'sharePercent' | 'minPerHour' | 'graceMinutes', min: number, max: number) => (id: string, d: string | undefined) => (
    <input id={id} aria-describedby={d} name={key} type="number" inputMode="numeric" min={min} max={max} disabled={!canEdit || (key === 'graceMinutes' && form.absent !== 'skip')}
      value={Number.isFinite(form[key]) ? form[key] : ''} onChange={(e) => setForm({ ...form, [key]: e.target.value === '' ? Number.NaN : Number(e.target.value) })} />
  );

  return (
    <form className="admin-form" data-testid="remote-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h3>{t('admin.remote.title')}</h3>
      <p className="hint">{t('admin.remote.intro')}</p>
      <FormError errors={save.errors} />
      <div className="grid2">
        <Field label={t('admin.remote.sharePercent')} error={save.errors.sharePercent} name="sharePercent" hint={t('admin.remote.shareHint')}>
          {number('sharePercent', 0, 100)}
        </Field>
        <Field label={t('admin.remote.minPerHour')} error={save.errors.minPerHour} name="minPerHour">
          {number('minPerHour', 0, 1000)}
        </Field>
      </div>
      <fieldset className="choices" disabled={!canEdit}>
        <legend>{t('admin.remote.absent')}</legend>
        {(['call', 'skip'] as const).map((rule) => (
          <label key={rule}>
            <input type="radio" name="absent" value={rule} checked={form.absent === rule} onChange={() => setForm({ ...form, absent: rule })} />
            {t(`admin.remote.rules.${rule}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t('admin.remote.graceMinutes')} error={save.errors.graceMinutes} name="graceMinutes" hint={t('admin.remote.graceHint')}>
        {number('graceMinutes', 0, 240)}
      </Field>
      {canEdit && <button type="submit" className="primary" disabled={save.busy} data-testid="remote-save">{t('common.save')}</button>}
      {saved && <p role="status" className="saved">{t('admin.saved')}</p>}
    </form>
  );
}
