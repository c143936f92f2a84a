import decodeQR from '@paulmillr/qr/decode.js';
import { type DepositUrl, Paygate } from '@paygate/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../apps/server/src/lib/clock.js';
import { assertDashboardBuilt, launchChromium, RESULTS_DIR } from '../support/browser.js';
import { HAS_CHROMIUM } from '../support/environment.js';
import { issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
/** The page polls every 3 s; a few polls' worth of patience. */
const STATUS_TIMEOUT_MS = 15_000;

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r = 0, g = 0, bl = 0] = (css.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe.skipIf(!HAS_CHROMIUM)('hosted deposit page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let paygate: Paygate;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertDashboardBuilt();
    server = await createTestServer('pglite', { dashboard: true, clock });
    baseUrl = await server.listen();
    const agent = new Agent(server.app);
    const bpId = (await agent.signUp(`hosted.${Date.now()}@example.com`, 'Corner Shop')).activeBpId ?? '';
    paygate = Paygate.fromKeyFile((await issueKeyPair(agent, bpId)).keyFile, { baseUrl, maxRetries: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  /** A page that records every request it makes, every CSP violation and every uncaught error. */
  async function open(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      // The redirect target here is /healthz, whose favicon request is not the hosted page's.
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      // The redirect target here is /healthz, whose favicon request is not the hosted page's.
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(message.text());
    });
    return { page, requests, problems };
  }

  /** Rasterise the page's QR code in the browser and decode it here with an independent decoder. */
  async function decodeQrOn(page: Page): Promise<string> {
    const image = await page.evaluate(async () => {
      const svg = document.querySelector('svg.qr');
      if (svg === null) throw new Error('no QR code on the page');
      const img = new Image();
      img.src = `data:image/svg+xml;base64,${btoa(svg.outerHTML)}`;
      await img.decode();
      const size = 400;
      const canvas = document.createElement('canvas');
      canvas.width = size;
      canvas.height = size;
      const ctx = canvas.getContext('2d');
      if (ctx === null) throw new Error('no 2d canvas');
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img, 0, 0, size, size);
      return { width: size, height: size, data: Array.from(ctx.getImageData(0, 0, size, size).data) };
    });
    return decodeQR({ width: image.width, height: image.height, data: new Uint8Array(image.data) });
  }

  const sandbox = (path: string, body: Record<string, unknown>) => paygate.request<{ id: string }>('POST', path, { body });

  it('lets a customer pick a currency, pay by QR code and follow the deposit to the redirect', { timeout: 120_000 }, async () => {
    const redirectUrl = `${baseUrl}/healthz?order=1001`;
    const link: DepositUrl = await paygate.getDepositUrl({ identifier: 'customer-1', referenceId: 'order-1001', requestedAmount: '25', redirectUrl });
    const { page, requests, problems } = await open(PHONE);
    await page.goto(link.url);
    await page.getByRole('heading', { name: 'Complete your payment', level: 1 }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Waiting for your payment…');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('[data-countdown]').textContent()).toMatch(/^This payment request expires in 2[34]:\d\d:\d\d\.$/);
    await page.screenshot({ path: `${RESULTS_DIR}deposit-page-choose-phone.png`, fullPage: true });

    // Keyboard only: tab to Sepolia Ether and open it with Enter.
    const sepOption = page.getByRole('link', { name: /^SEP\s*SEP · Sepolia Ether/ });
    for (let i = 0; i < 12 && !(await sepOption.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await sepOption.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'SEP · SEP', level: 2 }).waitFor();
    expect(await page.getByTestId('amount').textContent()).toBe('0.008334');
    const sepAddress = link.currencies.find((c) => c.network === 'SEP')?.address ?? '';
    expect(await page.getByTestId('address').textContent()).toBe(sepAddress);
    expect(await decodeQrOn(page)).toBe(`ethereum:${sepAddress}@11155111?value=8334000000000000`);
    expect(await page.getByRole('img', { name: `QR code for paying 0.008334 SEP to ${sepAddress}` }).count()).toBe(1);

    // Change to USDT on Tron: amount in USDT, QR code with the Tron address.
    await page.getByRole('link', { name: 'Pay with something else' }).click();
    await page.getByRole('link', { name: /^USDT\s*TRX-SHASTA/ }).click();
    await page.getByRole('heading', { name: 'USDT · TRX-SHASTA', level: 2 }).waitFor();
    expect(await page.getByTestId('amount').textContent()).toBe('25');
    const tronAddress = link.currencies.find((c) => c.network === 'TRX-SHASTA')?.address ?? '';
    expect(await decodeQrOn(page)).toBe(tronAddress);
    await page.getByRole('button', { name: 'Copy the address' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(tronAddress);
    expect(await page.getByRole('button', { name: 'Copy the address' }).textContent()).toBe('Copied');
    await page.screenshot({ path: `${RESULTS_DIR}deposit-page-pay-phone.png`, fullPage: true });

    // The deposit arrives: the status changes without a reload (the marker survives).
    await page.evaluate(() => {
      document.body.dataset.marker = 'same-document';
    });
    const tx = await sandbox('/v1/sandbox/deposits', { network: 'TRX-SHASTA', token: 'USDT', identifier: 'customer-1', amount: '25', outcome: 'pending' });
    await page.getByRole('status').filter({ hasText: 'Payment seen on the network' }).waitFor({ timeout: STATUS_TIMEOUT_MS });
    await sandbox(`/v1/sandbox/transactions/${tx.id}/confirmations`, { count: 7 });
    await page.getByRole('status').filter({ hasText: '7 of 19 confirmations' }).waitFor({ timeout: STATUS_TIMEOUT_MS });
    expect(await page.locator('progress').evaluate((el) => (el instanceof HTMLProgressElement ? `${el.value}/${el.max}` : ''))).toBe('7/19');
    expect(await page.evaluate(() => document.body.dataset.marker)).toBe('same-document');
    await page.screenshot({ path: `${RESULTS_DIR}deposit-page-confirming-phone.png`, fullPage: true });

    // Contrast of the texts a customer reads (WCAG AA: 4.5:1).
    for (const selector of ['.status-text', '.label', '.hint', '.warning', '.footer', '.merchant', '.banner']) {
      const colours = await page
        .locator(selector)
        .first()
        .evaluate((el) => {
          let bg = 'rgba(0, 0, 0, 0)';
          for (let node: Element | null = el; node !== null && /rgba\(.*, 0\)|transparent/.test(bg); node = node.parentElement)
            bg = getComputedStyle(node).backgroundColor;
          return { fg: getComputedStyle(el).color, bg };
        });
      expect(contrast(colours.fg, colours.bg), selector).toBeGreaterThanOrEqual(4.5);
    }

    await sandbox(`/v1/sandbox/transactions/${tx.id}/confirmations`, { count: 12 });
    await page.getByRole('status').filter({ hasText: 'Payment confirmed. Thank you!' }).waitFor({ timeout: STATUS_TIMEOUT_MS });
    await page.getByText('Taking you back to Corner Shop…').waitFor();
    await page.waitForURL(redirectUrl, { timeout: STATUS_TIMEOUT_MS });

    // Every request stayed on Paygate's origin, and nothing broke (no CSP violation, no error).
    expect(requests.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('fits a desktop window too', { timeout: 60_000 }, async () => {
    const link = await paygate.getDepositUrl({ identifier: 'customer-2', receiveCurrencies: ['USDT'], networks: ['SEP'], requestedAmount: '12.5' });
    const { page, problems } = await open(DESKTOP);
    // With one currency offered, the page goes straight to it.
    await page.goto(link.url);
    await page.getByRole('heading', { name: 'USDT · SEP', level: 2 }).waitFor();
    expect(await page.getByTestId('amount').textContent()).toBe('12.5');
    expect(await page.getByRole('link', { name: 'Pay with something else' }).count()).toBe(0);
    const card = await page.locator('main.card').boundingBox();
    expect(card?.width).toBeLessThanOrEqual(32 * 16 + 1);
    await page.screenshot({ path: `${RESULTS_DIR}deposit-page-pay-desktop.png`, fullPage: true });
    // Phone width: nothing overflows sideways.
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('shows an expired link and a forged one as clear pages', { timeout: 60_000 }, async () => {
    const link = await paygate.getDepositUrl({ identifier: 'customer-3', expiresInSeconds: 60 });
    const { page, problems } = await open(PHONE);
    await page.goto(link.url);
    await page.getByRole('status').filter({ hasText: 'Waiting for your payment…' }).waitFor();
    // Time passes: the open page notices on its next poll, without a reload.
    offsetMs += 61_000;
    await page.getByRole('status').filter({ hasText: 'This payment request has expired.' }).waitFor({ timeout: STATUS_TIMEOUT_MS });
    expect(await page.locator('.instructions').isVisible()).toBe(false);

    const reopened = await page.goto(link.url);
    expect(reopened?.status()).toBe(410);
    await page.getByRole('heading', { name: 'This payment link has expired', level: 1 }).waitFor();
    expect(await page.textContent('body')).toContain('go back to Corner Shop');
    await page.screenshot({ path: `${RESULTS_DIR}deposit-page-expired-phone.png`, fullPage: true });

    const forged = await page.goto(`${link.url.slice(0, -6)}AAAAAA`);
    expect(forged?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This payment link is not valid', level: 1 }).waitFor();
    expect(await page.textContent('body')).not.toContain('Corner Shop');
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: `${RESULTS_DIR}deposit-page-forged-desktop.png`, fullPage: true });
    // The expired (410) and forged (404) pages are meant to answer so; nothing else may fail.
    expect(problems.filter((p) => !/^(410|404) .*\/pay\//.test(p) && !p.includes('status of 410') && !p.includes('status of 404'))).toEqual([]);
  });
});
