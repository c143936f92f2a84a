import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base58, createBase58check } from '@scure/base';
import { ChainKeyError } from './chain-key-error.js';
import type { ChainId } from './networks.js';

/** Why an address was refused: not shaped like an address at all, or a typo caught by its checksum. */
export type AddressRejection = 'format' | 'checksum';

/**
 * Outcome of validating a user-supplied address. On success `address` is the canonical form
 * (EIP-55 checksummed for Ethereum) that should be stored and displayed.
 */
export type AddressValidation = { ok: true; address: string } | { ok: false; reason: AddressRejection };

/** Version byte that prefixes every Tron mainnet address; in base58 it makes them start with `T`. */
const TRON_ADDRESS_VERSION = 0x41;
const TRON_ADDRESS_BYTES = 25;
const tronBase58check = createBase58check(sha256);

const HEX40 = /^[0-9a-fA-F]{40}$/;
const ETHEREUM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// 34 characters of the Bitcoin base58 alphabet (no 0, O, I, l) after the `T`.
const TRON_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

/**
 * The 20-byte account hash shared by Ethereum and Tron: the last 20 bytes of keccak-256 over the
 * 64-byte uncompressed public key (without its 0x04 prefix).
 */
function accountHash(publicKey: Uint8Array): Uint8Array {
  let uncompressed: Uint8Array;
  try {
    // fromBytes checks the point is on the curve, so a corrupted key cannot yield an address nobody controls.
    uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  } catch (_error: unknown) {
    throw new ChainKeyError(`Not a valid secp256k1 public key (${publicKey.length} bytes); expected 33 (compressed) or 65 (uncompressed) bytes on the curve.`);
  }
  return keccak_256(uncompressed.subarray(1)).subarray(12);
}

/**
 * EIP-55 mixed-case checksum encoding of a 20-byte hex address. Input case is ignored and a
 * `0x` prefix is optional; the output always has the prefix.
 *
 * @example
 * toChecksumAddress('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
 * // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
 * @throws TypeError when the input is not 40 hex digits.
 */
export function toChecksumAddress(hex40: string): string {
  const body = hex40.startsWith('0x') || hex40.startsWith('0X') ? hex40.slice(2) : hex40;
  if (!HEX40.test(body)) throw new TypeError('An Ethereum address is 40 hexadecimal digits, optionally prefixed with 0x.');
  const lower = body.toLowerCase();
  // EIP-55 hashes the lowercase ASCII text, not the bytes; each letter is uppercased when its hash nibble is >= 8.
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const char = lower.charAt(i);
    out += Number.parseInt(hash.charAt(i), 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/**
 * Ethereum address of a secp256k1 public key, EIP-55 checksummed.
 *
 * @example
 * ethereumAddressFromPublicKey(secp256k1.getPublicKey(privateKey)); // '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'
 * @throws ChainKeyError when the bytes are not a point on secp256k1.
 */
export function ethereumAddressFromPublicKey(compressedOrUncompressedSecp256k1PublicKey: Uint8Array): string {
  return toChecksumAddress(bytesToHex(accountHash(compressedOrUncompressedSecp256k1PublicKey)));
}

/**
 * Tron address (base58check, starts with `T`) of a secp256k1 public key. It carries the same
 * 20-byte hash as the key's Ethereum address, behind the 0x41 version byte.
 *
 * @example
 * tronAddressFromPublicKey(secp256k1.getPublicKey(privateKey)); // 'T…' (34 characters)
 * @throws ChainKeyError when the bytes are not a point on secp256k1.
 */
export function tronAddressFromPublicKey(pub: Uint8Array): string {
  return tronBase58check.encode(concatBytes(Uint8Array.of(TRON_ADDRESS_VERSION), accountHash(pub)));
}

/**
 * Checks an Ethereum address typed or pasted by a person. All-lowercase and all-uppercase hex
 * carry no checksum and are accepted; mixed case is an EIP-55 checksum and must match exactly,
 * because a mismatch means a typo that would send funds to an address nobody controls.
 * Surrounding whitespace is not trimmed: callers decide what input they accept.
 *
 * @example
 * validateEthereumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
 * // { ok: true, address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' }
 * validateEthereumAddress('0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'); // { ok: false, reason: 'checksum' }
 * validateEthereumAddress('0x5aAeb6'); // { ok: false, reason: 'format' }
 */
export function validateEthereumAddress(input: string): AddressValidation {
  if (!ETHEREUM_ADDRESS.test(input)) return { ok: false, reason: 'format' };
  const body = input.slice(2);
  const address = toChecksumAddress(body);
  if (body === body.toLowerCase() || body === body.toUpperCase() || address === input) return { ok: true, address };
  return { ok: false, reason: 'checksum' };
}

/**
 * Checks a Tron mainnet address: `T` followed by 33 base58 characters, decoding to 25 bytes
 * (0x41, 20-byte hash, 4-byte double-SHA-256 checksum). `format` means it cannot be a Tron
 * address; `checksum` means it looks like one but contains a typo.
 *
 * @example
 * validateTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'); // { ok: true, address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' }
 * validateTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u'); // { ok: false, reason: 'checksum' }
 * validateTronAddress('0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'); // { ok: false, reason: 'format' }
 */
export function validateTronAddress(input: string): AddressValidation {
  if (!TRON_ADDRESS.test(input)) return { ok: false, reason: 'format' };
  // Plain base58 first (not base58check) so a bad checksum can be told apart from a bad shape.
  const bytes = base58.decode(input);
  if (bytes.length !== TRON_ADDRESS_BYTES || bytes[0] !== TRON_ADDRESS_VERSION) return { ok: false, reason: 'format' };
  const payload = bytes.subarray(0, 21);
  const checksum = bytes.subarray(21);
  const expected = sha256(sha256(payload)).subarray(0, 4);
  if (!expected.every((byte, i) => byte === checksum[i])) return { ok: false, reason: 'checksum' };
  return { ok: true, address: input };
}

/**
 * Validates an address for the given chain; see {@link validateEthereumAddress} and {@link validateTronAddress}.
 *
 * @example
 * validateAddress('tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t').ok; // true
 * validateAddress('ethereum', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'); // { ok: false, reason: 'format' }
 */
export function validateAddress(chain: ChainId, input: string): AddressValidation {
  switch (chain) {
    case 'ethereum':
      return validateEthereumAddress(input);
    case 'tron':
      return validateTronAddress(input);
  }
}
