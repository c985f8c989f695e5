import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/contracts/domain.js';
import { fill, formatDateTime, NOTIFICATION_TEXTS, renderNotification } from './templates.js';
import type { NotificationParams } from './types.js';

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)).sort();
}

const samples: NotificationParams[] = [
  { kind: 'turn_near', ticketNumber: 'A042', position: 3, waitMinutes: 9, branchName: 'Agence Plateau', trackUrl: 'https://suivi.example.sn/t/abc' },
  { kind: 'turn_near', ticketNumber: 'A042', position: 1, waitMinutes: 2, branchName: 'Agence Plateau', trackUrl: null },
  { kind: 'called', ticketNumber: 'B007', counterNumber: 4, branchName: 'Agence Plateau', trackUrl: 'https://suivi.example.sn/t/abc' },
  { kind: 'called', ticketNumber: 'B007', counterNumber: null, branchName: 'Agence Plateau', trackUrl: null },
  {
    kind: 'booking_confirmation', serviceName: { fr: 'Ouverture de compte', wo: 'Ubbi kont', en: 'Account opening' }, branchName: 'Agence Plateau',
    startsAt: '2025-03-12T09:30:00Z', timeZone: 'Africa/Dakar', bookingCode: 'K7P2QX', url: 'https://suivi.example.sn/b/K7P2QX',
  },
  { kind: 'booking_reminder', serviceName: 'Dépôt', branchName: 'Agence Plateau', startsAt: '2025-03-12T09:30:00Z', timeZone: 'Africa/Dakar', bookingCode: 'K7P2QX', url: null },
  { kind: 'visitor_code', code: '042917', minutes: 10 },
];

describe('notification templates', () => {
  it('have the same keys in fr, wo and en', () => {
    expect(keys(NOTIFICATION_TEXTS.wo)).toEqual(keys(NOTIFICATION_TEXTS.fr));
    expect(keys(NOTIFICATION_TEXTS.en)).toEqual(keys(NOTIFICATION_TEXTS.fr));
  });

  it('render every kind in every language with nothing left unfilled', () => {
    for (const params of samples) {
      for (const lang of LANGUAGES) {
        const m = renderNotification(params, lang);
        for (const s of [m.subject, m.text, m.html, m.sms, m.push.title, m.push.body]) {
          expect(s).not.toMatch(/\{\{|\}\}|undefined|null/);
          expect(s.length).toBeGreaterThan(5);
        }
        expect(m.language).toBe(lang);
        expect(m.kind).toBe(params.kind);
        // One or two SMS segments at most (70 UCS-2 characters each).
        expect(m.sms.length).toBeLessThanOrEqual(140);
      }
    }
  });

  it('speaks each recipient\'s language', () => {
    const called = samples[2] as NotificationParams;
    expect(renderNotification(called, 'fr').push.body).toBe('Ticket B-007 : présentez-vous au guichet 4.');
    expect(renderNotification(called, 'wo').push.body).toBe('Tike B-007: demal ca guichet 4.');
    expect(renderNotification(called, 'en').push.body).toBe('Ticket B-007: please go to counter 4.');
    const near = samples[0] as NotificationParams;
    expect(renderNotification(near, 'wo').sms).toBe('Tike A-042: sa tour jege na, 2 nit rekk ñoo la jiitu. Dellusil ca Agence Plateau.');
    expect(renderNotification(near, 'fr').text).toContain('position 3');
    expect(renderNotification(near, 'fr').text).toContain('Suivre mon ticket : https://suivi.example.sn/t/abc');
    expect(renderNotification(samples[1] as NotificationParams, 'en').push.body).toContain('you are next');
    const booking = renderNotification(samples[4] as NotificationParams, 'wo');
    expect(booking.subject).toBe('Dëggal nañu sa ndaje – Àllarba 12 Mars ci 9:30');
    expect(booking.text).toContain('Ubbi kont');
    expect(renderNotification(samples[4] as NotificationParams, 'en').text).toContain('Account opening');
  });

  it('shows times in the branch\'s time zone', () => {
    expect(formatDateTime('2025-03-12T09:30:00Z', 'Africa/Dakar', 'fr')).toEqual({ date: 'mercredi 12 mars', time: '9 h 30' });
    expect(formatDateTime('2025-03-16T23:05:00Z', 'Africa/Dakar', 'wo')).toEqual({ date: 'Dibéer 16 Mars', time: '23:05' });
    expect(formatDateTime('2025-03-12T09:30:00Z', 'Europe/Paris', 'en')).toEqual({ date: 'Wednesday 12 March', time: '10:30' });
  });

  it('escapes HTML and refuses a missing placeholder', () => {
    const m = renderNotification({ kind: 'called', ticketNumber: '<b>X</b>', counterNumber: 1, branchName: 'A & B', trackUrl: null }, 'fr');
    expect(m.html).toContain('&lt;b&gt;X&lt;/b&gt;');
    expect(m.html).not.toContain('<b>X');
    expect(() => fill('Ticket {{number}}', {})).toThrow(/\{\{number\}\}/);
  });
});
