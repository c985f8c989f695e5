// The agent's desk at one counter: the current ticket with a running timer, one button (and one key) per action,
// the counter's lines with their waiting counts, parked tickets and today's numbers.
import { displayTicketNumber } from '../../server/src/shared/domain/numbering.js';
import { counterCallOrder } from '../../server/src/shared/domain/call-policy.js';
import { isWaitingStatus, nextStatus, type TicketAction } from '../../server/src/shared/domain/ticket-state.js';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult, CounterStats, CounterView, TicketView } from '../../server/src/shared/contracts/api.js';
import { apiFetch } from '../../ui-shared/api.js';
import { isRemoteChannel } from '../../server/src/shared/contracts/domain.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import type { LiveState } from '../../ui-shared/live.js';
import type { CommandRunner } from './commands.js';
import { formatElapsed, minutesSince, useServerNow } from './format.js';
import { useShortcuts } from './shortcuts.js';
import type { Session } from './session.js';
import { TransferDialog } from './TransferDialog.js';
import { PaymentPanel } from './PaymentPanel.js';

interface DeskProps { session: Session; live: LiveState; counter: CounterView; commands: CommandRunner; onChangeCounter: () => void }

const OUTCOMES = ['done', 'followUp', 'redirected', 'incomplete'] as const;

