// `npm run central`: the central API. SQLite in ./data-central by default, PostgreSQL with DATABASE_URL.
// Environment: PORT (4000), HOST (0.0.0.0), DATABASE_URL, SMARTQUEUE_CENTRAL_DATA_DIR, SMARTQUEUE_CENTRAL_ADMIN_TOKEN;
// payments: the providers' variables, SMARTQUEUE_CENTRAL_PUBLIC_URL, SMARTQUEUE_PAYMENTS_DEMO=1 (docs/payments.md);
// tracking and notifications: SMTP_URL, VAPID_*, SMS_PROVIDER, ORANGE_SMS_*, SMARTQUEUE_TRACK_* (docs/notifications.md);
// phones: SMARTQUEUE_SMS_INBOUND_KEY, SMARTQUEUE_USSD_KEY (docs/remote.md).
import fs from 'node:fs';
import path from 'node:path';
import { createCentralServer } from './create-central-server.js';
import { trackingOptionsFromEnv } from './tracking/index.js';
import { centralPaymentsFromEnv } from './payments/payments-env.js';

const env = process.env;
const dataDir = path.resolve(env.SMARTQUEUE_CENTRAL_DATA_DIR ?? 'data-central');

const payments = await centralPaymentsFromEnv(env);
const server = await createCentralServer({
  port: Number(env.PORT ?? 4000),
  host: env.HOST ?? '0.0.0.0',
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir,
  adminToken: env.SMARTQUEUE_CENTRAL_ADMIN_TOKEN || undefined,
  payments: payments.options,
  tracking: trackingOptionsFromEnv(env),
  contactRetentionDays: env.SMARTQUEUE_CONTACT_RETENTION_DAYS ? Number(env.SMARTQUEUE_CONTACT_RETENTION_DAYS) : undefined,
  phone: { smsInboundKey: env.SMARTQUEUE_SMS_INBOUND_KEY || undefined, ussdKey: env.SMARTQUEUE_USSD_KEY || undefined },
});
payments.connect(server.payments);

const lines = ['', `SmartQueue central API: ${server.url}  (database: ${server.dialect})`];
if (server.firstStartAdminToken) {
  lines.push('', 'First start: the head-office admin token is shown once (set SMARTQUEUE_CENTRAL_ADMIN_TOKEN to choose your own):', `  ${server.firstStartAdminToken}`);
  if (server.dialect === 'sqlite') {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'first-start-admin-token.txt'), `${server.firstStartAdminToken}\n`, { mode: 0o600 });
    lines.push(`  (also saved to ${path.join(dataDir, 'first-start-admin-token.txt')}; delete it once noted)`);
  }
}
lines.push('', ...payments.describe(server.payments));
lines.push('', `Ticket tracking: ${server.tracking.publicUrl()}/t/<ticket id>  (connected branches print <their SMARTQUEUE_CENTRAL_URL>/t/ in QR codes; SMARTQUEUE_TRACK_URL overrides)`,
  `Notifications: ${server.tracking.notifier.enabledChannels().join(', ') || 'none configured'} (docs/notifications.md)`,
  `Phones (docs/remote.md): inbound SMS ${env.SMARTQUEUE_SMS_INBOUND_KEY ? `${server.url}/api/remote/sms/inbound?key=<SMARTQUEUE_SMS_INBOUND_KEY>` : 'off (SMARTQUEUE_SMS_INBOUND_KEY)'}, `
    + `USSD ${env.SMARTQUEUE_USSD_KEY ? `${server.url}/api/remote/ussd?key=<SMARTQUEUE_USSD_KEY>` : 'off (SMARTQUEUE_USSD_KEY)'}`);
console.log(lines.join('\n') + '\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => payments.close()).then(() => process.exit(0));
  });
}
