// Payments at head office: money received and refunded per provider, branch, service and day for a period
// (refunds are Wave's and the other providers' give-backs), the phone payments (an organization admin refunds one
// here; an analyst only reads), the refunded payments, and the ones flagged for review. Only the caller's
// organization's branches: central scopes every figure.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentFigures, PaymentTotals } from '../../server/src/shared/contracts/payments.js';
import type { OfficeUserView } from '../../server/src/shared/contracts/office.js';
import { useNames } from './names.js';
import type { OfficeApi } from './session.js';
import { useReport } from './use-report.js';

interface Checkout { paymentId: string; branchId: string | null; serviceId: string | null; provider: string; amountXof: number; status: string; review: string | null; createdAt: string; settledAt: string | null }

const day = (d: Date) => d.toISOString().slice(0, 10);

export function Payments({ api, user }: { api: OfficeApi; user: OfficeUserView }) {
  const { t } = useTranslation();
  const names = useNames(api);
  const canRefund = user.role !== 'analyst';
  const today = new Date();
  const [from, setFrom] = useState(day(new Date(today.getFullYear(), today.getMonth(), 1)));
  const [to, setTo] = useState(day(today));
  const [flagged, setFlagged] = useState<Checkout[]>([]);
  const [refunded, setRefunded] = useState<Checkout[]>([]);
  const [phone, setPhone] = useState<Checkout[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  // Bumped after a refund: every list and figure is read again.
  const [version, setVersion] = useState(0);
  const { data: totals, error: totalsError } = useReport<PaymentTotals>(api, `/api/central/payments/totals?from=${from}&to=${to}`, version);
  useEffect(() => {
    api<Checkout[]>('/api/central/payments/checkouts?flagged=true').then(setFlagged, () => undefined);
    api<Checkout[]>('/api/central/payments/checkouts?status=refunded').then(setRefunded, () => undefined);
    api<Checkout[]>('/api/central/payments/checkouts?limit=100').then(setPhone, () => undefined);
  }, [api, version]);
  const refund = async (c: Checkout) => {
    setBusy(c.paymentId);
    setDone('');
    try {
      await api<Checkout>(`/api/central/payments/${encodeURIComponent(c.paymentId)}/refund`, { body: {} });
      setDone(t('payments.refundDone', { amount: xof(c.amountXof), provider: provider(c.provider), branch: names.branch(c.branchId) }));
      setError('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
      setVersion((v) => v + 1);
    }
  };
  const status = (s: string) => t(`payments.statuses.${s}`, { defaultValue: s });
  const xof = (n: number) => `${n.toLocaleString('fr-SN')} F CFA`;
  const provider = (m: string) => t(`payments.methods.${m}`, { defaultValue: m });
  const figureHeads = [t('payments.count'), t('payments.received'), t('payments.refundedCount'), t('payments.refunded'), t('payments.net')];
  const figureCells = (f: PaymentFigures) => [String(f.count), xof(f.receivedXof), String(f.refundedCount), xof(f.refundedXof), xof(f.netXof)];
  const table = (id: string, caption: string, head: string, rows: Array<{ key: string; label: string; f: PaymentFigures }>) => (
    <table className="wide" data-testid={id}>
      <caption>{caption}</caption>
      <thead><tr><th scope="col">{head}</th>{figureHeads.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody>{rows.map((r) => <tr key={r.key}><td>{r.label}</td>{figureCells(r.f).map((c, i) => <td key={i}>{c}</td>)}</tr>)}</tbody>
    </table>
  );
  return (
    <section aria-labelledby="pay-title">
      <h1 id="pay-title">{t('screens.payments')}</h1>
      <div className="filters">
        <label>{t('analytics.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('analytics.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
      </div>
      {(error || totalsError) && <p role="alert" className="error">{t('error', { message: error || totalsError })}</p>}
      <p role="status" data-testid="pay-status">{done}</p>
      {totals && <>
        <p data-testid="pay-total">{t('payments.total', { net: xof(totals.total.netXof), received: xof(totals.total.receivedXof), refunded: xof(totals.total.refundedXof) })}</p>
        {table('pay-provider', t('payments.byProvider'), t('payments.provider'), totals.byMethod.map((r) => ({ key: r.method, label: provider(r.method), f: r })))}
        {table('pay-branch', t('payments.byBranch'), t('analytics.branch'), totals.byBranch.map((r) => ({ key: r.branchId, label: names.branch(r.branchId), f: r })))}
        {table('pay-service', t('payments.byService'), t('service'), totals.byService.map((r) => ({ key: `${r.branchId}-${r.serviceId ?? ''}`, label: `${names.service(r.branchId, r.serviceId)} (${names.branch(r.branchId)})`, f: r })))}
        {table('pay-day', t('payments.byDay'), t('analytics.day'), totals.byDay.map((r) => ({ key: r.day, label: r.day, f: r })))}
      </>}
      <table className="wide" data-testid="pay-phone"><caption>{t('payments.phone')}</caption>
        <thead><tr><th scope="col">{t('payments.provider')}</th><th scope="col">{t('analytics.branch')}</th><th scope="col">{t('service')}</th><th scope="col">{t('payments.amount')}</th><th scope="col">{t('branches.status')}</th><th scope="col">{t('notifications.when')}</th>{canRefund && <th scope="col">{t('payments.action')}</th>}</tr></thead>
        <tbody>{phone.map((c) => <tr key={c.paymentId} data-payment={c.paymentId}><td>{provider(c.provider)}</td><td>{names.branch(c.branchId)}</td><td>{names.service(c.branchId, c.serviceId)}</td><td>{xof(c.amountXof)}</td><td data-testid="pay-phone-status">{status(c.status)}</td><td>{new Date(c.settledAt ?? c.createdAt).toLocaleString()}</td>
          {canRefund && <td>{c.status === 'succeeded' && (
            <button type="button" disabled={busy !== null} onClick={() => { void refund(c); }}
              aria-label={t('payments.refundOne', { amount: xof(c.amountXof), provider: provider(c.provider), branch: names.branch(c.branchId) })}>{t('payments.refund')}</button>
          )}</td>}</tr>)}</tbody>
      </table>
      <table className="wide" data-testid="pay-refunds"><caption>{t('payments.refunds')}</caption>
        <thead><tr><th scope="col">{t('payments.provider')}</th><th scope="col">{t('analytics.branch')}</th><th scope="col">{t('service')}</th><th scope="col">{t('payments.amount')}</th><th scope="col">{t('notifications.when')}</th></tr></thead>
        <tbody>{refunded.map((c) => <tr key={c.paymentId}><td>{provider(c.provider)}</td><td>{names.branch(c.branchId)}</td><td>{names.service(c.branchId, c.serviceId)}</td><td>{xof(c.amountXof)}</td><td>{new Date(c.settledAt ?? c.createdAt).toLocaleString()}</td></tr>)}</tbody>
      </table>
      <table className="wide" data-testid="pay-review"><caption>{t('payments.review')}</caption>
        <thead><tr><th scope="col">{t('payments.provider')}</th><th scope="col">{t('analytics.branch')}</th><th scope="col">{t('payments.amount')}</th><th scope="col">{t('branches.status')}</th><th scope="col">{t('payments.reason')}</th><th scope="col">{t('notifications.when')}</th></tr></thead>
        <tbody>{flagged.map((c) => <tr key={c.paymentId}><td>{provider(c.provider)}</td><td>{names.branch(c.branchId)}</td><td>{xof(c.amountXof)}</td><td>{status(c.status)}</td><td>{c.review}</td><td>{new Date(c.createdAt).toLocaleString()}</td></tr>)}</tbody>
      </table>
    </section>
  );
}
