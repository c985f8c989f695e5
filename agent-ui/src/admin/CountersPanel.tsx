// Counters: create, rename, choose the services each one serves and their order (arrows), who holds it now.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterView, ServiceView } from '../../../server/src/shared/contracts/api.js';
import type { Language } from '../../../server/src/shared/contracts/domain.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import { Field, FormError, MoveButtons, moved } from './forms.js';

interface Draft { id: string | null; number: string; name: string; serviceIds: string[] }

export function CountersPanel({ token }: { token: string }) {
  const { t } = useTranslation();
  const counters = useAdminList<CounterView[]>('/api/admin/counters', token);
  const services = useAdminList<ServiceView[]>('/api/services', token);
  const [draft, setDraft] = useState<Draft | null>(null);
  const list = counters.data ?? [];
  const nextNumber = list.reduce((n, c) => Math.max(n, c.number), 0) + 1;
  return (
    <div className="admin-stack">
      <table className="admin-table" data-testid="counters-table">
        <caption className="visually-hidden">{t('admin.sections.counters')}</caption>
        <thead><tr><th scope="col">{t('admin.counters.number')}</th><th scope="col">{t('admin.counters.name')}</th><th scope="col">{t('admin.counters.services')}</th><th scope="col">{t('admin.counters.heldBy')}</th><th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th></tr></thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id} data-testid={`counter-${c.number}`}>
              <td>{c.number}</td>
              <td>{c.name}</td>
              <td data-testid={`counter-${c.number}-services`}>{c.serviceIds.map((id) => services.data?.find((s) => s.id === id)?.prefix ?? '?').join(' › ')}</td>
              <td>{c.agentName ?? <span className="muted">{t('admin.counters.free')}</span>}</td>
              <td><button type="button" onClick={() => setDraft({ id: c.id, number: String(c.number), name: c.name, serviceIds: c.serviceIds })} data-testid={`edit-counter-${c.number}`}>{t('admin.edit')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {!draft && <div><button type="button" className="primary" onClick={() => setDraft({ id: null, number: String(nextNumber), name: '', serviceIds: [] })} data-testid="counter-new">{t('admin.counters.new')}</button></div>}
      {draft && <CounterForm key={draft.id ?? 'new'} token={token} initial={draft} services={services.data ?? []} onDone={async () => { setDraft(null); await counters.reload(); }} onCancel={() => setDraft(null)} />}
    </div>
  );
}

function CounterForm({ token, initial, services, onDone, onCancel }: { token: string; initial: Draft; services: ServiceView[]; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const [d, setD] = useState<Draft>(initial);
  const save = useSaving();
  const name = (id: string) => { const s = services.find((x) => x.id === id); return s ? `${s.prefix} — ${s.name[lang]}` : id; };
  const submit = async () => {
    const body = { number: Number(d.number), name: d.name, serviceIds: d.serviceIds };
    const ok = await save.run(async () => {
      if (d.id) await apiFetch(`/api/admin/counters/${encodeURIComponent(d.id)}`, { method: 'PATCH', body, token });
      else await apiFetch('/api/admin/counters', { method: 'POST', body, token });
    }, (e) => fieldErrorsOf(e, t, 'number'));
    if (ok) await onDone();
  };
  return (
    <form className="admin-form admin-card" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="counter-form" aria-label={t('admin.counters.new')}>
      <FormError errors={save.errors} />
      <div className="grid3">
        <Field label={t('admin.counters.number')} error={save.errors.number} name="number">
          {(id, desc) => <input id={id} aria-describedby={desc} name="number" type="number" min={1} value={d.number} onChange={(e) => setD({ ...d, number: e.target.value })} />}
        </Field>
        <Field label={t('admin.counters.name')} error={save.errors.name} name="counter-name">
          {(id, desc) => <input id={id} aria-describedby={desc} name="counterName" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} />}
        </Field>
      </div>
      <fieldset>
        <legend>{t('admin.counters.servicesOrder')}</legend>
        <ol className="ordered" data-testid="counter-services">
          {d.serviceIds.map((id, i) => (
            <li key={id}>
              <span>{name(id)}</span>
              <MoveButtons index={i} count={d.serviceIds.length} onMove={(a, b) => setD({ ...d, serviceIds: moved(d.serviceIds, a, b) })} label={name(id)} />
              <button type="button" onClick={() => setD({ ...d, serviceIds: d.serviceIds.filter((x) => x !== id) })}>{t('admin.remove')}</button>
            </li>
          ))}
        </ol>
        <div className="chips">
          {services.filter((s) => !d.serviceIds.includes(s.id)).map((s) => (
            <button type="button" key={s.id} onClick={() => setD({ ...d, serviceIds: [...d.serviceIds, s.id] })} data-testid={`add-service-${s.prefix}`}>+ {s.prefix} — {s.name[lang]}</button>
          ))}
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.busy} data-testid="counter-save">{t('common.save')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
