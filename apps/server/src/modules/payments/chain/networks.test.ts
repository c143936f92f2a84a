import { describe, expect, it } from 'vitest';
import { BIP44_COIN_TYPE, CHAIN_IDS, DEFAULT_ACCOUNT_PATH, EXTERNAL_CHAIN } from './networks.js';

describe('networks', () => {
  it('uses the SLIP-44 coin types of Ethereum and Tron', () => {
    expect(BIP44_COIN_TYPE).toEqual({ ethereum: 60, tron: 195 });
  });

  it.each(CHAIN_IDS)('puts the %s account path at m/44H/coinH/0H', (chain) => {
    expect(DEFAULT_ACCOUNT_PATH[chain]).toBe(`m/44'/${BIP44_COIN_TYPE[chain]}'/0'`);
  });

  it('receives on the external chain', () => {
    expect(EXTERNAL_CHAIN).toBe(0);
  });
});
