// The visitor's path at the kiosk: service → priority → phone (optional, only when an SMS can be sent) → ticket on
// screen while it prints.
// Also the appointment check-in. Every screen but the start goes back to the start by itself when left alone.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { BranchClosure, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { KioskConfig } from '../../server/src/shared/contracts/print.js';
import type { PriorityReason } from '../../server/src/shared/contracts/domain.js';
import { displayTicketNumber } from '../../server/src/shared/domain/numbering.js';
import { ApiError, newCommandId } from '../../ui-shared/api.js';
import { useBranchLive } from '../../ui-shared/live.js';
import type { ScreenLanguage } from '../../ui-shared/i18n.js';
import { CodeKeypad, DigitKeypad, Header, QrCode, ScannerInput, ScreenTitle } from './components.js';
import { groupCode, groupPhoneDigits, hoursToday, isSenegalLocalNumber } from './format.js';
import { kioskTimings, useCountdown, useIdle } from './hooks.js';
import { Icon } from '../../ui-shared/icons.js';
import { answerLost, checkIn, issueTicket, kioskConfig, listServices, printTicket, serverReachable, ticketIdOfScan } from './kiosk-api.js';
import { OutOfService, Splash } from './screens.js';
import { PayOffer, PayScreen } from './PayScreen.js';
import type { KioskProvider } from './kiosk-api.js';

// contracts/domain.ts KIOSK_PRIORITY_REASONS, repeated here so the kiosk bundle does not carry zod. VIP: never here.
const KIOSK_PRIORITY_REASONS = ['elderly', 'pregnant', 'disabled'] as const satisfies readonly PriorityReason[];
type KioskPriority = (typeof KIOSK_PRIORITY_REASONS)[number];
type Scan = { code: string; at: number };
type PrintState = { state: 'printing' | 'printed' | 'failed' | 'none'; code?: string };

type Step =
  | { kind: 'start' }
  | { kind: 'priority'; service: ServiceView }
  | { kind: 'phone'; service: ServiceView; priority: KioskPriority | null }
  | { kind: 'issuing' }
  | { kind: 'ticket'; ticket: TicketView; alreadyCheckedIn: boolean; remoteArrival?: boolean }
  | { kind: 'pay'; ticket: TicketView; provider: KioskProvider }
  | { kind: 'checkin' };

const timings = kioskTimings();
/** How long an attempt whose answers were all lost keeps its command id (the visitor may try again once we are back). */
const ATTEMPT_KEPT_MS = 5 * 60_000;

