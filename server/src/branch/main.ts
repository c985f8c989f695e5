// `npm start`: the branch server on an embedded SQLite database, demo data by default.
// All configuration comes from the environment (see README "Configuration").
import fs from 'node:fs';
import path from 'node:path';
import { createBranchServer } from './create-branch-server.js';
import { FolderLockedError } from '../shared/db/folder-lock.js';

const env = process.env;
const dataDir = path.resolve(env.SMARTQUEUE_DATA_DIR ?? 'data');
const demo = env.SMARTQUEUE_DEMO !== '0';

function paperWidth(value: string): 58 | 80 {
  if (value === '58' || value === '80') return Number(value) as 58 | 80;
  throw new Error(`SMARTQUEUE_PRINTER_PAPER must be 58 or 80 (mm), got "${value}"`);
}

const server = await createBranchServer({
  port: Number(env.PORT ?? 3000),
  host: env.HOST ?? '0.0.0.0',
  dataDir,
  demo,
  adminPassword: env.SMARTQUEUE_ADMIN_PASSWORD || undefined,
  printer: env.SMARTQUEUE_PRINTER || 'simulated',
  print: {
    paperWidth: env.SMARTQUEUE_PRINTER_PAPER ? paperWidth(env.SMARTQUEUE_PRINTER_PAPER) : undefined,
    codePage: env.SMARTQUEUE_PRINTER_CODEPAGE || undefined,
    timeoutMs: env.SMARTQUEUE_PRINTER_TIMEOUT_MS ? Number(env.SMARTQUEUE_PRINTER_TIMEOUT_MS) : undefined,
    logoPath: env.SMARTQUEUE_PRINTER_LOGO || undefined,
    footer: env.SMARTQUEUE_TICKET_FOOTER ?? undefined,
  },
  trackUrlBase: env.SMARTQUEUE_TRACK_URL || undefined,
  centralUrl: env.SMARTQUEUE_CENTRAL_URL || undefined,
  centralCredential: env.SMARTQUEUE_CENTRAL_CREDENTIAL || undefined,
  contactRetentionDays: env.SMARTQUEUE_CONTACT_RETENTION_DAYS ? Number(env.SMARTQUEUE_CONTACT_RETENTION_DAYS) : undefined,
}).catch((err: unknown) => {
  // Another server on this data folder: say which, plainly, without a stack trace.
  if (err instanceof FolderLockedError) {
    console.error(`SmartQueue cannot start: ${err.message}`);
    process.exit(1);
  }
  throw err;
});

const lines = [
  '',
  `SmartQueue branch server: ${server.url}`,
  `  Kiosk (borne):         ${server.url}/kiosk/`,
  `  Counter (guichet):     ${server.url}/agent/`,
  `  Call board (écran):    ${server.url}/display/`,
  `  API docs:              ${server.url}/api/docs`,
  `  Data:                  ${dataDir}`,
];
if (server.firstStartCredentials.length) {
  lines.push('', 'First start: these logins are shown once (also saved to first-start-logins.txt in the data folder; delete it once noted):');
  for (const c of server.firstStartCredentials) lines.push(`  ${c.role.padEnd(10)} ${c.login.padEnd(10)} ${c.password}`);
  fs.writeFileSync(path.join(dataDir, 'first-start-logins.txt'), server.firstStartCredentials.map((c) => `${c.role}\t${c.login}\t${c.password}`).join('\n') + '\n', { mode: 0o600 });
}
console.log(lines.join('\n') + '\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
