// The branch page's booking form for each set of channels central can send codes by: a phone (SMS) and an e-mail
// address (e-mail) as a choice with the phone first, the one channel alone, and neither (booking said impossible here,
// no form, no script). Rendering only: the flows themselves run in test/e2e/visitor-site.test.ts.
import { describe, expect, it } from 'vitest';
import { esc, SITE_STRINGS } from './html.js';
import { renderBranch, type BranchPageData } from './site.js';

const data: BranchPageData = {
  branch: { id: 'br-1', name: 'Agence Plateau', region: 'Dakar', organization: { id: 'org-1', name: 'Banque Teranga', type: 'bank' } },
  freshness: { dataAsOf: '2026-12-28T09:59:50.000Z', ageSeconds: 10, stale: false, reason: null },
  timeZone: 'Africa/Dakar',
  hours: { openNow: true, nextOpening: null, closure: null },
  services: [{ id: 'svc-a', prefix: 'A', name: { fr: 'Caisse', wo: 'Kees', en: 'Cash desk' }, waiting: 2, waitMinutes: 6, noCounter: false, openNow: true }],
  booking: {
    timeZone: 'Africa/Dakar', days: [{ date: '2026-12-29', firstAt: '2026-12-29T09:00:00.000Z' }], day: null,
    services: [{ id: 'svc-a', name: { fr: 'Caisse', wo: 'Kees', en: 'Cash desk' }, slots: ['2026-12-29T09:00:00.000Z'] }],
  },
};
const S = SITE_STRINGS.fr;

describe("the branch page's booking form", () => {
  it('offers a phone or an e-mail address, phone first, when central sends both', () => {
    const html = renderBranch(data, 'fr', { smsEnabled: true, emailEnabled: true });
    expect(html).toMatch(/<input type="radio" name="via" value="sms" checked>[^<]*<\/label><label><input type="radio" name="via" value="email">/);
    expect(html).toContain('id="bookPhone"');
    expect(html).toContain('<div id="bookEmailField" hidden>');
    expect(html).toContain(`id="bookCode">${esc(S.bookButton)}<`);
    expect(html).toContain('id="join"');
  });

  it('asks for an e-mail address alone when central sends e-mail but no SMS (and offers no join)', () => {
    const html = renderBranch(data, 'en', { smsEnabled: false, emailEnabled: true });
    expect(html).not.toContain('name="via"');
    expect(html).not.toContain('id="bookPhone"');
    expect(html).toContain('<div id="bookEmailField"><label for="bookEmail">');
    expect(html).toContain(`id="bookCode">${esc(SITE_STRINGS.en.sendCodeEmail)}<`);
    expect(html).toContain('data-via="email"');
    expect(html).not.toContain('id="join"');
    expect(html).toContain(esc(SITE_STRINGS.en.noSms));
    // The shared verify step and the script are there for the booking.
    expect(html).toContain('id="verify"');
    expect(html).toContain('/site.js');
  });

  it('keeps the phone alone when central sends SMS but no e-mail', () => {
    const html = renderBranch(data, 'fr', { smsEnabled: true, emailEnabled: false });
    expect(html).not.toContain('name="via"');
    expect(html).not.toContain('id="bookEmail"');
    expect(html).toContain('id="bookPhone"');
  });

  it('says booking is not possible here when central can send neither, with no form and no script', () => {
    for (const lang of ['fr', 'wo', 'en'] as const) {
      const html = renderBranch(data, lang, { smsEnabled: false, emailEnabled: false });
      expect(html).toContain(esc(SITE_STRINGS[lang].noBook));
      expect(html).not.toContain('<form id="book"');
      expect(html).not.toContain('/site.js');
    }
  });
});
