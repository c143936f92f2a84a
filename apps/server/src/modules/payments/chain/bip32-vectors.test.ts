import { hexToBytes } from '@noble/hashes/utils.js';
import { HDKey } from '@scure/bip32';
import { describe, expect, it } from 'vitest';

// BIP-32 Test vector 1, copied from bip-0032.mediawiki. These strings were also recomputed with an
// independent node:crypto-only implementation (HMAC-SHA512, secp256k1 ECDH, base58check) and matched.
const SEED = '000102030405060708090a0b0c0d0e0f';
const VECTOR_1 = [
  {
    path: 'm',
    xpub: 'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8',
    xprv: 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi',
  },
  {
    path: "m/0'",
    xpub: 'xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw',
    xprv: 'xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7',
  },
  {
    path: "m/0'/1",
    xpub: 'xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ',
    xprv: 'xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs',
  },
  {
    path: "m/0'/1/2'",
    xpub: 'xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5',
    xprv: 'xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM',
  },
  {
    path: "m/0'/1/2'/2",
    xpub: 'xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV',
    xprv: 'xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334',
  },
  {
    path: "m/0'/1/2'/2/1000000000",
    xpub: 'xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy',
    xprv: 'xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76',
  },
] as const;

describe('BIP-32 Test vector 1 (the derivation library we rely on)', () => {
  const master = HDKey.fromMasterSeed(hexToBytes(SEED));

  it.each(VECTOR_1)('derives the published xpub and xprv at $path', ({ path, xpub, xprv }) => {
    const node = master.derive(path);
    expect(node.publicExtendedKey).toBe(xpub);
    expect(node.privateExtendedKey).toBe(xprv);
  });

  it('derives m/0H/1 publicly from the m/0H xpub exactly as privately from the master', () => {
    const fromXpub = HDKey.fromExtendedKey(VECTOR_1[1].xpub).deriveChild(1);
    expect(fromXpub.privateKey).toBeNull();
    expect(fromXpub.publicExtendedKey).toBe(VECTOR_1[2].xpub);
    expect(fromXpub.publicExtendedKey).toBe(master.derive("m/0'/1").publicExtendedKey);
  });

  it('derives m/0H/1/2H/2/1000000000 publicly from the m/0H/1/2H xpub', () => {
    const fromXpub = HDKey.fromExtendedKey(VECTOR_1[3].xpub).derive('m/2/1000000000');
    expect(fromXpub.publicExtendedKey).toBe(VECTOR_1[5].xpub);
  });

  it('round-trips the published extended keys through parsing', () => {
    for (const { xpub, xprv } of VECTOR_1) {
      expect(HDKey.fromExtendedKey(xpub).publicExtendedKey).toBe(xpub);
      expect(HDKey.fromExtendedKey(xprv).privateExtendedKey).toBe(xprv);
    }
  });
});
