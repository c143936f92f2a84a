import { verifyCallback } from '@paygate/sdk';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../../apps/server/src/modules/callbacks/delivery.js';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { CallbackReceiver } from '../support/receiver.js';
import { createTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
/** Lists with deliveries in progress refresh every 5 s; waiting for that needs more than the default timeout. */
const POLL_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

describe.skipIf(!HAS_CHROMIUM)('Callback URLs, API secret and deliveries in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let receiver: CallbackReceiver;
  let receiverBase: string;
  let worker: CallbackDeliveryWorker;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    // Plain-http callbacks to a receiver on loopback, as in development.
    server = await createTestServer('pglite', { dashboard: true, allowHttpCallbacks: true });
    baseUrl = await server.listen();
    receiver = new CallbackReceiver();
    receiverBase = await receiver.start();
    // The test server runs no workers; this one is driven by hand with runOnce(), so each step is deterministic.
    const s = server.services;
    worker = new CallbackDeliveryWorker(s.database, s.apiSecrets, s.audit, s.clock, createLogger('silent'), {
      retryScheduleMs: [0, 30, 30],
      batchSize: 50,
      requestsPerUrl: 4,
      pollIntervalMs: 20,
      allowedRanges: ['127.0.0.0/8'],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await worker?.stop();
    await receiver?.stop();
    await server?.close();
  });

  async function newPage(errors: string[]): Promise<Page> {
    // The secret is taken from the page the way a person would: with its Copy button.
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Uncaught exceptions in the page would mean a broken screen even if the assertions pass.
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  async function openSection(page: Page, label: 'API Secret' | 'Callback URLs' | 'Deliveries'): Promise<void> {
    await page.getByTestId('developers-nav').getByRole('link', { name: label }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  }

  /** Sensitive actions ask "Confirm it's you" once the log-in is no longer recent; answer it if it comes. */
  async function confirmIdentityIfAsked(page: Page, done: Locator): Promise<void> {
    const confirm = page.getByRole('dialog', { name: "Confirm it's you" });
    await confirm.or(done).first().waitFor();
    if (await confirm.isVisible()) {
      await confirm.getByLabel('Password').fill(PASSWORD);
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await confirm.waitFor({ state: 'detached' });
    }
    await done.waitFor();
  }

  /** Let the worker send what is due; retries of the test schedule come 30 ms apart. */
  async function runWorker(rounds: number): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await worker.runOnce();
      await sleep(60);
    }
  }

  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
  const deliveryRows = (page: Page, status: string) => page.locator(`[data-testid="delivery-row"][data-status="${status}"]`);

  it('sets callback URLs, verifies signed callbacks, inspects and resends a failed delivery, and rotates the secret', { timeout: 150_000 }, async () => {
    const errors: string[] = [];
    const stamp = Date.now().toString(36);
    const page = await newPage(errors);

    // ── 1. Sign up: a new sandbox BP with its first API secret ──────────────
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Your name').fill('Cal Backend');
    await page.getByLabel('Email').fill(`callbacks.${stamp}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Business name').fill(`Callbacks ${stamp}`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'KeyPair', level: 1 }).waitFor();
    const session: unknown = await (await page.request.get(`${baseUrl}/api/session`)).json();
    const bpId = isRecord(session) ? session.activeBpId : null;
    const userId = isRecord(session) && isRecord(session.user) ? session.user.id : null;
    if (typeof bpId !== 'string' || typeof userId !== 'string') throw new Error('sign-up did not make a Business Partner active');
    const bp = { bpId, environment: 'sandbox' as const };

    // ── 2. Callback URLs: nothing set; a bad URL is refused next to its field ──
    await openSection(page, 'Callback URLs');
    const endpoints = page.getByRole('form', { name: 'Callback endpoints' });
    await endpoints.waitFor();
    expect(await endpoints.textContent()).toContain('No callbacks are sent yet');
    expect(await endpoints.textContent()).toContain('An unset or switched-off URL means no callbacks of that kind.');
    expect(await endpoints.getByTestId('callback-row-pendingDeposit').textContent()).toContain('Registered but not finalized deposits');
    const saveButton = endpoints.getByRole('button', { name: 'Save changes' });
    expect(await saveButton.isDisabled()).toBe(true);

    await endpoints.getByLabel('Deposit URL', { exact: true }).fill(`${receiverBase}/deposit`);
    await endpoints.getByLabel('Pending deposit URL', { exact: true }).fill(`${receiverBase}/pending`);
    await endpoints.getByLabel('Payout URL', { exact: true }).fill('ftp://payouts.example.com/hook');
    // Typing a URL switches its kind on.
    expect(await endpoints.getByRole('switch', { name: 'Send deposit callbacks' }).isChecked()).toBe(true);
    expect(await endpoints.getByRole('switch', { name: 'Send failed deposit callbacks' }).isDisabled()).toBe(true);
    await endpoints.getByText('Unsaved changes.').waitFor();
    await saveButton.click();
    const refused = endpoints.getByText('Not saved: fix the highlighted URL.');
    await confirmIdentityIfAsked(page, refused);
    expect(await endpoints.getByTestId('callback-row-payout').locator('.field-error').textContent()).toBe('Use an http(s) URL.');
    expect(await endpoints.getByLabel('Payout URL', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    // Without the bad URL the form saves.
    await endpoints.getByLabel('Payout URL', { exact: true }).fill('');
    await saveButton.click();
    await endpoints.getByText('Saved. Callbacks created from now on use these settings.').waitFor();
    expect(await endpoints.textContent()).toContain('2 of 6 kinds on');
    expect(await endpoints.getByLabel('Deposit URL', { exact: true }).inputValue()).toBe(`${receiverBase}/deposit`);
    expect(await endpoints.getByLabel('Timeout (seconds)').inputValue()).toBe('5');
    expect(await page.getByTestId('callback-source-ips').textContent()).toContain('127.0.0.2');
    expect(await page.getByRole('region', { name: 'Where callbacks come from' }).getByRole('link', { name: 'IP allowlist' }).getAttribute('href')).toBe(
      '/developers/ip-allowlist',
    );
    // Saving scrolled the footer into view; a full-page shot of a scrolled page draws the sticky bars mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}callback-urls.png`, fullPage: true });

    // ── 3. API Secret: reveal it (masked until asked) and copy it from the page ──
    await openSection(page, 'API Secret');
    const secrets = page.getByRole('region', { name: 'Active secrets' });
    await secrets.getByTestId('api-secret').waitFor();
    expect(await secrets.getByTestId('api-secret').count()).toBe(1);
    expect(await secrets.textContent()).toContain('Current');
    expect(await page.getByRole('region', { name: 'Verify every callback' }).locator('pre').textContent()).toContain(
      'verifyCallback({ rawBody, headers: req.headers, secret: process.env.PAYGATE_API_SECRET })',
    );
    await secrets.getByRole('button', { name: 'Reveal' }).click();
    const value = secrets.getByTestId('secret-value');
    await confirmIdentityIfAsked(page, value);
    expect(await value.textContent()).toMatch(/^whsec_•+$/);
    await secrets.getByRole('button', { name: 'Copy', exact: true }).click();
    await secrets.getByRole('button', { name: 'Copied' }).waitFor();
    const secret = await clipboard(page);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await secrets.getByRole('button', { name: 'Show' }).click();
    expect(await value.textContent()).toBe(secret);
    // Hidden again, the value is gone from the page, not just covered.
    await secrets.getByRole('button', { name: 'Hide' }).click();
    await value.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    // ── 4. A confirmed deposit sends pendingDeposit, then deposit, both verifiable with the secret ──
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'u1', amount: '1', outcome: 'confirm' });
    await runWorker(3);
    await receiver.waitFor(2);
    expect(receiver.received.map((r) => [r.path, r.headers['paygate-callback-type']])).toEqual([
      ['/pending', 'pendingDeposit'],
      ['/deposit', 'deposit'],
    ]);
    for (const received of receiver.received) {
      const verified = verifyCallback<{ amount: string; identifier: string }>({ rawBody: received.body, headers: received.headers, secret });
      expect(verified.schemes).toEqual(['standard-webhooks', 'signature']);
      expect(verified.payload).toMatchObject({ amount: '1', identifier: 'u1' });
    }

    // ── 5. Deliveries: both succeeded ────────────────────────────────────────
    await openSection(page, 'Deliveries');
    await deliveryRows(page, 'succeeded').nth(1).waitFor();
    expect(await page.getByTestId('delivery-row').count()).toBe(2);
    const depositRow = page.getByTestId('delivery-row').filter({ has: page.locator(`td[title="${receiverBase}/deposit"]`) });
    expect(await depositRow.textContent()).toMatch(/deposit.*Succeeded.*1.*HTTP 200.*msg_/);

    // ── 6. The endpoint fails: three attempts, then the delivery gives up ──
    receiver.respond = () => ({ status: 500 });
    const before = receiver.received.length;
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'u2', amount: '2', outcome: 'pending' });
    await runWorker(4);
    expect(receiver.received.length).toBe(before + 3);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const failedRow = deliveryRows(page, 'failed');
    await failedRow.waitFor();
    expect(await failedRow.textContent()).toMatch(/pendingDeposit.*Failed.*3.*HTTP 500/);
    expect(await page.getByTestId('deliveries-count').textContent()).toBe('3 deliveries');
    await page.screenshot({ path: `${RESULTS_DIR}deliveries.png`, fullPage: true });

    // ── 7. Its detail: the exact body, every attempt with its request headers and answer ──
    await failedRow.click();
    const detail = page.getByRole('dialog', { name: 'Callback delivery' });
    await detail.getByTestId('delivery-detail').waitFor();
    const failedCallback = receiver.received[before];
    if (failedCallback === undefined) throw new Error('the failing endpoint received nothing');
    const body: unknown = JSON.parse(failedCallback.body);
    expect(await detail.getByTestId('delivery-body').textContent()).toBe(JSON.stringify(body, null, 2));
    expect(await detail.textContent()).toContain(`POST${receiverBase}/pending`);
    expect(await detail.getByTestId('delivery-attempt').count()).toBe(3);
    const lastAttempt = detail.getByTestId('delivery-attempt').nth(2);
    expect(await lastAttempt.textContent()).toContain('HTTP 500Internal Server Error');
    expect(await lastAttempt.textContent()).toContain('Only 2xx counts as delivered');
    // The newest attempt shows the request exactly as sent, signatures included.
    const headers = lastAttempt.locator('.headers-list').first();
    expect(await headers.isVisible()).toBe(true);
    expect(await headers.textContent()).toContain(`webhook-id${String(failedCallback.headers['webhook-id'])}`);
    expect(await headers.textContent()).toContain('webhook-signaturev1,');
    expect(await headers.textContent()).toContain('paygate-callback-typependingDeposit');
    // A tall window lets the dialog show everything at once: body, attempts and the last one's headers.
    await page.setViewportSize({ width: 1360, height: 1900 });
    await page.screenshot({ path: `${RESULTS_DIR}delivery-detail.png` });
    await page.setViewportSize({ width: 1360, height: 900 });

    // ── 8. Fixed endpoint: Resend sends it again, with the same webhook-id ──
    receiver.respond = () => ({ status: 200 });
    await detail.getByRole('button', { name: 'Resend' }).click();
    await detail.getByText('Pending', { exact: true }).waitFor();
    await runWorker(2);
    expect(receiver.received.length).toBe(before + 4);
    expect(receiver.received.at(-1)?.headers['webhook-id']).toBe(failedCallback.headers['webhook-id']);
    await detail.getByText('Succeeded', { exact: true }).waitFor({ timeout: POLL_TIMEOUT_MS });
    expect(await detail.getByTestId('delivery-attempt').count()).toBe(4);
    expect(await detail.textContent()).toContain('Resent');
    await detail.getByRole('button', { name: 'Close' }).click();
    await detail.waitFor({ state: 'detached' });
    await expect.poll(() => deliveryRows(page, 'succeeded').count(), { timeout: POLL_TIMEOUT_MS }).toBe(3);

    // Nothing failed is left to recover.
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    await page.getByText('No failed deliveries since then.').waitFor();

    // ── 9. Rotate with a one-hour overlap, confirming identity once the log-in is no longer recent ──
    await server.testDb.database.db.updateTable('sessions').set({ reauth_at: null }).where('user_id', '=', userId).execute();
    await openSection(page, 'API Secret');
    await secrets.getByRole('button', { name: 'Rotate secret' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the API secret?' });
    await rotate.waitFor();
    await rotate.getByRole('radio', { name: '1 hour' }).check();
    expect(await rotate.getByTestId('rotation-effects').textContent()).toContain('Signature-Next carries the new one');
    const rotateButton = rotate.getByRole('button', { name: 'Rotate secret' });
    expect(await rotateButton.isDisabled()).toBe(true);
    await rotate.getByRole('checkbox').check();
    // Another overlap has other consequences, so the confirmation must be given again.
    await rotate.getByRole('radio', { name: 'None – stop now' }).check();
    expect(await rotate.getByTestId('rotation-effects').textContent()).toContain('the current secret stops signing at once');
    expect(await rotateButton.isDisabled()).toBe(true);
    await rotate.getByRole('radio', { name: '1 hour' }).check();
    await rotate.getByRole('checkbox').check();
    await rotateButton.click();
    const confirm = page.getByRole('dialog', { name: "Confirm it's you" });
    await confirm.waitFor();
    await confirm.getByLabel('Password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await rotate.waitFor({ state: 'detached' });

    // The new secret is shown once; the old one keeps signing for the overlap.
    const issuedPanel = page.getByRole('region', { name: 'Save your new API secret' });
    const issued = (await issuedPanel.getByTestId('issued-secret').textContent()) ?? '';
    expect(issued).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(issued).not.toBe(secret);
    expect(await issuedPanel.textContent()).toContain('The previous secret keeps signing until');
    await expect.poll(() => secrets.getByTestId('api-secret').count()).toBe(2);
    const previous = secrets.getByTestId('api-secret').first();
    expect(await previous.textContent()).toContain('signs until');
    expect(await secrets.getByTestId('api-secret').nth(1).textContent()).toContain('Current');
    await issuedPanel.getByRole('button', { name: 'I have saved it' }).click();
    await issuedPanel.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(issued);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}api-secret.png`, fullPage: true });

    // During the overlap a callback verifies with either secret: Signature-Next carries the new one.
    await server.services.sandbox.simulateDeposit(bp, { network: 'SEP', identifier: 'u3', amount: '3', outcome: 'pending' });
    await runWorker(2);
    const rotated = receiver.received.at(-1);
    if (rotated === undefined) throw new Error('no callback after the rotation');
    expect(rotated.headers['signature-next']).toBeDefined();
    expect(String(rotated.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const key of [secret, issued]) {
      expect(verifyCallback({ rawBody: rotated.body, headers: rotated.headers, secret: key }).schemes).toEqual(['standard-webhooks', 'signature']);
    }

    expect(errors).toEqual([]);
  });
});
