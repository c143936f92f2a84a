import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { createBase58check } from '@scure/base';
import { HDKey } from '@scure/bip32';
import { describe, expect, it } from 'vitest';
import { ethereumAddressFromPublicKey, tronAddressFromPublicKey, validateAddress } from './addresses.js';
import { ChainKeyError } from './chain-key-error.js';
import { deriveAddress, generateSandboxAccountKeys, MAX_ADDRESS_INDEX, parseAccountXpub } from './derivation.js';
import { type ChainId, DEFAULT_ACCOUNT_PATH } from './networks.js';

// BIP-32 Test vector 1 master. The account keys and child private keys below were computed by an
// independent node:crypto-only BIP-32 implementation, so they pin @scure/bip32's output too.
const MASTER = HDKey.fromMasterSeed(hexToBytes('000102030405060708090a0b0c0d0e0f'));
const MASTER_XPRV = 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
const MASTER_XPUB = 'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8';

const ACCOUNTS = {
  ethereum: {
    xpub: 'xpub6CeDpm2b5qtk96oy8yvM572W6cLZSvU5vnpKmKPypbfFwXo86SyT7VtfwWtMZAgZ5eKVMU9NnULt91HBFw9j62wJrcoc1ZRWiNvoorwBRXL',
    xprv: 'xprv9yesRFVhFULSvcjW2xPLhy5mYaW53TkEZZtixvzNGG8H4jTyYufCZhaC6DePWkp5KaoedxJKUMD7GGiWX1LPPTZVJjufeoW66K2T929MBVk',
    externalChainXpub: 'xpub6DZ3xpo1ixWwwNDQ7KFTamRVM46FQtgcDxsmAyeBpTHEo79E1n1LuWiZSMSRhqMQmrHaqJpek2TbtTzbAdNWJm9AhGdv7iJUpDjA6oJD84b',
    childPrivateKeys: {
      0: 'e22f5526ce620ec69441c3453d7a0acbc26c3fc7543023f338123fd45c7d44b3',
      1: '3ec9bd1d4b441f0d55506d951cae258c1850006011b0c0268a9e40cf59b87944',
      [MAX_ADDRESS_INDEX]: '6d88f7b6ab745e00a4a17ebcfdf51e5d0078d0e5c4f5eef4d9fe239dc7e4e4f3',
    },
    addressOf: ethereumAddressFromPublicKey,
  },
  tron: {
    xpub: 'xpub6Bs4tgnLVqXrzkUc298sbaM8KKLtxhndvxiXNXfQkjUCaFA28YjLRfnF3sPfaV7ZSub5ui2USq45Tzto2Q1s8zoWW61rPy8DpqPNWS8ySE7',
    xprv: 'xprv9xsiVBFSfTyZnGQ8v7bsESQPmHWQZF4nZjnva9FoCPwDhSpsb1R5ssTmCcQwVfDXExt5bb4R7ZnSy6bSM9ovN7zvg6A4mhCAMe1C1NqAdXX',
    externalChainXpub: 'xpub6FMcTW97JmACu1kEH6atdhmf6AexrCrdeqSZwF5K8ZdboKvm5kHtHUxj2L8Tyn2oCiBYanKreA19Q7nkp9QY634wXaJeD32UEDbbq6XzzCF',
    childPrivateKeys: {
      0: '36b760422f748523d767cc6b3b4c0497bee3d738e8a0be303c834beeecd047d3',
      1: 'cfe719c5aa5cf2444398e25f954f7f190a978f7d714dda1ab0310e46c58b83f5',
      [MAX_ADDRESS_INDEX]: 'e5d3e52c20175418de77219495a2e8fafc36bbfe339ea877c92106b647cbc861',
    },
    addressOf: tronAddressFromPublicKey,
  },
} as const satisfies Record<
  ChainId,
  { xpub: string; xprv: string; externalChainXpub: string; childPrivateKeys: Record<number, string>; addressOf: (publicKey: Uint8Array) => string }
>;

const INDEXES = [0, 1, MAX_ADDRESS_INDEX] as const;
const CHAINS = ['ethereum', 'tron'] as const satisfies readonly ChainId[];

/** The account xprv re-labelled with xpub version bytes: it reads "xpub…" but still holds the private key. */
function privateKeyDisguisedAsXpub(xprv: string): string {
  const base58check = createBase58check(sha256);
  return base58check.encode(concatBytes(hexToBytes('0488b21e'), base58check.decode(xprv).subarray(4)));
}

/** Private key at `path` below the Test vector 1 master, derived the way a wallet holding the seed would. */
function privateKeyAt(path: string): Uint8Array {
  const key = MASTER.derive(path).privateKey;
  if (key === null) throw new Error(`no private key at ${path}`);
  return key;
}

