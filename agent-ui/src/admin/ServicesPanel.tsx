// Services: create, edit, reorder (the kiosk follows at once), pause / close / reopen a line after being told how
// many visitors wait in it, names in fr/wo/en side by side (a missing one shows as missing), the kiosk's icons.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceView } from '../../../server/src/shared/contracts/api.js';
import type { ServiceStatusPreview } from '../../../server/src/shared/contracts/admin.js';
import { LANGUAGES, type Language, type OpeningHours, type ServiceStatus } from '../../../server/src/shared/contracts/domain.js';
import { SERVICE_ICONS } from '../../../server/src/shared/domain/service-icons.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { Icon } from '../../../ui-shared/icons.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import { AppointmentSettingsForm } from './AppointmentSettingsForm.js';
import { closedWeek, Field, FormError, HoursEditor, MoveButtons, moved } from './forms.js';

interface Draft {
  id: string | null;
  prefix: string;
  name: Record<Language, string>;
  icon: string;
  targetWaitMinutes: string;
  defaultServiceMinutes: string;
  express: boolean;
  feeXof: string;
  /** "Your turn is near" position; empty: head office's default. */
  notifyAtPosition: string;
  ownHours: boolean;
  openingHours: OpeningHours;
}

const empty = (): Draft => ({
  id: null, prefix: '', name: { fr: '', wo: '', en: '' }, icon: 'ticket', targetWaitMinutes: '15', defaultServiceMinutes: '5', express: false, feeXof: '',
  notifyAtPosition: '', ownHours: false, openingHours: closedWeek(),
});

const draftOf = (s: ServiceView): Draft => ({
  id: s.id, prefix: s.prefix, name: { ...s.name }, icon: s.icon, targetWaitMinutes: String(s.targetWaitMinutes), defaultServiceMinutes: String(s.defaultServiceMinutes),
  express: s.express, feeXof: s.feeXof === null ? '' : String(s.feeXof), notifyAtPosition: s.notifyAtPosition === null ? '' : String(s.notifyAtPosition), ownHours: s.openingHours !== null, openingHours: s.openingHours ?? closedWeek(),
});

/** Head office pushes some services (issue 17): the fields it manages are read-only here. */
const managedCentrally = (s: ServiceView): boolean => s.managedBy === 'central';

