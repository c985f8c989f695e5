// Builds screens for browser tests into a temporary folder laid out like the repository (<name>-ui/dist), to pass
// as createBranchServer's uiRoot: a test always runs against the code as it is now, not against a stale dist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ScreenName = 'kiosk' | 'agent' | 'display' | 'office';

export async function buildScreens(names: ScreenName[]): Promise<{ uiRoot: string; remove(): void }> {
  const uiRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sq-ui-'));
  // Vitest sets NODE_ENV=test, which would give React's development build (and JSX): test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    for (const name of names) {
      await build({
        configFile: path.join(REPO_ROOT, `${name}-ui`, 'vite.config.ts'),
        build: { outDir: path.join(uiRoot, `${name}-ui`, 'dist'), emptyOutDir: true },
        logLevel: 'error',
      });
    }
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return { uiRoot, remove: () => fs.rmSync(uiRoot, { recursive: true, force: true }) };
}
