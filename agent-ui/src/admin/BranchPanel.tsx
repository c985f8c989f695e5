// Branch: name, organization and type, region, time zone, weekly hours with a break, closures with their reason,
// the public holidays of the coming year, and the call-board message. A change of hours says first what it does to
// the visitors waiting now (POST /api/admin/branch/preview).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchChangePreview, BranchView } from '../../../server/src/shared/contracts/api.js';
import type { HolidayOverrideView, HolidayView } from '../../../server/src/shared/contracts/appointments.js';
import { ORGANIZATION_TYPES, REGIONS, type Language, type OpeningHours } from '../../../server/src/shared/contracts/domain.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import { Field, FormError, HoursEditor } from './forms.js';

const TIME_ZONES = ['Africa/Dakar', 'UTC', 'Africa/Abidjan', 'Africa/Bamako', 'Europe/Paris'];

export function BranchPanel({ token, boardMessage }: { token: string; boardMessage: string | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const branch = useAdminList<BranchView>('/api/branch', token);
  const overrides = useAdminList<HolidayOverrideView[]>('/api/admin/appointments/holiday-overrides', token);
  const holidays = useAdminList<HolidayView[]>('/api/appointments/holidays', token);
  const [form, setForm] = useState<BranchView | null>(null);
  const [preview, setPreview] = useState<BranchChangePreview | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useSaving();
  useEffect(() => { if (branch.data && !form) setForm(branch.data); }, [branch.data, form]);

  if (!form) return <p>{t('connection.connecting')}</p>;
  const body = () => ({
    name: form.name, timeZone: form.timeZone, openingHours: form.openingHours,
    organization: { name: form.organization.name, type: form.organization.type, region: form.organization.region },
  });
  const hoursChanged = JSON.stringify(form.openingHours) !== JSON.stringify(branch.data?.openingHours) || form.timeZone !== branch.data?.timeZone;

  const submit = async () => {
    setSaved(false);
    // Hours that change today: show first what happens to the visitors waiting, then apply on a second click.
    if (hoursChanged && !preview) {
      await save.run(async () => { setPreview(await apiFetch<BranchChangePreview>('/api/admin/branch/preview', { method: 'POST', body: body(), token })); }, (e) => fieldErrorsOf(e, t));
      return;
    }
    const ok = await save.run(async () => { await apiFetch('/api/admin/branch', { method: 'PATCH', body: body(), token }); }, (e) => fieldErrorsOf(e, t));
    if (ok) { setPreview(null); setSaved(true); await branch.reload(); await holidays.reload(); }
  };

  return (
    <div className="admin-stack">
      <form className="admin-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="branch-form">
        <FormError errors={save.errors} />
        <div className="grid2">
          <Field label={t('admin.branch.name')} error={save.errors.name} name="name">
            {(id, d) => <input id={id} aria-describedby={d} name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label={t('admin.branch.organization')} error={save.errors['organization.name']} name="organization.name">
            {(id, d) => <input id={id} aria-describedby={d} name="organization" value={form.organization.name} onChange={(e) => setForm({ ...form, organization: { ...form.organization, name: e.target.value } })} />}
          </Field>
          <Field label={t('admin.branch.type')} error={save.errors['organization.type']}>
            {(id) => (
              <select id={id} name="type" value={form.organization.type} onChange={(e) => setForm({ ...form, organization: { ...form.organization, type: e.target.value as BranchView['organization']['type'] } })}>
                {ORGANIZATION_TYPES.map((o) => <option key={o} value={o}>{t(`admin.orgTypes.${o}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('admin.branch.region')} error={save.errors['organization.region']}>
            {(id) => (
              <select id={id} name="region" value={form.organization.region} onChange={(e) => setForm({ ...form, organization: { ...form.organization, region: e.target.value as BranchView['organization']['region'] } })}>
                {REGIONS.map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('admin.branch.timeZone')} error={save.errors.timeZone}>
            {(id) => (
              <select id={id} name="timeZone" value={form.timeZone} onChange={(e) => { setPreview(null); setForm({ ...form, timeZone: e.target.value }); }}>
                {[...new Set([form.timeZone, ...TIME_ZONES])].map((z) => <option key={z} value={z}>{z}</option>)}
              </select>
            )}
          </Field>
        </div>
        <h3>{t('admin.branch.hours')}</h3>
        <HoursEditor value={form.openingHours} onChange={(h: OpeningHours) => { setPreview(null); setForm({ ...form, openingHours: h }); }} errors={save.errors} prefix="openingHours" />
        {preview && (
          <div className="impact" role="status" data-testid="hours-preview">
            <p>{t('admin.branch.impact', { count: preview.waitingTickets })}</p>
            {preview.pastClosing > 0 && <p>{t('admin.branch.impactPast', { count: preview.pastClosing })}</p>}
            <p>{preview.openNow ? t('admin.branch.openNow') : t('admin.branch.closedNow')}</p>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy} data-testid="branch-save">{preview ? t('admin.confirmApply') : t('common.save')}</button>
          {saved && <span role="status" className="saved">{t('admin.saved')}</span>}
        </div>
      </form>

      <Closures token={token} list={overrides.data ?? []} reload={async () => { await overrides.reload(); await holidays.reload(); }} lang={lang} />

      <section className="admin-card">
        <h3>{t('admin.branch.holidays')}</h3>
        <ul className="holidays" data-testid="holidays">
          {(holidays.data ?? []).map((h) => (
            <li key={`${h.date}-${h.key}`}><time dateTime={h.date}>{formatDate(h.date, lang)}</time> — {h.name[lang]}{h.estimated ? ` (${t('admin.branch.estimated')})` : ''}</li>
          ))}
        </ul>
      </section>

      <DisplayMessage token={token} current={boardMessage} />
    </div>
  );
}

function formatDate(day: string, lang: Language): string {
  // A calendar day, not an instant: read as noon UTC so that no time zone moves it to the day before.
  return new Date(`${day}T12:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'fr-SN', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function Closures({ token, list, reload, lang }: { token: string; list: HolidayOverrideView[]; reload: () => Promise<void>; lang: Language }) {
  const { t } = useTranslation();
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const save = useSaving();
  const add = async () => {
    const ok = await save.run(async () => {
      await apiFetch('/api/admin/appointments/holiday-overrides', { method: 'POST', body: { kind: 'closure', date, label: reason }, token });
    }, (e) => fieldErrorsOf(e, t));
    if (ok) { setDate(''); setReason(''); await reload(); }
  };
  const remove = async (id: string) => {
    await save.run(async () => { await apiFetch(`/api/admin/appointments/holiday-overrides/${encodeURIComponent(id)}`, { method: 'DELETE', token }); }, (e) => fieldErrorsOf(e, t));
    await reload();
  };
  return (
    <section className="admin-card">
      <h3>{t('admin.branch.closures')}</h3>
      <ul data-testid="closures">
        {list.filter((o) => o.kind === 'closure').map((o) => (
          <li key={o.id}>{formatDate(o.date, lang)} — {o.label?.[lang] ?? ''} <button type="button" onClick={() => void remove(o.id)}>{t('admin.remove')}</button></li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <FormError errors={save.errors} />
        <Field label={t('admin.branch.closureDate')} error={save.errors.date} name="closure-date">
          {(id, d) => <input id={id} aria-describedby={d} type="date" name="closureDate" value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
        <Field label={t('admin.branch.closureReason')} error={save.errors.label} name="closure-reason">
          {(id, d) => <input id={id} aria-describedby={d} name="closureReason" value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <button type="submit" disabled={save.busy} data-testid="closure-add">{t('admin.branch.addClosure')}</button>
      </form>
    </section>
  );
}

function DisplayMessage({ token, current }: { token: string; current: string | null }) {
  const { t } = useTranslation();
  // Starts from what the boards show now (the live snapshot).
  const [text, setText] = useState(current ?? '');
  const [saved, setSaved] = useState(false);
  const save = useSaving();
  const submit = async () => {
    setSaved(await save.run(async () => { await apiFetch('/api/display/message', { method: 'PUT', body: { text }, token }); }, (e) => fieldErrorsOf(e, t)));
  };
  return (
    <form className="admin-card" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h3>{t('admin.branch.message')}</h3>
      <FormError errors={save.errors} />
      <Field label={t('admin.branch.messageText')} error={save.errors.text} name="message">
        {(id, d) => <textarea id={id} aria-describedby={d} name="message" maxLength={280} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={save.busy}>{t('admin.branch.sendMessage')}</button>
        {saved && <span role="status" className="saved">{t('admin.saved')}</span>}
      </div>
    </form>
  );
}
