// Remote tickets from a basic phone (issue 18) with real servers: a real central and a real branch replicating, the
// Orange SMS simulator delivering what phones text (GSMA OneAPI inbound notifications) and receiving central's
// answers, and the USSD simulator playing aggregator sessions. Every answer a phone gets is one GSM-7 SMS/screen of
// at most 160 characters.
import Database from 'better-sqlite3';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gsm7Length } from '../../server/src/shared/domain/gsm7.js';
import { PHONE_TEXTS } from '../../server/src/central/remote/phone/phone-texts.js';
import { listDeliveries, notificationDb } from '../../server/src/central/notifications/index.js';
import { smsAnswersTo } from '../support/visitor.js';
import { OrangeSmsSimulator, type SimulatedSms } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { UssdSimulator } from '../../server/src/simulators/ussd/ussd-simulator.js';
import { startCentral, startSyncedBranch, waitFor, type SyncedBranch, type TestCentral } from '../support/central.js';
import { centralDialects } from '../support/postgres.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';
import type { SyncDetails } from '../../server/src/branch/sync/worker.js';

const dialects = await centralDialects();
const SMS_KEY = 'sms-callback-secret';
const USSD_KEY = 'ussd-callback-secret';

function branchTicket(branch: SyncedBranch, where: { id?: string; number?: string }): { id: string; number: string; channel: string; status: string; phone: string | null } | undefined {
  const db = new Database(path.join(branch.dataDir, 'branch.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, number, channel, status, phone FROM tickets WHERE id = ? OR number = ? ORDER BY issued_at DESC').get(where.id ?? '', where.number ?? '') as never;
  } finally {
    db.close();
  }
}

/** One SMS, one screen: GSM-7 and at most 160 characters. */
function expectOneSms(text: string): void {
  expect(gsm7Length(text), text).not.toBeNull();
  expect(gsm7Length(text) as number, text).toBeLessThanOrEqual(160);
}

