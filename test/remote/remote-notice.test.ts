// "Your turn is near" for a remote visitor (issue 18): a visitor who joined from afar is not in the hall, so central
// tells them as soon as the estimated wait is down to the time it takes to come, not only at the service's position.
// A real central (SQLite) and a real branch replicating to it, the Orange SMS simulator as the operator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { smsTracking } from '../support/visitor.js';

const SMS_KEY = 'sms-callback-secret';
/** A lead far longer than any wait of the test: every remote ticket with an estimate is "near". */
const LEAD_MINUTES = 600;

describe('"your turn is near" for remote visitors', () => {
  let central: TestCentral;
  let branch: SyncedBranch;
  let sms: OrangeSmsSimulator;

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    central = await startCentral('sqlite', { phone: { smsInboundKey: SMS_KEY }, tracking: { ...smsTracking(sms), notifyAtPosition: 3, remoteLeadMinutes: LEAD_MINUTES } });
    sms.inboundUrl = `${central.url}/api/remote/sms/inbound?key=${SMS_KEY}`;
    branch = await startSyncedBranch(central, { name: 'Agence Plateau', code: 'PLATEAU', region: 'Dakar' });
    const admin = await branch.login('admin');
    expect((await branch.api.request('PATCH', '/api/admin/remote', { token: admin, body: { sharePercent: 100, minPerHour: 100 } })).status).toBe(200);
  });
  afterAll(async () => {
    await branch?.destroy();
    await central?.destroy();
    await sms?.close();
  });

  const near = (phone: string) => sms.messages.filter((m) => m.to.replace(/^tel:/, '') === phone && m.message.includes('votre tour approche'));

  it('goes to a remote ticket far down the line once its wait is within the lead time; a walk-in behind the same position waits for its turn', async () => {
    // A counter open (else there is no estimate, and nothing is promised), eight walk-ins, the last with a phone.
    const agent = await branch.login('awa');
    expect((await branch.api.post(`/api/counters/${(await branch.counter(1)).id}/status`, { status: 'open' }, agent)).status).toBe(200);
    const kiosk = await branch.kioskToken();
    const lineA = await branch.service('A');
    for (let i = 0; i < 7; i++) expect((await branch.api.issue(kiosk, { serviceId: lineA.id })).status).toBe(201);
    const walkInPhone = '+221776660001';
    const walkIn = await branch.api.issue(kiosk, { serviceId: lineA.id, phone: walkInPhone, language: 'fr' });
    expect(walkIn.body.position).toBe(8);
    await waitFor('central to know line A', async () => {
      const rows = await central.server.db.selectFrom('branch_services').select('prefix').where('branch_id', '=', branch.server.branchId).execute();
      return rows.some((r) => r.prefix === 'A');
    });

    // The remote visitor texts to join: ninth in line, far past position 3.
    const remotePhone = '+221776660002';
    await sms.sendFromPhone(remotePhone, 'PLATEAU A');
    const joined = await waitFor('the join answer', () => sms.messages.find((m) => m.to.replace(/^tel:/, '') === remotePhone && /^Ticket A-\d{3}/.test(m.message)));
    expect(joined.message).toMatch(/position 9, attente env\. \d+ min/);

    const [notice] = await waitFor('"your turn is near" to the remote visitor', () => near(remotePhone).length > 0 && near(remotePhone));
    expect(notice?.message).toMatch(/^Ticket A-\d{3} : votre tour approche \(position 9\)/);
    // The walk-in at position 8 was in the same pass of the projector (it was pushed before the join), and gets
    // nothing until position 3.
    expect(near(walkInPhone)).toEqual([]);
  });
});
