// Messages in the recipient's language (fr, wo, en). The locale JSON files are the single source of the words;
// this file picks the right ones and fills them in. A placeholder left without a value is a bug: it throws.
import { DateTime } from 'luxon';
import type { Language, LocalizedText } from '../../shared/contracts/domain.js';
import { displayTicketNumber } from '../../shared/domain/numbering.js';
import fr from './locales/fr.json' with { type: 'json' };
import wo from './locales/wo.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import type { NotificationParams, RenderedNotification } from './types.js';

export type NotificationTexts = typeof fr;

// Typed against fr: a key missing from wo or en fails the type check.
export const NOTIFICATION_TEXTS: Record<Language, NotificationTexts> = { fr, wo, en };

/** Replace every {{name}}; a name without a value throws (a message with "{{…}}" must never leave). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`notification template needs {{${name}}}`);
    return String(v);
  });
}

/** "mercredi 12 mars" / "Àllarba 12 Mars" and "9 h 30" / "9:30", in the branch's time zone. */
export function formatDateTime(iso: string, timeZone: string, language: Language): { date: string; time: string } {
  const t = NOTIFICATION_TEXTS[language].date;
  const dt = DateTime.fromISO(iso, { zone: timeZone });
  if (!dt.isValid) throw new Error(`invalid date ${iso} or time zone ${timeZone}`);
  const date = fill(t.format, { weekday: t.weekdays[dt.weekday - 1] ?? '', day: dt.day, month: t.months[dt.month - 1] ?? '' });
  const time = fill(t.time, { h: dt.hour, m: String(dt.minute).padStart(2, '0') });
  return { date, time };
}

function localized(text: LocalizedText | string, language: Language): string {
  return typeof text === 'string' ? text : text[language];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function html(paragraphs: string[], link: { label: string; url: string } | null, footer: string): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const a = link ? `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:16px">${body}${a}<p style="color:#666;font-size:13px">${escapeHtml(footer)}</p></body></html>`;
}

/** One message, ready for every channel, in `language`. */
export function renderNotification(params: NotificationParams, language: Language): RenderedNotification {
  const t = NOTIFICATION_TEXTS[language];
  const footer = t.common.footer;
  switch (params.kind) {
    case 'turn_near': {
      const next = params.position <= 1;
      const v = { number: displayTicketNumber(params.ticketNumber), branch: params.branchName, position: params.position, ahead: Math.max(0, params.position - 1) };
      const body = fill(next ? t.turnNear.bodyNext : t.turnNear.body, v);
      const wait = params.waitMinutes !== null && !next ? fill(t.turnNear.wait, { minutes: params.waitMinutes }) : null;
      const follow = params.trackUrl ? fill(t.common.follow, { url: params.trackUrl }) : null;
      const lines = [body, ...(wait ? [wait] : [])];
      return {
        kind: params.kind, language,
        subject: fill(t.turnNear.subject, v),
        text: [...lines, ...(follow ? [follow] : []), '', footer].join('\n'),
        html: html(lines, params.trackUrl ? { label: fill(t.common.follow, { url: '' }).replace(/[:\s]+$/, ''), url: params.trackUrl } : null, footer),
        sms: fill(next ? t.turnNear.smsNext : t.turnNear.sms, v),
        push: { title: fill(t.turnNear.title, v), body: [body, ...(wait ? [wait] : [])].join(' '), url: params.trackUrl, tag: `ticket-${params.ticketNumber}` },
      };
    }
    case 'called': {
      const hasCounter = params.counterNumber !== null;
      const v = { number: displayTicketNumber(params.ticketNumber), branch: params.branchName, ...(hasCounter && { counter: params.counterNumber as number }) };
      const body = fill(hasCounter ? t.called.body : t.called.bodyNoCounter, v);
      const follow = params.trackUrl ? fill(t.common.follow, { url: params.trackUrl }) : null;
      return {
        kind: params.kind, language,
        subject: fill(t.called.subject, v),
        text: [body, ...(follow ? [follow] : []), '', footer].join('\n'),
        html: html([body], params.trackUrl ? { label: fill(t.common.follow, { url: '' }).replace(/[:\s]+$/, ''), url: params.trackUrl } : null, footer),
        sms: fill(hasCounter ? t.called.sms : t.called.smsNoCounter, v),
        push: { title: fill(t.called.title, v), body, url: params.trackUrl, tag: `ticket-${params.ticketNumber}` },
      };
    }
    case 'sms_reply':
      // An answer by SMS only; the other forms are filled so that the message reads the same wherever it shows.
      return {
        kind: params.kind, language, subject: params.text.slice(0, 60), text: params.text, html: html([params.text], null, footer), sms: params.text,
        push: { title: 'SmartQueue', body: params.text, url: null, tag: 'sms-reply' },
      };
    case 'visitor_code': {
      const v = { code: params.code, minutes: params.minutes };
      const body = fill(t.visitorCode.body, v);
      return {
        kind: params.kind, language,
        subject: fill(t.visitorCode.subject, v),
        text: [body, '', footer].join('\n'),
        html: html([body], null, footer),
        sms: fill(t.visitorCode.sms, v),
        push: { title: fill(t.visitorCode.subject, v), body, url: null, tag: 'visitor-code' },
      };
    }
    case 'booking_confirmation':
    case 'booking_reminder': {
      const texts = params.kind === 'booking_confirmation' ? t.bookingConfirmation : t.bookingReminder;
      const { date, time } = formatDateTime(params.startsAt, params.timeZone, language);
      const v = { service: localized(params.serviceName, language), branch: params.branchName, date, time, code: params.bookingCode };
      const body = fill(texts.body, v);
      const manage = params.url ? fill(t.common.manage, { url: params.url }) : null;
      return {
        kind: params.kind, language,
        subject: fill(texts.subject, v),
        text: [body, ...(manage ? [manage] : []), '', footer].join('\n'),
        html: html([body], params.url ? { label: fill(t.common.manage, { url: '' }).replace(/[:\s]+$/, ''), url: params.url } : null, footer),
        sms: fill(texts.sms, v),
        push: { title: fill(texts.title, v), body, url: params.url, tag: `booking-${params.bookingCode}` },
      };
    }
  }
}
