// Transfer to another service's line or to a given counter: the ticket keeps its number and its issue time.
// Digits pick an option, Escape closes.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { BranchSnapshot } from '../../server/src/shared/contracts/events.js';
import { displayTicketNumber } from '../../server/src/shared/domain/numbering.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';

type Target = { serviceId: string } | { counterId: string };
interface Props { ticket: TicketView; counter: CounterView; snapshot: BranchSnapshot | null; busy: boolean; onTransfer: (t: Target) => void; onClose: () => void }

export function TransferDialog({ ticket, counter, snapshot, busy, onTransfer, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  const services = (snapshot?.services ?? []).filter((s) => s.status !== 'closed' && s.id !== ticket.serviceId);
  const counters = (snapshot?.counters ?? []).filter((c) => c.id !== counter.id);
  const options: Array<{ label: string; target: Target; testId: string }> = [
    ...services.map((s) => ({ label: `${s.prefix} · ${s.name[lang]}`, target: { serviceId: s.id }, testId: `transfer-service-${s.prefix}` })),
    // A closed or paused counter is offered too (the ticket waits for it), but says so.
    ...counters.map((c) => ({
      label: `${c.name}${c.agentName ? ` · ${c.agentName}` : ''}${c.status === 'open' ? '' : ` · ${t(`counterStatus.${c.status}`)}`}`,
      target: { counterId: c.id }, testId: `transfer-counter-${c.number}`,
    })),
  ];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { e.preventDefault(); onClose(); return; }
      const n = Number(e.key);
      const chosen = Number.isInteger(n) && n >= 1 ? options[n - 1] : undefined;
      if (chosen && !busy) { e.preventDefault(); onTransfer(chosen.target); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const option = (o: (typeof options)[number], i: number) => (
    <button key={o.testId} type="button" data-testid={o.testId} disabled={busy} onClick={() => onTransfer(o.target)}>
      {i < 9 && <kbd>{i + 1}</kbd>} {o.label}
    </button>
  );

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={t('transfer.title', { number: displayTicketNumber(ticket.number) })} onClick={(e) => e.stopPropagation()}>
        <h2>{t('transfer.title', { number: displayTicketNumber(ticket.number) })}</h2>
        <p className="muted">{t('transfer.help')}</p>
        <h3>{t('transfer.toService')}</h3>
        <div className="dialog-options">{options.slice(0, services.length).map((o, i) => option(o, i))}</div>
        <h3>{t('transfer.toCounter')}</h3>
        <div className="dialog-options">{options.slice(services.length).map((o, i) => option(o, services.length + i))}</div>
        <button type="button" className="link" onClick={onClose}>{t('common.cancel')} <kbd>Esc</kbd></button>
      </div>
    </div>
  );
}
