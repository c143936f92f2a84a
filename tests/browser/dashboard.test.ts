import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { createTestServer, TestClock, type TestServer } from '../support/server.js';

const DEVELOPER_NAV = [
  'Overview',
  'Request logs',
  'Transactions',
  'Sandbox',
  'KeyPair',
  'API Secret',
  'Callback URLs',
  'Deliveries',
  'IP allowlist',
  'Audit log',
  'Team',
];
const PASSWORD = 'correct horse battery staple';
const REAUTH_WINDOW_SECONDS = 300;

/** Uncaught exceptions in the page would mean a broken screen even if the assertions pass. */
function collectPageErrors(page: Page, into: string[]): void {
  page.on('pageerror', (error) => into.push(error.message));
}

describe.skipIf(!HAS_CHROMIUM)('dashboard in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  // Logging in counts as a fresh identity check; the clock lets the test outlast that window.
  const clock = new TestClock();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    server = await createTestServer('pglite', { dashboard: true, clock, reauthWindowSeconds: REAUTH_WINDOW_SECONDS });
    baseUrl = await server.listen();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  async function newPage(errors: string[]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    collectPageErrors(page, errors);
    return page;
  }

  it('signs up an owner, invites a developer who joins, confirms identity for sensitive team changes, and logs out and in again', {
    timeout: 90_000,
  }, async () => {
    const errors: string[] = [];
    const stamp = Date.now().toString(36);
    const owner = { name: 'Olivia Owner', email: `owner.${stamp}@example.com` };
    const invitee = { name: 'Dev Eloper', email: `dev.${stamp}@example.com` };
    const businessName = `Acme ${stamp}`;

    // ── An app page without a session goes to the log-in page ────────────────
    const page = await newPage(errors);
    await page.goto(`${baseUrl}/developers/team`);
    await page.getByRole('heading', { name: 'Log in to Paygate' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/developers/team');

    // ── Sign up a new owner with a new Business Partner ──────────────────────
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your Paygate account' }).waitFor();
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Business name').fill(businessName);
    await page.getByRole('button', { name: 'Create account' }).click();

    // A new owner starts on the KeyPair page, where the integration begins (tests/browser/keypair.test.ts covers it).
    await page.getByRole('heading', { name: 'Generate your first Secondary KeyPair' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/developers/keypair');
    expect(await page.getByTestId('bp-switcher').locator('option:checked').textContent()).toBe(businessName);
    expect(await page.locator('.top-bar').textContent()).toContain(owner.email);

    // ── The Developers nav holds exactly the eleven sections ─────────────────
    const nav = page.getByTestId('developers-nav');
    expect(await nav.getByRole('link').allTextContents()).toEqual(DEVELOPER_NAV);
    await nav.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await page.getByRole('region', { name: 'Business Partner' }).textContent()).toContain(businessName);
    // Without a KeyPair the overview points at the page that creates one.
    await page.getByRole('region', { name: 'Set up your Secondary KeyPair' }).waitFor();
    expect(await page.getByRole('link', { name: 'Generate KeyPair' }).getAttribute('href')).toBe('/developers/keypair');

    // ── Invite a developer; the link is shown once ───────────────────────────
    await nav.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    expect(await page.getByRole('region', { name: 'Members' }).textContent()).toContain(owner.email);
    await page.getByLabel('Email address').fill(invitee.email);
    await page.getByLabel('Role', { exact: true }).selectOption('developer');
    await page.getByRole('button', { name: 'Create invitation link' }).click();

    const invitationUrl = (await page.getByTestId('invitation-url').textContent())?.trim() ?? '';
    expect(invitationUrl).toMatch(new RegExp(`^${baseUrl}/invite/[A-Za-z0-9_-]{20,}$`));
    expect(await page.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(true);
    const pending = page.getByRole('region', { name: 'Pending invitations' });
    await pending.getByText(invitee.email).waitFor();
    expect(await pending.textContent()).toContain('Developer');

    // ── The invitee opens the link in another browser and signs up to join ──
    const inviteePage = await newPage(errors);
    await inviteePage.goto(invitationUrl);
    await inviteePage.getByRole('heading', { name: `Join ${businessName}` }).waitFor();
    expect(await inviteePage.locator('.auth-card').textContent()).toContain(invitee.email);
    expect(await inviteePage.getByLabel('Email').inputValue()).toBe(invitee.email);
    expect(await inviteePage.getByLabel('Business name').count()).toBe(0);
    await inviteePage.getByLabel('Your name').fill(invitee.name);
    await inviteePage.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await inviteePage.getByRole('button', { name: 'Sign up to join' }).click();

    await inviteePage.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await inviteePage.getByTestId('bp-switcher').locator('option:checked').textContent()).toBe(businessName);
    await inviteePage.getByTestId('developers-nav').getByRole('link', { name: 'Team' }).click();
    await inviteePage.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    // Developers see the team but cannot invite.
    expect(await inviteePage.getByRole('heading', { name: 'Invite member' }).count()).toBe(0);

    // ── The owner sees the new member, and the invitation is no longer pending ──
    await page.reload();
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByText(invitee.email).waitFor();
    expect(await members.textContent()).toContain(invitee.name);
    expect(await pending.textContent()).toContain('No pending invitations.');

    // ── A role change is sensitive: once the log-in is no longer recent, confirm it's you ──
    clock.advance(REAUTH_WINDOW_SECONDS + 1);
    await page.getByLabel(`Role for ${invitee.name}`).selectOption('viewer');
    const confirm = page.getByRole('dialog', { name: "Confirm it's you" });
    await confirm.waitFor();
    await confirm.getByLabel('Password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await confirm.waitFor({ state: 'detached' });
    // The select stays disabled until the retried change has been saved and the list reloaded.
    const roleSelect = page.getByLabel(`Role for ${invitee.name}`);
    await expect.poll(() => roleSelect.isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await roleSelect.inputValue()).toBe('viewer');
    expect(await page.getByRole('alert').count()).toBe(0);

    // ── Inviting is sensitive too: a stale session is asked to confirm; cancelling creates nothing ──
    clock.advance(REAUTH_WINDOW_SECONDS + 1);
    const adminEmail = `admin.${stamp}@example.com`;
    await page.getByLabel('Email address').fill(adminEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('invitation-url').count()).toBe(0);
    expect(await pending.textContent()).toContain('No pending invitations.');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await confirm.waitFor();
    await confirm.getByLabel('Password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await confirm.waitFor({ state: 'detached' });
    const adminInvitationUrl = (await page.getByTestId('invitation-url').textContent())?.trim() ?? '';
    expect(adminInvitationUrl).toMatch(new RegExp(`^${baseUrl}/invite/[A-Za-z0-9_-]{20,}$`));
    await pending.getByText(adminEmail).waitFor();
    expect(await pending.textContent()).toContain('Admin');
    expect(await page.getByRole('alert').count()).toBe(0);

    // ── Team changes reach the notifications bell ───────────────────────────
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).waitFor();
    await bell.click();
    expect(await page.locator('.notifications-panel').textContent()).toContain('New team member');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.screenshot({ path: `${RESULTS_DIR}dashboard.png`, fullPage: true });

    // ── Log out, then log in again ──────────────────────────────────────────
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Paygate' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/developers/overview');
    expect(await page.locator('.top-bar').textContent()).toContain(owner.name);

    expect(errors).toEqual([]);
  });
});
