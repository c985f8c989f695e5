// Small form parts shared by the admin screens: a labelled field with its error, the form's own error, and the
// weekly opening hours (two ranges a day: morning and afternoon, e.g. 08:00–12:30 / 14:00–16:00).
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpeningHours, OpeningRange } from '../../../server/src/shared/contracts/domain.js';
import type { FieldErrors } from './api.js';

export function Field({ label, error, children, hint, name }: { label: string; error?: string | undefined; children: (id: string, describedBy: string | undefined) => ReactNode; hint?: string; name?: string }) {
  const id = useId();
  const errId = `${id}-err`;
  return (
    <div className={`field${error ? ' has-error' : ''}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children(id, error ? errId : undefined)}
      {hint && <span className="hint">{hint}</span>}
      {error && <span className="field-error" id={errId} role="alert" data-testid={name ? `error-${name}` : undefined}>{error}</span>}
    </div>
  );
}

export function FormError({ errors }: { errors: FieldErrors }) {
  return errors[''] ? <p className="form-error" role="alert">{errors['']}</p> : null;
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function closedWeek(): OpeningHours {
  return { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
}

type Slots = Record<(typeof WEEKDAYS)[number], [OpeningRange, OpeningRange]>;
const slotsOf = (h: OpeningHours): Slots =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, [h[d][0] ?? { open: '', close: '' }, h[d][1] ?? { open: '', close: '' }]])) as Slots;

/**
 * Two ranges a day (morning, afternoon). The editor keeps what is typed in each box where it was typed (an afternoon
 * typed before the morning stays in the afternoon) and hands out only the ranges that have both ends.
 * `name`: prefix of the inputs' names when a page shows two editors (h-1-0-open, slot-1-0-open…).
 */
export function HoursEditor({ value, onChange, errors, prefix, name = 'h' }: { value: OpeningHours; onChange: (v: OpeningHours) => void; errors: FieldErrors; prefix: string; name?: string }) {
  const { t } = useTranslation();
  const [slots, setSlots] = useState<Slots>(() => slotsOf(value));
  const set = (day: (typeof WEEKDAYS)[number], index: 0 | 1, part: keyof OpeningRange, text: string) => {
    const nextDay = [...slots[day]] as [OpeningRange, OpeningRange];
    nextDay[index] = { ...nextDay[index], [part]: text };
    const next = { ...slots, [day]: nextDay };
    setSlots(next);
    onChange(Object.fromEntries(WEEKDAYS.map((d) => [d, next[d].filter((r) => r.open || r.close)])) as OpeningHours);
  };
  return (
    <table className="hours">
      <caption className="visually-hidden">{t('admin.hours.caption')}</caption>
      <thead><tr><th scope="col">{t('admin.hours.day')}</th><th scope="col">{t('admin.hours.morning')}</th><th scope="col">{t('admin.hours.afternoon')}</th></tr></thead>
      <tbody>
        {WEEKDAYS.map((day) => {
          // The server names ranges by their place among the ones sent: the first sent may be the afternoon box.
          const sent = slots[day].map((r, i) => ({ r, i })).filter(({ r }) => r.open || r.close);
          const errorAt = (i: number) => {
            const k = sent.findIndex((x) => x.i === i);
            return k < 0 ? undefined : errors[`${prefix}.${day}.${k}.open`] ?? errors[`${prefix}.${day}.${k}.close`] ?? errors[`${prefix}.${day}.${k}`];
          };
          return (
            <tr key={day} data-day={day}>
              <th scope="row">{t(`admin.weekdays.${day}`)}</th>
              {([0, 1] as const).map((i) => {
                const err = errorAt(i);
                const label = `${t(`admin.weekdays.${day}`)} ${t(i === 0 ? 'admin.hours.morning' : 'admin.hours.afternoon')}`;
                return (
                  <td key={i}>
                    <input type="time" aria-label={`${label} ${t('admin.hours.open')}`} name={`${name}-${day}-${i}-open`} value={slots[day][i].open} onChange={(e) => set(day, i, 'open', e.target.value)} />
                    {' – '}
                    <input type="time" aria-label={`${label} ${t('admin.hours.close')}`} name={`${name}-${day}-${i}-close`} value={slots[day][i].close} onChange={(e) => set(day, i, 'close', e.target.value)} />
                    {err && <span className="field-error" role="alert" data-testid={`error-${name}-${day}-${i}`}>{err}</span>}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A list row's move buttons (keyboard: Tab to them, Enter or Space). */
export function MoveButtons({ index, count, onMove, label, disabled = false }: { index: number; count: number; onMove: (from: number, to: number) => void; label: string; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="move">
      <button type="button" aria-label={t('admin.moveUp', { name: label })} disabled={disabled || index === 0} onClick={() => onMove(index, index - 1)}>↑</button>
      <button type="button" aria-label={t('admin.moveDown', { name: label })} disabled={disabled || index === count - 1} onClick={() => onMove(index, index + 1)}>↓</button>
    </span>
  );
}

export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}
