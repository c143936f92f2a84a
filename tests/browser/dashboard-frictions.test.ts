import { setTimeout as sleep } from 'node:timers/promises';
import { Paygate, PaygateApiError } from '@paygate/sdk';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../apps/server/src/lib/logger.js';
import { CallbackDeliveryWorker } from '../../apps/server/src/modules/callbacks/delivery.js';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { CallbackReceiver } from '../support/receiver.js';
import { createTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';

/**
 * What a new integrator runs into, in order: the one-time key, the test callback button, the
 * request and audit logs, links between transactions and deliveries, the sandbox's "Leave pending",
 * one name for the IP allowlist.
 */
describe.skipIf(!HAS_CHROMIUM)('dashboard frictions of a new integrator, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let receiver: CallbackReceiver;
  let receiverBase: string;
  let worker: CallbackDeliveryWorker;
  let context: BrowserContext;
  let page: Page;
  let paygate: Paygate;
  const errors: string[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    server = await createTestServer('pglite', { dashboard: true, allowHttpCallbacks: true, sandboxAutoConfirmSeconds: 10 });
    baseUrl = await server.listen();
    receiver = new CallbackReceiver();
    receiverBase = await receiver.start();
    const s = server.services;
    worker = new CallbackDeliveryWorker(s.database, s.apiSecrets, s.audit, s.clock, createLogger('silent'), {
      retryScheduleMs: [0, 30, 30],
      batchSize: 50,
      requestsPerUrl: 4,
      pollIntervalMs: 20,
      allowedRanges: ['127.0.0.0/8'],
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await worker?.stop();
    await receiver?.stop();
    await server?.close();
  });

  const nav = (label: string) => page.getByTestId('developers-nav').getByRole('link', { name: label });
  async function openSection(label: string): Promise<void> {
    await nav(label).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  }
  async function runWorker(rounds: number): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await worker.runOnce();
      await sleep(60);
    }
  }
  /** Dispatch a real beforeunload event: was leaving cancelled (the browser would ask)? */
  const unloadBlocked = () => page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));
  /** Does the table fit its scroll box at this width, i.e. nothing is cut off? */
  const fits = (table: Locator) =>
    table.evaluate((el) => {
      const box = el.closest('.table-scroll');
      return box !== null && box.scrollWidth <= box.clientWidth;
    });

  it('1. asks before leaving while the one-time private key is unsaved', { timeout: 90_000 }, async () => {
    const stamp = Date.now().toString(36);
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Your name').fill('Nia Newcomer');
    await page.getByLabel('Email').fill(`frictions.${stamp}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Business name').fill(`Frictions ${stamp}`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'KeyPair', level: 1 }).waitFor();
    expect(await unloadBlocked()).toBe(false);

    await page.getByRole('button', { name: 'Generate KeyPair' }).click();
    const panel = page.getByRole('region', { name: 'Save your private key' });
    await panel.waitFor();
    const privateKey = await panel.getByLabel('Private key').inputValue();
    const keyId = /paygate-(kp_[0-9a-z]{26})\.json/.exec((await panel.textContent()) ?? '')?.[1] ?? '';
    paygate = new Paygate({ baseUrl, keyId, privateKey, maxRetries: 0 });

    // A sidebar link asks first; "Stay" keeps the key on screen.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await nav('Overview').click();
    expect(asked).toEqual(['Your new private key is shown only once and is not saved yet. Leave this page and lose it?']);
    expect(new URL(page.url()).pathname).toBe('/developers/keypair');
    expect(await panel.isVisible()).toBe(true);
    // So does logging out, and so does closing or reloading the tab.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: 'Log out' }).click();
    expect(await panel.isVisible()).toBe(true);
    expect(await unloadBlocked()).toBe(true);
    // A link inside the page that does not leave it (the SDK snippet's copy button) does not ask.
    await panel.getByRole('button', { name: 'Download key file' }).isVisible();

    // Saved: no more questions.
    await panel.getByRole('button', { name: 'I have saved it' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(await unloadBlocked()).toBe(false);
    let askedAgain = false;
    page.once('dialog', (dialog) => {
      askedAgain = true;
      void dialog.dismiss();
    });
    await openSection('Overview');
    expect(askedAgain).toBe(false);
    page.removeAllListeners('dialog');
  });

  it('8. calls the allowlist "IP allowlist" everywhere, and the old address still works', async () => {
    await openSection('IP allowlist');
    expect(new URL(page.url()).pathname).toBe('/developers/ip-allowlist');
    await page.goto(`${baseUrl}/developers/ip-whitelist`);
    await page.getByRole('heading', { name: 'IP allowlist', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/developers/ip-allowlist');
    expect(await page.getByText(/whitelist/i).count()).toBe(0);
  });

  it('4, 3, 6. request logs show the API’s message and fit; the Overview states its baseline once', { timeout: 60_000 }, async () => {
    await paygate.me();
    await expect(paygate.getDepositAddress({ network: 'DOGE', identifier: 'user-1' })).rejects.toBeInstanceOf(PaygateApiError);
    await server.services.requestLog?.flush();

    await openSection('Overview');
    await page.getByTestId('kpi-total-requests-value').filter({ hasText: '2' }).waitFor();
    expect(await page.getByTestId('kpi-no-baseline').count()).toBe(1);
    expect(await page.getByText(/No data for the/).count()).toBe(0);
    const footnote = (await page.getByTestId('latency-footnote').textContent()) ?? '';
    const p95 = ((await page.getByTestId('latency-p95').textContent()) ?? '').match(/≤ ([\d.]+ ms)/)?.[1];
    expect(p95).toBeDefined();
    expect(footnote).toContain(`p95 ≤ ${p95} means at least 95% of these requests finished within ${p95}`);

    await openSection('Request logs');
    const table = page.getByTestId('request-log-table');
    await table.waitFor();
    expect(await fits(table)).toBe(true);
    const failed = table.locator('tbody tr').filter({ hasText: 'network_unsupported' });
    await failed.click();
    const dialog = page.getByRole('dialog', { name: 'Request details' });
    expect(await dialog.getByTestId('request-detail-message').textContent()).toBe('Unknown network "DOGE". Use one of SEP, TRX-SHASTA.');
    await page.screenshot({ path: `${RESULTS_DIR}request-detail-message.png` });
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('2. sends a test callback per kind and shows the delivery result inline, linked to the delivery', { timeout: 60_000 }, async () => {
    await openSection('Callback URLs');
    expect(await page.getByTestId('test-callbacks-empty').isVisible()).toBe(true);
    await page.getByLabel('Deposit URL', { exact: true }).fill(`${receiverBase}/deposit`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. Callbacks created from now on use these settings.').waitFor();

    const row = page.getByTestId('test-callback-deposit');
    expect(await page.getByRole('button', { name: /^Send test .* callback$/ }).count()).toBe(1);
    await row.getByRole('button', { name: 'Send test deposit callback' }).click();
    await row.getByText('Queued, waiting for delivery…').waitFor();
    await runWorker(2);
    await receiver.waitFor(1);
    expect(receiver.received[0]?.path).toBe('/deposit');
    await row.getByText('Delivered').waitFor();
    expect(await row.getByRole('status').textContent()).toMatch(/Delivered HTTP 200 in \d+ ms View delivery/);
    await page.screenshot({ path: `${RESULTS_DIR}callback-test-result.png`, fullPage: true });
    await row.getByRole('link', { name: 'View delivery' }).click();
    const detail = page.getByRole('dialog', { name: 'Callback delivery' });
    await detail.waitFor();
    expect(await detail.textContent()).toContain('"test": true');
    await detail.getByRole('button', { name: 'Close' }).click();
  });

  it('9, 3. audit log: a choice of the recorded actions, details as before → after, nothing cut off', { timeout: 60_000 }, async () => {
    await openSection('Audit log');
    const action = page.getByLabel('Action');
    const options = await action.locator('option').allTextContents();
    expect(options[0]).toBe('All actions');
    expect(options).toEqual(expect.arrayContaining(['bp.created', 'keypair.generated', 'callback_settings.updated', 'callback.test_sent']));
    expect([...options.slice(1)].sort()).toEqual(options.slice(1));
    await action.selectOption('callback_settings.updated');
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const details = rows.first().getByTestId('audit-details');
    // The arrow is for the eye; screen readers hear "changed to".
    expect((await details.textContent())?.replace(/\s+/g, ' ')).toBe(`deposit: not set → changed to ${receiverBase}/deposit`);
    expect(await details.textContent()).not.toContain('{');
    expect(await fits(rows.first())).toBe(true);
    await action.selectOption('');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    expect(await fits(rows.first())).toBe(true);
    await page.screenshot({ path: `${RESULTS_DIR}audit-log-readable.png`, fullPage: true });
  });

  it('7, 5. the sandbox says what "Leave pending" does; transactions and deliveries link to each other', { timeout: 90_000 }, async () => {
    await openSection('Sandbox');
    const pending = page.getByRole('radio', { name: /^Leave pending/ });
    expect(await pending.evaluate((el) => el.closest('label')?.textContent ?? '')).toBe(
      'Leave pendingpendingDeposit; confirmed automatically after 10 s unless you confirm or fail it below first',
    );
    const form = page.getByRole('form', { name: 'Simulate a deposit' });
    await form.getByLabel('Network').selectOption('TRX-SHASTA');
    await form.getByLabel('Asset').selectOption({ label: 'USDT (TRC-20)' });
    await form.getByLabel(/^Amount/).fill('75');
    await form.getByRole('button', { name: 'Simulate deposit' }).click();
    await page.getByTestId('simulate-result').filter({ hasText: '75 ' }).waitFor();
    await runWorker(2);

    await openSection('Transactions');
    await page.getByTestId('transaction-row').filter({ hasText: '75 USDT' }).click();
    const txDialog = page.getByRole('dialog', { name: 'Deposit details' });
    await txDialog.waitFor();
    const txId = /tx_[0-9a-z]{26}/.exec((await txDialog.textContent()) ?? '')?.[0] ?? '';
    expect(txId).not.toBe('');
    await txDialog.getByRole('link', { name: 'Callback deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    expect(await page.getByTestId('transaction-filter').textContent()).toContain(txId);
    const rows = page.getByTestId('delivery-row');
    // Only the deposit URL is set, so this transaction has exactly one delivery (the test callback is not listed).
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('deposit');
    await rows.first().click();
    const delivery = page.getByRole('dialog', { name: 'Callback delivery' });
    await delivery.getByRole('link', { name: txId }).click();
    await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
    const reopened = page.getByRole('dialog', { name: 'Deposit details' });
    await reopened.waitFor();
    expect(await reopened.textContent()).toContain(txId);
    await page.screenshot({ path: `${RESULTS_DIR}transaction-from-delivery.png` });
    await reopened.getByRole('button', { name: 'Close' }).click();
    expect(new URL(page.url()).searchParams.get('open')).toBeNull();
    expect(errors).toEqual([]);
  });
});
