import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './environment.js';

const DASHBOARD_INDEX = fileURLToPath(new URL('../../apps/dashboard/dist/index.html', import.meta.url));

/** Where browser tests save their screenshots (created on first use). */
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Browser tests serve the built dashboard: fail with the fix when it is missing. */
export function assertDashboardBuilt(): void {
  if (!existsSync(DASHBOARD_INDEX))
    throw new Error('The dashboard is not built: run `npm run build -w @paygate/dashboard` (or `npm test`, which builds first).');
}

/**
 * The system's Chromium, headless. The background-networking flags matter here: without them
 * Chromium keeps trying to reach Google's hosts, which this sandbox refuses.
 */
export function launchChromium(): Promise<Browser> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