export function Desk({ session, live, counter, commands, onChangeCounter }: DeskProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  const snapshot = live.snapshot;
  const online = live.status === 'online';
  const now = useServerNow(snapshot?.serverTime);
  const [transferOpen, setTransferOpen] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [info, setInfo] = useState<string | null>(null);
  const [stats, setStats] = useState<CounterStats | null>(null);

  const tickets = snapshot?.activeTickets ?? [];
  const services = snapshot?.services ?? [];
  const current = counter.currentTicketId ? tickets.find((x) => x.id === counter.currentTicketId) ?? null : null;
  const parked = tickets.filter((x) => x.parkedAt && x.targetCounterId === counter.id).sort((a, b) => (a.parkedAt ?? '').localeCompare(b.parkedAt ?? ''));
  // The order this counter will call them in: call-next's own rule (several lines, their order, transfers here).
  const closedServices = new Set(services.filter((s) => s.status === 'closed').map((s) => s.id));
  const nextUp = counterCallOrder(tickets.filter((x) => isWaitingStatus(x.status) && !x.parkedAt), counter, closedServices, new Date(now), snapshot?.skipAbsent ?? false)
    .slice(0, 6);
  const serviceOf = (id: string) => services.find((s) => s.id === id);

  const loadStats = useCallback(async () => {
    try {
      setStats(await apiFetch<CounterStats>(`/api/counters/${counter.id}/stats`, { token: session.token }));
    } catch {
      /* the numbers refresh on the next change or minute */
    }
  }, [counter.id, session.token]);
  useEffect(() => {
    if (!online) return;
    void loadStats();
    const timer = setInterval(() => void loadStats(), 60_000);
    return () => clearInterval(timer);
  }, [online, loadStats]);

  // Which ticket actions are legal is the domain's transition table, not a copy of it.
  const allows = (action: TicketAction) => current !== null && nextStatus(current.status, action) !== null;
  const can = {
    open: counter.status === 'closed',
    callNext: counter.status !== 'paused' && !current,
    recall: allows('recall'),
    start: allows('start'),
    complete: allows('complete'),
    noShow: allows('no_show'),
    transfer: allows('transfer'),
    park: allows('park'),
    unpark: !current && parked.length > 0 && counter.status !== 'paused',
    pause: counter.status === 'open',
    resume: counter.status === 'paused',
    close: counter.status !== 'closed' && !current,
  };
  const ready = online && commands.busy === null;

  const ticketCommand = async (action: 'recall' | 'start' | 'no-show' | 'park', ticket: TicketView | null) => {
    if (!ticket) return;
    setInfo(null);
    const done = await commands.run<CommandResult>(`${action}:${ticket.id}`, `/api/tickets/${ticket.id}/${action}`);
    if (done && action === 'no-show') void loadStats();
  };
  const actions = {
    callNext: async () => {
      if (!ready || !can.callNext) return;
      setInfo(null);
      const res = await commands.run<CommandResult>(`call-next:${counter.id}`, `/api/counters/${counter.id}/call-next`);
      if (res && !res.ticket) setInfo(t('desk.nobodyWaiting'));
    },
    recall: () => { if (ready && can.recall) void ticketCommand('recall', current); },
    start: () => { if (ready && can.start) void ticketCommand('start', current); },
    noShow: () => { if (ready && can.noShow) void ticketCommand('no-show', current); },
    park: () => { if (ready && can.park) void ticketCommand('park', current); },
    complete: async () => {
      if (!ready || !can.complete || !current) return;
      const body: Record<string, string> = {};
      if (outcome) body.outcome = outcome;
      if (note.trim()) body.note = note.trim();
      const done = await commands.run<CommandResult>(`complete:${current.id}`, `/api/tickets/${current.id}/complete`, body);
      if (done) { setOutcome(''); setNote(''); void loadStats(); }
    },
    transfer: () => { if (ready && can.transfer) setTransferOpen(true); },
    unpark: async () => {
      const first = parked[0];
      if (!ready || !can.unpark || !first) return;
      await commands.run<CommandResult>(`unpark:${first.id}`, `/api/tickets/${first.id}/unpark`);
    },
    unparkOne: async (ticket: TicketView) => {
      if (!ready || current) return;
      await commands.run<CommandResult>(`unpark:${ticket.id}`, `/api/tickets/${ticket.id}/unpark`);
    },
    status: async (status: 'open' | 'paused' | 'closed') => {
      if (!ready) return;
      await commands.run<CounterView>(`status:${counter.id}:${status}`, `/api/counters/${counter.id}/status`, { status });
    },
  };
  const pauseOrResume = () => { if (can.pause) void actions.status('paused'); else if (can.resume) void actions.status('open'); };

  useShortcuts({
    ' ': () => void actions.callNext(), n: () => void actions.callNext(),
    r: actions.recall, s: actions.start, c: () => void actions.complete(), x: actions.noShow, t: actions.transfer,
    p: actions.park, u: () => void actions.unpark(), b: pauseOrResume,
    o: () => { if (can.open) void actions.status('open'); },
    q: () => { if (can.close) void actions.status('closed'); },
  }, !transferOpen);

  const transfer = async (target: { serviceId: string } | { counterId: string }) => {
    if (!current) return;
    const key = 'serviceId' in target ? `service:${target.serviceId}` : `counter:${target.counterId}`;
    const done = await commands.run<CommandResult>(`transfer:${current.id}:${key}`, `/api/tickets/${current.id}/transfer`, target);
    if (done) setTransferOpen(false);
  };

  const elapsedFrom = current?.status === 'serving' ? current.startedAt : current?.calledAt;
  const fmtMinutes = (m: number | null | undefined) => (m === null || m === undefined ? '—' : t('common.minutes', { count: Math.round(m * 10) / 10 }));

  return (
    <div className="desk" data-testid="desk" data-busy={commands.busy ?? ''}>
      <section className="desk-main">
        <div className="counter-bar">
          <span className={`counter-status status-${counter.status}`} data-testid="counter-status" data-status={counter.status}>{t(`counterStatus.${counter.status}`)}</span>
          <h1 className="counter-name">{counter.name}</h1>
          <button type="button" className="link" onClick={onChangeCounter}>{t('counter.change')}</button>
        </div>

        <div className={`current-ticket${current ? ` is-${current.status}` : ''}`} data-testid="current-ticket" data-ticket={current?.number ?? ''} data-status={current?.status ?? ''}>
          {current ? (
            <>
              <div className="current-label">{t(current.status === 'serving' ? 'desk.serving' : 'desk.called')}</div>
              <div className="current-number" data-testid="current-number">{displayTicketNumber(current.number)}</div>
              <div className="current-service">{serviceOf(current.serviceId)?.name[lang]}</div>
              <div className="current-tags">
                {current.queueType !== 'normal' && <span className={`tag tag-${current.queueType}`}>{t(`queueType.${current.queueType}`)}</span>}
                {current.priority && <span className="tag">{t(`priority.${current.priority}`)}</span>}
                <RemoteTags ticket={current} />
                {current.recallCount > 0 && <span className="tag">{t('desk.recalls', { count: current.recallCount })}</span>}
                <span className="tag">{t('desk.waited', { minutes: minutesSince(current.issuedAt, Date.parse(current.calledAt ?? current.issuedAt)) })}</span>
              </div>
              {elapsedFrom && <div className="timer" data-testid="timer">{formatElapsed(now - Date.parse(elapsedFrom))}</div>}
              <CheckInButton ticket={current} token={session.token} ready={ready} />
              <PaymentPanel ticket={current} token={session.token} commands={commands} ready={ready} />
            </>
          ) : counter.currentTicketNumber ? (
            <div className="current-number">{displayTicketNumber(counter.currentTicketNumber)}</div>
          ) : (
            <div className="current-empty">{counter.status === 'paused' ? t('desk.pausedNotice') : counter.status === 'closed' ? t('desk.closedNotice') : t('desk.none')}</div>
          )}
        </div>

        {current?.status === 'serving' && (
          <div className="complete-fields">
            <label>{t('desk.outcome')}
              <select value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="outcome">
                <option value="">—</option>
                {OUTCOMES.map((o) => <option key={o} value={o}>{t(`outcome.${o}`)}</option>)}
              </select>
            </label>
            <label className="grow">{t('desk.note')}
              <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} data-testid="note" />
            </label>
          </div>
        )}

        {info && <div className="info" role="status" data-testid="desk-info">{info}</div>}

        <div className="actions">
          <Action label={t('action.callNext')} keys={`${t('keys.space')} / N`} primary disabled={!ready || !can.callNext} onClick={actions.callNext} busy={commands.busy?.startsWith('call-next')} testId="call-next" />
          <Action label={t('action.recall')} keys="R" disabled={!ready || !can.recall} onClick={actions.recall} testId="recall" />
          <Action label={t('action.start')} keys="S" disabled={!ready || !can.start} onClick={actions.start} testId="start" />
          <Action label={t('action.complete')} keys="C" primary disabled={!ready || !can.complete} onClick={actions.complete} testId="complete" />
          <Action label={t('action.noShow')} keys="X" disabled={!ready || !can.noShow} onClick={actions.noShow} testId="no-show" />
          <Action label={t('action.transfer')} keys="T" disabled={!ready || !can.transfer} onClick={actions.transfer} testId="transfer" />
          <Action label={t('action.park')} keys="P" disabled={!ready || !can.park} onClick={actions.park} testId="park" />
          <Action label={t('action.unpark')} keys="U" disabled={!ready || !can.unpark} onClick={actions.unpark} testId="unpark" />
          {counter.status === 'paused'
            ? <Action label={t('action.resume')} keys="B" disabled={!ready} onClick={pauseOrResume} testId="resume" />
            : <Action label={t('action.pause')} keys="B" disabled={!ready || !can.pause} onClick={pauseOrResume} testId="pause" />}
          {counter.status === 'closed'
            ? <Action label={t('action.open')} keys="O" disabled={!ready} onClick={() => actions.status('open')} testId="open" />
            : <Action label={t('action.close')} keys="Q" disabled={!ready || !can.close} onClick={() => actions.status('closed')} testId="close" />}
        </div>
      </section>

      <aside className="desk-side">
        <section className="panel stats" data-testid="stats">
          <h2>{t('desk.today')}</h2>
          <dl>
            <dt>{t('desk.servedToday')}</dt><dd data-testid="served-today">{stats?.agent?.served ?? stats?.counter.served ?? '—'}</dd>
            <dt>{t('desk.avgTime')}</dt><dd data-testid="avg-time">{fmtMinutes(stats?.agent?.averageServiceMinutes ?? stats?.counter.averageServiceMinutes)}</dd>
            <dt>{t('desk.noShows')}</dt><dd>{stats?.agent?.noShows ?? '—'}</dd>
            <dt>{t('desk.counterServed')}</dt><dd>{stats?.counter.served ?? '—'}</dd>
          </dl>
        </section>

        <section className="panel">
          <h2>{t('desk.myServices')}</h2>
          <ul className="service-lines">
            {counter.serviceIds.map((id) => {
              const s = serviceOf(id);
              const q = snapshot?.queue.services.find((x) => x.serviceId === id);
              if (!s) return null;
              const over = q !== undefined && q.waitingCount > 0 && q.longestWaitMinutes >= s.targetWaitMinutes;
              return (
                <li key={id} className={over ? 'over' : undefined} data-testid={`line-${s.prefix}`} data-status={s.status} data-waiting={q?.waitingCount ?? 0}>
                  <span className="prefix">{s.prefix}</span>
                  <span className="name">{s.name[lang]}{s.status !== 'active' && <em> · {t(`serviceStatus.${s.status}`)}</em>}</span>
                  <span className="count" title={t('desk.waiting')}>{q?.waitingCount ?? 0}</span>
                  <span className="longest" title={t('desk.longest')}>{q && q.waitingCount > 0 ? t('common.minutes', { count: q.longestWaitMinutes }) : '—'}</span>
                </li>
              );
            })}
          </ul>
        </section>

        {parked.length > 0 && (
          <section className="panel">
            <h2>{t('desk.parked')}</h2>
            <ul className="ticket-list">
              {parked.map((p) => (
                <li key={p.id} data-testid="parked-ticket">
                  <span className="num">{displayTicketNumber(p.number)}</span>
                  <span>{serviceOf(p.serviceId)?.prefix}</span>
                  <button type="button" disabled={!ready || current !== null} onClick={() => void actions.unparkOne(p)}>{t('action.unpark')}</button>
                </li>
              ))}
            </ul>
          </section>
        )}

        <section className="panel">
          <h2>{t('desk.nextUp')}</h2>
          {nextUp.length === 0 ? <p className="muted">{t('desk.nobodyWaiting')}</p> : (
            <ul className="ticket-list">
              {nextUp.map((x) => (
                <li key={x.id} className={minutesSince(x.issuedAt, now) >= (serviceOf(x.serviceId)?.targetWaitMinutes ?? Infinity) ? 'over' : undefined}
                  data-testid="next-up-ticket" data-ticket={x.number} data-sent-here={x.targetCounterId === counter.id}>
                  <span className="num">{displayTicketNumber(x.number)}</span>
                  <span>{x.queueType !== 'normal' ? t(`queueType.${x.queueType}`) : ''}</span>
                  <span className="muted">{t('common.minutes', { count: minutesSince(x.issuedAt, now) })}</span>
                  <RemoteTags ticket={x} />
                  <CheckInButton ticket={x} token={session.token} ready={ready} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </aside>

      {transferOpen && current && (
        <TransferDialog ticket={current} counter={counter} snapshot={snapshot} busy={commands.busy !== null}
          onTransfer={(target) => void transfer(target)} onClose={() => setTransferOpen(false)} />
      )}
    </div>
  );
}

interface ActionProps { label: string; keys: string; onClick: () => void | Promise<void>; disabled: boolean; primary?: boolean; busy?: boolean; testId: string }

function Action({ label, keys, onClick, disabled, primary, busy, testId }: ActionProps) {
  return (
    <button type="button" className={`action${primary ? ' primary' : ''}${busy ? ' busy' : ''}`} disabled={disabled} data-testid={`action-${testId}`}
      onClick={(e) => { e.currentTarget.blur(); void onClick(); }}>
      <span>{label}</span>
      <kbd>{keys}</kbd>
    </button>
  );
}

/**
 * "Client arrivé": the remote visitor tells the agent they are here (the ticket being served, or one still waiting,
 * which under the branch's skip rule is called only once checked in). The server's answer reaches every screen live.
 */
function CheckInButton({ ticket, token, ready }: { ticket: { id: string; number: string; channel: string; arrivedAt: string | null }; token: string; ready: boolean }) {
  const { t } = useTranslation();
  if (!isRemoteChannel(ticket.channel) || ticket.arrivedAt !== null) return null;
  return (
    <button type="button" className="check-in" data-testid="check-in" disabled={!ready} aria-label={`${t('remote.checkIn')} ${displayTicketNumber(ticket.number)}`}
      onClick={() => void apiFetch(`/api/tickets/${encodeURIComponent(ticket.id)}/arrive`, { method: 'POST', body: {}, token }).catch(() => undefined)}>
      {t('remote.checkIn')}
    </button>
  );
}

/** A remote ticket (web, SMS, USSD) shows its channel, and "pas encore arrivé" until the visitor checks in. */
function RemoteTags({ ticket }: { ticket: { channel: string; arrivedAt: string | null } }) {
  const { t } = useTranslation();
  if (!isRemoteChannel(ticket.channel)) return null;
  return (
    <>
      <span className="tag tag-remote" data-testid="ticket-channel" data-channel={ticket.channel}>{t(`remote.channel.${ticket.channel}`)}</span>
      {ticket.arrivedAt === null && <span className="tag tag-not-arrived" data-testid="not-arrived">{t('remote.notArrived')}</span>}
    </>
  );
}
