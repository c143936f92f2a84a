import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
/** A valid Tron address that Paygate did not issue, so a payout to it goes on chain (Layer 1) and stays pending. */
const EXTERNAL_TRON_ADDRESS = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
/** Auto-refresh runs every 5 s; waiting for it needs more than the default timeout. */
const POLL_TIMEOUT_MS = 15_000;

describe.skipIf(!HAS_CHROMIUM)('Transactions and Sandbox in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    // The test server runs no workers, so the sandbox never confirms anything by itself here.
    server = await createTestServer('pglite', { dashboard: true });
    baseUrl = await server.listen();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  async function newPage(errors: string[]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Uncaught exceptions in the page would mean a broken screen even if the assertions pass.
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  async function openSection(page: Page, label: 'Sandbox' | 'Transactions'): Promise<void> {
    await page.getByTestId('developers-nav').getByRole('link', { name: label }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  }

  /** Fill in and send the "Simulate a deposit" form; returns the result box. */
  async function simulateDeposit(
    page: Page,
    deposit: { network: 'SEP' | 'TRX-SHASTA'; asset: string; amount: string; outcome: 'Confirm now' | 'Leave pending' | 'Fail' },
  ): Promise<Locator> {
    const form = page.getByRole('form', { name: 'Simulate a deposit' });
    await form.getByLabel('Network').selectOption(deposit.network);
    await form.getByLabel('Asset').selectOption({ label: deposit.asset });
    expect(await form.getByLabel('Identifier').inputValue()).toBe('test-user');
    await form.getByLabel(/^Amount/).fill(deposit.amount);
    await form.getByRole('radio', { name: new RegExp(`^${deposit.outcome}`) }).check();
    const result = page.getByTestId('simulate-result');
    // A previous result goes away on submit; wait for the new one.
    await form.getByRole('button', { name: 'Simulate deposit' }).click();
    await result.filter({ hasText: `${deposit.amount} ` }).waitFor();
    return result;
  }

  const balanceCard = (page: Page, currency: string) => page.getByRole('region', { name: currency, exact: true });
  const available = (page: Page, currency: string) => balanceCard(page, currency).getByTestId('balance-available').textContent();
  const txRow = (page: Page, text: string) => page.getByTestId('transaction-row').filter({ hasText: text });

  it('simulates deposits, confirms and fails them, and shows them with balances', { timeout: 120_000 }, async () => {
    const errors: string[] = [];
    const stamp = Date.now().toString(36);
    const page = await newPage(errors);

    // ── 1. Sign up: a new BP is in the sandbox, and the owner lands on the KeyPair page ──
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Your name').fill('Pat Payments');
    await page.getByLabel('Email').fill(`payments.${stamp}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Business name').fill(`Payments ${stamp}`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'KeyPair', level: 1 }).waitFor();
    const session: unknown = await (await page.request.get(`${baseUrl}/api/session`)).json();
    const bpId = typeof session === 'object' && session !== null && 'activeBpId' in session ? session.activeBpId : null;
    if (typeof bpId !== 'string') throw new Error('sign-up did not make a Business Partner active');

    // ── 2. Sandbox: a confirmed 250 USDT deposit on TRX-SHASTA sends pendingDeposit and deposit ──
    await openSection(page, 'Sandbox');
    expect(await page.getByRole('complementary', { name: 'How to test every callback kind' }).textContent()).toContain('failedPayout');
    expect(await page.getByTestId('pending-empty').isVisible()).toBe(true);
    const confirmed = await simulateDeposit(page, { network: 'TRX-SHASTA', asset: 'USDT (TRC-20)', amount: '250', outcome: 'Confirm now' });
    expect(await confirmed.textContent()).toContain('250 USDT');
    expect(await confirmed.textContent()).toContain('Confirmed');
    expect(await confirmed.locator('.callback-chip').allTextContents()).toEqual(['pendingDeposit', 'deposit']);

    // A deposit worth less than 1 USDT (3.99 TRX at 0.25 USD) is recorded but sends no callbacks.
    const small = await simulateDeposit(page, { network: 'TRX-SHASTA', asset: 'TRX-SHASTA (native coin)', amount: '3.99', outcome: 'Confirm now' });
    expect(await small.locator('.callback-chip').allTextContents()).toEqual(['none']);
    expect(await small.textContent()).toContain('Worth less than 1 USDT');

    // An invalid amount shows the server's explanation next to the field.
    const form = page.getByRole('form', { name: 'Simulate a deposit' });
    await form.getByLabel(/^Amount/).fill('1.1234567');
    await form.getByRole('button', { name: 'Simulate deposit' }).click();
    await form.getByText('At most 6 decimal places').waitFor();

    // ── 3. Transactions: the Confirmed deposit, its fee, and the balance net of the fee ──
    await openSection(page, 'Transactions');
    const depositRow = txRow(page, '250 USDT');
    await depositRow.waitFor();
    expect(await depositRow.textContent()).toMatch(/Deposit.*L1.*Confirmed.*250 USDT.*TRX-SHASTA.*test-user/);
    await expect.poll(() => available(page, 'USDT · TRX-SHASTA')).toBe('249.75');
    expect(await txRow(page, '3.99 TRX-SHASTA').textContent()).toContain('not settled (< 1 USDT)');
    await expect.poll(() => available(page, 'TRX-SHASTA')).toBe('0');
    expect(await page.getByTestId('transactions-range').textContent()).toBe('1–2 of 2');

    await depositRow.click();
    const detail = page.getByRole('dialog', { name: 'Deposit details' });
    await detail.waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}transaction-detail.png` });
    const detailText = await detail.textContent();
    expect(detailText).toContain('Deposit fee0.25 USDT');
    expect(detailText).toContain('Confirmations19 / 19');
    await detail.getByRole('button', { name: 'Close' }).click();
    await detail.waitFor({ state: 'detached' });

    // "Hide small deposits" leaves out the unsettled one.
    await page.getByLabel('Hide small deposits (< 1 USDT)').check();
    await expect.poll(() => page.getByTestId('transactions-range').textContent()).toBe('1–1 of 1');
    expect(new URL(page.url()).searchParams.get('hideSmall')).toBe('true');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('transactions-range').textContent()).toBe('1–2 of 2');

    // ── 4. A pending 1 SEP deposit, confirmed fully from the Sandbox page ──
    await openSection(page, 'Sandbox');
    const pendingDeposit = await simulateDeposit(page, { network: 'SEP', asset: 'SEP (native coin)', amount: '1', outcome: 'Leave pending' });
    expect(await pendingDeposit.textContent()).toContain('Pending');
    expect(await pendingDeposit.locator('.callback-chip').allTextContents()).toEqual(['pendingDeposit']);
    const sepRow = page.getByTestId('pending-row').filter({ hasText: '1 SEP' });
    await sepRow.waitFor();
    expect(await sepRow.textContent()).toContain('0 / 12');
    await page.screenshot({ path: `${RESULTS_DIR}sandbox.png`, fullPage: true });
    await sepRow.getByRole('button', { name: 'Add confirmation' }).click();
    await expect.poll(() => sepRow.textContent()).toContain('1 / 12');
    await sepRow.getByRole('button', { name: 'Confirm fully' }).click();
    await sepRow.waitFor({ state: 'detached' });
    await page.getByTestId('pending-empty').waitFor();

    await openSection(page, 'Transactions');
    await expect.poll(() => txRow(page, '1 SEP').textContent()).toContain('Confirmed');
    // 1 SEP minus 0.1 % (0.001 SEP, more than 0.1 USD at 3000 USD per SEP).
    await expect.poll(() => available(page, 'SEP')).toBe('0.999');

    // ── 5. A payout from the backend: pending and reserved, then failed from the Sandbox ──
    await server.services.payments.createPayout(
      { bpId, environment: 'sandbox' },
      { referenceId: 'p1', to: EXTERNAL_TRON_ADDRESS, amount: '10', network: 'TRX-SHASTA', token: 'USDT' },
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const payoutRow = txRow(page, '10 USDT');
    await payoutRow.waitFor();
    expect(await payoutRow.textContent()).toMatch(/Payout.*Pending.*10 USDT.*p1/);
    // 10 USDT plus the 1 USDT network fee are reserved.
    await expect.poll(() => available(page, 'USDT · TRX-SHASTA')).toBe('238.75');
    await expect.poll(() => balanceCard(page, 'USDT · TRX-SHASTA').textContent()).toContain('Reserved11');
    expect(await page.getByRole('status').filter({ hasText: 'refreshing every 5 s' }).isVisible()).toBe(true);

    await openSection(page, 'Sandbox');
    const payoutPending = page.getByTestId('pending-row').filter({ hasText: 'p1' });
    await payoutPending.waitFor({ timeout: POLL_TIMEOUT_MS });
    await payoutPending.getByRole('button', { name: 'Make it fail' }).click();
    const failDialog = page.getByRole('dialog', { name: 'Make payout p1 fail?' });
    await failDialog.waitFor();
    await failDialog.getByLabel('Reason (optional)').fill('Out of energy (test)');
    await failDialog.getByRole('button', { name: 'Make it fail' }).click();
    await failDialog.waitFor({ state: 'detached' });
    await payoutPending.waitFor({ state: 'detached' });

    // ── 6. Transactions: the payout Failed, the reserved funds back in available ──
    await openSection(page, 'Transactions');
    await expect.poll(() => payoutRow.textContent()).toContain('Failed');
    await expect.poll(() => available(page, 'USDT · TRX-SHASTA')).toBe('249.75');
    await expect.poll(() => balanceCard(page, 'USDT · TRX-SHASTA').textContent()).toContain('Reserved0');
    await payoutRow.click();
    const payoutDetail = page.getByRole('dialog', { name: 'Payout details' });
    await payoutDetail.waitFor();
    expect(await payoutDetail.textContent()).toContain('Out of energy (test)');
    await payoutDetail.getByRole('button', { name: 'Close' }).click();
    await payoutDetail.waitFor({ state: 'detached' });

    // Filters narrow the list on the server: payouts only, then failed ones only.
    await page.getByLabel('Type').selectOption({ label: 'Payouts' });
    await expect.poll(() => page.getByTestId('transactions-range').textContent()).toBe('1–1 of 1');
    await page.getByLabel('Status').selectOption('Confirmed');
    await page.getByTestId('transactions-empty').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('transactions-range').textContent()).toBe('1–4 of 4');

    await page.screenshot({ path: `${RESULTS_DIR}transactions.png`, fullPage: true });

    expect(errors).toEqual([]);
  });

  it('shows viewers the sandbox read-only and explains it to live Business Partners', { timeout: 60_000 }, async () => {
    const errors: string[] = [];
    const stamp = Date.now().toString(36);
    // Sign up through the API (the dashboard's sign-up is covered above) and hand the session to the browser.
    const agent = new Agent(server.app);
    const signedUp = await agent.signUp(`viewer.${stamp}@example.com`, `Lookers ${stamp}`, PASSWORD);
    const bpId = signedUp.activeBpId;
    const cookie = agent.cookie?.split('=');
    if (bpId === null || cookie === undefined || cookie[0] === undefined || cookie[1] === undefined) throw new Error('sign-up gave no BP or no session');
    // Roles and environments are changed in the database: the paths to them (invitations, going live) are beside the point here.
    const db = server.testDb.database.db;
    await db.updateTable('memberships').set({ role: 'viewer' }).where('bp_id', '=', bpId).execute();
    const page = await newPage(errors);
    await page.context().addCookies([{ name: cookie[0], value: cookie[1], url: baseUrl }]);

    await page.goto(`${baseUrl}/developers/sandbox`);
    await page.getByRole('heading', { name: 'Sandbox', level: 1 }).waitFor();
    expect(await page.getByRole('note').textContent()).toContain('as a viewer you cannot simulate anything');
    expect(await page.getByRole('button', { name: 'Simulate deposit' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Identifier').isDisabled()).toBe(true);
    expect(await page.getByRole('region', { name: 'Pending transactions' }).textContent()).toContain('Read-only');

    // Viewers may still read transactions and balances.
    await openSection(page, 'Transactions');
    await page.getByTestId('transactions-empty').waitFor();
    await expect.poll(() => available(page, 'USDT · TRX-SHASTA')).toBe('0');

    await db.updateTable('bps').set({ environment: 'live' }).where('id', '=', bpId).execute();
    await page.goto(`${baseUrl}/developers/sandbox`);
    const live = page.getByTestId('sandbox-live');
    await live.waitFor();
    expect(await live.textContent()).toContain(`Lookers ${stamp} is a live Business Partner`);
    expect(await page.getByRole('form', { name: 'Simulate a deposit' }).count()).toBe(0);

    expect(errors).toEqual([]);
  });
});
