import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';
import { HARDENED_OFFSET, HDKey } from '@scure/bip32';
import { ethereumAddressFromPublicKey, tronAddressFromPublicKey } from './addresses.js';
import { ChainKeyError } from './chain-key-error.js';
import { type ChainId, DEFAULT_ACCOUNT_PATH, EXTERNAL_CHAIN } from './networks.js';

/** Largest non-hardened BIP-32 child index (2^31 - 1); higher indexes are hardened and need the private key. */
export const MAX_ADDRESS_INDEX = HARDENED_OFFSET - 1;

/** Mainnet `xpub` version bytes. Ethereum and Tron wallets export with Bitcoin's version, as BIP-32 defines it. */
const XPUB_VERSION = 0x0488b21e;
/** The depth of `m/44'/coin'/account'`: deriving `0/index` below it yields the addresses wallets show. */
const ACCOUNT_DEPTH = 3;
const EXTENDED_KEY_BYTES = 78;
const base58check = createBase58check(sha256);

const PRIVATE_KEY_MESSAGE =
  'An extended PRIVATE key (xprv) was given where an account xpub is expected. Private keys must never be configured in Paygate: ' +
  'export the account-level extended public key (xpub) from the wallet instead, and treat this private key as exposed.';

/**
 * Validates an account-level extended public key and returns it in canonical form. Refuses
 * private keys (with a message saying they must never be configured), keys for another network
 * or script type (tpub, ypub, zpub…), and keys at another depth than `m/44'/coin'/account'`:
 * an xpub one level deeper (as some wallets export) would silently give addresses the
 * partner's wallet never scans. Error messages never repeat the key.
 *
 * @example
 * parseAccountXpub('xpub6CeDpm2b5qtk96oy8yvM572W6cLZSvU5vnpKmKPypbfFwXo86SyT7VtfwWtMZAgZ5eKVMU9NnULt91HBFw9j62wJrcoc1ZRWiNvoorwBRXL');
 * // returns the same xpub
 * parseAccountXpub('xprv9s21…'); // throws ChainKeyError: An extended PRIVATE key (xprv) was given…
 * @throws ChainKeyError when the key is not a usable account xpub.
 */
export function parseAccountXpub(xpub: string): string {
  // Values pasted into env files often carry a trailing newline; whitespace is never part of a key.
  const text = xpub.trim();
  // Every private-key prefix (xprv, tprv, yprv, zprv, …) is one letter followed by "prv".
  // Checked before decoding so a mistyped private key still gets the private-key warning.
  if (text.slice(1, 4) === 'prv') throw new ChainKeyError(PRIVATE_KEY_MESSAGE);
  let bytes: Uint8Array;
  try {
    bytes = base58check.decode(text);
  } catch (_error: unknown) {
    throw new ChainKeyError(
      'The account key is not a valid extended public key: it is not base58check or its checksum is wrong (check for a copy-paste error).',
    );
  }
  if (bytes.length !== EXTENDED_KEY_BYTES) {
    throw new ChainKeyError(`The account key is not a BIP-32 extended key: it decodes to ${bytes.length} bytes instead of ${EXTENDED_KEY_BYTES}.`);
  }
  // Byte 45 starts the key data: 0x00 then 32 bytes for a private key, a 0x02/0x03 compressed point for a public one.
  if (bytes[45] === 0) throw new ChainKeyError(PRIVATE_KEY_MESSAGE);
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (version !== XPUB_VERSION) {
    throw new ChainKeyError(`The account key has version 0x${version.toString(16).padStart(8, '0')}; expected a mainnet xpub (0x0488b21e).`);
  }
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(text);
  } catch (_error: unknown) {
    throw new ChainKeyError('The account key is not a valid extended public key: its public key is not a point on secp256k1.');
  }
  if (key.depth !== ACCOUNT_DEPTH || key.index < HARDENED_OFFSET) {
    throw new ChainKeyError(
      `The xpub must be the account-level key at m/44'/coin'/account' (depth ${ACCOUNT_DEPTH}, hardened), ` +
        `e.g. ${DEFAULT_ACCOUNT_PATH.ethereum} for Ethereum or ${DEFAULT_ACCOUNT_PATH.tron} for Tron; this one has depth ${key.depth}.`,
    );
  }
  return key.publicExtendedKey;
}

/**
 * Throws unless `index` is a usable non-hardened child index (integer in 0..2^31-1).
 */
function assertAddressIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_ADDRESS_INDEX) {
    throw new RangeError(`Address index must be an integer from 0 to ${MAX_ADDRESS_INDEX}; got ${index}.`);
  }
}

/**
 * Deposit address number `index` of an account: the key at `<account>/0/index`, derived from the
 * account xpub alone, so the server never holds a key that can spend. The same inputs always
 * give the same address, which is what lets the partner's wallet find the funds.
 *
 * @example
 * deriveAddress('ethereum', accountXpub, 0); // '0x…' (EIP-55), the wallet's first receive address
 * deriveAddress('tron', accountXpub, 5); // 'T…'
 * @throws ChainKeyError when `accountXpub` is not a usable account xpub (see {@link parseAccountXpub}).
 * @throws RangeError when `index` is not an integer in 0..2^31-1.
 */
export function deriveAddress(chain: ChainId, accountXpub: string, index: number): string {
  assertAddressIndex(index);
  const account = HDKey.fromExtendedKey(parseAccountXpub(accountXpub));
  const publicKey = account.deriveChild(EXTERNAL_CHAIN).deriveChild(index).publicKey;
  // HDKey types publicKey as nullable, but public derivation always sets it; guard instead of asserting.
  if (publicKey === null) throw new ChainKeyError('Public derivation produced no public key.');
  switch (chain) {
    case 'ethereum':
      return ethereumAddressFromPublicKey(publicKey);
    case 'tron':
      return tronAddressFromPublicKey(publicKey);
  }
}

/**
 * Fresh account xpubs for a sandbox: a random 32-byte seed, the BIP-32 master from it, and the
 * extended public keys at {@link DEFAULT_ACCOUNT_PATH}. The seed and every private key are
 * discarded (and their buffers zeroed) before returning: a sandbox only needs to receive, and
 * test funds sent to these addresses are deliberately unspendable.
 *
 * @example
 * const { ethereum, tron } = generateSandboxAccountKeys();
 * deriveAddress('tron', tron, 0); // 'T…'
 */
export function generateSandboxAccountKeys(): { ethereum: string; tron: string } {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const master = HDKey.fromMasterSeed(seed);
  const ethereum = master.derive(DEFAULT_ACCOUNT_PATH.ethereum);
  const tron = master.derive(DEFAULT_ACCOUNT_PATH.tron);
  const keys = { ethereum: ethereum.publicExtendedKey, tron: tron.publicExtendedKey };
  // Best effort: JS cannot guarantee no copies remain, but zeroing shortens how long secrets sit in memory.
  seed.fill(0);
  for (const key of [master, ethereum, tron]) key.wipePrivateData();
  return keys;
}
