import { signRequest } from '@paygate/protocol';
import { Paygate } from '@paygate/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
// The browser shows every time in its own zone and asks the server to bucket by it; a zone other
// than the machine's (usually UTC) shows that the page passes it on.
const TIME_ZONE = 'Europe/Berlin';

// More than one page of the request log (50), so "Load more" has something to load.
const SUCCESSFUL_CALLS = 48;
const EXPIRED_CALLS = 6;
const UNROUTED_CALLS = 3;

describe.skipIf(!HAS_CHROMIUM)('Overview analytics and request logs in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    // Real time, no test clock: the SDK signs with the real time and the Overview ends at "now".
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
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: TIME_ZONE, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Uncaught exceptions in the page would mean a broken screen even if the assertions pass.
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  /** Sign up through the API (the dashboard's own sign-up is covered elsewhere) and give the BP a KeyPair. */
  async function ownerWithKey(stamp: string) {
    const agent = new Agent(server.app);
    const email = `usage.${stamp}@example.com`;
    const session = await agent.signUp(email, `Usage ${stamp}`, PASSWORD);
    const bpId = session.activeBpId;
    if (bpId === null) throw new Error('sign-up did not create a Business Partner');
    return { email, bpId, key: await issueKeyPair(agent, bpId) };
  }

  /**
   * Traffic with a known shape: successful `me()` calls, calls whose signature is an hour old
   * (401 signature_expired, logged for the BP its keyid names) and calls to a route that does not
   * exist (404, attributable to no BP, so not logged). Returns the request ids of the successes.
   */
  async function sendTraffic(key: { keyId: string; privateKey: string; keyFile: string }): Promise<string[]> {
    const successIds: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const id = response.headers.get('x-request-id');
      if (response.ok && id !== null) successIds.push(id);
      return response;
    };
    const sdk = Paygate.fromKeyFile(key.keyFile, { baseUrl: server.url, maxRetries: 0, fetch: recordingFetch });
    for (let i = 0; i < SUCCESSFUL_CALLS; i++) expect(await sdk.me()).toMatchObject({ keyId: key.keyId });

    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    for (let i = 0; i < EXPIRED_CALLS; i++) {
      const headers = signRequest({ method: 'GET', url: '/v1/me' }, { keyId: key.keyId, privateKey: key.privateKey, created: hourAgo });
      const response = await fetch(`${server.url}/v1/me`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'signature_expired' });
    }
    for (let i = 0; i < UNROUTED_CALLS; i++) {
      const headers = signRequest({ method: 'GET', url: '/v1/no-such-route' }, { keyId: key.keyId, privateKey: key.privateKey });
      expect((await fetch(`${server.url}/v1/no-such-route`, { headers })).status).toBe(404);
    }
    // The log is written off the request path; write it now rather than waiting for the timer.
    await server.services.requestLog?.flush();
    expect(successIds).toHaveLength(SUCCESSFUL_CALLS);
    return successIds;
  }

  async function logIn(page: Page, email: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  }

  it('shows the traffic of a BP on the Overview and in the request logs', { timeout: 90_000 }, async () => {
    const errors: string[] = [];
    const stamp = Date.now().toString(36);
    const owner = await ownerWithKey(stamp);
    const successIds = await sendTraffic(owner.key);
    const attributable = SUCCESSFUL_CALLS + EXPIRED_CALLS;

    // ── Overview: KPIs, charts and endpoints for the last 24 hours ───────────
    const page = await newPage(errors);
    await logIn(page, owner.email);
    expect(new URL(page.url()).pathname).toBe('/developers/overview');
    await expect.poll(() => page.getByTestId('kpi-total-requests-value').textContent()).toBe(String(attributable));
    expect(await page.getByTestId('usage-time-zone').textContent()).toBe(`Times in ${TIME_ZONE}`);
    expect(await page.getByTestId('usage-last-updated').textContent()).toMatch(/^Last updated \d{2}:\d{2}:\d{2}$/);
    expect(await page.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('switch', { name: 'Auto-refresh' }).isChecked()).toBe(true);

    const errorRate = `${((EXPIRED_CALLS / attributable) * 100).toFixed(2)}%`;
    expect(await page.getByTestId('kpi-error-rate-value').textContent()).toBe(errorRate);
    expect(await page.getByTestId('kpi-success-rate-value').textContent()).toBe(`${((SUCCESSFUL_CALLS / attributable) * 100).toFixed(2)}%`);
    // All of the errors are client errors.
    expect(await page.getByTestId('kpi-error-rate').textContent()).toContain(`4xx${errorRate}`);
    expect(await page.getByTestId('kpi-avg-response-value').textContent()).toMatch(/ m?s$/);

    const endpoints = page.getByTestId('endpoints-table');
    const meRow = endpoints.getByRole('row').filter({ hasText: '/v1/me' });
    expect(await meRow.textContent()).toContain(String(attributable));
    // 20% of /v1/me failed: well over the 5% worth a look.
    expect(await meRow.locator('.rate-alert').textContent()).toBe(errorRate);
    expect(await endpoints.getByText('/v1/no-such-route').count()).toBe(0);

    const statusCodes = page.getByTestId('status-codes-table');
    expect(await statusCodes.getByRole('row').filter({ hasText: '200' }).textContent()).toContain(String(SUCCESSFUL_CALLS));
    expect(await statusCodes.getByRole('row').filter({ hasText: '401' }).textContent()).toContain(String(EXPIRED_CALLS));
    expect(await page.getByTestId('api-usage-legend').textContent()).toContain(`2xx${SUCCESSFUL_CALLS}`);
    // The charts load with their library after the numbers; wait for both before the screenshot.
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await page.locator('.recharts-pie-sector').first().waitFor();
    expect(await page.getByRole('region', { name: 'Business Partner' }).textContent()).toContain(`Usage ${stamp}`);
    await page.screenshot({ path: `${RESULTS_DIR}overview.png`, fullPage: true });

    // Another range keeps the same traffic and goes into the address, so it can be shared.
    await page.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('7d');
    await expect.poll(() => page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('kpi-total-requests-value').textContent()).toBe(String(attributable));

    // A custom range is checked in the browser before anything is sent.
    await page.getByRole('button', { name: 'Custom' }).click();
    const custom = page.getByRole('form', { name: 'Custom time range' });
    await custom.getByLabel('From').fill('2030-01-02T10:00');
    await custom.getByLabel('To').fill('2030-01-01T10:00');
    await custom.getByRole('button', { name: 'Apply range' }).click();
    expect(await custom.getByRole('alert').textContent()).toBe('The start must be before the end.');
    await custom.getByRole('button', { name: 'Cancel' }).click();
    await custom.waitFor({ state: 'detached' });

    // ── Request logs: the errors are the expired signatures ─────────────────
    await page.getByTestId('developers-nav').getByRole('link', { name: 'Request logs' }).click();
    await page.getByRole('heading', { name: 'Request logs', level: 1 }).waitFor();
    const table = page.getByTestId('request-log-table');
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await page.getByTestId('request-log-count').textContent()).toBe('Newest 50 requests');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count()).toBe(attributable);
    expect(await page.getByTestId('request-log-count').textContent()).toBe(`${attributable} requests`);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByLabel('Status', { exact: true }).selectOption('errors');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('errors');
    await expect.poll(() => rows.count()).toBe(EXPIRED_CALLS);
    expect(await page.getByTestId('request-log-count').textContent()).toBe(`${EXPIRED_CALLS} matching requests`);
    for (const text of await rows.allTextContents()) {
      expect(text).toContain('401');
      expect(text).toContain('signature_expired');
      expect(text).toContain('/v1/me');
    }
    await page.screenshot({ path: `${RESULTS_DIR}request-logs.png`, fullPage: true });

    // Clicking a row opens every field of it.
    await rows.first().click();
    const rowDetail = page.getByRole('dialog', { name: 'Request details' });
    await rowDetail.waitFor();
    expect(await rowDetail.textContent()).toContain('signature_expired');
    expect(await rowDetail.textContent()).toContain(owner.key.keyId);
    await rowDetail.getByRole('button', { name: 'Close' }).click();
    await rowDetail.waitFor({ state: 'detached' });

    // A request id from a backend's own logs finds that request, whatever the filters.
    const wanted = successIds[3] ?? '';
    await page.getByLabel('Find by request id').fill(wanted);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const detail = page.getByRole('dialog', { name: 'Request details' });
    await detail.getByTestId('request-detail').waitFor();
    expect(await detail.getByTestId('request-detail-id').textContent()).toBe(wanted);
    const detailText = await detail.textContent();
    expect(detailText).toContain('200');
    expect(detailText).toContain('/v1/me');
    expect(detailText).toContain(owner.key.keyId);
    await page.screenshot({ path: `${RESULTS_DIR}request-detail.png` });
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // An unknown id says so, with the server's explanation.
    await page.getByLabel('Find by request id').fill('req_00000000000000000000000000');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const missing = page.getByRole('dialog', { name: 'Request details' });
    expect(await missing.getByRole('alert').textContent()).toContain('No request req_00000000000000000000000000');
    await page.keyboard.press('Escape');

    expect(errors).toEqual([]);
  });

  it('explains how traffic arrives to a BP that has none yet', { timeout: 60_000 }, async () => {
    const errors: string[] = [];
    const stamp = `${Date.now().toString(36)}e`;
    const email = `empty.${stamp}@example.com`;
    await new Agent(server.app).signUp(email, `Quiet ${stamp}`, PASSWORD);

    const page = await newPage(errors);
    await logIn(page, email);
    const empty = page.getByTestId('usage-empty-state');
    await empty.waitFor();
    // Nothing in this period or the one before: the KPIs would be all dashes, so the page leaves them out.
    expect(await page.getByTestId('kpi-total-requests').count()).toBe(0);
    expect(await empty.getByRole('heading').textContent()).toBe('No API requests in the last 24 hours');
    expect(await empty.textContent()).toContain('appears here within seconds');
    // No KeyPair yet, so the snippet names the file generically.
    expect(await empty.locator('pre').textContent()).toContain("const paygate = Paygate.fromKeyFile('./paygate-<keyId>.json');\nawait paygate.me();");
    expect(await empty.getByRole('link', { name: 'Go to KeyPair' }).getAttribute('href')).toBe('/developers/keypair');
    expect(await page.getByRole('region', { name: 'Set up your Secondary KeyPair' }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'API usage' }).count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}overview-empty.png`, fullPage: true });

    await page.getByTestId('developers-nav').getByRole('link', { name: 'Request logs' }).click();
    expect(await page.getByTestId('request-log-empty').textContent()).toContain('No requests logged yet.');

    expect(errors).toEqual([]);
  });
});
