import { createHash, pbkdf2Sync } from 'node:crypto';
import { HDKey } from '@scure/bip32';
import type { Hex } from 'viem';
import { english } from 'viem/accounts';
import { DEFAULT_ACCOUNT_PATH, EXTERNAL_CHAIN } from '../modules/payments/chain/networks.js';

/** The account key given to `paygate sweep` is unusable or is not the one addresses were derived from. */
export class AccountKeyError extends Error {
  override readonly name = 'AccountKeyError';
}

/** BIP-39: the words are from the English list and their checksum holds. */
function checkMnemonic(words: readonly string[]): void {
  if (![12, 15, 18, 21, 24].includes(words.length)) throw new AccountKeyError(`A mnemonic has 12, 15, 18, 21 or 24 words; this one has ${words.length}.`);
  let bits = '';
  for (const [i, word] of words.entries()) {
    const index = english.indexOf(word);
    if (index < 0) throw new AccountKeyError(`Word ${i + 1} of the mnemonic is not in the BIP-39 English word list.`);
    bits += index.toString(2).padStart(11, '0');
  }
  const checksumBits = words.length / 3;
  const entropyBits = bits.slice(0, bits.length - checksumBits);
  const entropy = Buffer.from(entropyBits.match(/.{8}/g)?.map((b) => Number.parseInt(b, 2)) ?? []);
  const hash = createHash('sha256').update(entropy).digest();
  const expected = [...hash]
    .map((b) => b.toString(2).padStart(8, '0'))
    .join('')
    .slice(0, checksumBits);
  if (expected !== bits.slice(-checksumBits)) throw new AccountKeyError('The mnemonic checksum is wrong (a word is mistyped or missing).');
}

/**
 * The Ethereum account key (m/44'/60'/0') from a BIP-39 mnemonic or an extended private key
 * (master xprv, or the account-level xprv). Never logged, never stored.
 */
export function parseAccountKey(text: string, mnemonicPassphrase = ''): HDKey {
  const trimmed = text.trim();
  if (/^[a-z]prv/.test(trimmed)) {
    let key: HDKey;
    try {
      key = HDKey.fromExtendedKey(trimmed);
    } catch (_error: unknown) {
      throw new AccountKeyError('The extended private key is not valid base58check (check for a copy-paste error).');
    }
    if (key.privateKey === null) throw new AccountKeyError('That is an extended public key; sweeping needs the private key.');
    if (key.depth === 0) return key.derive(DEFAULT_ACCOUNT_PATH.ethereum);
    if (key.depth === 3) return key;
    throw new AccountKeyError(`Give the master xprv or the account xprv at ${DEFAULT_ACCOUNT_PATH.ethereum} (depth 0 or 3); this one has depth ${key.depth}.`);
  }
  const words = trimmed.normalize('NFKD').toLowerCase().split(/\s+/);
  checkMnemonic(words);
  const seed = pbkdf2Sync(words.join(' '), `mnemonic${mnemonicPassphrase}`.normalize('NFKD'), 2048, 64, 'sha512');
  const account = HDKey.fromMasterSeed(seed).derive(DEFAULT_ACCOUNT_PATH.ethereum);
  seed.fill(0);
  return account;
}

/** Refuse to do anything unless the key is the one behind Paygate's configured xpub. */
export function assertMatches(account: HDKey, xpub: string): void {
  if (account.publicExtendedKey !== xpub) {
    throw new AccountKeyError(
      "This key does not belong to Paygate's configured Ethereum xpub: its deposit addresses were derived from another account. Nothing was moved.",
    );
  }
}

/** The private key of deposit address `index` (<account>/0/index). */
export function depositKey(account: HDKey, index: number): Hex {
  const key = account.deriveChild(EXTERNAL_CHAIN).deriveChild(index).privateKey;
  if (key === null) throw new AccountKeyError('Derivation produced no private key.');
  return `0x${Buffer.from(key).toString('hex')}`;
}
