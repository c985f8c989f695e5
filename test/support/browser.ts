// Debian's Chromium driven by playwright-core (never a downloaded browser). SMARTQUEUE_CHROMIUM overrides the path.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SMARTQUEUE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Screenshots and other artifacts of browser tests land here (CI keeps the folder). */
export function artifactPath(...parts: string[]): string {
  const file = path.resolve('test-artifacts', ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