export function Kiosk({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const live = useBranchLive(token);
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [notice, setNotice] = useState<string | null>(null);
  const [print, setPrint] = useState<PrintState>({ state: 'none' });
  const [netDown, setNetDown] = useState(false);
  const [config, setConfig] = useState<KioskConfig | null>(null);
  const [polledServices, setPolledServices] = useState<ServiceView[] | null>(null);
  const lang = i18n.language as ScreenLanguage;

  const setLanguage = useCallback((l: ScreenLanguage) => {
    void i18n.changeLanguage(l);
    document.documentElement.lang = l;
  }, [i18n]);

  const home = useCallback(() => {
    setStep({ kind: 'start' });
    setPrint({ state: 'none' });
  }, []);
  /** Back to the start for the next visitor: default language too. */
  const reset = useCallback(() => {
    home();
    setNotice(null);
    setLanguage('fr');
  }, [home, setLanguage]);

  // A failed call tells us the server is gone before the socket notices: show "out of service" and probe.
  const failed = useCallback((err: unknown): boolean => {
    if (err instanceof ApiError && (err.status === 401 || (err.status === 403 && err.code === 'FORBIDDEN'))) {
      onUnauthorized();
      return true;
    }
    if (answerLost(err)) {
      setNetDown(true);
      home();
      return true;
    }
    return false;
  }, [home, onUnauthorized]);

  // While out of service, probe the server; once it answers, make sure the socket reconnects (socket.io gives up
  // after a disconnect that the server itself sent, e.g. when it shut down cleanly).
  const offlineNow = live.status === 'offline' || netDown;
  const socket = live.socket;
  useEffect(() => {
    if (!offlineNow) return;
    const timer = setInterval(() => {
      void serverReachable().then((ok) => {
        if (!ok) return;
        setNetDown(false);
        if (socket && !socket.connected && !socket.active) socket.connect();
      });
    }, 3000);
    return () => clearInterval(timer);
  }, [offlineNow, socket]);

  useEffect(() => {
    if (live.status === 'unauthorized') onUnauthorized();
    if (live.status === 'online') setNetDown(false);
  }, [live.status, onUnauthorized]);

  // Settings (QR link base, SMS offer, printer kind); fetched again after each reconnection, and when the server
  // says they changed (central started or stopped sending SMS).
  const settingsChanged = live.settingsChanged;
  useEffect(() => {
    if (live.status !== 'online') return;
    let cancelled = false;
    kioskConfig(token).then((c) => { if (!cancelled) setConfig(c); }, () => {});
    return () => { cancelled = true; };
  }, [token, live.status, settingsChanged]);

  // Opening hours move with the clock, not with events: refresh the services every minute.
  useEffect(() => { setPolledServices(null); }, [live.snapshot]);
  useEffect(() => {
    const timer = setInterval(() => { listServices().then(setPolledServices, () => {}); }, 60_000);
    return () => clearInterval(timer);
  }, []);
  const services = useMemo(
    () => [...(polledServices ?? live.snapshot?.services ?? [])].sort((a, b) => a.sortOrder - b.sortOrder),
    [polledServices, live.snapshot],
  );

  const noticeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const showNotice = useCallback((text: string) => {
    setNotice(text);
    clearTimeout(noticeTimer.current);
    noticeTimer.current = setTimeout(() => setNotice(null), 8000);
  }, []);
  useEffect(() => () => clearTimeout(noticeTimer.current), []);

  const startPrint = useCallback((ticket: TicketView) => {
    if (config && !config.printer.configured) {
      setPrint({ state: 'none' });
      return;
    }
    setPrint({ state: 'printing' });
    printTicket(token, ticket.id).then(
      () => setPrint({ state: 'printed' }),
      (err: unknown) => setPrint({ state: 'failed', code: err instanceof ApiError ? err.code : 'PRINTER_ERROR' }),
    );
  }, [config, token]);

  // One command id per visitor attempt. issueTicket resends it when an answer is lost; if the server stays out of
  // reach, the id is kept a while, so the same choice made again once it is back gets the ticket already issued.
  const attempt = useRef<{ key: string; commandId: string; since: number } | null>(null);
  const issue = useCallback(async (service: ServiceView, priority: KioskPriority | null, phone: string | null) => {
    setStep({ kind: 'issuing' });
    const request = {
      serviceId: service.id,
      language: lang,
      ...(priority ? { priority } : {}),
      ...(phone ? { phone: `+221${phone}` } : {}),
    };
    const key = JSON.stringify(request);
    const previous = attempt.current;
    const commandId = previous && previous.key === key && Date.now() - previous.since < ATTEMPT_KEPT_MS ? previous.commandId : newCommandId();
    attempt.current = { key, commandId, since: previous?.commandId === commandId ? previous.since : Date.now() };
    try {
      const ticket = await issueTicket(token, { ...request, commandId });
      attempt.current = null;
      setStep({ kind: 'ticket', ticket, alreadyCheckedIn: false });
      startPrint(ticket);
    } catch (err) {
      if (!answerLost(err)) attempt.current = null;
      if (failed(err)) return;
      const e = err instanceof ApiError ? err : null;
      if (e?.status === 400 && phone && /phone/i.test(e.message)) {
        setStep({ kind: 'phone', service, priority });
        setNotice(t('phone.rejected'));
        return;
      }
      home();
      if (e?.code === 'SERVICE_CLOSED' || e?.status === 404) showNotice(t('errors.serviceClosed'));
      else if (e?.code === 'RATE_LIMITED') showNotice(t('errors.rateLimited'));
      else if (e?.code === 'STORAGE_FULL') showNotice(t('errors.storageFull'));
      else showNotice(t('errors.generic'));
    }
  }, [token, lang, startPrint, failed, home, showNotice, t]);

  // A code read by the scanner on the start screen opens the check-in with it.
  const [scanned, setScanned] = useState<Scan | null>(null);
  const onScan = useCallback((code: string) => {
    setScanned({ code, at: Date.now() });
    setStep({ kind: 'checkin' });
  }, []);

  // The pay screen keeps its own clock: the visitor is busy on their phone, not touching the kiosk.
  useIdle(timings.idleMs, reset, step.kind !== 'start' && step.kind !== 'ticket' && step.kind !== 'issuing' && step.kind !== 'pay');
  useIdle(timings.languageResetMs, () => { if (lang !== 'fr') setLanguage('fr'); setNotice(null); }, step.kind === 'start');

  const offline = live.status === 'offline' || netDown;
  const branchName = live.snapshot?.branch.name ?? '';
  const timeZone = live.snapshot?.branch.timeZone ?? 'Africa/Dakar';
  // No QR code on a standalone branch (null), nor before the settings are known: only a link a phone can open.
  const trackBase = config?.trackUrlBase ?? null;
  // The phone step only when an SMS can be sent (central has SMS): never a promise nobody keeps.
  const offerSms = config?.sms === true;

  let body: ReactNode;
  if (offline && step.kind !== 'ticket') body = <OutOfService />;
  else if (!live.snapshot) body = <Splash text={t('connecting')} />;
  else {
    switch (step.kind) {
      case 'start':
        body = <StartScreen services={services} queue={live.snapshot.queue.services} notice={notice} closure={live.snapshot.closure}
          onService={(s) => { setNotice(null); setStep({ kind: 'priority', service: s }); }}
          onClosed={(s) => showNotice(t('start.closedNotice', { service: s.name[lang], hours: s.hoursToday.length ? t('start.hours', { hours: hoursToday(s) }) : t('start.closedToday') }))}
          onCheckIn={() => { setNotice(null); setScanned(null); setStep({ kind: 'checkin' }); }}
          onScan={onScan} />;
        break;
      case 'priority':
        body = <PriorityScreen service={step.service} onBack={home}
          onChoose={(p) => (offerSms ? setStep({ kind: 'phone', service: step.service, priority: p }) : void issue(step.service, p, null))} />;
        break;
      case 'phone':
        body = <PhoneScreen key={`${step.service.id}`} notice={notice} onBack={() => { setNotice(null); setStep({ kind: 'priority', service: step.service }); }}
          onDone={(digits) => { setNotice(null); void issue(step.service, step.priority, digits); }} />;
        break;
      case 'issuing':
        body = <Splash text={t('issuing')} testId="screen-issuing" />;
        break;
      case 'ticket':
        body = <TicketScreen ticket={step.ticket} service={services.find((s) => s.id === step.ticket.serviceId) ?? null} print={print}
          simulated={config?.printer.simulated ?? false} alreadyCheckedIn={step.alreadyCheckedIn} remoteArrival={step.remoteArrival ?? false} trackUrl={trackBase === null ? null : `${trackBase}${encodeURIComponent(step.ticket.id)}`}
          offline={offline} onDone={reset} onPay={(provider) => setStep({ kind: 'pay', ticket: step.ticket, provider })} />;
        break;
      case 'pay':
        body = <PayScreen token={token} ticketId={step.ticket.id} number={displayTicketNumber(step.ticket.number)} provider={step.provider} onDone={reset} />;
        break;
      case 'checkin':
        body = <CheckInScreen scanned={scanned} onBack={home}
          onTicket={(ticket, already, remote) => {
            setStep({ kind: 'ticket', ticket, alreadyCheckedIn: already, remoteArrival: remote });
            if (already) setPrint({ state: 'none' });
            else startPrint(ticket);
          }}
          token={token} onFailure={failed} />;
        break;
    }
  }

  return (
    <div className="kiosk" data-step={offline && step.kind !== 'ticket' ? 'offline' : step.kind} data-sms={config ? String(offerSms) : undefined}>
      <Header branchName={branchName} timeZone={timeZone} onLanguage={setLanguage} />
      <main className="content">{body}</main>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

/** The start screen; also the admin's preview of it (Preview.tsx), which has no scanner (`onScan` left out). */
export function StartScreen({ services, queue, notice, closure, onService, onClosed, onCheckIn, onScan }: {
  services: ServiceView[];
  /** Today is a day an admin closed the branch: said first, with its reason. */
  closure: BranchClosure | null;
  queue: Array<{ serviceId: string; waitingCount: number }>;
  notice: string | null;
  onService: (s: ServiceView) => void;
  onClosed: (s: ServiceView) => void;
  onCheckIn: () => void;
  onScan?: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  const waiting = new Map(queue.map((q) => [q.serviceId, q.waitingCount]));
  return (
    <section className="screen start" data-testid="screen-start">
      <div className="welcome">
        <p className="welcome-word">{t('start.welcome')}</p>
        <h1>{t('start.title')}</h1>
      </div>
      {closure && (
        <p className="closure" role="status" data-testid="closure">
          <strong>{t('start.closure')}</strong> <span data-testid="closure-reason">{closure.reason[lang]}</span>
        </p>
      )}
      {notice && <p className="notice" role="alert" data-testid="notice">{notice}</p>}
      <div className="services">
        {services.map((s) => {
          const open = s.openNow;
          const n = waiting.get(s.id) ?? 0;
          const state = open ? (n === 0 ? t('start.noneWaiting') : t('start.waiting', { n })) : s.status === 'paused' ? t('start.paused') : t('start.closed');
          return (
            <button key={s.id} type="button" className={`service${open ? '' : ' closed'}`} data-testid={`service-${s.prefix}`} data-open={open}
              aria-disabled={!open} onClick={() => (open ? onService(s) : onClosed(s))}>
              <span className="service-icon"><Icon name={s.icon} size={88} /></span>
              <span className="service-text">
                <span className="service-name">{s.name[lang]}</span>
                <span className="service-state">{state}</span>
                {!open && <span className="service-hours">{s.hoursToday.length ? t('start.hours', { hours: hoursToday(s) }) : t('start.closedToday')}</span>}
              </span>
              <span className="service-prefix" aria-hidden="true">{s.prefix}</span>
            </button>
          );
        })}
      </div>
      {!closure && services.length > 0 && !services.some((s) => s.openNow) && <p className="notice">{t('start.noService')}</p>}
      <button type="button" className="appointment-button" data-testid="checkin-open" onClick={onCheckIn}>
        <Icon name="appointment" size={64} />
        <span><strong>{t('start.appointment')}</strong><small>{t('start.appointmentHint')}</small></span>
      </button>
      {/* The scanner's hidden input takes the focus: not in the admin's preview frame, whose page keeps it. */}
      {onScan && <ScannerInput onScan={onScan} />}
    </section>
  );
}

function PriorityScreen({ service, onChoose, onBack }: { service: ServiceView; onChoose: (p: KioskPriority | null) => void; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  return (
    <section className="screen priority" data-testid="screen-priority">
      <ScreenTitle onBack={onBack}>{t('priority.title')}</ScreenTitle>
      <p className="chosen-service"><Icon name={service.icon} size={44} /> {service.name[lang]}</p>
      <div className="choices">
        <button type="button" className="choice primary" data-testid="priority-none" onClick={() => onChoose(null)}>
          <Icon name="none" size={80} /><span>{t('priority.none')}</span>
        </button>
        {KIOSK_PRIORITY_REASONS.map((p) => (
          <button key={p} type="button" className="choice" data-testid={`priority-${p}`} onClick={() => onChoose(p)}>
            <Icon name={p} size={80} /><span>{t(`priority.${p}`)}</span>
          </button>
        ))}
      </div>
      <p className="hint">{t('priority.note')}</p>
    </section>
  );
}

function PhoneScreen({ onDone, onBack, notice }: { onDone: (digits: string | null) => void; onBack: () => void; notice: string | null }) {
  const { t } = useTranslation();
  const [digits, setDigits] = useState('');
  const [invalid, setInvalid] = useState(false);
  const add = useCallback((d: string) => { setInvalid(false); setDigits((v) => (v.length >= 9 ? v : v + d)); }, []);
  const submit = () => {
    if (!isSenegalLocalNumber(digits)) setInvalid(true);
    else onDone(digits);
  };
  // A keyboard (or the test harness) may type the digits too.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) add(e.key);
      else if (e.key === 'Backspace') setDigits((v) => v.slice(0, -1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [add]);
  const error = invalid ? t('phone.invalid') : notice;
  return (
    <section className="screen phone" data-testid="screen-phone">
      <ScreenTitle onBack={onBack}>{t('phone.title')}</ScreenTitle>
      <p className="hint">{t('phone.help')}</p>
      <div className={`phone-display${error ? ' invalid' : ''}`} aria-label={t('phone.label')} data-testid="phone-display" data-digits={digits}>
        <span className="phone-prefix">+221</span>
        <span className="phone-digits">{groupPhoneDigits(digits) || '__ ___ __ __'}</span>
      </div>
      {error && <p className="field-error" role="alert" data-testid="phone-error">{error}</p>}
      <DigitKeypad onKey={add} onErase={() => { setInvalid(false); setDigits((v) => v.slice(0, -1)); }} onClear={() => { setInvalid(false); setDigits(''); }} />
      <div className="actions">
        <button type="button" className="action secondary" data-testid="phone-skip" onClick={() => onDone(null)}>{t('phone.skip')}</button>
        <button type="button" className="action primary" data-testid="phone-submit" onClick={submit}>
          <Icon name="check" size={44} /><span>{t('phone.submit')}</span>
        </button>
      </div>
    </section>
  );
}

function TicketScreen({ ticket, service, print, simulated, alreadyCheckedIn, remoteArrival, trackUrl, offline, onDone, onPay }: {
  ticket: TicketView; service: ServiceView | null; print: PrintState; simulated: boolean; alreadyCheckedIn: boolean; remoteArrival: boolean;
  trackUrl: string | null; offline: boolean; onDone: () => void; onPay: (provider: KioskProvider) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as ScreenLanguage;
  const number = displayTicketNumber(ticket.number);
  // A visitor whose ticket did not print needs time to note the number.
  const seconds = print.state === 'failed' ? timings.failedTicketSeconds : timings.ticketSeconds;
  const left = useCountdown(print.state === 'printing' ? seconds + 30 : seconds, onDone, `${ticket.id}:${print.state}`);
  const ahead = ticket.position === null ? null : Math.max(0, ticket.position - 1);
  const wait = ticket.estimatedWaitMinutes;
  return (
    // Touching the screen ends it, except after a failed print: the visitor needs the time to note the number.
    <section className="screen ticket" data-testid="screen-ticket" onClick={print.state === 'failed' ? undefined : onDone}>
      {offline && <p className="banner" role="status">{t('offline.banner')}</p>}
      {alreadyCheckedIn && <p className="hint">{t('ticket.alreadyCheckedIn')}</p>}
      {remoteArrival && !alreadyCheckedIn && <p className="hint" data-testid="remote-arrived">{t('ticket.remoteArrived')}</p>}
      <div className="ticket-card">
        <h1 className="ticket-label">{t('ticket.title')}</h1>
        <p className="ticket-number" data-testid="ticket-number" data-ticket-id={ticket.id} data-number={ticket.number}>{number}</p>
        <p className="ticket-service">
          {service && <Icon name={service.icon} size={48} />}
          <span data-testid="ticket-service">{service ? service.name[lang] : ''}</span>
          {ticket.queueType === 'priority' && <span className="badge">{t('ticket.priority')}</span>}
          {ticket.queueType === 'appointment' && <span className="badge">{t('ticket.appointment')}</span>}
        </p>
        <dl className="ticket-facts">
          <div>
            <dt>{t('ticket.ahead')}</dt>
            <dd data-testid="ticket-ahead">{ahead === null ? t('ticket.unknown') : ahead === 0 ? t('ticket.next') : ahead}</dd>
          </div>
          <div>
            <dt>{t('ticket.wait')}</dt>
            <dd data-testid="ticket-wait" data-no-open-counter={ticket.noOpenCounter}>
              {ticket.noOpenCounter ? t('ticket.noOpenCounter') : wait === null ? t('ticket.unknown') : wait < 1 ? t('ticket.lessThanMinute') : t('ticket.minutes', { n: wait })}
            </dd>
          </div>
        </dl>
      </div>
      <div className="ticket-side">
        <PrintStatus print={print} number={number} simulated={simulated} />
        {trackUrl && (
          <figure className="ticket-qr">
            <QrCode text={trackUrl} label={t('ticket.qr')} />
            <figcaption>{t('ticket.qr')}</figcaption>
          </figure>
        )}
      </div>
      {service?.feeXof && !offline ? <PayOffer fee={service.feeXof} onPay={onPay} /> : null}
      <p className="thanks">{t('ticket.thanks')}</p>
      <button type="button" className="action primary done" data-testid="ticket-done" onClick={(e) => { e.stopPropagation(); onDone(); }}>
        <Icon name="home" size={44} /><span>{t('ticket.done')}</span>
      </button>
      <p className="countdown" data-testid="countdown">{t('ticket.autoReturn', { n: left })}</p>
    </section>
  );
}

function PrintStatus({ print, number, simulated }: { print: PrintState; number: string; simulated: boolean }) {
  const { t } = useTranslation();
  if (print.state === 'printing') {
    return <p className="print-status printing" data-testid="ticket-print-status" data-status="printing"><Icon name="printer" size={56} /> {t('ticket.printing')}</p>;
  }
  if (print.state === 'printed') {
    return (
      <div className="print-status printed" data-testid="ticket-print-status" data-status="printed">
        <p><Icon name="printer" size={56} /> <strong>{t('ticket.printed')}</strong> <span className="arrow-down" aria-hidden="true">↓</span></p>
        {simulated && <p className="hint">{t('ticket.simulated')}</p>}
      </div>
    );
  }
  if (print.state === 'failed') {
    return (
      <div className="print-status failed" role="alert" data-testid="ticket-print-status" data-status="failed" data-code={print.code}>
        <p><Icon name="warning" size={56} /> <strong>{t('ticket.printFailed')}</strong></p>
        <NoteNumber number={number} />
      </div>
    );
  }
  return <div className="print-status none" data-testid="ticket-print-status" data-status="none"><NoteNumber number={number} /></div>;
}

/** "Note your number: A-042", the number in bold and never split at its dash. */
function NoteNumber({ number }: { number: string }) {
  const { t } = useTranslation();
  const [before, after = ''] = t('ticket.noteNumber', { number: '\u0000' }).split('\u0000');
  return <p className="note-number">{before}<strong className="nowrap">{number}</strong>{after}</p>;
}

type CheckInMessage = { text: string; kind: 'info' | 'error' };

function CheckInScreen({ token, scanned, onBack, onTicket, onFailure }: {
  token: string;
  scanned: Scan | null;
  onBack: () => void;
  onTicket: (ticket: TicketView, alreadyCheckedIn: boolean, remoteArrival: boolean) => void;
  onFailure: (err: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<CheckInMessage | null>(null);

  const submit = useCallback(async (raw: string) => {
    if (!raw.trim()) return;
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await checkIn(token, raw.trim());
      if (outcome.kind === 'ticket') {
        onTicket(outcome.answer.ticket, outcome.answer.alreadyCheckedIn, outcome.answer.remote === true);
        return;
      }
      if (outcome.kind === 'unavailable') {
        setMessage({ kind: 'info', text: t('checkin.unavailable') });
        return;
      }
      if (onFailure(outcome.error)) return;
      setMessage({ kind: 'error', text: ticketIdOfScan(raw) ? arrivalError(outcome.error, t) : checkInError(outcome.error, t) });
    } finally {
      setBusy(false);
    }
  }, [token, onTicket, onFailure, t]);

  // A code read by the scanner on the start screen arrives here and is checked at once.
  useEffect(() => {
    if (scanned) {
      setCode('');
      void submit(scanned.code);
    }
  }, [scanned, submit]);

  const add = (s: string) => { setMessage(null); setCode((v) => (v.length >= 8 ? v : v + s)); };
  return (
    <section className="screen checkin" data-testid="screen-checkin">
      <ScreenTitle onBack={onBack}>{t('checkin.title')}</ScreenTitle>
      <p className="hint">{t('checkin.help')}</p>
      <div className="code-display" aria-label={t('checkin.code')} data-testid="checkin-code">{groupCode(code) || '____-____'}</div>
      {busy && <p className="hint" role="status">{t('checkin.checking')}</p>}
      {message && <p className={message.kind === 'error' ? 'field-error' : 'notice'} role="alert" data-testid="checkin-message">{message.text}</p>}
      <CodeKeypad onKey={add} onErase={() => setCode((v) => v.slice(0, -1))} onClear={() => setCode('')} />
      <div className="actions">
        <button type="button" className="action primary" data-testid="checkin-submit" disabled={busy || code.length === 0} onClick={() => void submit(code)}>
          <Icon name="check" size={44} /><span>{t('checkin.submit')}</span>
        </button>
      </div>
      <ScannerInput onScan={(text) => { setCode(''); void submit(text); }} />
    </section>
  );
}

/** What a remote ticket's scan can go wrong with: another branch's ticket, or one no longer waiting. */
function arrivalError(err: ApiError, t: TFunction): string {
  if (err.code === 'NOT_FOUND') return t('checkin.ticketNotFound');
  if (err.code === 'INVALID_TRANSITION') return t('checkin.ticketFinished');
  return checkInError(err, t);
}

function checkInError(err: ApiError, t: TFunction): string {
  const details = (err.details ?? undefined) as Record<string, unknown> | undefined;
  switch (err.code) {
    case 'BOOKING_NOT_FOUND':
    case 'NOT_FOUND':
      return t('checkin.notFound');
    case 'VALIDATION_ERROR':
      return t('checkin.invalidCode');
    case 'BOOKING_CANCELLED':
      return t('checkin.cancelled');
    case 'CHECK_IN_MISSED':
      return t('checkin.missed');
    case 'ALREADY_CHECKED_IN':
      return t('checkin.alreadyCheckedIn');
    case 'SERVICE_CLOSED':
      return t('checkin.serviceClosed');
    case 'WRONG_BRANCH':
      return t('checkin.wrongBranch', { branch: typeof details?.branchName === 'string' ? details.branchName : '' });
    case 'CHECK_IN_TOO_EARLY':
      if (typeof details?.localTime !== 'string') return t('checkin.tooEarlyNoTime');
      if (details.sameDay === false) return t('checkin.tooEarlyOtherDay', { date: String(details.localDate ?? ''), time: String(details.localTime ?? '') });
      return t('checkin.tooEarly', { time: details.localTime, opens: String(details.opensAtLocalTime ?? details.localTime) });
    case 'RATE_LIMITED':
      return t('errors.rateLimited');
    case 'STORAGE_FULL':
      return t('errors.storageFull');
    default:
      return t('errors.generic');
  }
}