describe.each(CHAINS)('deriveAddress on %s', (chain) => {
  const account = ACCOUNTS[chain];

  it('starts from the account xpub and xprv an independent implementation computes at the default path', () => {
    const node = MASTER.derive(DEFAULT_ACCOUNT_PATH[chain]);
    expect(node.publicExtendedKey).toBe(account.xpub);
    expect(node.privateExtendedKey).toBe(account.xprv);
  });

  it.each(INDEXES)('derives index %i publicly to the address of the private key at <account>/0/index', (index) => {
    const privateKey = privateKeyAt(`${DEFAULT_ACCOUNT_PATH[chain]}/0/${index}`);
    expect(bytesToHex(privateKey)).toBe(account.childPrivateKeys[index]);
    const expected = account.addressOf(secp256k1.getPublicKey(privateKey));
    expect(deriveAddress(chain, account.xpub, index)).toBe(expected);
    expect(validateAddress(chain, expected)).toEqual({ ok: true, address: expected });
  });

  it('is stable for the same input and different across indexes', () => {
    const first = deriveAddress(chain, account.xpub, 0);
    expect(deriveAddress(chain, account.xpub, 0)).toBe(first);
    const addresses = new Set([0, 1, 2, 3, 1000, MAX_ADDRESS_INDEX].map((index) => deriveAddress(chain, account.xpub, index)));
    expect(addresses.size).toBe(6);
  });

  it.each([-1, 1.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY])('refuses index %s', (index) => {
    expect(() => deriveAddress(chain, account.xpub, index)).toThrow(RangeError);
  });

  it('refuses a private key in place of the xpub', () => {
    expect(() => deriveAddress(chain, account.xprv, 0)).toThrow(ChainKeyError);
  });
});

describe('deriveAddress across chains', () => {
  it('gives one derived key the same 20-byte hash on both chains', () => {
    const publicKey = secp256k1.getPublicKey(privateKeyAt("m/44'/60'/0'/0/0"));
    expect(deriveAddress('ethereum', ACCOUNTS.ethereum.xpub, 0)).toBe(ethereumAddressFromPublicKey(publicKey));
    expect(deriveAddress('tron', ACCOUNTS.ethereum.xpub, 0)).toBe(tronAddressFromPublicKey(publicKey));
  });
});

describe('parseAccountXpub', () => {
  it('returns an account xpub unchanged, trimming surrounding whitespace', () => {
    expect(parseAccountXpub(ACCOUNTS.ethereum.xpub)).toBe(ACCOUNTS.ethereum.xpub);
    expect(parseAccountXpub(`  ${ACCOUNTS.tron.xpub}\n`)).toBe(ACCOUNTS.tron.xpub);
  });

  it.each([
    ['the master xprv', MASTER_XPRV],
    ['an account xprv', ACCOUNTS.ethereum.xprv],
    // The master xprv with a wrong checksum: a mistyped private key is still a private key.
    ['a mistyped xprv', 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LETPaHCn9PXz2AxfRz98Dp2BbWzj6Q7mUn'],
    ['a private key behind xpub version bytes', privateKeyDisguisedAsXpub(ACCOUNTS.ethereum.xprv)],
    ['a testnet tprv', HDKey.fromMasterSeed(new Uint8Array(32).fill(7), { private: 0x04358394, public: 0x043587cf }).privateExtendedKey],
  ])('refuses %s, saying private keys must never be configured and without echoing it', (_label, key) => {
    let caught: unknown;
    try {
      parseAccountXpub(key);
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChainKeyError);
    const message = caught instanceof Error ? caught.message : '';
    expect(message).toMatch(/private keys must never be configured/i);
    expect(message).not.toContain(key.slice(4, 20));
  });

  it.each([
    ['the master xpub (depth 0)', MASTER_XPUB, /depth 0/],
    ['the external-chain xpub (depth 4)', ACCOUNTS.ethereum.externalChainXpub, /depth 4/],
    ['a non-hardened depth-3 xpub', MASTER.derive("m/44'/60'/0").publicExtendedKey, /hardened/],
    ['an xpub with one character changed', `${ACCOUNTS.ethereum.xpub.slice(0, -1)}M`, /checksum/],
    ['something that is not base58', 'not an extended key', /base58check/],
    ['an empty string', '', /base58check/],
    [
      'a testnet tpub',
      HDKey.fromMasterSeed(new Uint8Array(32).fill(7), { private: 0x04358394, public: 0x043587cf }).derive("m/44'/1'/0'").publicExtendedKey,
      /0x043587cf/,
    ],
    ['a Tron address', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', /decodes to 21 bytes instead of 78/],
  ])('refuses %s with a ChainKeyError', (_label, key, message) => {
    expect(() => parseAccountXpub(key)).toThrow(ChainKeyError);
    expect(() => parseAccountXpub(key)).toThrow(message);
  });
});

describe('generateSandboxAccountKeys', () => {
  it('returns two different valid account xpubs, fresh on each call', () => {
    const first = generateSandboxAccountKeys();
    const second = generateSandboxAccountKeys();
    for (const keys of [first, second]) {
      expect(keys.ethereum).not.toBe(keys.tron);
      for (const chain of CHAINS) {
        expect(keys[chain]).toMatch(/^xpub/);
        expect(parseAccountXpub(keys[chain])).toBe(keys[chain]);
        const address = deriveAddress(chain, keys[chain], 0);
        expect(validateAddress(chain, address)).toEqual({ ok: true, address });
      }
    }
    expect(second.ethereum).not.toBe(first.ethereum);
    expect(second.tron).not.toBe(first.tron);
  });

  it('returns only public material', () => {
    const keys = generateSandboxAccountKeys();
    expect(Object.keys(keys).sort()).toEqual(['ethereum', 'tron']);
    for (const chain of CHAINS) expect(HDKey.fromExtendedKey(keys[chain]).privateKey).toBeNull();
  });
});
