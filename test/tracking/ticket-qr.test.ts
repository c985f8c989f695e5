// The QR code printed on a ticket opens the tracking page: a branch connected to central prints (on a network
// printer played by a real TCP server) a QR code whose link is central's /t/<ticket id> unless SMARTQUEUE_TRACK_URL
// says otherwise, the kiosk screen gets the same base, and that link serves the ticket's page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_STRINGS } from '../../server/src/central/tracking/page.js';
import { commandsOf, decodeEscPos } from '../fixtures/escpos-decoder.js';
import { FakePrinter } from '../fixtures/fake-printer.js';
import { waitFor } from '../support/central.js';
import { issue, startTrackingWorld, waitForView, type TrackingWorld } from './support.js';

describe('the ticket\'s QR code', () => {
  const printer = new FakePrinter();
  let w: TrackingWorld;

  beforeAll(async () => {
    await printer.start();
    w = await startTrackingWorld('sqlite', { printer: printer.spec });
  });
  afterAll(async () => {
    await w?.close();
    await printer.close();
  });

  it('opens central\'s tracking page of that ticket', async () => {
    const config = await w.branch.api.get<{ trackUrlBase: string; sms: boolean }>('/api/kiosk/config', w.kiosk);
    expect(config.body.trackUrlBase).toBe(`${w.central.url}/t/`);
    // This central sends SMS (startTrackingWorld configures the channel): the kiosk offers it.
    await waitFor('the branch to know central sends SMS', async () => (await w.branch.api.get<{ sms: boolean }>('/api/kiosk/config', w.kiosk)).body.sms);

    const id = await issue(w, { language: 'wo' });
    const printed = await w.branch.api.post<{ ok: boolean }>(`/api/tickets/${id}/print`, {}, w.kiosk);
    expect(printed.status).toBe(200);
    const [job] = await printer.waitForJobs(1);
    const qr = commandsOf(decodeEscPos(job as Buffer, { chineseByDefault: true }), 'qrStore').map((c) => c.data);
    expect(qr).toEqual([`${w.central.url}/t/${id}`]);

    await waitForView(w, id, 'the ticket at central', (v) => v.position === 1);
    const page = await fetch(qr[0] as string, { headers: { 'accept-language': 'fr-FR' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    // In the ticket's language (Wolof), with its number.
    expect(html).toMatch(/<html lang="wo">/);
    expect(html).toContain(`<title>${PAGE_STRINGS.wo.title} · A-001</title>`);
  });
});
