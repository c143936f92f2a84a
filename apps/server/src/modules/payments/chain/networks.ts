/**
 * The chains Paygate receives payments on. USDT is not a chain of its own: it is a token
 * (ERC-20 on Ethereum, TRC-20 on Tron) received at the same addresses as the native coin.
 *
 * @example
 * const chain: ChainId = 'tron';
 */
export type ChainId = 'ethereum' | 'tron';

/**
 * Every {@link ChainId}, for iterating and for validating untrusted input.
 *
 * @example
 * CHAIN_IDS.includes(input as ChainId);
 */
export const CHAIN_IDS = ['ethereum', 'tron'] as const satisfies readonly ChainId[];

/**
 * SLIP-44 coin types used at the second level of a BIP-44 path (`m/44'/coin'/…`).
 *
 * @example
 * BIP44_COIN_TYPE.tron; // 195
 */
export const BIP44_COIN_TYPE = { ethereum: 60, tron: 195 } as const satisfies Record<ChainId, number>;

/**
 * The account-level path whose extended public key (xpub) a Business Partner configures.
 * Account 0 is what MetaMask, Ledger Live and TronLink use by default, so addresses we derive
 * show up in the partner's own wallet without extra set-up.
 *
 * @example
 * DEFAULT_ACCOUNT_PATH.ethereum; // "m/44'/60'/0'"
 */
export const DEFAULT_ACCOUNT_PATH = { ethereum: "m/44'/60'/0'", tron: "m/44'/195'/0'" } as const satisfies Record<ChainId, string>;

/**
 * BIP-44 "change" level for receiving addresses. Deposit addresses are always external (0):
 * wallets scan the external chain for incoming funds, and Paygate never makes change.
 *
 * @example
 * `${DEFAULT_ACCOUNT_PATH.ethereum}/${EXTERNAL_CHAIN}/7`; // "m/44'/60'/0'/0/7"
 */
export const EXTERNAL_CHAIN = 0;
