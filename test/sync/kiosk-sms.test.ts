// The kiosk offers an SMS only when one can be sent: a standalone branch never (and prints no QR code: a phone on
// mobile data cannot reach the branch's network); a branch connected to central when central says, in each pull
// answer, that it has an SMS channel. The branch keeps the last answer in its database (a restart while central is
// out of reach keeps it: SMS are queued at central) and tells its kiosks over Socket.IO when it changes.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentralServer, type CentralServer } from '../../server/src/index.js';
import type { KioskConfig } from '../../server/src/shared/contracts/print.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { nextChange, startBranch, type TestBranch } from '../support/branch.js';
import { CENTRAL_ADMIN_TOKEN, startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';

describe('what the kiosk offers: an SMS only when central can send one, a QR code only when a phone can open it', () => {
  const sms = new OrangeSmsSimulator();
  let central: TestCentral;
  let again: CentralServer | null = null;
  let branch: SyncedBranch;
  let restarted: TestBranch | null = null;
  const config = async (b: TestBranch, token: string) => {
    const r = await b.api.get<KioskConfig>('/api/kiosk/config', token);
    expect(r.status).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    await sms.start();
    central = await startCentral('sqlite'); // no SMS channel configured
    branch = await startSyncedBranch(central, { printer: 'simulated' });
  });
  afterAll(async () => {
    await restarted?.destroy();
    await branch?.close();
    await again?.close();
    await central?.destroy();
    await sms.close();
  });

  it('a standalone branch offers no SMS and no QR code', async () => {
    const alone = await startBranch({ printer: 'simulated' });
    try {
      expect(await config(alone, await alone.kioskToken())).toEqual({ trackUrlBase: null, sms: false, printer: { configured: true, simulated: true } });
    } finally {
      await alone.destroy();
    }
  });

  it('a branch whose central has no SMS channel offers none; the QR code opens central\'s tracking page', async () => {
    const kiosk = await branch.kioskToken();
    await waitFor('a pull', async () => (await branch.api.get<{ sync: { lastSuccessAt: string | null } }>('/api/health')).body.sync.lastSuccessAt !== null);
    expect(await config(branch, kiosk)).toEqual({ trackUrlBase: `${central.url}/t/`, sms: false, printer: { configured: true, simulated: true } });
  });

  it('offers an SMS as soon as central has one (the kiosk is told live), and keeps it through a restart while central is away', async () => {
    const kiosk = await branch.kioskToken();
    const socket = await branch.socket(kiosk);
    const told = nextChange(socket, (c) => c.kioskChanged, 20_000);
    // Head office turns SMS on: central restarts on the same address and database with an SMS channel.
    const port = Number(new URL(central.url).port);
    await central.close();
    again = await createCentralServer({
      port, host: '127.0.0.1', databaseUrl: central.databaseUrl, adminToken: CENTRAL_ADMIN_TOKEN, poolSize: 5, logger: pino({ level: 'silent' }),
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' } } },
    });
    await told;
    expect((await config(branch, kiosk)).sms).toBe(true);

    // Central goes away and the branch restarts cut off: the kiosk still offers the SMS (queued at central later).
    await again.close();
    again = null;
    await branch.close();
    restarted = await startBranch({ dataDir: branch.dataDir, passwords: branch.passwords, printer: 'simulated', centralUrl: central.url, centralCredential: branch.credential });
    const status = (await restarted.api.get<{ sync: { online: boolean } }>('/api/health')).body.sync;
    expect(status.online).toBe(false);
    expect(await config(restarted, await restarted.kioskToken())).toMatchObject({ trackUrlBase: `${central.url}/t/`, sms: true });
  });
});
