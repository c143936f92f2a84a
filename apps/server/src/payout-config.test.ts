import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { killingFailpoints } from './lib/failpoints.js';

describe('payout configuration', () => {
  it('defaults: no nodes, no hot wallets, 200 gwei cap, 60 000 gas for ETH payouts, no failpoints', () => {
    const { payouts } = loadConfig({});
    expect(payouts).toMatchObject({
      ethereumNodes: {},
      hotWallets: {},
      maxFeePerGasWei: 200_000_000_000n,
      nativeGasLimit: 60_000n,
      replaceAfterSeconds: 180,
      failpoints: [],
    });
  });

  it('a node per network, with mainnet Tether by default and no Sepolia token unless configured', () => {
    const { payouts } = loadConfig({
      PAYGATE_ETHEREUM_RPC_URL: 'http://eth:8545',
      PAYGATE_SEPOLIA_RPC_URL: 'http://sep:8545',
      PAYGATE_ETHEREUM_CONFIRMATIONS: '3',
      PAYGATE_ETHEREUM_MAX_FEE_GWEI: '1.5',
    });
    expect(payouts.ethereumNodes.ETH).toEqual({
      network: 'ETH',
      chainId: 1,
      rpcUrl: 'http://eth:8545',
      usdtContract: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
      confirmations: 3,
    });
    expect(payouts.ethereumNodes.SEP).toMatchObject({ chainId: 11_155_111, usdtContract: null });
    expect(payouts.maxFeePerGasWei).toBe(1_500_000_000n);
  });

  it('refuses half a hot wallet, bad numbers and addresses, naming each variable', () => {
    expect(() => loadConfig({ PAYGATE_ETHEREUM_HOT_WALLET_KEYSTORE: '/k.json' })).toThrow(/PAYGATE_ETHEREUM_HOT_WALLET_PASSPHRASE_FILE: set both/);
    expect(() => loadConfig({ PAYGATE_ETHEREUM_MAX_FEE_GWEI: '-1' })).toThrow(/PAYGATE_ETHEREUM_MAX_FEE_GWEI/);
    expect(() => loadConfig({ PAYGATE_SEPOLIA_USDT_CONTRACT: '0x1234' })).toThrow(/PAYGATE_SEPOLIA_USDT_CONTRACT/);
    expect(() => loadConfig({ PAYGATE_ETHEREUM_PAYOUT_GAS_LIMIT: '20000' })).toThrow(/PAYGATE_ETHEREUM_PAYOUT_GAS_LIMIT/);
  });

  it('failpoints are parsed in development and refused in production', () => {
    expect(loadConfig({ PAYGATE_FAILPOINTS: 'payout.after-sign, sweep.after-send' }).payouts.failpoints).toEqual(['payout.after-sign', 'sweep.after-send']);
    expect(() => loadConfig({ PAYGATE_ENV: 'production', PAYGATE_FAILPOINTS: 'payout.after-sign' })).toThrow(/PAYGATE_FAILPOINTS: .*refused/);
  });

  it('an armed failpoint kills only at its own name', () => {
    const hits: string[] = [];
    const points = killingFailpoints(['payout.after-sign'], () => hits.push('killed'));
    points.hit('payout.after-nonce');
    expect(hits).toEqual([]);
    points.hit('payout.after-sign');
    expect(hits).toEqual(['killed']);
  });
});
