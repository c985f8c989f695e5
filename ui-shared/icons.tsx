// Inline SVG icons: each service shows one next to its name (keyed by the service's `icon` field, one of
// SERVICE_ICONS), so a visitor who reads little still finds it. Simple strokes in currentColor, readable from two
// metres. The kiosk draws them; the admin screen offers the service icons in its picker.
import { useId, type ReactNode } from 'react';
import type { ServiceIcon } from '../server/src/shared/domain/service-icons.js';

// Typed by the list of service icons: an icon the API accepts always has a drawing.
const PATHS: Record<ServiceIcon, ReactNode> & Record<string, ReactNode> = {
  cash: (
    <>
      <rect x="4" y="12" width="40" height="24" rx="3" />
      <circle cx="24" cy="24" r="6" />
      <path d="M10 18h2M36 30h2" />
    </>
  ),
  account: (
    <>
      <rect x="4" y="8" width="40" height="32" rx="4" />
      <circle cx="17" cy="21" r="5" />
      <path d="M9 33c1.5-4.5 5-6 8-6s6.5 1.5 8 6M29 18h10M29 24h10M29 30h6" />
    </>
  ),
  transfer: <path d="M6 16h32l-7-7M42 32H10l7 7" />,
  adviser: (
    <>
      <circle cx="18" cy="17" r="7" />
      <path d="M5 42c1-8 6-12 13-12s12 4 13 12" />
      <path d="M30 5h14v11h-6l-4 4v-4h-4z" />
    </>
  ),
  ticket: (
    <>
      <path d="M5 14h38v6a4 4 0 0 0 0 8v6H5v-6a4 4 0 0 0 0-8z" />
      <path d="M29 15v4M29 22v4M29 29v4" />
    </>
  ),
  health: <path d="M18 6h12v12h12v12H30v12H18V30H6V18h12z" />,
  document: (
    <>
      <path d="M11 4h17l10 10v30H11z" />
      <path d="M28 4v10h10M17 24h15M17 30h15M17 36h9" />
    </>
  ),
  phone: (
    <>
      <rect x="14" y="4" width="20" height="40" rx="3" />
      <path d="M21 38h6" />
    </>
  ),
  // Priority reasons
  none: (
    <>
      <circle cx="24" cy="13" r="7" />
      <path d="M10 43c1-9 7-14 14-14s13 5 14 14" />
    </>
  ),
  elderly: (
    <>
      <circle cx="21" cy="8" r="4" />
      <path d="M21 14c-3 5-4 10-4 15l-4 13M20 19l7 6M18 31l6 11M32 24v18M32 24c0-3-4-3-4 0" />
    </>
  ),
  pregnant: (
    <>
      <circle cx="21" cy="8" r="4" />
      <path d="M20 14c-2 6-2 12 0 18l-2 11M23 16c7 2 11 8 9 14-1 3-5 4-9 3M22 33l4 10" />
    </>
  ),
  disabled: (
    <>
      <circle cx="23" cy="7" r="4" />
      <path d="M23 13v13h12l4 11M23 19h10" />
      <path d="M17 21a11 11 0 1 0 15 15" />
    </>
  ),
  // Screen controls
  appointment: (
    <>
      <rect x="6" y="10" width="36" height="32" rx="3" />
      <path d="M6 18h36M16 5v9M32 5v9M16 29l5 5 10-10" />
    </>
  ),
  back: <path d="M28 10L14 24l14 14M15 24h26" />,
  check: <path d="M9 25l10 10 20-21" />,
  warning: (
    <>
      <path d="M24 5l21 37H3z" />
      <path d="M24 19v11M24 35v1" />
    </>
  ),
  printer: (
    <>
      <path d="M13 18V5h22v13M13 35H6V18h36v17h-7" />
      <rect x="13" y="28" width="22" height="15" />
    </>
  ),
  erase: (
    <>
      <path d="M17 10h25v28H17L5 24z" />
      <path d="M23 18l12 12M35 18L23 30" />
    </>
  ),
  offline: (
    <>
      <path d="M4 17a30 30 0 0 1 40 0M10 24a21 21 0 0 1 28 0M16 31a12 12 0 0 1 16 0" />
      <path d="M6 6l36 36" />
      <circle cx="24" cy="39" r="2" />
    </>
  ),
  home: <path d="M5 23L24 7l19 16M10 19v22h10V29h8v12h10V19" />,
};

export function Icon({ name, size = 48, className }: { name: string; size?: number; className?: string }) {
  return (
    <svg className={className} width={size} height={size} viewBox="0 0 48 48" fill="none" stroke="currentColor" strokeWidth={3.2}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {PATHS[name] ?? PATHS.ticket}
    </svg>
  );
}

/** Flags next to the language names (SVG: emoji flags do not show on Windows). */
export function Flag({ lang }: { lang: 'fr' | 'wo' | 'en' }) {
  const id = useId().replace(/:/g, '');
  if (lang === 'fr') {
    return (
      <svg className="flag" viewBox="0 0 3 2" aria-hidden="true">
        <rect width="1" height="2" fill="#002395" />
        <rect x="1" width="1" height="2" fill="#fff" />
        <rect x="2" width="1" height="2" fill="#ed2939" />
      </svg>
    );
  }
  if (lang === 'wo') {
    // Senegal: green, yellow, red, with a green star.
    return (
      <svg className="flag" viewBox="0 0 30 20" aria-hidden="true">
        <rect width="10" height="20" fill="#00853f" />
        <rect x="10" width="10" height="20" fill="#fdef42" />
        <rect x="20" width="10" height="20" fill="#e31b23" />
        <path d="M15 6.2l1.1 3.3h3.5l-2.8 2.1 1 3.3-2.8-2-2.8 2 1-3.3-2.8-2.1h3.5z" fill="#00853f" />
      </svg>
    );
  }
  return (
    <svg className="flag" viewBox="0 0 60 30" aria-hidden="true">
      <clipPath id={`${id}s`}><path d="M0,0 v30 h60 v-30 z" /></clipPath>
      <clipPath id={`${id}t`}><path d="M30,15 h30 v15 z v15 h-30 z h-30 v-15 z v-15 h30 z" /></clipPath>
      <g clipPath={`url(#${id}s)`}>
        <path d="M0,0 v30 h60 v-30 z" fill="#012169" />
        <path d="M0,0 L60,30 M60,0 L0,30" stroke="#fff" strokeWidth="6" />
        <path d="M0,0 L60,30 M60,0 L0,30" clipPath={`url(#${id}t)`} stroke="#C8102E" strokeWidth="4" />
        <path d="M30,0 v30 M0,15 h60" stroke="#fff" strokeWidth="10" />
        <path d="M30,0 v30 M0,15 h60" stroke="#C8102E" strokeWidth="6" />
      </g>
    </svg>
  );
}
