import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Paygate, PaygateApiError } from '@paygate/sdk';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { createTestServer, TestClock, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
const REAUTH_WINDOW_SECONDS = 300;
// The SDK signs with the real time while the server checks against the test clock, which this
// test moves past the re-auth window twice; a wide signature window keeps those signatures valid.
const SIGNATURE_WINDOW_SECONDS = 3600;

interface DownloadedKeyFile {
  readonly keyId: string;
  readonly bpId: string;
  readonly privateKey: string;
  readonly baseUrl: string;
}

function isDownloadedKeyFile(value: unknown): value is DownloadedKeyFile {
  if (typeof value !== 'object' || value === null) return false;
  const file: Record<string, unknown> = { ...value };
  return ['keyId', 'bpId', 'privateKey', 'baseUrl'].every((field) => typeof file[field] === 'string');
}

/** The SDK's error code for a failed call, or 'ok'. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error: unknown) {
    if (error instanceof PaygateApiError) return error.code;
    throw error;
  }
}

describe.skipIf(!HAS_CHROMIUM)('KeyPair and IP allowlist in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let keyDir: string;
  // Signing up counts as a fresh identity check; the clock lets the test outlast that window.
  const clock = new TestClock();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    server = await createTestServer('pglite', {
      dashboard: true,
      clock,
      reauthWindowSeconds: REAUTH_WINDOW_SECONDS,
      signatureWindowSeconds: SIGNATURE_WINDOW_SECONDS,
    });
    baseUrl = await server.listen();
    keyDir = mkdtempSync(join(tmpdir(), 'paygate-keyfiles-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    // The downloaded files hold private keys; do not leave them in /tmp.
    if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true });
  });

  async function newPage(errors: string[]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Uncaught exceptions in the page would mean a broken screen even if the assertions pass.
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  /** Click "Download key file", keep the download and read it back as the SDK will. */
  async function downloadKeyFile(page: Page, panel: Locator): Promise<{ path: string; file: DownloadedKeyFile }> {
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download key file' }).click()]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^paygate-kp_[0-9a-z]{26}\.json$/);
    const path = join(keyDir, name);
    await download.saveAs(path);
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isDownloadedKeyFile(parsed)) throw new Error(`The downloaded key file lacks keyId, bpId, privateKey or baseUrl: ${name}`);
    expect(name).toBe(`paygate-${parsed.keyId}.json`);
    expect(parsed.privateKey).toContain('-----BEGIN PRIVATE KEY-----');
    expect(parsed.baseUrl).toBe(baseUrl);
    return { path, file: parsed };
  }

  const sdk = (keyFilePath: string) => Paygate.fromKeyFile(keyFilePath, { baseUrl: server.url, maxRetries: 0 });

  async function confirmIdentity(page: Page): Promise<void> {
    const confirm = page.getByRole('dialog', { name: "Confirm it's you" });
    await confirm.waitFor();
    await confirm.getByLabel('Password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await confirm.waitFor({ state: 'detached' });
  }

  it('leads a new owner to generate a KeyPair, refreshes it, and limits it by IP', { timeout: 90_000 }, async () => {
    const errors: string[] = [];
    const stamp = Date.now().toString(36);
    const owner = { name: 'Kim Keyholder', email: `keys.${stamp}@example.com` };
    const page = await newPage(errors);

    // ── 1. Sign up: the new owner lands on the KeyPair page's onboarding ─────
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Business name').fill(`Keyholders ${stamp}`);
    await page.getByRole('button', { name: 'Create account' }).click();

    const onboarding = page.getByRole('region', { name: 'Generate your first Secondary KeyPair' });
    await onboarding.waitFor();
    expect(new URL(page.url()).pathname).toBe('/developers/keypair');
    expect(await page.getByRole('heading', { name: 'KeyPair', level: 1 }).isVisible()).toBe(true);
    expect(await onboarding.getByRole('button', { name: 'Use my own public key' }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Active KeyPair' }).count()).toBe(0);
    const session: unknown = await (await page.request.get(`${baseUrl}/api/session`)).json();
    const bpId = typeof session === 'object' && session !== null && 'activeBpId' in session ? session.activeBpId : null;
    expect(bpId).toMatch(/^bp_/);

    // ── 2. Generate: the private key is shown once; download the key file ───
    await onboarding.getByRole('button', { name: 'Generate KeyPair' }).click();
    const secretPanel = page.getByRole('region', { name: 'Save your private key' });
    await secretPanel.waitFor();
    expect(await secretPanel.textContent()).toContain('Paygate does not store the private key');
    const first = await downloadKeyFile(page, secretPanel);
    expect(first.file.bpId).toBe(bpId);
    expect(await secretPanel.getByLabel('Private key').inputValue()).toBe(first.file.privateKey);
    expect(await secretPanel.locator('pre').textContent()).toContain(`Paygate.fromKeyFile('./paygate-${first.file.keyId}.json')`);

    // ── 3. The SDK authenticates with the downloaded file ────────────────────
    expect(await sdk(first.path).me()).toMatchObject({ bpId, keyId: first.file.keyId });

    // ── 4. "I have saved it" removes the secret; the active key card remains ─
    await secretPanel.getByRole('button', { name: 'I have saved it' }).click();
    await secretPanel.waitFor({ state: 'detached' });
    const activeCard = page.getByRole('region', { name: 'Active KeyPair' });
    expect(await activeCard.getByTestId('active-key-id').textContent()).toBe(first.file.keyId);
    expect(await activeCard.textContent()).toContain('Generated by Paygate');
    expect(await page.getByLabel('Private key').count()).toBe(0);
    expect(await page.content()).not.toContain('BEGIN PRIVATE KEY');

    // ── 5. Refresh once the log-in is no longer recent: confirm, then re-authenticate ──
    clock.advance(REAUTH_WINDOW_SECONDS + 1);
    await activeCard.getByRole('button', { name: 'Refresh KeyPair' }).click();
    const refreshDialog = page.getByRole('dialog', { name: 'Refresh the KeyPair?' });
    await refreshDialog.waitFor();
    expect(await refreshDialog.textContent()).toContain(
      `The current KeyPair ${first.file.keyId} stops working immediately, on every server. Every backend using it must load the new key.`,
    );
    const refreshButton = refreshDialog.getByRole('button', { name: 'Refresh KeyPair' });
    expect(await refreshButton.isDisabled()).toBe(true);
    await refreshDialog.getByRole('checkbox').check();
    await refreshButton.click();
    await confirmIdentity(page);
    await refreshDialog.waitFor({ state: 'detached' });
    await secretPanel.waitFor();
    const second = await downloadKeyFile(page, secretPanel);
    expect(second.file.keyId).not.toBe(first.file.keyId);

    // ── 6. The old key is refused at once, the new one works, history shows the old ──
    expect(await codeOf(sdk(first.path).me())).toBe('key_revoked');
    expect(await sdk(second.path).me()).toMatchObject({ bpId, keyId: second.file.keyId });

    await secretPanel.getByRole('button', { name: 'I have saved it' }).click();
    await secretPanel.waitFor({ state: 'detached' });
    await expect.poll(() => activeCard.getByTestId('active-key-id').textContent()).toBe(second.file.keyId);
    const history = page.getByRole('region', { name: 'History' });
    const oldRow = history.getByRole('row').filter({ hasText: first.file.keyId });
    await oldRow.waitFor();
    expect(await oldRow.textContent()).toContain(owner.email);
    expect(await history.getByRole('row').filter({ hasText: second.file.keyId }).count()).toBe(0);

    // ── 8. Screenshot of the page with the active key and history (no secret on screen) ──
    expect(await page.getByLabel('Private key').count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}keypair.png`, fullPage: true });

    // The refresh reaches the team through the notifications bell.
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await page.locator('.notifications-panel').getByText('Secondary KeyPair refreshed').waitFor();
    await page.keyboard.press('Escape');

    // ── 7. IP allowlist: an allowlist without this machine refuses the SDK ───
    await page.getByTestId('developers-nav').getByRole('link', { name: 'IP allowlist' }).click();
    await page.getByRole('heading', { name: 'IP allowlist', level: 1 }).waitFor();
    const recommendation = page.getByTestId('allowlist-recommendation');
    await recommendation.waitFor();
    expect(await recommendation.textContent()).toContain('Any address can use your KeyPair');
    expect(await page.getByRole('region', { name: 'Paygate callback source addresses' }).textContent()).toContain('127.0.0.2');
    expect(await page.getByRole('button', { name: 'Add my current IP (127.0.0.1)' }).isVisible()).toBe(true);

    const ranges = page.getByRole('region', { name: 'Allowed IP ranges' });
    await page.getByLabel('IP address or CIDR range').fill('203.0.113.0/24');
    await page.getByLabel('Label (optional)').fill('Office');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    expect(await ranges.getByRole('row').filter({ hasText: '203.0.113.0/24' }).textContent()).toContain('Not saved yet');
    // Saving is sensitive too: let the identity check lapse again to see the dialog here as well.
    clock.advance(REAUTH_WINDOW_SECONDS + 1);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await confirmIdentity(page);
    await ranges.getByText('Saved. Every Paygate server applies the list within seconds.').waitFor();
    await recommendation.waitFor({ state: 'detached' });
    expect(await ranges.getByRole('row').filter({ hasText: '203.0.113.0/24' }).textContent()).toContain(owner.email);
    expect(await codeOf(sdk(second.path).me())).toBe('ip_not_allowed');

    await page.screenshot({ path: `${RESULTS_DIR}ip-allowlist.png`, fullPage: true });

    // Removing the range (an empty list allows any address) lets the SDK in again.
    await ranges.getByRole('button', { name: 'Remove 203.0.113.0/24' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await recommendation.waitFor();
    expect(await ranges.getByRole('row').count()).toBe(0);
    expect(await sdk(second.path).me()).toMatchObject({ keyId: second.file.keyId });

    // A range with host bits set is refused, with the network that was probably meant.
    await page.getByLabel('IP address or CIDR range').fill('10.1.2.3/8');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    const problem = ranges.getByRole('alert');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('"10.1.2.3/8" has host bits set; did you mean 10.0.0.0/8?');
    await problem.getByRole('button', { name: 'Use 10.0.0.0/8' }).click();
    expect(await ranges.getByRole('row').filter({ hasText: '10.0.0.0/8' }).count()).toBe(1);
    expect(await ranges.getByRole('alert').count()).toBe(0);
    await ranges.getByRole('button', { name: 'Discard' }).click();
    expect(await ranges.getByRole('row').count()).toBe(0);
    expect(await sdk(second.path).me()).toMatchObject({ keyId: second.file.keyId });

    expect(errors).toEqual([]);
  });
});
