// `npx tsx test/remote/remote-demo.ts`: three visitors join a branch's line from afar (issue 18), on one machine,
// against the local simulators. It starts the Orange SMS simulator (the operator: it delivers the codes and answers
// central sends, and what phones text to central), a central (SQLite in a temp folder) with the SMS and USSD
// callbacks on, and a branch enrolled at it. Awa joins from the visitor site in Chromium at 390×844 with the
// one-time code the SMS brought; Moussa texts "PLATEAU A" and then "STATUT"; Fatou dials the USSD code on a phone
// without data. The transcript shows what each phone shows and what the branch's agents see (channel, not arrived).
// Screenshots go to test-artifacts/remote-demo/. Needs Chromium (SMARTQUEUE_CHROMIUM, default /usr/bin/chromium).
import type { TicketView } from '../../server/src/shared/contracts/api.js';
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { UssdSimulator } from '../../server/src/simulators/ussd/ussd-simulator.js';
import { artifactPath, launchBrowser } from '../support/browser.js';
import { startCentral, startSyncedBranch, waitFor } from '../support/central.js';
import { codeFromSms, smsAnswersTo, smsTracking } from '../support/visitor.js';

const SMS_KEY = 'demo-sms-key';
const USSD_KEY = 'demo-ussd-key';
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-SN' } as const;
const started = Date.now();
const say = (who: string, what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${who.padEnd(6)} ${what}`);

const sms = await new OrangeSmsSimulator().start();
const central = await startCentral('sqlite', { phone: { smsInboundKey: SMS_KEY, ussdKey: USSD_KEY }, tracking: smsTracking(sms) });
sms.inboundUrl = `${central.url}/api/remote/sms/inbound?key=${SMS_KEY}`;
const ussd = new UssdSimulator(`${central.url}/api/remote/ussd?key=${USSD_KEY}`);
const branch = await startSyncedBranch(central, { name: 'Agence Plateau', code: 'PLATEAU', region: 'Dakar', organization: { id: 'org-teranga', name: 'Banque Teranga', type: 'bank' } });
const browser = await launchBrowser();
try {
  say('setup', `central ${central.url} · branch ${branch.url} · Orange SMS simulator ${sms.url} · USSD callback ${ussd.callbackUrl.replace(/key=.*/, 'key=…')}`);
  // The demo's lines take tickets at any hour; one kiosk ticket in A, and the branch lets every remote join through
  // its hourly share (a quiet branch takes 2 an hour by default, docs/remote.md#limits).
  const kiosk = await branch.kioskToken();
  const lineA = (await branch.services()).find((s) => s.prefix === 'A');
  if (!lineA) throw new Error('the demo branch has no line A');
  await branch.api.issue(kiosk, { serviceId: lineA.id });
  const admin = await branch.login('admin');
  await branch.api.request('PATCH', '/api/admin/remote', { token: admin, body: { sharePercent: 100, minPerHour: 100 } });
  // Awa (the agent) opens counter 1: with no counter open, no wait is promised.
  const agent = await branch.login('awa');
  await branch.api.post(`/api/counters/${(await branch.counter(1)).id}/status`, { status: 'open' }, agent);
  await waitFor('the branch page with its lines', async () => (await (await fetch(`${central.url}/b/${branch.server.branchId}`)).text()).includes(`data-service="${lineA.id}"`));
  say('branch', `kiosk issued A001 in "${lineA.name.fr}", counter 1 is open; central has the branch's lines`);

  // 1. Awa, on the visitor site.
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const shot = (name: string) => page.screenshot({ path: artifactPath('remote-demo', `${name}.png`), fullPage: true });
  await page.goto(`${central.url}/`);
  await page.getByRole('link', { name: /^Dakar/ }).click();
  await page.getByRole('link', { name: 'Agence Plateau' }).click();
  await page.getByRole('heading', { name: 'Agence Plateau', level: 1 }).waitFor();
  const line = (await page.locator(`[data-service="${lineA.id}"]`).innerText()).replace(/\s+/g, ' ').trim();
  say('site', `Awa opens Dakar › Agence Plateau at 390×844: "${line}"`);
  await shot('1-branch');
  const before = sms.messages.length;
  await page.locator('#service').selectOption(lineA.id);
  await page.locator('#name').fill('Awa Diop');
  await page.locator('#phone').fill('77 123 45 67');
  await page.locator('#join button[type=submit]').click();
  await page.locator('#verify').waitFor();
  const code = await codeFromSms(sms, '+221771234567', before);
  say('sms', `→ +221771234567: ${sms.messages.slice(before).map((m) => m.message).join(' | ')}`);
  await page.locator('#code').fill(code);
  const asked = Date.now();
  await page.locator('#verify button[type=submit]').click();
  await page.getByTestId('ticket').waitFor({ timeout: 15_000 });
  say('site', `Awa types the code: ticket ${await page.locator('#num').textContent()}, position ${await page.locator('#pos').textContent()} (${Date.now() - asked} ms), tracking page ${await page.locator('#track').getAttribute('href')}`);
  await shot('2-ticket');

  // 2. Moussa texts the service number.
  // The answer to a message, told apart from the "your turn is near" SMS the same phone may get meanwhile.
  const texted = async (from: string, message: string) => {
    const { messageId } = await sms.sendFromPhone(from, message);
    const answer = await waitFor(`the answer to "${message}"`, async () => (await smsAnswersTo(central.server.db, sms, messageId))[0], 20_000);
    say('sms', `${from} texts "${message}" → ${answer.message}`);
  };
  await texted('+221772345678', 'plateau a');
  await texted('+221772345678', 'STATUT');

  // 3. Fatou dials the USSD code: French, branch by code, PLATEAU, line A, confirm.
  const session = ussd.session('+221773456789');
  const show = (choice: string, screen: { answer: string }) => say('ussd', `${choice.padEnd(9)} ${screen.answer.replace(/\n/g, ' / ')}`);
  show('*123#', await session.dial());
  for (const choice of ['1', '1', '1', 'PLATEAU', '1', '1']) show(choice, await session.choose(choice));

  // At the branch: the agents' list of the line, with each ticket's channel and whether its visitor is here.
  const tickets = await waitFor('the three remote tickets at the branch', async () => {
    const list = (await branch.api.get<TicketView[]>('/api/tickets', agent)).body;
    return Array.isArray(list) && list.filter((t) => t.channel !== 'kiosk').length >= 3 && list.filter((t) => t.status === 'waiting');
  });
  for (const t of tickets) say('agent', `${t.number} · ${t.channel} · ${t.arrivedAt ? 'arrivé' : 'pas encore arrivé'}${t.phone ? ` · ${t.phone}` : ''}`);
  say('done', 'screenshots in test-artifacts/remote-demo/');
} finally {
  await browser.close();
  await branch.destroy();
  await central.destroy();
  await sms.close();
}
