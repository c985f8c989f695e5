// What the current ticket owes (its service's fee, minus what was paid, a booking deposit included) and the dialog
// that records a payment received at the counter: cash, or Mobile Money with the transaction reference shown on the
// visitor's phone. Shown only for a service with a fee, or a ticket with payments.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../server/src/shared/contracts/api.js';
import type { PaymentMethod, TicketPayments } from '../../server/src/shared/contracts/payments.js';
import { displayTicketNumber } from '../../server/src/shared/domain/numbering.js';
import { apiFetch } from '../../ui-shared/api.js';
import type { CommandRunner } from './commands.js';

const METHODS: readonly PaymentMethod[] = ['cash', 'wave', 'orange_money', 'free_money'];
/** While a phone payment is under way, its result is looked for this often. */
const PENDING_POLL_MS = 4000;

export function formatXof(amount: number, lang: string): string {
  return `${amount.toLocaleString(lang === 'en' ? 'en-US' : 'fr-FR')} F CFA`;
}

interface Props { ticket: TicketView; token: string; commands: CommandRunner; ready: boolean }

export function PaymentPanel({ ticket, token, commands, ready }: Props) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<TicketPayments | null>(null);
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      setState(await apiFetch<TicketPayments>(`/api/tickets/${ticket.id}/payments`, { token }));
    } catch {
      /* shown again on the next look */
    }
  }, [ticket.id, token]);
  useEffect(() => {
    setState(null);
    setOpen(false);
    void load();
  }, [load]);
  useEffect(() => {
    if (!state?.pending) return;
    const timer = setInterval(() => void load(), PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [state?.pending, load]);

  if (!state || (state.feeXof === null && state.payments.length === 0)) return null;
  const review = state.payments.some((p) => p.review !== null);
  const badge = review ? 'review' : state.dueXof === 0 ? 'paid' : state.pending ? 'pending' : 'due';
  const money = (n: number) => formatXof(n, i18n.language);

  const record = async (body: Record<string, unknown>) => {
    const done = await commands.run(`payment:${ticket.id}`, `/api/tickets/${ticket.id}/payments`, body);
    if (done) setOpen(false);
    void load();
  };

  return (
    <>
      <div className="payment-bar" data-testid="payment" data-state={badge} data-due={state.dueXof}>
        <span className={`tag tag-pay-${badge}`} data-testid="payment-badge">{t(`payment.badge.${badge}`, { amount: money(state.dueXof) })}</span>
        {state.paidXof > 0 && badge !== 'paid' && <span className="muted">{t('payment.paid', { amount: money(state.paidXof) })}</span>}
        {state.dueXof > 0 && (
          <button type="button" disabled={!ready} onClick={() => setOpen(true)} data-testid="record-payment">{t('payment.record')}</button>
        )}
      </div>
      {open && (
        <PaymentDialog number={displayTicketNumber(ticket.number)} due={state.dueXof} busy={commands.busy !== null} money={money}
          onRecord={(body) => void record(body)} onClose={() => setOpen(false)} />
      )}
    </>
  );
}

interface DialogProps {
  number: string;
  due: number;
  busy: boolean;
  money: (n: number) => string;
  onRecord: (body: Record<string, unknown>) => void;
  onClose: () => void;
}

function PaymentDialog({ number, due, busy, money, onRecord, onClose }: DialogProps) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [amount, setAmount] = useState(String(due));
  const [reference, setReference] = useState('');
  const value = Number(amount);
  const amountOk = /^\d+$/.test(amount) && value > 0 && value <= due;
  const referenceOk = method === 'cash' || /^[A-Za-z0-9][A-Za-z0-9._:/-]{3,63}$/.test(reference.trim());

  const submit = () => {
    if (busy || !amountOk || !referenceOk) return;
    onRecord({ method, amountXof: value, ...(method === 'cash' ? {} : { reference: reference.trim() }) });
  };

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      {/* Keys typed here are not counter shortcuts (C would complete the ticket). */}
      <div className="dialog" role="dialog" aria-modal="true" aria-label={t('payment.title', { number })} data-testid="payment-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
        }}>
        <h2>{t('payment.title', { number })}</h2>
        <p className="muted">{t('payment.due', { amount: money(due) })}</p>
        <h3>{t('payment.method')}</h3>
        <div className="dialog-options">
          {METHODS.map((m) => (
            <button key={m} type="button" className={m === method ? 'selected' : undefined} aria-pressed={m === method}
              data-testid={`pay-method-${m}`} onClick={() => setMethod(m)}>{t(`payment.methods.${m}`)}</button>
          ))}
        </div>
        <form className="payment-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <label>{t('payment.amount')}
            <input inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value.replace(/\s/g, ''))} data-testid="pay-amount" />
          </label>
          {method !== 'cash' && (
            <label>{t('payment.reference')}
              <input value={reference} maxLength={64} autoFocus onChange={(e) => setReference(e.target.value)} data-testid="pay-reference" />
              <small className="muted">{t('payment.referenceHelp')}</small>
            </label>
          )}
          <div className="dialog-buttons">
            <button type="submit" className="primary" disabled={busy || !amountOk || !referenceOk} data-testid="pay-confirm">{t('payment.confirm')}</button>
            <button type="button" className="link" onClick={onClose}>{t('common.cancel')} <kbd>Esc</kbd></button>
          </div>
        </form>
      </div>
    </div>
  );
}