export function ServicesPanel({ token, canEdit }: { token: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const services = useAdminList<ServiceView[]>('/api/services', token);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [pending, setPending] = useState<{ service: ServiceView; status: ServiceStatus; preview: ServiceStatusPreview } | null>(null);
  const action = useSaving();
  const list = services.data ?? [];

  const reorder = async (from: number, to: number) => {
    const ids = moved(list, from, to).map((s) => s.id);
    // The list is reloaded before the buttons come back: a second move starts from the order the server holds.
    await action.run(async () => { await apiFetch('/api/admin/services/order', { method: 'PUT', body: { serviceIds: ids }, token }); await services.reload(); }, (e) => fieldErrorsOf(e, t));
  };
  const askStatus = async (service: ServiceView, status: ServiceStatus) => {
    await action.run(async () => {
      const preview = await apiFetch<ServiceStatusPreview>(`/api/services/${encodeURIComponent(service.id)}/status/preview`, { method: 'POST', body: { status }, token });
      setPending({ service, status, preview });
    }, (e) => fieldErrorsOf(e, t));
  };
  const applyStatus = async () => {
    if (!pending) return;
    await action.run(async () => { await apiFetch(`/api/services/${encodeURIComponent(pending.service.id)}/status`, { method: 'POST', body: { status: pending.status }, token }); }, (e) => fieldErrorsOf(e, t));
    setPending(null);
    await services.reload();
  };

  return (
    <div className="admin-stack">
      <FormError errors={action.errors} />
      <table className="admin-table" data-testid="services-table">
        <caption className="visually-hidden">{t('admin.sections.services')}</caption>
        <thead>
          <tr><th scope="col">{t('admin.services.order')}</th><th scope="col">{t('admin.services.letter')}</th><th scope="col">{t('admin.services.icon')}</th><th scope="col">{t('admin.services.names')}</th><th scope="col">{t('admin.services.status')}</th><th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th></tr>
        </thead>
        <tbody>
          {list.map((s, i) => (
            <tr key={s.id} data-testid={`service-${s.prefix}`}>
              <td>{canEdit && <MoveButtons index={i} count={list.length} onMove={(a, b) => void reorder(a, b)} label={s.name[lang]} disabled={action.busy} />}</td>
              <td><strong>{s.prefix}</strong></td>
              <td><Icon name={s.icon} size={28} /></td>
              <td>{s.name[lang]}{managedCentrally(s) && <span className="badge">{t('admin.services.managedByCentral')}</span>}</td>
              <td><span className={`pill status-${s.status}`}>{t(`admin.services.statuses.${s.status}`)}</span></td>
              <td className="row-actions">
                {s.status !== 'active' && <button type="button" onClick={() => void askStatus(s, 'active')}>{t('admin.services.reopen')}</button>}
                {s.status === 'active' && <button type="button" onClick={() => void askStatus(s, 'paused')}>{t('admin.services.pause')}</button>}
                {s.status !== 'closed' && <button type="button" onClick={() => void askStatus(s, 'closed')} data-testid={`close-${s.prefix}`}>{t('admin.services.close')}</button>}
                {canEdit && <button type="button" onClick={() => setDraft(draftOf(s))} data-testid={`edit-${s.prefix}`}>{t('admin.edit')}</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending && (
        <div className="impact" role="alertdialog" aria-labelledby="status-impact" data-testid="status-preview">
          <p id="status-impact">
            {t(`admin.services.confirm.${pending.status}`, { name: pending.service.name[lang] })}{' '}
            {pending.preview.waitingTickets > 0 ? t('admin.services.impactWaiting', { count: pending.preview.waitingTickets }) : t('admin.services.impactNone')}
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void applyStatus()} data-testid="status-confirm">{t('admin.confirmApply')}</button>
            <button type="button" onClick={() => setPending(null)}>{t('common.cancel')}</button>
          </div>
        </div>
      )}
      {canEdit && !draft && <div><button type="button" className="primary" onClick={() => setDraft(empty())} data-testid="service-new">{t('admin.services.new')}</button></div>}
      {canEdit && draft && <ServiceForm key={draft.id ?? 'new'} token={token} initial={draft} managed={list.find((s) => s.id === draft.id)?.managedFields ?? []}
        onDone={async () => { setDraft(null); await services.reload(); }} onCancel={() => setDraft(null)} />}
    </div>
  );
}

function ServiceForm({ token, initial, onDone, onCancel, managed }: { token: string; initial: Draft; onDone: () => Promise<void>; onCancel: () => void; managed: readonly string[] }) {
  const { t } = useTranslation();
  const byCentral = (field: string) => managed.includes(field);
  const centralHint = (field: string) => (byCentral(field) ? t('admin.services.managedByCentral') : undefined);
  const [d, setD] = useState<Draft>(initial);
  const save = useSaving();
  const number = (v: string) => (v.trim() === '' ? undefined : Number(v));
  const submit = async () => {
    const body = {
      prefix: d.prefix.trim().toUpperCase(),
      name: d.name,
      icon: d.icon,
      targetWaitMinutes: number(d.targetWaitMinutes),
      defaultServiceMinutes: number(d.defaultServiceMinutes),
      express: d.express,
      feeXof: d.feeXof.trim() === '' ? null : Number(d.feeXof),
      notifyAtPosition: d.notifyAtPosition.trim() === '' ? null : Number(d.notifyAtPosition),
      openingHours: d.ownHours ? d.openingHours : null,
    };
    const ok = await save.run(async () => {
      if (d.id) await apiFetch(`/api/admin/services/${encodeURIComponent(d.id)}`, { method: 'PATCH', body, token });
      else await apiFetch('/api/admin/services', { method: 'POST', body, token });
    }, (e) => fieldErrorsOf(e, t, 'prefix'));
    if (ok) await onDone();
  };
  return (
    <form className="admin-form admin-card" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="service-form" aria-label={d.id ? t('admin.services.editTitle') : t('admin.services.new')}>
      <h3>{d.id ? t('admin.services.editTitle') : t('admin.services.new')}</h3>
      {managed.length > 0 && <p className="notice" data-testid="managed-notice">{t('admin.services.managedNotice')}</p>}
      <FormError errors={save.errors} />
      <fieldset>
        <div className="grid3">
          <Field label={t('admin.services.letter')} error={save.errors.prefix} name="prefix" hint={centralHint('prefix')}>
            {(id, desc) => <input id={id} aria-describedby={desc} readOnly={byCentral('prefix')} name="prefix" maxLength={1} size={2} value={d.prefix} onChange={(e) => setD({ ...d, prefix: e.target.value.toUpperCase() })} />}
          </Field>
        </div>
        <div className="grid3 names">
          {LANGUAGES.map((l) => (
            <Field key={l} label={t(`admin.languages.${l}`)} error={save.errors[`name.${l}`] ?? (save.errors.name && !d.name[l] ? save.errors.name : undefined)} name={`name-${l}`} hint={centralHint('name')}>
              {(id, desc) => (
                <>
                  <input id={id} aria-describedby={desc} readOnly={byCentral('name')} name={`name-${l}`} value={d.name[l]} onChange={(e) => setD({ ...d, name: { ...d.name, [l]: e.target.value } })} />
                  {!d.name[l].trim() && <span className="missing" data-testid={`missing-${l}`}>{t('admin.services.missing')}</span>}
                </>
              )}
            </Field>
          ))}
        </div>
        <fieldset className="icons">
          <legend>{t('admin.services.icon')}</legend>
          {SERVICE_ICONS.map((icon) => (
            <label key={icon} className={`icon-choice${d.icon === icon ? ' chosen' : ''}`}>
              <input type="radio" name="icon" value={icon} checked={d.icon === icon} onChange={() => setD({ ...d, icon })} />
              <Icon name={icon} size={40} />
              <span>{t(`admin.icons.${icon}`)}</span>
            </label>
          ))}
          {save.errors.icon && <span className="field-error" role="alert">{save.errors.icon}</span>}
        </fieldset>
        <div className="grid3">
          <Field label={t('admin.services.targetWait')} error={save.errors.targetWaitMinutes} name="targetWait" hint={centralHint('targetWaitMinutes')}>
            {(id, desc) => <input id={id} aria-describedby={desc} readOnly={byCentral('targetWaitMinutes')} name="targetWait" type="number" min={1} value={d.targetWaitMinutes} onChange={(e) => setD({ ...d, targetWaitMinutes: e.target.value })} />}
          </Field>
          <Field label={t('admin.services.serviceTime')} error={save.errors.defaultServiceMinutes} name="serviceTime" hint={centralHint('defaultServiceMinutes')}>
            {(id, desc) => <input id={id} aria-describedby={desc} readOnly={byCentral('defaultServiceMinutes')} name="serviceTime" type="number" min={0.5} step={0.5} value={d.defaultServiceMinutes} onChange={(e) => setD({ ...d, defaultServiceMinutes: e.target.value })} />}
          </Field>
          <Field label={t('admin.services.fee')} error={save.errors.feeXof} name="fee" hint={centralHint('feeXof') ?? t('admin.services.feeHint')}>
            {(id, desc) => <input id={id} aria-describedby={desc} readOnly={byCentral('feeXof')} name="fee" type="number" min={0} value={d.feeXof} onChange={(e) => setD({ ...d, feeXof: e.target.value })} />}
          </Field>
          <Field label={t('admin.services.notifyAt')} error={save.errors.notifyAtPosition} name="notifyAt" hint={t('admin.services.notifyAtHint')}>
            {(id, desc) => <input id={id} aria-describedby={desc} name="notifyAt" type="number" min={1} max={50} value={d.notifyAtPosition} onChange={(e) => setD({ ...d, notifyAtPosition: e.target.value })} />}
          </Field>
        </div>
        <label className="check"><input type="checkbox" name="express" checked={d.express} onChange={(e) => setD({ ...d, express: e.target.checked })} /> {t('admin.services.express')}</label>
        <label className="check"><input type="checkbox" name="ownHours" checked={d.ownHours} onChange={(e) => setD({ ...d, ownHours: e.target.checked })} /> {t('admin.services.ownHours')}</label>
        {d.ownHours && <HoursEditor value={d.openingHours} onChange={(h) => setD({ ...d, openingHours: h })} errors={save.errors} prefix="openingHours" name="svc" />}
      </fieldset>
      {d.id && <AppointmentSettingsForm token={token} serviceId={d.id} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.busy} data-testid="service-save">{t('common.save')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
