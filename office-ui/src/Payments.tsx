import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentTotals } from '../../server/src/shared/contracts/payments.js';
import type { OfficeApi } from './session.js';

interface Checkout { paymentId: string; branchId: string | null; provider: string; amountXof: number; status: string; review: string | null; createdAt: string }

export function Payments({ api }: { api: OfficeApi }) {
  const { t } = useTranslation();
  const [totals, setTotals] = useState<PaymentTotals | null>(null);
  const [flagged, setFlagged] = useState<Checkout[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    api<PaymentTotals>('/api/central/payments/totals').then(setTotals, (e: Error) => setError(e.message));
    api<Checkout[]>('/api/central/payments/checkouts?flagged=true').then(setFlagged, () => undefined);
  }, [api]);
  const xof = (n: number) => `${n.toLocaleString('fr-SN')} F CFA`;
  return (
    <section aria-labelledby="pay-title">
      <h1 id="pay-title">{t('screens.payments')}</h1>
      {error && <p role="alert" className="error">{t('error', { message: error })}</p>}
      {totals && (
        <table className="wide"><caption>{t('payments.totals')}</caption>
          <thead><tr><th scope="col">{t('analytics.branch')}</th><th scope="col">{t('analytics.day')}</th><th scope="col">{t('payments.method')}</th><th scope="col">{t('payments.net')}</th></tr></thead>
          <tbody>{totals.rows.map((r, i) => <tr key={i}><td>{r.branchId}</td><td>{r.day}</td><td>{r.method}</td><td>{xof(r.netXof)}</td></tr>)}</tbody>
        </table>
      )}
      <table className="wide"><caption>{t('payments.review')}</caption>
        <thead><tr><th scope="col">{t('payments.provider')}</th><th scope="col">{t('payments.amount')}</th><th scope="col">{t('branches.status')}</th><th scope="col">{t('payments.reason')}</th></tr></thead>
        <tbody>{flagged.map((c) => <tr key={c.paymentId}><td>{c.provider}</td><td>{xof(c.amountXof)}</td><td>{c.status}</td><td>{c.review}</td></tr>)}</tbody>
      </table>
    </section>
  );
}
