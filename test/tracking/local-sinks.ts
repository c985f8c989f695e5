// `npx tsx test/tracking/local-sinks.ts`: the notification sinks on this machine, for trying `npm run central` by
// hand (docs/notifications.md): an SMTP server that accepts every message, and the Orange SMS API simulator. Each
// message that arrives is printed. Ports: SMTP_SINK_PORT (2525), SMS_SIMULATOR_PORT (4010). With
// SMS_SIMULATOR_INBOUND_URL (central's inbound SMS URL, docs/remote.md), phones can text central:
// POST /__sim/inbound {"from":"+221…","message":"PLATEAU A"} on the simulator.
import { OrangeSmsSimulator } from '../../server/src/simulators/sms/orange-sms-simulator.js';
import { SmtpSink } from '../fixtures/smtp-sink.js';

const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 2525);
const smsPort = Number(process.env.SMS_SIMULATOR_PORT ?? 4010);
const time = () => new Date().toISOString().slice(11, 19);

const sms = await new OrangeSmsSimulator({
  port: smsPort,
  inboundUrl: process.env.SMS_SIMULATOR_INBOUND_URL || undefined,
  onMessage: (m) => console.log(`${time()} sms   → ${m.to}: ${m.message}`),
}).start();
const sink = await new SmtpSink().start(smtpPort);
let printed = 0;
const timer = setInterval(() => {
  for (const m of sink.messages.slice(printed)) console.log(`${time()} email → ${m.to.join(', ')}: ${m.subject} [${m.headers['content-language'] ?? '?'}]`);
  printed = sink.messages.length;
}, 200);

console.log(`Local notification sinks. Start central with:

  SMTP_URL=${sink.url} SMTP_FROM='SmartQueue <no-reply@localhost>' \\
  SMS_PROVIDER=orange ORANGE_SMS_BASE_URL=${sms.url} ORANGE_SMS_CLIENT_ID=${sms.clientId} \\
  ORANGE_SMS_CLIENT_SECRET=${sms.clientSecret} ORANGE_SMS_SENDER=tel:+2210000 ORANGE_SMS_SENDER_NAME=SmartQueue \\
  npm run central

${sms.inboundUrl ? `Phones text central (${sms.inboundUrl.replace(/key=[^&]*/, 'key=…')}) with:

  curl -s -X POST ${sms.url}/__sim/inbound -H 'content-type: application/json' -d '{"from":"+221771234567","message":"PLATEAU A"}'

` : ''}Messages appear below (Ctrl-C to stop).
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(timer);
    void Promise.all([sink.close(), sms.close()]).then(() => process.exit(0));
  });
}
