// A service's appointment settings (slot length, capacity, horizon, booking lead, early and late check-in windows),
// saved on their own: they are pushed to head office, which offers the slots. Read-only when head office manages them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceAppointmentsView } from '../../../server/src/shared/contracts/appointments.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import type { OpeningHours } from '../../../server/src/shared/contracts/domain.js';
import { closedWeek, Field, FormError, HoursEditor } from './forms.js';

const NUMBERS = ['slotMinutes', 'capacity', 'horizonWorkingDays', 'minLeadMinutes', 'earlyMinutes', 'lateMinutes'] as const;
type NumberField = (typeof NUMBERS)[number];

export function AppointmentSettingsForm({ token, serviceId }: { token: string; serviceId: string }) {
  const { t } = useTranslation();
  const all = useAdminList<ServiceAppointmentsView[]>('/api/admin/appointments/services', token);
  const current = all.data?.find((s) => s.serviceId === serviceId) ?? null;
  const [enabled, setEnabled] = useState(false);
  const [values, setValues] = useState<Record<NumberField, string> | null>(null);
  const [saved, setSaved] = useState(false);
  /** Hours the slots are laid out in; null: Monday to Friday 09:00–17:00 (they must fit in the service's hours). */
  const [slotHours, setSlotHours] = useState<OpeningHours | null>(null);
  const save = useSaving();
  useEffect(() => {
    if (!current || values) return;
    setEnabled(current.enabled);
    setSlotHours(current.openingHours);
    setValues(Object.fromEntries(NUMBERS.map((k) => [k, String(current[k])])) as Record<NumberField, string>);
  }, [current, values]);
  if (!current || !values) return null;
  const readOnly = current.managedBy === 'central';
  const submit = async () => {
    setSaved(false);
    const body = { enabled, openingHours: slotHours, ...Object.fromEntries(NUMBERS.map((k) => [k, Number(values[k])])) };
    setSaved(await save.run(async () => {
      await apiFetch(`/api/admin/appointments/services/${encodeURIComponent(serviceId)}`, { method: 'PUT', body, token });
      await all.reload();
    }, (e) => fieldErrorsOf(e, t)));
  };
  return (
    <fieldset className="admin-card appointments" data-testid="appointment-settings">
      <legend>{t('admin.appointments.title')}</legend>
      {readOnly && <p className="notice">{t('admin.services.managedByCentral')}</p>}
      <FormError errors={save.errors} />
      <label className="check"><input type="checkbox" name="appointmentsEnabled" disabled={readOnly} checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('admin.appointments.enabled')}</label>
      <div className="grid3">
        {NUMBERS.map((k) => (
          <Field key={k} label={t(`admin.appointments.${k}`)} error={save.errors[k]} name={k}>
            {(id, desc) => <input id={id} aria-describedby={desc} name={k} type="number" min={0} readOnly={readOnly} value={values[k]} onChange={(e) => setValues({ ...values, [k]: e.target.value })} />}
          </Field>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" name="slotHours" aria-describedby={save.errors.openingHours ? 'slot-hours-error' : undefined} checked={slotHours !== null} onChange={(e) => setSlotHours(e.target.checked ? closedWeek() : null)} /> {t('admin.appointments.ownHours')}
      </label>
      {/* The default hours do not fit the service's: said here, beside the choice of hours of its own. */}
      {save.errors.openingHours && <span className="field-error" id="slot-hours-error" role="alert" data-testid="error-slotHours">{save.errors.openingHours}</span>}
      {slotHours && <HoursEditor value={slotHours} onChange={setSlotHours} errors={save.errors} prefix="openingHours" name="slot" />}
      <div className="actions">
        <button type="button" disabled={save.busy || readOnly} onClick={() => void submit()} data-testid="appointments-save">{t('admin.appointments.save')}</button>
        {saved && <span role="status" className="saved">{t('admin.saved')}</span>}
      </div>
    </fieldset>
  );
}
