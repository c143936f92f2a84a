import type { NetworkSymbol } from '../adapter.js';

/**
 * Block 0 ids of the public Tron networks: the start-up check compares the node's genesis with
 * the configured network, so a Shasta node behind the mainnet URL (or the reverse) is refused.
 */
export const TRON_GENESIS_BLOCK_ID: Readonly<Record<'TRX' | 'TRX-SHASTA', string>> = {
  TRX: '00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc',
  'TRX-SHASTA': '0000000000000000de1aa88295e1fcf982742f773e0419c5a9c134c994a9059e',
};

/** USDT (TRC-20) on Tron mainnet. */
export const MAINNET_USDT_CONTRACT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

export function isTronNetwork(network: NetworkSymbol): network is 'TRX' | 'TRX-SHASTA' {
  return network === 'TRX' || network === 'TRX-SHASTA';
}
