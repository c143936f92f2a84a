import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('Tron configuration', () => {
  it('backs no Tron network by a node unless a URL is set', () => {
    expect(loadConfig({}).tron.networks).toEqual([]);
  });

  it('maps PAYGATE_TRON_API_URL to TRX with mainnet defaults (USDT contract, genesis, fee limit, 19 confirmations)', () => {
    const [trx, ...rest] = loadConfig({ PAYGATE_TRON_API_URL: 'https://api.trongrid.io', PAYGATE_TRON_API_KEY: 'k' }).tron.networks;
    expect(rest).toEqual([]);
    expect(trx).toEqual({
      network: 'TRX',
      apiUrl: 'https://api.trongrid.io',
      apiKey: 'k',
      apiKeyHeader: 'TRON-PRO-API-KEY',
      usdtContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      genesisBlockId: '00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc',
      pollIntervalMs: 3000,
      feeLimitSun: 30_000_000n,
      reportedConfirmations: 19,
      expirationMs: 60_000,
      timeoutMs: 10_000,
    });
  });

  it('maps PAYGATE_SHASTA_API_URL to TRX-SHASTA and requires its USDT contract', () => {
    expect(problems({ PAYGATE_SHASTA_API_URL: 'https://api.shasta.trongrid.io' })).toContain(
      'PAYGATE_SHASTA_USDT_CONTRACT: required when PAYGATE_SHASTA_API_URL is set',
    );
    const networks = loadConfig({
      PAYGATE_SHASTA_API_URL: 'https://api.shasta.trongrid.io',
      PAYGATE_SHASTA_USDT_CONTRACT: 'TG3XXyExBkPp9nzdajDZsozEu4BkaSJozs',
    }).tron.networks;
    expect(networks.map((n) => [n.network, n.usdtContract, n.genesisBlockId])).toEqual([
      ['TRX-SHASTA', 'TG3XXyExBkPp9nzdajDZsozEu4BkaSJozs', '0000000000000000de1aa88295e1fcf982742f773e0419c5a9c134c994a9059e'],
    ]);
  });

  it('refuses bad values, naming each variable', () => {
    const text = problems({
      PAYGATE_TRON_API_URL: 'ftp://node',
      PAYGATE_TRON_USDT_CONTRACT: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u',
      PAYGATE_TRON_FEE_LIMIT_SUN: '15000000001',
      PAYGATE_TRON_TX_EXPIRATION_SECONDS: '90000',
      PAYGATE_TRON_API_KEY_HEADER: 'bad header',
    });
    for (const name of [
      'PAYGATE_TRON_API_URL',
      'PAYGATE_TRON_USDT_CONTRACT',
      'PAYGATE_TRON_FEE_LIMIT_SUN',
      'PAYGATE_TRON_TX_EXPIRATION_SECONDS',
      'PAYGATE_TRON_API_KEY_HEADER',
    ]) {
      expect(text).toContain(name);
    }
    expect(problems({ PAYGATE_TRON_FEE_LIMIT_SUN: '1.5' })).toContain('whole number of sun');
    expect(problems({ PAYGATE_TRON_API_KEY: 'k' })).toContain('PAYGATE_TRON_API_KEY: set without PAYGATE_TRON_API_URL');
  });
});
