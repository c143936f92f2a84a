import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp.js';
import { assertDashboardBuilt, launchChromium } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { Agent, createTestServer, TestClock, type TestServer } from '../support/server.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';
const REAUTH_WINDOW_SECONDS = 300;

describe.skipIf(!HAS_CHROMIUM)('account security in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  const clock = new TestClock();

  beforeAll(async () => {
    assertDashboardBuilt();
    server = await createTestServer('pglite', { dashboard: true, clock, reauthWindowSeconds: REAUTH_WINDOW_SECONDS });
    baseUrl = await server.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks a stale session to confirm before enrolling two-factor and changing the password; other sessions end', { timeout: 90_000 }, async () => {
    const address = `security.${Date.now().toString(36)}@example.com`;
    await new Agent(server.app).signUp(address, 'Security Ltd', PASSWORD);
    // Another session of the same user, e.g. a forgotten laptop.
    const elsewhere = new Agent(server.app);
    expect((await elsewhere.logIn(address, PASSWORD)).statusCode).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel('Email').fill(address);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
      await page.goto(`${baseUrl}/account/security`);
      await page.getByRole('heading', { name: 'Account security' }).waitFor();
      const confirm = page.getByRole('dialog', { name: "Confirm it's you" });

      // ── Two-factor set-up: the secret is shown only after confirming ──────
      clock.advance(REAUTH_WINDOW_SECONDS + 1);
      await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      await confirm.waitFor();
      expect(await page.getByTestId('totp-secret').count()).toBe(0);
      await confirm.getByLabel('Password').fill(PASSWORD);
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await confirm.waitFor({ state: 'detached' });
      const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);

      // ── Turning it on later asks again, then ends the other session ─────────
      clock.advance(REAUTH_WINDOW_SECONDS + 1);
      await page.getByLabel('6-digit code').fill(totpCodeAt(secret, clock.now()));
      await page.getByRole('button', { name: 'Turn on two-factor' }).click();
      await confirm.waitFor();
      await confirm.getByLabel('Password').fill(PASSWORD);
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await confirm.waitFor({ state: 'detached' });
      await page.getByRole('region', { name: 'Two-factor authentication' }).getByText('On', { exact: true }).waitFor();
      expect((await elsewhere.get('/api/session')).json().code).toBe('unauthenticated');

      // ── Changing the password: confirm with a two-factor code this time ─────
      clock.advance(REAUTH_WINDOW_SECONDS + 1);
      const laterSession = new Agent(server.app);
      clock.advance(30);
      expect((await laterSession.logIn(address, PASSWORD, totpCodeAt(secret, clock.now()))).statusCode).toBe(200);
      clock.advance(REAUTH_WINDOW_SECONDS + 1);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Repeat new password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();
      await confirm.waitFor();
      await confirm.getByRole('button', { name: 'Use an authentication code instead' }).click();
      await confirm.getByLabel('Authentication code').fill(totpCodeAt(secret, clock.now()));
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await confirm.waitFor({ state: 'detached' });
      await page.getByRole('status').getByText('Password changed. Your other sessions were signed out.').waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);

      expect((await laterSession.get('/api/session')).json().code).toBe('unauthenticated');
      expect((await new Agent(server.app).logIn(address, PASSWORD)).json().code).toBe('invalid_credentials');
      // This browser stays logged in.
      await page.reload();
      await page.getByRole('heading', { name: 'Account security' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
