// The layout's boundaries are lint rules (eslint.config.js); this test proves that each rule fires on an import that
// crosses it, and stays quiet on the allowed ones, so a change of the config cannot silently switch them off.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = x;\n`, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layout boundaries', () => {
  it.each([
    ['server/src/branch/tickets/x.ts', "import { x } from '../../central/ingest/ingest.js';", /branch code never imports central/],
    ['server/src/branch/x.ts', "import { x } from '../simulators/payments/index.js';", /never imports the simulators/],
    ['server/src/central/ingest/x.ts', "import { x } from '../../branch/tickets/ticket.repository.js';", /central code never imports branch/],
    ['server/src/central/payments/x.ts', "import { x } from '../../simulators/payments/index.js';", /never imports the simulators/],
    ['server/src/shared/contracts/x.ts', "import { x } from '../../branch/db/store.js';", /imports neither branch/],
    ['server/src/shared/http/x.ts', "import { x } from '../../central/db/schema.js';", /imports neither branch/],
    ['server/src/shared/domain/x.ts', "import { x } from 'node:fs';", /pure/],
    ['server/src/shared/domain/x.ts', "import { x } from 'better-sqlite3';", /pure/],
    ['server/src/shared/domain/x.ts', "import { x } from '../db/sqlite.js';", /pure/],
    ['server/src/simulators/sms/x.ts', "import { x } from '../../branch/tickets/ticket.service.js';", /simulators .* never import branch code/],
    ['server/src/branch/x.ts', "import { x } from 'electron';", /must not import electron/],
    ['kiosk-ui/src/x.tsx', "import { x } from '../../server/src/branch/tickets/ticket.service.js';", /screens import only server\/src\/shared/],
    ['ui-shared/x.ts', "import { x } from '../server/src/central/tracking/page.js';", /screens import only server\/src\/shared/],
  ])('%s: %s is refused', async (file, line, message) => {
    const messages = await restricted(file, line);
    expect(messages.length).toBe(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['server/src/branch/tickets/x.ts', "import { x } from '../../shared/domain/call-policy.js';"],
    ['server/src/branch/payments/x.ts', "import { x } from './central-client.js';"],
    ['server/src/central/ingest/x.ts', "import { x } from '../../shared/contracts/sync.js';"],
    ['server/src/central/main.ts', "import { x } from '../simulators/payments/index.js';"],
    ['server/src/central/payments/payments-env.ts', "import { x } from '../../simulators/payments/index.js';"],
    ['server/src/central/payments/providers/wave.test.ts', "import { x } from '../../../simulators/payments/wave-simulator.js';"],
    ['server/src/shared/domain/x.ts', "import { x } from '../contracts/domain.js';"],
    ['kiosk-ui/src/x.tsx', "import { x } from '../../server/src/shared/contracts/api.js';"],
  ])('%s: %s is allowed', async (file, line) => {
    expect(await restricted(file, line)).toEqual([]);
  });
});
