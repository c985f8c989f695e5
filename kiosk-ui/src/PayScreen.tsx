// Paying a service's fee from the visitor's phone. The kiosk asks the branch to open a Wave or Orange Money checkout
// (head office holds the provider keys), shows its QR code and link, follows the payment and prints the receipt once
// it is paid. Paying at the counter always stays possible: leaving this screen cancels nothing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentView } from '../../server/src/shared/contracts/payments.js';
import { ApiError, newCommandId } from '../../ui-shared/api.js';
import { QrCode } from './components.js';
import { useCountdown } from './hooks.js';
import { Icon } from '../../ui-shared/icons.js';
import { getPayment, printReceipt, startCheckout, type KioskProvider } from './kiosk-api.js';

/** Providers paid by scanning a QR code (Free Money pushes a request to a phone number instead). */
export const KIOSK_PROVIDERS: readonly KioskProvider[] = ['wave', 'orange_money'];
const PROVIDER_NAMES: Record<KioskProvider, string> = { wave: 'Wave', orange_money: 'Orange Money' };
const POLL_MS = 2000;
/** The screen goes back to the start after this long without a result; the payment goes on at the counter. */
const MAX_SECONDS = 240;

export function formatXof(amount: number, lang: string): string {
  return `${amount.toLocaleString(lang === 'en' ? 'en-US' : 'fr-FR')} F CFA`;
}

type State =
  | { kind: 'starting' }
  | { kind: 'waiting'; payment: PaymentView }
  | { kind: 'paid'; payment: PaymentView; receipt: 'printing' | 'printed' | 'failed' }
  | { kind: 'failed'; reason: 'declined' | 'expired' | 'unavailable' | 'review' };

/** The offer under a ticket whose service has a fee. */
export function PayOffer({ fee, onPay }: { fee: number; onPay: (provider: KioskProvider) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="pay-offer" data-testid="pay-offer" onClick={(e) => e.stopPropagation()}>
      <p><strong>{t('pay.offer', { amount: formatXof(fee, i18n.language) })}</strong> {t('pay.offerHelp')}</p>
      <div className="pay-providers">
        {KIOSK_PROVIDERS.map((p) => (
          <button key={p} type="button" className="action" data-testid={`pay-${p}`} onClick={() => onPay(p)}>{PROVIDER_NAMES[p]}</button>
        ))}
      </div>
    </div>
  );
}

export function PayScreen({ token, ticketId, number, provider, onDone }: {
  token: string; ticketId: string; number: string; provider: KioskProvider; onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ kind: 'starting' });
  // One command id for this screen: a retried start (lost answer) reuses the same payment, never a second charge.
  const commandId = useRef(newCommandId());
  const left = useCountdown(state.kind === 'paid' || state.kind === 'failed' ? 20 : MAX_SECONDS, onDone, state.kind);

  const paid = useCallback((payment: PaymentView) => {
    setState({ kind: 'paid', payment, receipt: 'printing' });
    printReceipt(token, payment.id).then(
      () => setState({ kind: 'paid', payment, receipt: 'printed' }),
      () => setState({ kind: 'paid', payment, receipt: 'failed' }),
    );
  }, [token]);

  const settle = useCallback((payment: PaymentView): boolean => {
    if (payment.review !== null) { setState({ kind: 'failed', reason: 'review' }); return true; }
    if (payment.status === 'succeeded') { paid(payment); return true; }
    if (payment.status === 'failed' || payment.status === 'expired') { setState({ kind: 'failed', reason: payment.status === 'failed' ? 'declined' : 'expired' }); return true; }
    return false;
  }, [paid]);

  useEffect(() => {
    let cancelled = false;
    startCheckout(token, ticketId, { provider, commandId: commandId.current }).then(
      (payment) => { if (!cancelled && !settle(payment)) setState({ kind: 'waiting', payment }); },
      (err: unknown) => {
        if (cancelled) return;
        const declined = err instanceof ApiError && (err.code === 'PAYMENT_DECLINED' || err.code === 'PAYMENT_INVALID');
        setState({ kind: 'failed', reason: declined ? 'declined' : 'unavailable' });
      },
    );
    return () => { cancelled = true; };
  }, [token, ticketId, provider, settle]);

  const waitingId = state.kind === 'waiting' ? state.payment.id : null;
  useEffect(() => {
    if (!waitingId) return;
    const timer = setInterval(() => {
      getPayment(token, waitingId).then((p) => { settle(p); }, () => { /* looked at again on the next tick */ });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waitingId, token, settle]);

  const money = (n: number) => formatXof(n, i18n.language);
  return (
    <section className="screen pay" data-testid="screen-pay" data-state={state.kind}>
      <h1 className="screen-title">{t('pay.title', { number })}</h1>
      {state.kind === 'starting' && <p className="hint">{t('pay.starting')}</p>}
      {state.kind === 'waiting' && state.payment.checkout && (
        <div className="pay-checkout">
          <figure className="ticket-qr">
            <QrCode text={state.payment.checkout.qrData ?? state.payment.checkout.paymentUrl} label={t('pay.scan', { provider: PROVIDER_NAMES[provider], amount: money(state.payment.amountXof) })} />
            <figcaption>{t('pay.scan', { provider: PROVIDER_NAMES[provider], amount: money(state.payment.amountXof) })}</figcaption>
          </figure>
          <p className="hint">{t('pay.open')} <span className="pay-link" data-testid="pay-link">{state.payment.checkout.paymentUrl}</span></p>
          <p className="hint" data-testid="pay-waiting">{t('pay.waiting')}</p>
        </div>
      )}
      {state.kind === 'paid' && (
        <div className="pay-result paid" data-testid="pay-paid">
          <p><Icon name="printer" size={56} /> <strong>{t('pay.paid', { amount: money(state.payment.amountXof) })}</strong></p>
          <p className="hint" data-testid="pay-receipt" data-status={state.receipt}>{t(`pay.receipt.${state.receipt}`)}</p>
        </div>
      )}
      {state.kind === 'failed' && <p className="pay-result failed" data-testid="pay-failed" data-reason={state.reason}>{t(`pay.failed.${state.reason}`)}</p>}
      <button type="button" className="action primary done" data-testid="pay-done" onClick={onDone}>
        <Icon name="home" size={44} /><span>{state.kind === 'paid' ? t('ticket.done') : t('pay.atCounter')}</span>
      </button>
      <p className="countdown">{t('ticket.autoReturn', { n: left })}</p>
    </section>
  );
}
