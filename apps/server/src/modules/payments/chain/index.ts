/**
 * Chain primitives for receiving ETH, TRX and USDT: deposit-address derivation from account
 * xpubs and validation of addresses people type.
 *
 * @example
 * import { deriveAddress, validateAddress } from './modules/payments/chain/index.js';
 * const address = deriveAddress('ethereum', accountXpub, 0);
 * validateAddress('ethereum', address).ok; // true
 */
export {
  type AddressRejection,
  type AddressValidation,
  ethereumAddressFromPublicKey,
  toChecksumAddress,
  tronAddressFromPublicKey,
  validateAddress,
  validateEthereumAddress,
  validateTronAddress,
} from './addresses.js';
export { ChainKeyError } from './chain-key-error.js';
export { deriveAddress, generateSandboxAccountKeys, MAX_ADDRESS_INDEX, parseAccountXpub } from './derivation.js';
export { BIP44_COIN_TYPE, CHAIN_IDS, type ChainId, DEFAULT_ACCOUNT_PATH, EXTERNAL_CHAIN } from './networks.js';
