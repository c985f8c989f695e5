// Building blocks of the kiosk screens: header with the language switch, on-screen keypads, QR code, scanner input.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { qrSvgPath } from '../../server/src/shared/qr.js';
import { SCREEN_LANGUAGES, type ScreenLanguage } from '../../ui-shared/i18n.js';
import { Flag, Icon } from '../../ui-shared/icons.js';

export function Header({ branchName, timeZone, onLanguage }: { branchName: string; timeZone: string; onLanguage: (lang: ScreenLanguage) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <header className="header">
      <div className="header-branch">
        <span className="branch-name">{branchName}</span>
        <Clock timeZone={timeZone} />
      </div>
      <nav className="languages" aria-label={t('lang.label')}>
        {SCREEN_LANGUAGES.map((lang) => (
          <button key={lang} type="button" lang={lang} data-testid={`lang-${lang}`} aria-pressed={i18n.language === lang}
            className={`lang-button${i18n.language === lang ? ' active' : ''}`} onClick={() => onLanguage(lang)}>
            <Flag lang={lang} />
            <span>{t(`lang.${lang}`)}</span>
          </button>
        ))}
      </nav>
    </header>
  );
}

function Clock({ timeZone }: { timeZone: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 10_000);
    return () => clearInterval(timer);
  }, []);
  let text: string;
  try {
    text = new Intl.DateTimeFormat('fr-SN', { hour: '2-digit', minute: '2-digit', timeZone }).format(now);
  } catch {
    text = new Intl.DateTimeFormat('fr-SN', { hour: '2-digit', minute: '2-digit' }).format(now);
  }
  return <span className="clock">{text}</span>;
}

/** A screen's big title row with an optional back button. */
export function ScreenTitle({ children, onBack }: { children: ReactNode; onBack?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="screen-title">
      {onBack && (
        <button type="button" className="back-button" data-testid="back" onClick={onBack}>
          <Icon name="back" size={40} />
          <span>{t('nav.back')}</span>
        </button>
      )}
      <h1>{children}</h1>
    </div>
  );
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Numbers keypad: 1-9, then clear, 0, erase. */
export function DigitKeypad({ onKey, onErase, onClear }: { onKey: (digit: string) => void; onErase: () => void; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="keypad digits" role="group">
      {DIGITS.map((d) => (
        <button key={d} type="button" className="key" data-testid={`key-${d}`} onClick={() => onKey(d)}>{d}</button>
      ))}
      <button type="button" className="key key-small" data-testid="key-clear" onClick={onClear}>{t('keypad.clear')}</button>
      <button type="button" className="key" data-testid="key-0" onClick={() => onKey('0')}>0</button>
      <button type="button" className="key key-small" data-testid="key-erase" aria-label={t('keypad.erase')} onClick={onErase}>
        <Icon name="erase" size={44} />
      </button>
    </div>
  );
}

/** Booking codes use these symbols only (no I, L, O, U: they read like 1, 0 and V). */
const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTVWXYZ'.split('');

/** Letters and digits of a booking code, switchable so every key stays large. */
export function CodeKeypad({ onKey, onErase, onClear }: { onKey: (symbol: string) => void; onErase: () => void; onClear: () => void }) {
  const { t } = useTranslation();
  const [letters, setLetters] = useState(false);
  return (
    <div className="code-keypad">
      <div className="keypad-switch" role="group">
        <button type="button" className={`key key-small${letters ? '' : ' active'}`} aria-pressed={!letters} data-testid="keys-digits" onClick={() => setLetters(false)}>{t('keypad.digits')}</button>
        <button type="button" className={`key key-small${letters ? ' active' : ''}`} aria-pressed={letters} data-testid="keys-letters" onClick={() => setLetters(true)}>{t('keypad.letters')}</button>
      </div>
      {letters ? (
        <div className="keypad letters" role="group">
          {CODE_LETTERS.map((l) => <button key={l} type="button" className="key" data-testid={`key-${l}`} onClick={() => onKey(l)}>{l}</button>)}
          <button type="button" className="key key-small" data-testid="key-erase" aria-label={t('keypad.erase')} onClick={onErase}><Icon name="erase" size={44} /></button>
        </div>
      ) : (
        <DigitKeypad onKey={onKey} onErase={onErase} onClear={onClear} />
      )}
    </div>
  );
}

/** QR code drawn as one SVG path (no canvas, crisp at any size). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const path = useMemo(() => {
    // A quiet zone of 4 modules around the symbol, as scanners expect.
    const { d, size } = qrSvgPath(text, 1, 4, 4);
    return { d, size: size + 8 };
  }, [text]);
  return (
    <svg className="qr" viewBox={`0 0 ${path.size} ${path.size}`} role="img" aria-label={label} data-qr={text} shapeRendering="crispEdges">
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}

/**
 * A USB or QR scanner types like a keyboard and ends with Enter: a hidden input keeps the focus to catch it.
 * inputMode="none" keeps the touch screen's own keyboard from popping up.
 */
export function ScannerInput({ onScan }: { onScan: (text: string) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = ref.current;
    if (!input) return;
    input.focus({ preventScroll: true });
    const keep = () => setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body || active instanceof HTMLButtonElement) input.focus({ preventScroll: true });
    }, 0);
    input.addEventListener('blur', keep);
    return () => input.removeEventListener('blur', keep);
  }, []);
  return (
    <input ref={ref} className="scanner-input" data-testid="scanner-input" inputMode="none" autoComplete="off" autoCapitalize="off" spellCheck={false}
      aria-hidden="true" tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        const text = e.currentTarget.value.trim();
        e.currentTarget.value = '';
        if (text) onScan(text);
      }} />
  );
}