describe.each(dialects)('joining from a phone: SMS and USSD (%s central)', (dialect) => {
  let central: TestCentral;
  let branch: SyncedBranch;
  let sms: OrangeSmsSimulator;
  let ussd: UssdSimulator;
  let proxy: FaultProxy;

  /** The answers central sent to one inbound message, as the phone received them (other SMS, "your turn is near"…, aside). */
  const answersTo = (messageId: string): Promise<SimulatedSms[]> => smsAnswersTo(central.server.db, sms, messageId);

  /** Text central from a phone and wait for its answer. */
  async function text(from: string, message: string): Promise<SimulatedSms> {
    const delivered = await sms.sendFromPhone(from, message);
    expect(delivered.status, delivered.answer).toBe(200);
    expect(JSON.parse(delivered.answer)).toEqual({ messageId: delivered.messageId, duplicate: false });
    const [answer] = await waitFor(`the answer to "${message}"`, async () => (await answersTo(delivered.messageId)).length > 0 && answersTo(delivered.messageId));
    expect(answer?.to).toBe(from);
    expectOneSms(answer?.message as string);
    return answer as SimulatedSms;
  }

  beforeAll(async () => {
    sms = await new OrangeSmsSimulator().start();
    central = await startCentral(dialect, {
      phone: { smsInboundKey: SMS_KEY, ussdKey: USSD_KEY },
      tracking: { channels: { sms: { baseUrl: sms.url, clientId: sms.clientId, clientSecret: sms.clientSecret, senderAddress: 'tel:+2210000' } }, delivery: { pollMs: 50 } },
    });
    sms.inboundUrl = `${central.url}/api/remote/sms/inbound?key=${SMS_KEY}`;
    ussd = new UssdSimulator(`${central.url}/api/remote/ussd?key=${USSD_KEY}`);
    // The branch reaches central through a link the last test cuts.
    proxy = await FaultProxy.start({ target: central.url, paths: ['/api/sync/'] });
    branch = await startSyncedBranch(central, { centralUrl: proxy.url, name: 'Agence Plateau', code: 'PLATEAU', region: 'Dakar' });
    // Lines A and C take tickets at any hour (a kiosk ticket each), and central knows the branch's lines.
    const kiosk = await branch.kioskToken();
    const services = await branch.services();
    for (const prefix of ['A', 'C']) {
      const s = services.find((x) => x.prefix === prefix);
      expect((await branch.api.issue(kiosk, { serviceId: s?.id as string })).status).toBe(201);
    }
    // Every remote ticket of the test is let through the branch's hourly share (the share is tested in remote-join).
    const admin = await branch.login('admin');
    expect((await branch.api.request('PATCH', '/api/admin/remote', { token: admin, body: { sharePercent: 100, minPerHour: 100 } })).status).toBe(200);
    await waitFor('central to know the branch’s lines', async () => {
      const rows = await central.server.db.selectFrom('branch_services').select('prefix').where('branch_id', '=', branch.server.branchId).execute();
      return rows.length >= 2;
    });
  });
  afterAll(async () => {
    await branch?.destroy();
    await proxy?.close();
    await central?.destroy();
    await sms?.close();
  });

  it('SMS: a join in French, its status, a duplicate delivery answered once, and a cancel', async () => {
    const phone = '+221771112233';
    const joined = await text(phone, '  plateau   a ');
    const m = /^Ticket (A-\d{3}) - Agence Plateau, Dépot \/ Retrait: position (\d+)(, attente env\. \d+ min)?\. Passez à l'accueil\. STATUT: position\. ANNULER: annuler\.$/.exec(joined.message);
    expect(m, joined.message).not.toBeNull();
    const [, display, position] = m as RegExpExecArray;
    const ticket = branchTicket(branch, { number: (display as string).replace('-', '') });
    expect(ticket).toMatchObject({ channel: 'sms', status: 'waiting', phone });
    const kiosk = await branch.kioskToken();
    expect((await branch.api.get<{ position: number }>(`/api/tickets/${ticket?.id}`, kiosk)).body.position).toBe(Number(position));

    // Orange delivers the same message again: answered once, one join, one ticket.
    const first = sms.inbound[sms.inbound.length - 1];
    const again = await sms.deliverAgain(first as NonNullable<typeof first>);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.answer)).toEqual({ messageId: first?.messageId, duplicate: true });
    await new Promise((r) => setTimeout(r, 400));
    expect(await answersTo(first?.messageId as string)).toHaveLength(1);
    expect(await listDeliveries(notificationDb(central.server.db), { eventKey: `sms_reply:${first?.messageId}` })).toHaveLength(1);
    const joins = await central.server.db.selectFrom('remote_joins' as never).select('id' as never).where('idempotency_key' as never, '=', `sms:${first?.messageId}` as never).execute();
    expect(joins).toHaveLength(1);

    const status = await text(phone, 'Statut');
    expect(status.message).toMatch(new RegExp(`^Ticket ${display} Agence Plateau: (position ${position}(, attente env\\. \\d+ min)?|vous passez au prochain appel)\\.$`));

    const cancelled = await text(phone, 'ANNULER');
    expect(cancelled.message).toBe(`Ticket ${display} - Agence Plateau annulé. Merci.`);
    expect(branchTicket(branch, { id: ticket?.id })?.status).toBe('cancelled');
    // Once central has the cancel from the branch, the phone holds no ticket.
    await waitFor('central to see the ticket cancelled', async () => {
      const t = await central.server.db.selectFrom('tickets').select('status').where('id', '=', ticket?.id as string).executeTakeFirst();
      return t?.status === 'cancelled';
    });
    expect((await text(phone, 'statut')).message).toBe(PHONE_TEXTS.fr.outcome.noTicket);
  });

  it('SMS: Wolof words get Wolof answers; unknown text gets the help, never silence', async () => {
    const phone = '+221772223344';
    const joined = await text(phone, 'Tike Plateau c');
    expect(joined.message).toMatch(/^Tike C-\d{3} - Agence Plateau, Yonnee xaalis\.: (\d+ nit ñoo la jiitu(, xaar bi: lu tollu ci \d+ minit)?|yaa ngi topp)\. Dem ca accueil ba\. ANA: sa tour\. NEENAL: neenal\.$/);
    expect(branchTicket(branch, { number: /C-\d{3}/.exec(joined.message)?.[0].replace('-', '') })).toMatchObject({ channel: 'sms' });
    expect((await text(phone, 'ana')).message).toMatch(/^Tike C-\d{3} Agence Plateau: /);
    // A bare "PLATEAU A" from this phone: its last language.
    expect((await text(phone, 'plateau a')).message).toMatch(/^Tike A-\d{3} - Agence Plateau, Denc \/ Génne xaalis: /);
    expect((await text(phone, 'Neenal')).message).toMatch(/^Am nga ay tike: PLATEAU C, PLATEAU A\. Bindal NEENAL \+ code \+ araf, ex: NEENAL PLATEAU C\.$/);

    expect((await text('+221773334455', 'Bonjour, je voudrais un ticket')).message).toBe(PHONE_TEXTS.fr.outcome.help);
    expect((await text('+221773334455', 'PLATEAU Z')).message).toBe('Agence Plateau: pas de service Z. Services: A, B, C, D. Ex: PLATEAU A.');
    expect((await text('+221773334455', 'DAKAR A')).message).toMatch(/^Agence DAKAR inconnue\./);
  });

  it('SMS: a callback without the key is refused and changes nothing', async () => {
    const replies = async () => (await listDeliveries(notificationDb(central.server.db), { limit: 10_000 })).filter((d) => d.kind === 'sms_reply').length;
    const before = await replies();
    const res = await fetch(`${central.url}/api/remote/sms/inbound?key=wrong`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inboundSMSMessageNotification: { inboundSMSMessage: { senderAddress: 'tel:+221774445566', message: 'PLATEAU A', messageId: randomUUID() } } }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    // The key is checked before the body: a bad body (or none, or not JSON, or a very long key) without the key is
    // 401 too, so a caller without the key learns nothing of what central expects; with the key, a bad body is 400.
    const post = (query: string, body: string) => fetch(`${central.url}/api/remote/sms/inbound${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (const [query, body] of [['', '{"nothing":1}'], ['?key=wrong', '{"nothing":1}'], ['?key=wrong', 'not json'], [`?key=${'x'.repeat(500)}`, '{}']] as const) {
      const bad = await post(query, body);
      expect(bad.status, `${query.slice(0, 20)} ${body}`).toBe(401);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    for (const body of ['{"nothing":1}', 'not json']) {
      const bad = await post(`?key=${SMS_KEY}`, body);
      expect(bad.status, body).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    }
    expect(await replies()).toBe(before);
  });

  it('USSD: a whole session to a ticket (replayed: the same ticket), then a cancel', async () => {
    const phone = '+221775556677';
    const sessionId = randomUUID();
    const screens = await ussd.play(phone, ['1', '1', '1', 'plateau', '1', '1'], sessionId);
    for (const s of screens) expectOneSms(s.answer);
    expect(screens.map((s) => s.answer.split('\n')[0])).toEqual([
      'CON SmartQueue', 'CON SmartQueue', 'CON Agence:', "CON Code de l'agence (ex: PLATEAU):", 'CON Agence Plateau - service:', 'CON Ticket Dépot / Retrait, Agence Plateau ?', expect.stringMatching(/^END Ticket A-\d{3} - Agence Plateau, Dépot \/ Retrait: /),
    ]);
    const last = screens[screens.length - 1]?.answer as string;
    const display = /A-\d{3}/.exec(last)?.[0] as string;
    expect(branchTicket(branch, { number: display.replace('-', '') })).toMatchObject({ channel: 'ussd', status: 'waiting', phone });
    // The network replays the session: the same screens, the same ticket.
    const replayed = await ussd.play(phone, ['1', '1', '1', 'plateau', '1', '1'], sessionId);
    expect(replayed[replayed.length - 1]?.answer).toMatch(new RegExp(`^END Ticket ${display} `));

    // By region, in English, in another session: my ticket, then cancel it.
    const mine = await ussd.play(phone, ['3', '2']);
    expect(mine[mine.length - 1]?.answer).toMatch(new RegExp(`^END Ticket ${display} Agence Plateau: `));
    const cancel = await ussd.play(phone, ['3', '3', '1']);
    for (const s of cancel) expectOneSms(s.answer);
    expect(cancel[2]?.answer).toBe(`CON Cancel ticket ${display} (Agence Plateau)?\n1 Yes\n2 No`);
    expect(cancel[3]?.answer).toBe(`END Ticket ${display} - Agence Plateau cancelled. Thank you.`);
    expect(branchTicket(branch, { number: display.replace('-', '') })?.status).toBe('cancelled');

    // By region to line C, in Wolof.
    const byRegion = await ussd.play(phone, ['2', '1', '2', '1', '1', '3', '1']);
    for (const s of byRegion) expectOneSms(s.answer);
    expect(byRegion.map((s) => s.answer.split('\n')[0])).toEqual([
      'CON SmartQueue', 'CON SmartQueue', 'CON Ajaans:', 'CON Diiwaan:', 'CON Ajaans:', 'CON Agence Plateau - sarwiis:', 'CON Tike Yonnee xaalis ak Mobile., Agence Plateau?', expect.stringMatching(/^END Tike C-\d{3} - Agence Plateau, Yonnee xaalis\.: /),
    ]);
    const form = (query: string, body: string) => fetch(`${central.url}/api/remote/ussd${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await form('', 'sessionId=x&phoneNumber=%2B221775556677&text=')).status).toBe(401);
    // The key before the body: a bad body without the key is 401, with the key 400.
    expect((await form('?key=wrong', 'nothing=1')).status).toBe(401);
    expect((await form('', '')).status).toBe(401);
    expect((await form(`?key=${USSD_KEY}`, 'nothing=1')).status).toBe(400);
  });

  it('USSD: a branch slow to answer gets the session an honest "no answer yet" before the aggregator drops it', async () => {
    const phone = '+221774443322';
    const sessionId = randomUUID();
    // The branch takes the join (over the live link) but its answer is held on the way to central.
    proxy.hold('before', (body) => body.includes('"outcome":"issued"'));
    let screens: Awaited<ReturnType<UssdSimulator['play']>>;
    const started = Date.now();
    try {
      screens = await ussd.play(phone, ['1', '1', '1', 'plateau', '1', '1'], sessionId);
    } finally {
      proxy.release();
    }
    const waited = Date.now() - started;
    const last = screens[screens.length - 1]?.answer as string;
    expectOneSms(last);
    expect(last).toBe('END Demande transmise à Agence Plateau, pas encore de réponse. Dans une minute, rappelez et choisissez 2 (Mon ticket).');
    // A USSD join waits 2 s to be taken and 1.5 s more for the answer (a web join 3 s + 5 s): the last screen came
    // after the USSD budget, well before the web one would have ended.
    const row = await central.server.db.selectFrom('remote_joins' as never).select(['created_at', 'deadline_at', 'channel'] as never)
      .where('idempotency_key' as never, 'like', 'ussd:%' as never).where('phone' as never, '=', phone as never).executeTakeFirstOrThrow() as { created_at: string; deadline_at: string; channel: string };
    expect(row.channel).toBe('ussd');
    expect(Date.parse(row.deadline_at) - Date.parse(row.created_at)).toBe(2_000);
    expect(waited).toBeGreaterThanOrEqual(3_400);
    expect(waited).toBeLessThan(8_000);
    // The answer was only late: dialling again, "my ticket" shows the ticket the branch issued.
    const issued = await waitFor('the held answer recorded', async () => {
      const mine = await ussd.play(phone, ['1', '2']);
      const answer = mine[mine.length - 1]?.answer ?? '';
      return /^END Ticket A-\d{3} /.test(answer) && answer;
    });
    const display = /A-\d{3}/.exec(issued)?.[0] as string;
    expect(branchTicket(branch, { number: display.replace('-', '') })).toMatchObject({ channel: 'ussd', status: 'waiting', phone });
    // The session replayed by the network gives that same ticket, not a second one.
    const replayed = await ussd.play(phone, ['1', '1', '1', 'plateau', '1', '1'], sessionId);
    expect(replayed[replayed.length - 1]?.answer).toMatch(new RegExp(`^END Ticket ${display} `));
  });

  it('a cancel while the branch is cut off: a clear answer, and nothing is cancelled when it comes back', async () => {
    const phone = '+221776667788';
    const joined = await text(phone, 'PLATEAU A');
    const display = /A-\d{3}/.exec(joined.message)?.[0] as string;
    const supervisor = await branch.login('aminata');
    const link = async () => (await branch.api.get<SyncDetails>('/api/sync/status', supervisor)).body.link?.connected;
    proxy.setDown(true);
    await waitFor('the link seen down', async () => (await link()) === false);
    expect((await text(phone, 'annuler')).message).toBe(`Agence Plateau est injoignable: ticket ${display} pas annulé. Réessayez plus tard.`);
    proxy.setDown(false);
    await waitFor('the link back', async () => (await link()) === true, 20_000);
    expect((await branch.api.post<{ ok: boolean }>('/api/sync/run', {}, supervisor)).body.ok).toBe(true);
    expect(branchTicket(branch, { number: display.replace('-', '') })?.status).toBe('waiting');
    // Asked again with the branch back: cancelled.
    expect((await text(phone, 'annuler')).message).toBe(`Ticket ${display} - Agence Plateau annulé. Merci.`);
    expect(branchTicket(branch, { number: display.replace('-', '') })?.status).toBe('cancelled');
  });
});
