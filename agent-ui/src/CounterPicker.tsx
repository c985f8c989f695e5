// Picking a counter takes it (opens it for this agent); the choice is remembered on this PC.
import { useTranslation } from 'react-i18next';
import type { CounterView } from '../../server/src/shared/contracts/api.js';
import type { BranchSnapshot } from '../../server/src/shared/contracts/events.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import type { CommandRunner } from './commands.js';
import type { Session } from './session.js';

interface PickerProps { session: Session; snapshot: BranchSnapshot; commands: CommandRunner; online: boolean; onPicked: (id: string) => void }

export function CounterPicker({ session, snapshot, commands, online, onPicked }: PickerProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  const pick = async (c: CounterView) => {
    if (c.status === 'open' && c.agentId === session.user.id) return onPicked(c.id);
    if (c.status === 'paused' && c.agentId === session.user.id) return onPicked(c.id);
    const done = await commands.run<CounterView>(`status:${c.id}:open`, `/api/counters/${c.id}/status`, { status: 'open' });
    if (done) onPicked(c.id);
  };
  return (
    <section className="picker">
      <h1>{t('counter.pick')}</h1>
      <div className="picker-grid">
        {snapshot.counters.map((c) => {
          const heldByOther = c.agentId !== null && c.agentId !== session.user.id && c.status !== 'closed';
          return (
            <button key={c.id} type="button" className={`picker-card status-${c.status}`} data-testid={`pick-counter-${c.number}`}
              disabled={!online || commands.busy !== null} onClick={() => void pick(c)}>
              <span className="picker-name">{c.name}</span>
              <span className="picker-services">
                {c.serviceIds.map((id) => snapshot.services.find((s) => s.id === id)).filter((s) => s).map((s) => `${s?.prefix} · ${s?.name[lang]}`).join(' — ')}
              </span>
              <span className={`picker-state ${heldByOther ? 'held' : `status-${c.status}`}`}>{heldByOther ? t('counter.heldBy', { name: c.agentName ?? '?' }) : t(`counterStatus.${c.status}`)}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}
