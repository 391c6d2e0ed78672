import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of the final pages land here (kept by CI as test output). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/** Debian's Chromium is installed by `.ci/run`; without it the browser tests are skipped with a note (and fail in CI). */
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine has no network but loopback: keep Chromium from reaching out at start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
