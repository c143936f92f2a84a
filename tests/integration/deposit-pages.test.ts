import { type DepositUrl, Paygate, PaygateApiError } from '@paygate/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../apps/server/src/lib/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { issueKeyPair } from '../support/keypairs.js';
import { Agent, createTestServer, type TestServer } from '../support/server.js';

let seq = 0;
const email = (n: string) => `${n.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.${Date.now()}.${++seq}@example.com`;
const PUBLIC_URL = 'https://pay.example.test';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error: unknown) {
    if (error instanceof PaygateApiError) return error.code;
    throw error;
  }
}

/** A clock the test moves forward (it starts at real time, so database defaults stay consistent with it). */
function movableClock(): Clock & { advance(seconds: number): void } {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
  };
}

const tokenOf = (link: DepositUrl) => link.url.slice(`${PUBLIC_URL}/pay/`.length);

describeEachDatabase('hosted deposit pages', (kind) => {
  let server: TestServer;
  let paygate: Paygate;
  let keyFile: string;
  const clock = movableClock();

  beforeAll(async () => {
    server = await createTestServer(kind, {
      publicUrl: PUBLIC_URL,
      clock,
      depositStatusLimits: { perLink: { limit: 8, windowSeconds: 60 }, perIp: { limit: 1000, windowSeconds: 60 } },
    });
    await server.listen();
    const agent = new Agent(server.app);
    const bpId = (await agent.signUp(email('Shop'), 'Corner Shop')).activeBpId ?? '';
    keyFile = (await issueKeyPair(agent, bpId)).keyFile;
    paygate = Paygate.fromKeyFile(keyFile, { baseUrl: server.url, maxRetries: 0 });
  });
  afterAll(async () => server.close());

  const page = (token: string, query = '') => server.app.inject({ method: 'GET', url: `/pay/${token}${query}` });
  const status = async (token: string) => {
    const response = await server.app.inject({ method: 'GET', url: `/pay/${token}/status` });
    expect(response.statusCode).toBe(200);
    return response.json() as {
      state: string;
      deposit: { amount: string; asset: string; confirmations: number; requiredConfirmations: number } | null;
      redirectUrl: string | null;
    };
  };
  const sandboxDeposit = (body: Record<string, unknown>) => paygate.request<{ id: string; status: string }>('POST', '/v1/sandbox/deposits', { body });

  it('creates a link on PUBLIC_URL with the identifier’s permanent addresses for every offered currency', async () => {
    const link = await paygate.getDepositUrl({
      identifier: 'cust-1',
      referenceId: 'order-1',
      requestedAmount: '25',
      redirectUrl: 'https://shop.example.com/thanks?o=1',
    });
    expect(link.url).toMatch(/^https:\/\/pay\.example\.test\/pay\/[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({
      identifier: 'cust-1',
      referenceId: 'order-1',
      requestedAmount: '25',
      requestedCurrency: 'USD',
      redirectUrl: 'https://shop.example.com/thanks?o=1',
    });
    expect(link.currencies.map((c) => `${c.network}/${c.tokenSymbol ?? c.coinSymbol}`)).toEqual([
      'SEP/SEP',
      'TRX-SHASTA/TRX-SHASTA',
      'SEP/USDT',
      'TRX-SHASTA/USDT',
    ]);
    const sep = await paygate.getDepositAddress({ network: 'SEP', identifier: 'cust-1' });
    const trx = await paygate.getDepositAddress({ network: 'TRX-SHASTA', identifier: 'cust-1' });
    expect(link.currencies.map((c) => c.address)).toEqual([sep.address, trx.address, sep.address, trx.address]);
    // Two links never share a token, and only a hash of it is stored.
    const again = await paygate.getDepositUrl({ identifier: 'cust-1' });
    expect(tokenOf(again)).not.toBe(tokenOf(link));
    const stored = await server.services.database.db.selectFrom('deposit_urls').select('token_hash').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.token_hash).not.toContain(tokenOf(link));
  });

  it('serves a page with a strict CSP that reveals only the deposit, with amounts per currency and EIP-681 codes', async () => {
    const link = await paygate.getDepositUrl({ identifier: 'cust-secret-77', referenceId: 'order-secret-9', requestedAmount: '25' });
    const list = await page(tokenOf(link));
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(list.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*|unsafe-inline|unsafe-eval/);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.headers['referrer-policy']).toBe('no-referrer');
    // Nothing about the Business Partner's own records, and nothing loaded from elsewhere.
    for (const secret of ['cust-secret-77', 'order-secret-9', link.id, 'bp_']) expect(list.body).not.toContain(secret);
    // Same-origin paths only (the empty inline favicon `data:,` spares the browser a request).
    for (const [, url] of list.body.matchAll(/(?:src|href)="([^"]*)"/g)) expect(url).toMatch(/^(\/|\?|$|data:,$)/);
    expect(list.body).not.toMatch(/<script(?![^>]*(type="module" src="\/|type="application\/json"))/);
    expect(list.body).toContain('Corner Shop');
    expect(list.body).toContain('Test mode');
    expect([...list.body.matchAll(/data-testid="option"/g)]).toHaveLength(4);

    const sep = await page(tokenOf(link), '?pay=SEP');
    const sepAddress = link.currencies[0]?.address ?? '';
    // 25 USD at 3000 USD/ETH is 0.00833…, asked for rounded up to 6 decimals so it always covers the request.
    expect(sep.body).toContain('data-testid="amount">0.008334</strong>');
    expect(sep.body).toContain(`data-payment-uri="ethereum:${sepAddress}@11155111?value=8334000000000000"`);
    expect(sep.body).toContain('That is 25 USD at the current exchange rate.');
    expect(sep.body).toMatch(/<svg class="qr"[^>]*role="img" aria-label="QR code for paying 0.008334 SEP to 0x/);
    const trx = await page(tokenOf(link), '?pay=USDT-TRX-SHASTA');
    expect(trx.body).toContain('data-testid="amount">25</strong> USDT');
    // Tron wallets agree on no payment URI: the code carries the address.
    expect(trx.body).toContain(`data-payment-uri="${link.currencies[3]?.address}"`);
    // An unknown choice falls back to the list.
    expect([...(await page(tokenOf(link), '?pay=DOGE')).body.matchAll(/data-testid="option"/g)]).toHaveLength(4);
    // The style sheet it links is served from here.
    const css = await server.app.inject({ method: 'GET', url: '/pay/assets/page.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('follows the deposit the payments core records: waiting → seen → confirmations → confirmed with the redirect', async () => {
    const link = await paygate.getDepositUrl({
      identifier: 'cust-2',
      requestedAmount: '40',
      requestedCurrency: 'USDT',
      redirectUrl: 'https://shop.example.com/done',
    });
    const token = tokenOf(link);
    expect(await status(token)).toMatchObject({ state: 'waiting', deposit: null, redirectUrl: null });
    const tx = await sandboxDeposit({ network: 'TRX-SHASTA', token: 'USDT', identifier: 'cust-2', amount: '40', outcome: 'pending' });
    expect(await status(token)).toMatchObject({
      state: 'seen',
      deposit: { amount: '40', asset: 'USDT', confirmations: 0, requiredConfirmations: 19 },
      redirectUrl: null,
    });
    await paygate.request('POST', `/v1/sandbox/transactions/${tx.id}/confirmations`, { body: { count: 5 } });
    expect(await status(token)).toMatchObject({ state: 'confirming', deposit: { confirmations: 5 } });
    expect((await page(token)).body).toContain('5 of 19 confirmations');
    await paygate.request('POST', `/v1/sandbox/transactions/${tx.id}/confirmations`, { body: { count: 14 } });
    expect(await status(token)).toMatchObject({ state: 'confirmed', redirectUrl: 'https://shop.example.com/done' });
    expect((await page(token)).body).toContain('href="https://shop.example.com/done"');
  });

  it('reports an underpaid deposit, a failed one, and one below the minimum', async () => {
    const short = await paygate.getDepositUrl({ identifier: 'cust-3', requestedAmount: '30' });
    await sandboxDeposit({ network: 'TRX-SHASTA', token: 'USDT', identifier: 'cust-3', amount: '12' });
    expect(await status(tokenOf(short))).toMatchObject({ state: 'underpaid', deposit: { amount: '12', asset: 'USDT' } });
    expect((await page(tokenOf(short))).body).toContain('We received 12 USDT, which is less than requested.');
    // A deposit that covers the request later still completes it.
    await sandboxDeposit({ network: 'SEP', identifier: 'cust-3', amount: '0.01' });
    expect(await status(tokenOf(short))).toMatchObject({ state: 'confirmed', deposit: { amount: '0.01', asset: 'SEP' } });

    const failing = await paygate.getDepositUrl({ identifier: 'cust-4', requestedAmount: '5' });
    await sandboxDeposit({ network: 'SEP', token: 'USDT', identifier: 'cust-4', amount: '5', outcome: 'fail' });
    expect(await status(tokenOf(failing))).toMatchObject({ state: 'failed' });

    const any = await paygate.getDepositUrl({ identifier: 'cust-5', receiveCurrencies: ['TRX-SHASTA'] });
    await sandboxDeposit({ network: 'TRX-SHASTA', identifier: 'cust-5', amount: '2' }); // 0.5 USD: recorded, never credited
    expect(await status(tokenOf(any))).toMatchObject({ state: 'underpaid', deposit: { amount: '2' } });
    // A deposit of another currency than offered does not count.
    const usdtOnly = await paygate.getDepositUrl({ identifier: 'cust-6', receiveCurrencies: ['USDT'], networks: ['TRX-SHASTA'] });
    await sandboxDeposit({ network: 'TRX-SHASTA', identifier: 'cust-6', amount: '100' });
    expect(await status(tokenOf(usdtOnly))).toMatchObject({ state: 'waiting' });
  });

  it('shows clear pages for expired and forged links, not errors', async () => {
    const link = await paygate.getDepositUrl({ identifier: 'cust-7', expiresInSeconds: 60 });
    expect((await page(tokenOf(link))).statusCode).toBe(200);
    clock.advance(61);
    const expired = await page(tokenOf(link));
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This payment link has expired');
    expect(expired.body).toContain('Corner Shop');
    expect(expired.headers['content-security-policy']).toContain("default-src 'none'");
    expect(await status(tokenOf(link))).toMatchObject({ state: 'expired', deposit: null });

    const forgedToken = `${tokenOf(link).slice(0, -4)}AAAA`;
    for (const forged of [forgedToken, 'short', 'a'.repeat(150), '%3Cscript%3E']) {
      const response = await page(forged);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('This payment link is not valid');
      expect(response.body).not.toContain('Corner Shop');
      expect(response.body).not.toContain('<script');
    }
    const forgedStatus = await server.app.inject({ method: 'GET', url: `/pay/${forgedToken}/status` });
    expect(forgedStatus.statusCode).toBe(404);
    expect(forgedStatus.json()).toMatchObject({ code: 'not_found' });
  });

  it('rate-limits status polling per link, with Retry-After, counting concurrent polls exactly', async () => {
    const link = await paygate.getDepositUrl({ identifier: 'cust-8' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => server.app.inject({ method: 'GET', url: `/pay/${tokenOf(link)}/status` })));
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(8);
    expect(codes.filter((c) => c === 429)).toHaveLength(12);
    const limited = responses.find((r) => r.statusCode === 429);
    expect(limited?.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    // Another link is not affected.
    const other = await paygate.getDepositUrl({ identifier: 'cust-9' });
    expect((await server.app.inject({ method: 'GET', url: `/pay/${tokenOf(other)}/status` })).statusCode).toBe(200);
  });

  it('refuses bad input with clear codes', async () => {
    const bad = (input: Record<string, unknown>) => codeOf(paygate.getDepositUrl({ identifier: 'cust-x', ...input }));
    expect(await bad({ redirectUrl: 'javascript:alert(1)' })).toBe('redirect_url_invalid');
    expect(await bad({ redirectUrl: 'https://user:pass@shop.example.com/' })).toBe('redirect_url_invalid');
    expect(await bad({ redirectUrl: '/relative' })).toBe('redirect_url_invalid');
    expect(await bad({ receiveCurrencies: ['DOGE'] })).toBe('token_unsupported');
    expect(await bad({ networks: ['ETH'] })).toBe('network_unsupported');
    expect(await bad({ receiveCurrencies: ['TRX-SHASTA'], networks: ['SEP'] })).toBe('validation_failed');
    expect(await bad({ requestedAmount: '1', requestedCurrency: 'SEP' })).toBe('token_unsupported');
    expect(await bad({ requestedCurrency: 'USD' })).toBe('validation_failed');
    expect(await bad({ requestedAmount: '1.001' })).toBe('amount_too_precise');
    expect(await bad({ requestedAmount: '-5' })).toBe('amount_invalid');
    expect(await bad({ expiresInSeconds: 10 })).toBe('validation_failed');
    expect(await codeOf(paygate.getDepositUrl({ identifier: 'bad id!' }))).toBe('identifier_invalid');
    expect(await codeOf(paygate.request('POST', '/v1/deposit-urls', { body: { identifier: 'x', extra: 1 } }))).toBe('validation_failed');
    // A coin amount is fine when only that coin is offered.
    expect(await bad({ requestedAmount: '0.5', requestedCurrency: 'SEP', receiveCurrencies: ['SEP'] })).toBe('ok');
    // Unsigned requests are refused.
    const unsigned = await server.app.inject({ method: 'POST', url: '/v1/deposit-urls', payload: { identifier: 'x' } });
    expect(unsigned.statusCode).toBe(401);
    // Nothing was written for refused requests.
    const links = await server.services.database.db.selectFrom('deposit_urls').select('identifier').where('identifier', '=', 'cust-x').execute();
    expect(links).toHaveLength(1);
  });

  describe('in production mode', () => {
    let production: TestServer;
    beforeAll(async () => {
      production = await createTestServer(kind, { database: server.testDb, allowHttpRedirects: false });
      await production.listen();
    });
    afterAll(async () => production.close());

    it('requires https redirects, and without PUBLIC_URL answers with the request’s origin', async () => {
      const client = Paygate.fromKeyFile(keyFile, { baseUrl: production.url, maxRetries: 0 });
      expect(await codeOf(client.getDepositUrl({ identifier: 'cust-p', redirectUrl: 'http://shop.example.com/' }))).toBe('redirect_url_invalid');
      const link = await client.getDepositUrl({ identifier: 'cust-p', redirectUrl: 'https://shop.example.com/' });
      expect(link.url.startsWith(`${production.url}/pay/`)).toBe(true);
      // The same link opens on any process of the same database.
      expect((await server.app.inject({ method: 'GET', url: new URL(link.url).pathname })).statusCode).toBe(200);
    });
  });
});
