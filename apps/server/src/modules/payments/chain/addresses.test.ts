import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  ethereumAddressFromPublicKey,
  toChecksumAddress,
  tronAddressFromPublicKey,
  validateAddress,
  validateEthereumAddress,
  validateTronAddress,
} from './addresses.js';
import { ChainKeyError } from './chain-key-error.js';

const base58check = createBase58check(sha256);

// The web3.js documentation example account (eth.accounts.privateKeyToAccount).
const KNOWN_PRIVATE_KEY = hexToBytes('4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const KNOWN_ETHEREUM_ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23';

// EIP-55 test vectors: mixed case, and two each whose checksum happens to be all caps / all lower.
const EIP55_MIXED = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
] as const;
const EIP55_SINGLE_CASE = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
] as const;

// USDT's TRC-20 contract; its hex form 41a614f8…d13c is the one Tron explorers show.
const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const USDT_TRON_HEX = '41a614f803b6fd780986a42c78ec9c7f77e6ded13c';

/** Flips the case of the first letter after `0x`, which breaks a correct EIP-55 checksum. */
function flipFirstLetter(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const char = address.charAt(i);
  const flipped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
  return address.slice(0, i) + flipped + address.slice(i + 1);
}

describe('ethereumAddressFromPublicKey', () => {
  it('gives the published address of a known private key, from the compressed and the uncompressed public key', () => {
    expect(ethereumAddressFromPublicKey(secp256k1.getPublicKey(KNOWN_PRIVATE_KEY))).toBe(KNOWN_ETHEREUM_ADDRESS);
    expect(ethereumAddressFromPublicKey(secp256k1.getPublicKey(KNOWN_PRIVATE_KEY, false))).toBe(KNOWN_ETHEREUM_ADDRESS);
  });

  it('refuses bytes that are not a secp256k1 point', () => {
    expect(() => ethereumAddressFromPublicKey(new Uint8Array(32))).toThrow(ChainKeyError);
    // 0x04 ‖ (0, 0) has the right length but is not on the curve (0 ≠ 0³ + 7).
    expect(() => ethereumAddressFromPublicKey(concatBytes(Uint8Array.of(4), new Uint8Array(64)))).toThrow(ChainKeyError);
  });
});

describe('toChecksumAddress (EIP-55)', () => {
  it.each([...EIP55_MIXED, ...EIP55_SINGLE_CASE])('reproduces %s from its lowercase form', (address) => {
    expect(toChecksumAddress(address.toLowerCase())).toBe(address);
    expect(toChecksumAddress(address.slice(2).toUpperCase())).toBe(address);
  });

  it('refuses input that is not 40 hex digits', () => {
    expect(() => toChecksumAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe')).toThrow(TypeError);
    expect(() => toChecksumAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg')).toThrow(TypeError);
    expect(() => toChecksumAddress('')).toThrow(TypeError);
  });
});

describe('validateEthereumAddress', () => {
  it.each([...EIP55_MIXED, ...EIP55_SINGLE_CASE])('accepts the EIP-55 vector %s as is', (address) => {
    expect(validateEthereumAddress(address)).toEqual({ ok: true, address });
  });

  it.each(EIP55_MIXED)('accepts %s in all lowercase or all uppercase and returns the checksummed form', (address) => {
    expect(validateEthereumAddress(address.toLowerCase())).toEqual({ ok: true, address });
    expect(validateEthereumAddress(`0x${address.slice(2).toUpperCase()}`)).toEqual({ ok: true, address });
  });

  it.each(EIP55_MIXED)('rejects %s with one letter case-flipped as a checksum error', (address) => {
    const typo = flipFirstLetter(address);
    expect(typo).not.toBe(address);
    expect(validateEthereumAddress(typo)).toEqual({ ok: false, reason: 'checksum' });
  });

  it.each([
    ['too short', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe'],
    ['too long', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0'],
    ['non-hex', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg'],
    ['no 0x prefix', '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['0X prefix', '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['surrounding whitespace', ' 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['empty', ''],
    ['a Tron address', USDT_TRON],
  ])('rejects %s as a format error', (_label, input) => {
    expect(validateEthereumAddress(input)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('Tron addresses', () => {
  it('accepts the USDT TRC-20 contract address, which encodes its published hex form', () => {
    expect(validateTronAddress(USDT_TRON)).toEqual({ ok: true, address: USDT_TRON });
    expect(base58check.encode(hexToBytes(USDT_TRON_HEX))).toBe(USDT_TRON);
  });

  it.each([
    ['last character changed', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u'],
    ['a middle character changed', 'TR8NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['the case of a character changed', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T'],
  ])('rejects the USDT address with the %s as a checksum error', (_label, input) => {
    expect(validateTronAddress(input)).toEqual({ ok: false, reason: 'checksum' });
  });

  it.each([
    ['a character outside the base58 alphabet', 'TR7NH0jeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['a prefix other than T', 'AR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['one character too many', `${USDT_TRON}1`],
    ['one character too few', USDT_TRON.slice(0, -1)],
    ['a T-address that decodes to 26 bytes', `T${'z'.repeat(33)}`],
    ['an Ethereum address', KNOWN_ETHEREUM_ADDRESS],
    ['empty', ''],
  ])('rejects %s as a format error', (_label, input) => {
    expect(validateTronAddress(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('gives one key the same 20-byte hash on Tron as on Ethereum, behind version byte 0x41', () => {
    const expected = base58check.encode(concatBytes(Uint8Array.of(0x41), hexToBytes(KNOWN_ETHEREUM_ADDRESS.slice(2))));
    const compressed = tronAddressFromPublicKey(secp256k1.getPublicKey(KNOWN_PRIVATE_KEY));
    expect(compressed).toBe(expected);
    expect(tronAddressFromPublicKey(secp256k1.getPublicKey(KNOWN_PRIVATE_KEY, false))).toBe(expected);
    expect(compressed).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(validateTronAddress(compressed)).toEqual({ ok: true, address: compressed });
  });

  it('refuses bytes that are not a secp256k1 point', () => {
    expect(() => tronAddressFromPublicKey(new Uint8Array(33))).toThrow(ChainKeyError);
  });
});

describe('validateAddress', () => {
  it('dispatches on the chain', () => {
    expect(validateAddress('ethereum', KNOWN_ETHEREUM_ADDRESS.toLowerCase())).toEqual({ ok: true, address: KNOWN_ETHEREUM_ADDRESS });
    expect(validateAddress('tron', USDT_TRON)).toEqual({ ok: true, address: USDT_TRON });
    expect(validateAddress('ethereum', USDT_TRON)).toEqual({ ok: false, reason: 'format' });
    expect(validateAddress('tron', KNOWN_ETHEREUM_ADDRESS)).toEqual({ ok: false, reason: 'format' });
  });
});
