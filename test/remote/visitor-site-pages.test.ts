// The visitor site's pages (issue 18) from a real central, without a browser: French by default and Wolof or English
// on demand (every key in all three, checked by the type of the locale files), a branch central never heard from
// said so (no figures, no join offered), no join offered without an SMS channel (said so), an unknown branch a 404
// page, a search that ignores accents and case, and gzip. The browser test is test/e2e/visitor-site.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_STRINGS } from '../../server/src/central/site/site.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { startCentral, type TestCentral } from '../support/central.js';
import { smsTracking } from '../support/visitor.js';

/** As the page writes text (HTML-escaped). */
const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const page = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, html: await res.text(), type: res.headers.get('content-type') };
};

describe('visitor site pages', () => {
  let central: TestCentral;
  let sms: OrangeSmsSimulator;
  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    central = await startCentral('sqlite', { tracking: smsTracking(sms) });
    await central.enrol('br-thies', 'Agence Thiès Escale', { id: 'org-h', name: 'Hôpital Régional', type: 'hospital' }, 'Thiès');
  });
  afterAll(async () => {
    await central?.destroy();
    await sms?.close();
  });

  it('speaks French by default, Wolof and English on demand, and finds a branch by region or by name', async () => {
    const home = await page(`${central.url}/`);
    expect(home.status).toBe(200);
    expect(home.type).toContain('text/html');
    expect(home.html).toContain('<html lang="fr">');
    expect(home.html).toContain(esc(SITE_STRINGS.fr.homeTitle));
    expect(home.html).toContain('Thiès');
    expect((await page(`${central.url}/?lang=wo`)).html).toContain(esc(SITE_STRINGS.wo.homeTitle));
    expect((await page(`${central.url}/`, { 'accept-language': 'en-GB,en;q=0.8' })).html).toContain(esc(SITE_STRINGS.en.homeTitle));
    const region = await page(`${central.url}/?region=${encodeURIComponent('Thiès')}`);
    expect(region.html).toContain(esc(SITE_STRINGS.fr.types.hospital));
    expect(region.html).toContain('href="/b/br-thies"');
    // Accents and case aside.
    expect((await page(`${central.url}/?q=THIES`)).html).toContain('href="/b/br-thies"');
    expect((await page(`${central.url}/?q=nowhere`)).html).toContain(esc(SITE_STRINGS.fr.noResult));
    expect((await page(`${central.url}/?region=Atlantis`)).status).toBe(400);
  });

  it('says a branch never heard from has no figures and offers no join; an unknown branch is a 404 page', async () => {
    const b = await page(`${central.url}/b/br-thies?lang=en`);
    expect(b.status).toBe(200);
    expect(b.html).toContain(esc(SITE_STRINGS.en.neverSynced));
    expect(b.html).toContain(esc(SITE_STRINGS.en.offline));
    expect(b.html).not.toContain('id="join"');
    const none = await page(`${central.url}/b/no-such-branch`);
    expect(none.status).toBe(404);
    expect(none.html).toContain(esc(SITE_STRINGS.fr.branchUnknown));
    // Compressed for 3G.
    const res = await fetch(`${central.url}/b/br-thies`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${central.url}/site.js`)).status).toBe(200);
  });

  it('offers no join, and says why, when central cannot send SMS', async () => {
    const noSms = await startCentral('sqlite');
    try {
      await noSms.enrol('br-1', 'Agence Médina');
      const b = await page(`${noSms.url}/b/br-1`);
      expect(b.html).toContain(esc(SITE_STRINGS.fr.noSms));
      expect(b.html).not.toContain('id="join"');
    } finally {
      await noSms.destroy();
    }
  });
});
